package batch

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"socred/soap"
)

// An export's cells are typed, so that an .xlsx holds text as text (never
// a formula), numbers as numbers, dates as date cells and yes/no as
// booleans, and the CSV writes each as the reader expects it.
type cellKind uint8

const (
	kindText cellKind = iota
	kindNumber
	kindBool
	kindDate
)

type cell struct {
	kind cellKind
	s    string
	n    int64
	b    bool
	t    time.Time // kindDate: the wall-clock time, in the administrator's zone
}

func text(s string) cell  { return cell{kind: kindText, s: s} }
func number(n int64) cell { return cell{kind: kindNumber, n: n} }
func boolean(b bool) cell { return cell{kind: kindBool, b: b} }

// date is an instant as the administrator's clock shows it; the zero time
// (no date) is an empty cell.
func date(t time.Time, local func(time.Time) time.Time) cell {
	if t.IsZero() {
		return text("")
	}
	return cell{kind: kindDate, t: local(t)}
}

// sheet is one worksheet: a bold, frozen header row and rows of cells.
type sheet struct {
	name   string
	header []string
	rows   [][]cell
}

func newSheet(name string, header []string) *sheet { return &sheet{name: name, header: header} }

func (sh *sheet) add(cells ...cell) { sh.rows = append(sh.rows, cells) }

// The styles (cellXfs) the sheet's cells use.
const (
	styleText   = 0
	styleHeader = 1
	styleDate   = 2
)

// writeXLSX writes the sheet as an .xlsx workbook: SpreadsheetML (ECMA-376
// Part 1, §18) in a ZIP package (Part 2), written by hand with no XML
// library. Text is in inline strings, so nothing in it can become a
// formula; dates are serial numbers of the 1900 date system with the
// number format dateFormat; columns are as wide as their longest text.
func (sh *sheet) writeXLSX(w io.Writer, dateFormat string) error {
	z := &zipWriter{w: w}
	for _, part := range [...]struct{ name, body string }{
		{"[Content_Types].xml", contentTypesXML},
		{"_rels/.rels", rootRelsXML},
		{"xl/workbook.xml", xmlHeader + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><bookViews><workbookView/></bookViews><sheets><sheet name="` + escapeXML(sh.name, false) + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", workbookRelsXML},
		{"xl/styles.xml", stylesXML(dateFormat)},
	} {
		z.add(part.name, []byte(part.body))
	}
	z.add("xl/worksheets/sheet1.xml", sh.sheetXML())
	return z.close()
}

// errZipTooLarge is an export beyond what a ZIP without its 64-bit
// extensions holds (4 GiB, 65,535 entries): far beyond MaxRows.
var errZipTooLarge = errors.New("batch: the export is too large for an .xlsx file")

const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain    = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkgRel  = "http://schemas.openxmlformats.org/package/2006/relationships"

	contentTypesXML = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`</Types>`
	rootRelsXML = xmlHeader + `<Relationships xmlns="` + nsPkgRel + `">` +
		`<Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	workbookRelsXML = xmlHeader + `<Relationships xmlns="` + nsPkgRel + `">` +
		`<Relationship Id="rId1" Type="` + nsRel + `/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="` + nsRel + `/styles" Target="styles.xml"/></Relationships>`
)

// stylesXML has three cell formats: plain (0), bold for the header (1),
// and the date-time format (2, custom number format 164).
func stylesXML(dateFormat string) string {
	return xmlHeader + `<styleSheet xmlns="` + nsMain + `">` +
		`<numFmts count="1"><numFmt numFmtId="164" formatCode="` + escapeXML(dateFormat, false) + `"/></numFmts>` +
		`<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
		`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
		`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
		`</styleSheet>`
}

// sheetXML is the worksheet part.
func (sh *sheet) sheetXML() []byte {
	b := make([]byte, 0, 1024+len(sh.rows)*256)
	b = append(b, xmlHeader+`<worksheet xmlns="`+nsMain+`">`...)
	b = append(b, `<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`...)
	b = append(b, `<cols>`...)
	for i, wd := range sh.widths() {
		n := strconv.Itoa(i + 1)
		b = append(b, `<col min="`+n+`" max="`+n+`" width="`+strconv.Itoa(wd)+`" customWidth="1"/>`...)
	}
	b = append(b, `</cols><sheetData>`...)
	header := make([]cell, len(sh.header))
	for i, h := range sh.header {
		header[i] = text(h)
	}
	b = appendRow(b, 1, header, styleHeader)
	for i, r := range sh.rows {
		b = appendRow(b, i+2, r, styleText)
	}
	return append(b, `</sheetData></worksheet>`...)
}

// widths are the columns' widths in characters: the longest text in each
// (dates as wide as their format), at least 8, at most 60.
func (sh *sheet) widths() []int {
	w := make([]int, len(sh.header))
	for i, h := range sh.header {
		w[i] = utf8.RuneCountInString(h) + 2
	}
	for _, r := range sh.rows {
		for i, c := range r {
			if i >= len(w) {
				break
			}
			n := 0
			switch c.kind {
			case kindText:
				n = utf8.RuneCountInString(c.s)
				if j := strings.IndexAny(c.s, "\r\n"); j >= 0 {
					n = utf8.RuneCountInString(c.s[:j])
				}
			case kindNumber:
				n = len(strconv.FormatInt(c.n, 10))
			case kindBool:
				n = 5
			case kindDate:
				n = 18
			}
			w[i] = max(w[i], n+2)
		}
	}
	for i := range w {
		w[i] = min(max(w[i], 8), 60)
	}
	return w
}

func appendRow(b []byte, row int, cells []cell, style int) []byte {
	r := strconv.Itoa(row)
	b = append(b, `<row r="`+r+`">`...)
	for i, c := range cells {
		b = append(b, `<c r="`...)
		b = appendColumn(b, i)
		b = append(b, r...)
		b = append(b, '"')
		if style != styleText {
			b = append(b, ` s="`+strconv.Itoa(style)+`"`...)
		}
		switch c.kind {
		case kindNumber:
			b = append(b, `><v>`...)
			b = strconv.AppendInt(b, c.n, 10)
			b = append(b, `</v></c>`...)
		case kindBool:
			v := "0"
			if c.b {
				v = "1"
			}
			b = append(b, ` t="b"><v>`+v+`</v></c>`...)
		case kindDate:
			if serial, ok := dateSerial(c.t); ok {
				b = append(b, ` s="`+strconv.Itoa(styleDate)+`"><v>`...)
				b = strconv.AppendFloat(b, serial, 'f', -1, 64)
				b = append(b, `</v></c>`...)
				break
			}
			b = appendInline(b, soap.FormatDateTime(c.t))
		default:
			if c.s == "" {
				b = append(b, `/>`...)
				break
			}
			b = appendInline(b, c.s)
		}
	}
	return append(b, `</row>`...)
}

func appendInline(b []byte, s string) []byte {
	b = append(b, ` t="inlineStr"><is><t xml:space="preserve">`...)
	b = append(b, escapeXML(s, true)...)
	return append(b, `</t></is></c>`...)
}

// appendColumn appends a column's letters: A … Z, AA ….
func appendColumn(b []byte, i int) []byte {
	if i >= 26 {
		b = appendColumn(b, i/26-1)
	}
	return append(b, byte('A'+i%26))
}

// excelEpoch is day 0 of the 1900 date system as serial numbers count
// from March 1900 on (Excel counts a 29 February 1900 that never was).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// dateSerial is a wall-clock time as a serial number of the 1900 date
// system (days since excelEpoch, the time of day as a fraction), to the
// millisecond; false before 1 March 1900 or after 9999.
func dateSerial(t time.Time) (float64, bool) {
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	if wall.Before(time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)) || wall.Year() > 9999 {
		return 0, false
	}
	ms := wall.Sub(excelEpoch).Milliseconds()
	return float64(ms) / 86_400_000, true
}

// isEscape reports whether s begins with an _xHHHH_ escape.
func isEscape(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// escapeXML escapes text for XML content or an attribute value. Characters
// XML 1.0 cannot hold (most controls) are written as SpreadsheetML's
// _xHHHH_ escapes, a literal "_x0041_" as "_x005F_x0041_" so that it is
// not read as one, a carriage return as a character reference (which XML does not
// fold into a line feed); invalid UTF-8 becomes U+FFFD.
func escapeXML(s string, content bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\r':
			b.WriteString("&#13;")
		case r == '\n' || r == '\t':
			if content {
				b.WriteRune(r)
			} else {
				b.WriteString("&#" + strconv.Itoa(int(r)) + ";")
			}
		case r == '_' && isEscape(s[i:]):
			b.WriteString("_x005F_")
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
			h := strconv.FormatInt(int64(r), 16)
			b.WriteString("_x" + strings.Repeat("0", 4-len(h)) + strings.ToUpper(h) + "_")
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
