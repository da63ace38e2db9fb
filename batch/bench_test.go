package batch

import (
	"archive/zip"
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"socred/soap"
)

// benchFile is n valid rows as Excel in Norway saves them: semicolons,
// CRLF, local dates, Norwegian words; every other row by user name.
func benchFile(n int) []byte {
	var b strings.Builder
	b.WriteString("AssociateId;UserName;Type;PublicValue;SecretValue;ValidFrom;ValidTo;Comment;IsActive\r\n")
	for i := range n {
		id, name := strconv.Itoa(3+i%3), ""
		if i%2 == 1 {
			id, name = "", "user"+strconv.Itoa(i%500)
		}
		b.WriteString(id + ";" + name + ";imap;mailbox" + strconv.Itoa(i) + "@example.com;Passord-" + strconv.Itoa(i) +
			";2025-01-01;2026-01-01 08:00;\"Innboks for Bjørn Åsen; rad " + strconv.Itoa(i) + "\";ja\r\n")
	}
	return []byte(b.String())
}

// BenchmarkCheck measures what the Check button does: Read and Check.
func BenchmarkCheck(b *testing.B) {
	opt := Options{Location: oslo(b)}
	for _, n := range []int{1000, 100_000} {
		data := benchFile(n)
		b.Run("rows="+strconv.Itoa(n), func(b *testing.B) { benchReadCheck(b, data, n, opt) })
	}
}

// BenchmarkCheckSameRows measures Read and Check of the same rows as CSV
// and as .xlsx (the audit export in Norwegian: numeric ids with user
// names, dates, booleans), the workbook zipped with deflate as Excel and
// LibreOffice save one; BenchmarkCheck and BenchmarkCheckXLSX have rows
// of their own.
func BenchmarkCheckSameRows(b *testing.B) {
	opt := Options{Location: time.UTC, Locale: "nb-NO"}
	from, to := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 12, 31, 23, 0, 0, 0, time.UTC)
	for _, n := range []int{1000, 100_000} {
		recs := make([]AuditRecord, n)
		for i := range recs {
			id := int32(2 + i%4)
			c := soap.UntrustedCredentials{PublicValue: "bench" + strconv.Itoa(i) + "@example.com", ValidFrom: from, ValidTo: to,
				Comment: "Innboks for Bjørn Åsen, rad " + strconv.Itoa(i), IsActive: i%10 != 9}
			recs[i] = AuditRecord{AssociateID: id, UserName: "user" + strconv.Itoa(int(id)), FullName: "Bjørn Åsen",
				Type: []string{"smtp", "imap"}[i%2], Credentials: c, HasSecret: true, Status: StatusOf(c, from, 0)}
		}
		e := Export{Delimiter: ';', Locale: "nb-NO", Location: time.UTC, Words: Words{Yes: "ja", No: "nei"}}
		for _, format := range []Format{CSV, XLSX} {
			var buf bytes.Buffer
			if err := e.Audit(&buf, recs, format); err != nil {
				b.Fatal(err)
			}
			data, name := buf.Bytes(), "csv"
			if format == XLSX {
				data, name = deflateZip(b, data), "xlsx"
			}
			b.Run(name+"/rows="+strconv.Itoa(n), func(b *testing.B) { benchReadCheck(b, data, n, opt) })
		}
	}
}

// benchReadCheck measures what the Check button does with data, a file of
// n valid rows: Read and Check, in bytes and rows a second.
func benchReadCheck(b *testing.B, data []byte, n int, opt Options) {
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		f, err := Read(data, opt)
		if err != nil {
			b.Fatal(err)
		}
		c := Check(f, opt)
		if c.Err() != nil || len(c.Entries) != n {
			b.Fatal(len(c.Entries), c.Err())
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// deflateZip is the ZIP archive data with every part compressed by deflate.
func deflateZip(b *testing.B, data []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			b.Fatal(err)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.Modified})
		if err == nil {
			_, err = io.Copy(w, r)
		}
		if err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return out.Bytes()
}
