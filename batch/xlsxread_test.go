//go:build !js

package batch

import (
	"archive/zip"
	"bytes"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/thedatashed/xlsxreader"
)

// workbook builds an .xlsx package from a worksheet's <sheetData> rows,
// the shared strings and the workbook's date system.
func workbook(t testing.TB, rows string, shared []string, date1904 bool) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	put := func(name, body string) {
		w, err := z.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	put("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	put("_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="`+rel+`officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0"?><workbook `+ns+`><workbookPr date1904="`+strconv.FormatBool(date1904)+`"/><sheets><sheet name="Ark1" sheetId="1" r:id="rId3"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="`+rel+`styles" Target="styles.xml"/><Relationship Id="rId2" Type="`+rel+`sharedStrings" Target="sharedStrings.xml"/>`+
		`<Relationship Id="rId3" Type="`+rel+`worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	put("xl/styles.xml", `<?xml version="1.0"?><styleSheet `+ns+`><numFmts count="3"><numFmt numFmtId="164" formatCode="dd.mm.yyyy hh:mm"/>`+
		`<numFmt numFmtId="165" formatCode="[$-414]dd/mm/yyyy"/><numFmt numFmtId="166" formatCode="0.0"/></numFmts>`+
		`<cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="22"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="2"/><xf numFmtId="166"/></cellXfs></styleSheet>`)
	var ss strings.Builder
	ss.WriteString(`<?xml version="1.0"?><sst ` + ns + `>`)
	for _, s := range shared {
		ss.WriteString("<si>" + s + "</si>")
	}
	ss.WriteString("</sst>")
	put("xl/sharedStrings.xml", ss.String())
	put("xl/worksheets/sheet1.xml", `<?xml version="1.0"?><worksheet `+ns+`><sheetData>`+rows+`</sheetData></worksheet>`)
	require.NoError(t, z.Close())
	return b.Bytes()
}

// sheetHeaderRow is a header row of ten columns socred reads or ignores.
const sheetHeaderRow = `<row r="1"><c r="A1" t="inlineStr"><is><t>AssociateId</t></is></c><c r="B1" t="inlineStr"><is><t>UserName</t></is></c>` +
	`<c r="C1" t="inlineStr"><is><t>Type</t></is></c><c r="D1" t="inlineStr"><is><t>PublicValue</t></is></c><c r="E1" t="inlineStr"><is><t>SecretValue</t></is></c>` +
	`<c r="F1" t="inlineStr"><is><t>ValidFrom</t></is></c><c r="G1" t="inlineStr"><is><t>ValidTo</t></is></c><c r="H1" t="inlineStr"><is><t>Comment</t></is></c>` +
	`<c r="I1" t="inlineStr"><is><t>IsActive</t></is></c><c r="J1" t="inlineStr"><is><t>Extra</t></is></c></row>`

// randomText is text with what XML must escape, non-ASCII letters, spaces
// and line ends.
func randomText(r *rand.Rand) (xml, text string) {
	pieces := []struct{ xml, text string }{{"a", "a"}, {"Ø", "Ø"}, {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", `"`}, {"'", "'"},
		{"&#x263A;", "☺"}, {"&#233;", "é"}, {" ", " "}, {"\r\n", "\n"}, {"=1+1", "=1+1"}, {"imap", "imap"}, {"'=", "'="}}
	var x, s strings.Builder
	for range 1 + r.IntN(6) {
		p := pieces[r.IntN(len(pieces))]
		x.WriteString(p.xml)
		s.WriteString(p.text)
	}
	return x.String(), s.String()
}

// TestXLSXAgainstXlsxreader reads random workbooks with readXLSX and with
// github.com/thedatashed/xlsxreader, and compares every cell. Where
// xlsxreader is known to differ, the comparison says so: it truncates a
// date's fraction of a second where readXLSX rounds to the millisecond
// (so instants are compared to within a second), writes a date-time cell
// at midnight as a date alone, and gives booleans as 1 and 0.
func TestXLSXAgainstXlsxreader(t *testing.T) {
	compared = 0
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 300 {
		var shared []string
		var rows strings.Builder
		rows.WriteString(sheetHeaderRow)
		want := map[string]bool{} // the cells written, by reference
		for row := 2; row < 2+r.IntN(8); row++ {
			rows.WriteString(`<row r="` + strconv.Itoa(row) + `">`)
			for col := 0; col < 10; col++ {
				if r.IntN(4) == 0 {
					continue
				}
				ref := columnName(col) + strconv.Itoa(row)
				want[ref] = true
				x, _ := randomText(r)
				switch r.IntN(8) {
				case 0: // a shared string, plain or in runs
					if r.IntN(2) == 0 {
						shared = append(shared, "<t xml:space=\"preserve\">"+x+"</t>")
					} else {
						y, _ := randomText(r)
						shared = append(shared, "<r><t>"+x+"</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">"+y+"</t></r>")
					}
					rows.WriteString(`<c r="` + ref + `" t="s"><v>` + strconv.Itoa(len(shared)-1) + `</v></c>`)
				case 1:
					rows.WriteString(`<c r="` + ref + `" t="inlineStr"><is><t>` + x + `</t></is></c>`)
				case 2: // a number, maybe with a number format
					v := strconv.FormatFloat(float64(r.IntN(2_000_000))/[]float64{1, 10, 4}[r.IntN(3)], 'f', -1, 64)
					rows.WriteString(`<c r="` + ref + `" s="` + []string{"0", "5", "6"}[r.IntN(3)] + `"><v>` + v + `</v></c>`)
				case 3:
					rows.WriteString(`<c r="` + ref + `" t="b"><v>` + strconv.Itoa(r.IntN(2)) + `</v></c>`)
				case 4, 5: // a date, with a date or a date-time format
					serial := float64(61+r.IntN(2_900_000)) + float64(r.IntN(86400))/86400*float64(r.IntN(2))
					rows.WriteString(`<c r="` + ref + `" s="` + strconv.Itoa(1+r.IntN(4)) + `"><v>` + strconv.FormatFloat(serial, 'g', -1, 64) + `</v></c>`)
				case 6: // a formula and its cached value
					rows.WriteString(`<c r="` + ref + `" t="str"><f>A1&amp;"x"</f><v>` + x + `</v></c>`)
				case 7:
					rows.WriteString(`<c r="` + ref + `"><f>1+2</f><v>3</v></c>`)
				}
			}
			rows.WriteString(`</row>`)
		}
		data := workbook(t, rows.String(), shared, false)
		compareWithXlsxreader(t, strconv.Itoa(n), data)
	}
	for _, name := range []string{"libreoffice-nb.xlsx"} {
		data, err := os.ReadFile(filepath.Join("testdata", "spreadsheets", name))
		require.NoError(t, err)
		compareWithXlsxreader(t, name, data)
	}
	assert.Greater(t, compared, 5000, "cells compared")
	t.Logf("%d cells compared", compared)
}

// compared counts the cells compared, so the test can tell it compared some.
var compared int

func compareWithXlsxreader(t *testing.T, name string, data []byte) {
	t.Helper()
	f, err := Read(data, Options{})
	require.NoError(t, err, name)
	ours := map[string]string{}
	for i, h := range f.Header {
		ours[columnName(i)+"1"] = h
	}
	for _, row := range f.Rows {
		for i, c := range row.Cells {
			if c != "" {
				ours[columnName(i)+strconv.Itoa(row.Number)] = c
			}
		}
	}
	x, err := xlsxreader.NewReader(data)
	require.NoError(t, err, name)
	theirs := map[string]string{}
	kinds := map[string]xlsxreader.CellType{}
	for row := range x.ReadRows(x.Sheets[0]) {
		require.NoError(t, row.Error, name)
		for _, c := range row.Cells {
			ref := c.Column + strconv.Itoa(c.Row)
			v := strings.ReplaceAll(c.Value, "\r\n", "\n")
			if c.Type == xlsxreader.TypeBoolean {
				v = map[string]string{"1": "TRUE", "0": "FALSE"}[v]
			}
			if v != "" {
				theirs[ref], kinds[ref] = v, c.Type
			}
		}
	}
	require.Equal(t, len(theirs), len(ours), "%s: the cells read", name)
	compared += len(theirs)
	for ref, v := range theirs {
		got := ours[ref]
		if kinds[ref] == xlsxreader.TypeDateTime {
			a, errA := time.Parse("2006-01-02T15:04:05.999", strings.TrimSuffix(strings.Replace(v, "Z", "", 1), "")+map[bool]string{true: "T00:00:00", false: ""}[len(v) == 10])
			b, errB := time.Parse("2006-01-02T15:04:05.999", got+map[bool]string{true: "T00:00:00", false: ""}[len(got) == 10])
			if assert.NoError(t, errA, "%s %s: %q", name, ref, v) && assert.NoError(t, errB, "%s %s: %q", name, ref, got) {
				assert.LessOrEqual(t, math.Abs(a.Sub(b).Seconds()), 1.0, "%s %s: xlsxreader %q, readXLSX %q", name, ref, v, got)
			}
			continue
		}
		assert.Equal(t, v, got, "%s %s", name, ref)
	}
}

// FuzzXLSX's aim: for any worksheet XML and shared string, Read returns
// problems or a file; it never panics or hangs, and rows keep their
// order. The XML goes into a well-formed package, so the fuzzer works on
// the scanner and the cells rather than on ZIP's checksums.
func FuzzXLSX(f *testing.F) {
	f.Add(sheetHeaderRow+`<row r="2"><c r="A2"><v>3</v></c><c r="C2" t="s"><v>0</v></c><c r="F2" s="2"><v>46418.5</v></c></row>`, "<t>imap</t>")
	f.Add(sheetHeaderRow+`<row><c t="inlineStr"><is><r><t>a</t></r><rPh><t>x</t></rPh></is></c><c/><c t="e"><v>#N/A</v></c></row>`, `<r><t xml:space="preserve"> &amp;&#x41;</t></r>`)
	f.Add(sheetHeaderRow+`<row r="9"><c r="XFD9" s="1"><v>60</v></c></row><row r="3"><c r="B3" t="b"><v>1</v></c></row>`, "<![CDATA[<x>]]>")
	f.Fuzz(func(t *testing.T, sheet, shared string) {
		data := workbook(t, sheet, []string{shared}, len(sheet)%2 == 0)
		file, err := Read(data, Options{Location: time.UTC, MaxRows: 1000})
		if err != nil {
			if _, ok := err.(Problems); !ok {
				t.Fatalf("Read's error is not a Problems: %v", err)
			}
			return
		}
		last := file.HeaderRow
		for _, r := range file.Rows {
			if len(r.Cells) != len(file.Header) || r.Number <= last {
				t.Fatalf("row %d (after %d) has %d cells for %d header cells", r.Number, last, len(r.Cells), len(file.Header))
			}
			last = r.Number
		}
		Check(file, Options{Location: time.UTC})
	})
}

// FuzzZip holds zipParts to archive/zip: a part socred reads must be one
// archive/zip reads, with the same bytes. socred is stricter where
// written down (no ZIP64, multi-part or encrypted archives), so only
// archive/zip may read what socred refuses.
func FuzzZip(f *testing.F) {
	for _, name := range []string{"libreoffice-nb.xlsx", "openpyxl-1904.xlsx"} {
		b, err := os.ReadFile(filepath.Join("testdata", "spreadsheets", name))
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add(workbook(f, sheetHeaderRow, nil, true))
	f.Fuzz(func(t *testing.T, data []byte) {
		ours, err := zipParts(data)
		if err != nil {
			return
		}
		zr, zerr := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		for key, p := range ours {
			got, err := p.open(data, 1<<20)
			if err != nil {
				continue
			}
			require.NoError(t, zerr, "socred reads %s, archive/zip not the archive", p.name)
			var want []byte
			found := false
			for _, zf := range zr.File {
				if lowerASCII(trimSlash(zf.Name)) != key {
					continue
				}
				rc, err := zf.Open()
				if err != nil {
					continue
				}
				want, err = io.ReadAll(rc)
				rc.Close()
				if err == nil && bytes.Equal(want, got) {
					found = true
				}
			}
			require.True(t, found, "%s: socred read %d bytes that archive/zip does not give", p.name, len(got))
		}
	})
}

// benchWorkbook is n rows as a workbook holds them: shared strings, a
// number id, date cells, booleans.
func benchWorkbook(b *testing.B, n int) []byte {
	var rows strings.Builder
	rows.WriteString(sheetHeaderRow)
	shared := []string{"<t>imap</t>"}
	for i := range n {
		r := strconv.Itoa(i + 2)
		shared = append(shared, "<t>mailbox"+strconv.Itoa(i)+"@example.com</t>", "<t>Passord-"+strconv.Itoa(i)+"</t>")
		rows.WriteString(`<row r="` + r + `"><c r="A` + r + `"><v>` + strconv.Itoa(3+i%3) + `</v></c><c r="C` + r + `" t="s"><v>0</v></c>` +
			`<c r="D` + r + `" t="s"><v>` + strconv.Itoa(len(shared)-2) + `</v></c><c r="E` + r + `" t="s"><v>` + strconv.Itoa(len(shared)-1) + `</v></c>` +
			`<c r="F` + r + `" s="1"><v>45658</v></c><c r="G` + r + `" s="3"><v>46023.333333333336</v></c><c r="I` + r + `" t="b"><v>1</v></c></row>`)
	}
	return workbook(b, rows.String(), shared, false)
}

// BenchmarkCheckXLSX measures Read and Check of a workbook, beside
// BenchmarkCheck's CSV.
func BenchmarkCheckXLSX(b *testing.B) {
	opt := Options{Location: oslo(b)}
	for _, n := range []int{1000, 100_000} {
		data := benchWorkbook(b, n)
		b.Run("rows="+strconv.Itoa(n), func(b *testing.B) { benchReadCheck(b, data, n, opt) })
	}
}

// TestReadAllSized: the buffer sized from the central directory gives
// the same bytes whatever size it was told, and stops past the limit.
func TestReadAllSized(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 120_000) // beyond 1 MiB: the buffer is sized
	n := uint64(len(data))
	for _, size := range []uint64{0, 1, 1 << 20, n - 1, n, n + 1, 1 << 40} {
		got, err := readAllSized(iotest.HalfReader(bytes.NewReader(data)), size, size, 4<<20)
		require.NoError(t, err, "size %d", size)
		require.Equal(t, data, got, "size %d", size)
		for _, limit := range []int{4096, 1<<20 + 4096} {
			got, err = readAllSized(bytes.NewReader(data), size, size, limit)
			require.NoError(t, err, "size %d", size)
			require.Equal(t, data[:limit+1], got, "size %d: limit %d", size, limit)
		}
	}
	_, err := readAllSized(iotest.ErrReader(io.ErrUnexpectedEOF), 10, 10, 100)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

// TestXLSXRowCells: a row's cells, whichever way each is stored (inline,
// shared, boolean, number, none), a column given twice (the later cell
// wins), cells beyond the header (counted in Extra only if not blank),
// and the cell length limit on text and shared strings alike.
func TestXLSXRowCells(t *testing.T) {
	inline := func(ref, text string) string {
		return `<c r="` + ref + `" t="inlineStr"><is><t xml:space="preserve">` + text + `</t></is></c>`
	}
	rows := sheetHeaderRow +
		`<row r="2">` + inline("A2", "3") + `<c r="B2" t="s"><v>0</v></c><c r="C2" t="b"><v>1</v></c><c r="D2" s="6"><v>2.50</v></c>` +
		`<c r="E2" s="1"/>` + inline("F2", " ") + inline("K2", "  ") + `</row>` +
		`<row r="3">` + inline("A3", "4") + `<c r="K3" t="s"><v>1</v></c><c r="L3" t="b"><v>0</v></c></row>` +
		`<row r="4">` + inline("A4", "first") + `<c r="A4" t="s"><v>0</v></c><c r="B4" t="s"><v>0</v></c>` + inline("B4", "later") +
		`<c t="str"><f>1</f><v>formula</v></c></row>`
	f, err := readXLSX(workbook(t, rows, []string{"user", "extra"}, false), Options{})
	require.NoError(t, err)
	require.Len(t, f.Rows, 3)
	want := []struct {
		cells []string
		extra int
	}{
		{[]string{"3", "user", "TRUE", "2.5", "", " ", "", "", "", ""}, 0},
		{[]string{"4", "", "", "", "", "", "", "", "", ""}, 2},
		{[]string{"user", "later", "formula", "", "", "", "", "", "", ""}, 0},
	}
	for i, w := range want {
		assert.Equal(t, i+2, f.Rows[i].Number)
		assert.Equal(t, w.cells, f.Rows[i].Cells, "row %d", i+2)
		assert.Equal(t, w.extra, f.Rows[i].Extra, "row %d", i+2)
	}

	for name, tc := range map[string]struct {
		cell string
		ok   bool
	}{
		"text at the limit":              {inline("D2", "12345678901"), true},
		"text beyond the limit":          {inline("D2", "123456789012"), false},
		"shared string at the limit":     {`<c r="D2" t="s"><v>0</v></c>`, true},
		"shared string beyond":           {`<c r="D2" t="s"><v>1</v></c>`, false},
		"a number beyond the limit":      {`<c r="D2"><v>123456789012</v></c>`, false},
		"a boolean within the limit":     {`<c r="D2" t="b"><v>0</v></c>`, true},
		"text beyond, beyond the header": {inline("M2", "123456789012"), false},
	} {
		t.Run(name, func(t *testing.T) {
			data := workbook(t, sheetHeaderRow+`<row r="2">`+inline("A2", "3")+tc.cell+`</row>`, []string{"12345678901", "123456789012"}, false)
			if tc.ok {
				_, err := readXLSX(data, Options{MaxCell: 11})
				require.NoError(t, err)
				return
			}
			codes, ps := problemCodes(t, data, Options{MaxCell: 11})
			require.Equal(t, []string{CodeCellTooLong}, codes)
			assert.Equal(t, 2, ps[0].Row)
		})
	}
}
