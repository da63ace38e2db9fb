package batch

import (
	"strconv"
	"strings"
	"testing"
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
		b.Run("rows="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				f, err := Read(data, opt)
				if err != nil {
					b.Fatal(err)
				}
				if c := Check(f, opt); c.Err() != nil {
					b.Fatal(c.Err())
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
