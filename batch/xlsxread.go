package batch

import (
	"bytes"
	"errors"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"socred/internal/isodate"
)

// TemplateSheet is the name of the worksheet socred's .xlsx template
// holds; Read takes a sheet of that name (in any case) over the first.
const TemplateSheet = "Credentials"

// maxPart bounds one decompressed part of a workbook, against a small
// file that inflates without end.
const maxPart = 256 << 20

// isZip reports whether data is a ZIP archive (an .xlsx or .ods file).
func isZip(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// readXLSX reads an Office Open XML workbook (.xlsx, as Excel and
// LibreOffice save it, ECMA-376 Part 1 §18): the sheet named TemplateSheet,
// else the first; row numbers and columns as the sheet gives them. Each
// cell becomes the text Check reads:
//   - a shared or inline string, or a formula's cached string: the text;
//   - a boolean: TRUE or FALSE;
//   - a number: its shortest decimal form (3, not 3.0);
//   - a number with a date or time format (built-in formats 14 to 22, 27 to
//     36, 45 to 47 and 50 to 58, and custom formats with day, month, year,
//     hour or second tokens): the date it counts in the workbook's date
//     system — the 1900 system with Excel's fictitious 29 February 1900
//     (serial 60, which is then refused as no date), or the 1904 system —
//     as YYYY-MM-DD when the format has no time of day and the value no
//     fraction, else YYYY-MM-DDThh:mm:ss[.fff] (to the millisecond): a
//     time without a zone, which Check reads in the administrator's zone;
//   - an ISO 8601 date cell (t="d"): the text;
//   - a formula: its cached value, never evaluated (none if the program
//     that saved it left none); an error value (#N/A): the text.
//
// Nothing is undone in a workbook's cells (Restore is for CSV).
func readXLSX(data []byte, opt Options) (*File, error) {
	zp, err := zipParts(data)
	if err != nil {
		return nil, workbookProblem("it is a ZIP file that cannot be opened: " + err.Error())
	}
	parts := &zipArchive{data: data, parts: zp}
	if _, ods := zp["content.xml"]; ods {
		return nil, Problems{newProblem(0, "", ErrNotCSV, CodeNotCSV,
			"the file is an OpenDocument spreadsheet (.ods); save it as .xlsx or as CSV", "kind", "ods")}
	}
	wbPath := "xl/workbook.xml"
	for _, r := range relationshipsByID(parts, "_rels/.rels", "") {
		if strings.HasSuffix(r.typ, "/officeDocument") {
			wbPath = r.target
		}
	}
	wb, err := readPart(parts, wbPath)
	if err != nil {
		return nil, workbookProblem(err.Error())
	}
	date1904, sheetName, sheetID := false, "", ""
	sc := &xmlScanner{data: wb}
	for sc.next() {
		if sc.kind != tokStart {
			continue
		}
		switch sc.name {
		case "workbookPr":
			v := sc.attr("date1904")
			date1904 = v == "1" || v == "true"
		case "sheet":
			if sheetName == "" || strings.EqualFold(sc.attr("name"), TemplateSheet) && !strings.EqualFold(sheetName, TemplateSheet) {
				sheetName, sheetID = sc.attr("name"), sc.attr("id")
			}
		}
	}
	clear(wb)
	if sc.err != "" {
		return nil, workbookProblem(wbPath + ": " + sc.err)
	}
	if sheetName == "" {
		return nil, workbookProblem("the workbook has no worksheet")
	}
	var sheetPath string
	for _, r := range relationshipsByID(parts, path.Join(path.Dir(wbPath), "_rels", path.Base(wbPath)+".rels"), path.Dir(wbPath)) {
		if r.id == sheetID {
			sheetPath = r.target
		}
	}
	if sheetPath == "" {
		return nil, workbookProblem("the worksheet " + strconv.Quote(sheetName) + " cannot be found in the file")
	}

	rd := &xlsxReader{date1904: date1904}
	dir := path.Dir(wbPath)
	for _, r := range relationshipsByID(parts, path.Join(dir, "_rels", path.Base(wbPath)+".rels"), dir) {
		var err error
		switch {
		case strings.HasSuffix(r.typ, "/sharedStrings"):
			err = rd.readSharedStrings(parts, r.target)
		case strings.HasSuffix(r.typ, "/styles"):
			err = rd.readStyles(parts, r.target)
		}
		if err != nil {
			return nil, workbookProblem(err.Error())
		}
	}
	defer clear(rd.shared)
	sheet, err := readPart(parts, sheetPath)
	if err != nil {
		return nil, workbookProblem(err.Error())
	}
	defer clear(sheet)
	f := &File{Encoding: UTF8, Delimiter: 0, Sheet: sheetName}
	if err := rd.readSheet(f, sheet, opt); err != nil {
		return nil, err
	}
	return f, nil
}

// workbookProblem is a workbook socred cannot read.
func workbookProblem(detail string) Problems {
	return Problems{newProblem(0, "", ErrNotCSV, CodeWorkbook, "the workbook cannot be read: "+detail+"; save it again as .xlsx or as CSV", "detail", detail)}
}

// zipArchive is an .xlsx package: its bytes and its parts by name.
type zipArchive struct {
	data  []byte
	parts map[string]*zipPart
}

// readPart decompresses one part of the package.
func readPart(parts *zipArchive, name string) ([]byte, error) {
	f := parts.parts[lowerASCII(trimSlash(name))]
	if f == nil {
		return nil, errors.New(name + " is missing")
	}
	b, err := f.open(parts.data, maxPart)
	if err != nil {
		return nil, errors.New(name + ": " + err.Error())
	}
	return b, nil
}

type relationship struct{ id, typ, target string }

// relationshipsByID reads a .rels part; targets are resolved against dir
// (an absolute target, /xl/…, against the package root). A missing part
// has none.
func relationshipsByID(parts *zipArchive, name, dir string) []relationship {
	b, err := readPart(parts, name)
	if err != nil {
		return nil
	}
	var out []relationship
	sc := &xmlScanner{data: b}
	for sc.next() {
		if sc.kind == tokStart && sc.name == "Relationship" {
			target := sc.attr("Target")
			if strings.HasPrefix(target, "/") {
				target = strings.TrimPrefix(target, "/")
			} else {
				target = path.Join(dir, target)
			}
			out = append(out, relationship{sc.attr("Id"), sc.attr("Type"), target})
		}
	}
	return out
}

// xlsxReader holds what the sheet's cells refer to.
type xlsxReader struct {
	date1904 bool
	shared   []string
	// styles maps a cell's style index (s) to its number format's kind.
	styles []numFormat
}

// numFormat is what a number format says of a number's meaning.
type numFormat uint8

const (
	fmtNumber   numFormat = iota
	fmtDate               // a date without a time of day
	fmtDateTime           // a time of day, with or without a date
)

func (rd *xlsxReader) readSharedStrings(parts *zipArchive, name string) error {
	b, err := readPart(parts, name)
	if err != nil {
		return err
	}
	defer clear(b)
	// All the strings' text in one buffer, made one string once, each
	// shared string a slice of it: one allocation instead of one a string.
	sc := &xmlScanner{data: b}
	var (
		buf  []byte
		ends []int
	)
	defer func() { clear(buf) }()
	for sc.next() {
		if sc.kind == tokStart && sc.name == "si" {
			buf = sc.textOf(buf, "rPh")
			ends = append(ends, len(buf))
		}
	}
	if sc.err != "" {
		return errors.New(name + ": " + sc.err)
	}
	text, start := string(buf), 0
	rd.shared = make([]string, len(ends))
	for i, end := range ends {
		rd.shared[i], start = text[start:end], end
	}
	return nil
}

func (rd *xlsxReader) readStyles(parts *zipArchive, name string) error {
	b, err := readPart(parts, name)
	if err != nil {
		return err
	}
	custom := map[string]numFormat{}
	sc := &xmlScanner{data: b}
	inXfs := false
	for sc.next() {
		switch {
		case sc.kind == tokStart && sc.name == "numFmt":
			custom[sc.attr("numFmtId")] = formatKind(sc.attr("formatCode"))
		case sc.kind == tokStart && sc.name == "cellXfs":
			inXfs = true
		case sc.kind == tokEnd && sc.name == "cellXfs":
			inXfs = false
		case sc.kind == tokStart && sc.name == "xf" && inXfs:
			id := sc.attr("numFmtId")
			k, ok := custom[id]
			if !ok {
				n, _ := strconv.Atoi(id)
				k = builtinFormat(n)
			}
			rd.styles = append(rd.styles, k)
			sc.skipElement()
		}
	}
	if sc.err != "" {
		return errors.New(name + ": " + sc.err)
	}
	return nil
}

// builtinFormat is the kind of a built-in number format (ECMA-376 Part 1
// §18.8.30; 27 to 36 and 50 to 58 are the East Asian locales' dates).
func builtinFormat(id int) numFormat {
	switch {
	case id >= 14 && id <= 17, id >= 27 && id <= 31, id >= 34 && id <= 36, id >= 50 && id <= 58:
		return fmtDate
	case id >= 18 && id <= 22, id >= 32 && id <= 33, id >= 45 && id <= 47:
		return fmtDateTime
	}
	return fmtNumber
}

// formatKind reads a custom number format code: a date if, outside
// quoted text, escaped characters and brackets (but for the elapsed-time
// [h] [m] [s]), it has a day, month, year, hour, minute or second token
// (d m y h s, in any case); with a time of day if it has h or s.
func formatKind(code string) numFormat {
	if strings.EqualFold(code, "General") {
		return fmtNumber
	}
	date, clock := false, false
	for i := 0; i < len(code); i++ {
		switch c := code[i] | 0x20; {
		case code[i] == '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case code[i] == '\\', code[i] == '_', code[i] == '*':
			i++ // the next character is literal (or a fill, a space)
		case code[i] == '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				return fmtNumber
			}
			inner := strings.ToLower(code[i+1 : i+j])
			if inner != "" && strings.Trim(inner, "hms") == "" {
				clock = true
			}
			i += j
		case c == 'h' || c == 's':
			clock = true
		case c == 'd' || c == 'y' || c == 'm':
			date = true
		}
	}
	switch {
	case clock:
		return fmtDateTime
	case date:
		return fmtDate
	}
	return fmtNumber
}

// readSheet reads the worksheet's rows into f: the first row with a cell
// that is not empty is the header.
func (rd *xlsxReader) readSheet(f *File, data []byte, opt Options) error {
	sc := &xmlScanner{data: data}
	var (
		header   []string
		rowNum   int
		cells    []string
		vals     []cellValue // the row's cells as read, cells once the row ends
		slab     []string    // rows' Cells, allocated many rows at a time
		maxRows  = opt.maxRows()
		maxCell  = opt.maxCell()
		buf      []byte
		n        int
		inRow    bool
		colIndex int
		extra    int // how many cells beyond the header's a row has, if any is not empty
	)
	defer func() { clear(buf) }()
	finishRow := func() error {
		// One string for the row's text, its cells slices of it: one
		// allocation a row instead of one a cell, as encoding/csv does.
		cells = cells[:0]
		var text string
		if len(buf) > 0 {
			text = string(buf)
		}
		for _, v := range vals {
			if v.inBuf {
				v.s = text[v.start:v.end]
			}
			cells = append(cells, v.s)
		}
		if empty(cells) {
			return nil
		}
		if header == nil {
			header = append([]string(nil), cells...)
			f.HeaderRow = rowNum
			if ps := f.readHeader(header); len(ps) > 0 {
				return ps
			}
			return nil
		}
		if len(f.Rows) == maxRows {
			return Problems{newProblem(0, "", ErrTooLarge, CodeTooManyRows,
				"the file has more than "+strconv.Itoa(maxRows)+" rows; split it into files of at most "+strconv.Itoa(maxRows),
				"max", strconv.Itoa(maxRows))}
		}
		row := Row{Number: rowNum, Extra: extra}
		if len(slab) < len(f.Header) {
			slab = make([]string, len(f.Header)*min(1024, maxRows-len(f.Rows)))
		}
		row.Cells, slab = slab[:len(f.Header):len(f.Header)], slab[len(f.Header):]
		copy(row.Cells, cells)
		f.Rows = append(f.Rows, row)
		return nil
	}
	for sc.next() {
		switch {
		case sc.kind == tokStart && sc.name == "row":
			if inRow { // a row inside a row: the XML is broken
				return workbookProblem("the worksheet's XML is broken: a row starts inside row " + strconv.Itoa(rowNum))
			}
			n++
			if opt.Yield != nil && n%yieldEvery == 0 {
				opt.Yield()
			}
			if r, err := strconv.Atoi(string(sc.attrBytes("r"))); err == nil && r > rowNum { // no copy: string(b) does not escape
				rowNum = r
			} else {
				rowNum++
			}
			vals, buf, inRow, colIndex, extra = vals[:0], buf[:0], true, 0, 0
		case sc.kind == tokEnd && sc.name == "row" && inRow:
			inRow = false
			if err := finishRow(); err != nil {
				return err
			}
		case sc.kind == tokStart && sc.name == "c" && inRow:
			if c, ok := columnIndex(sc.attrBytes("r")); ok {
				colIndex = c
			}
			// The text is v.s, or buf[start:] (v.inBuf), in the row's
			// string once the row ends.
			v := cellValue{start: len(buf)}
			var err error
			v.s, v.inBuf, buf, err = rd.cell(sc, sc.attrBytes("t"), sc.attrBytes("s"), buf)
			if err != nil {
				return Problems{newProblem(rowNum, "column "+columnName(colIndex), ErrNotCSV, CodeWorkbook, err.Error(), "detail", err.Error())}
			}
			start := v.start
			if v.inBuf {
				v.end = len(buf)
			} else {
				v.start = 0
			}
			if v.end-v.start+len(v.s) > maxCell {
				return Problems{newProblem(rowNum, "column "+columnName(colIndex), ErrTooLarge, CodeCellTooLong,
					"is longer than "+strconv.Itoa(maxCell)+" bytes", "max", strconv.Itoa(maxCell))}
			}
			if colIndex >= 16384 {
				return workbookProblem("row " + strconv.Itoa(rowNum) + " has a cell beyond column XFD")
			}
			if header != nil && colIndex >= len(header) {
				// Beyond the header: only counted, as Read counts a CSV
				// row's extra cells.
				if strings.TrimSpace(v.s) != "" || len(bytes.TrimSpace(buf[start:])) > 0 {
					extra = max(extra, colIndex+1-len(header))
				}
				buf = buf[:start]
			} else {
				for len(vals) <= colIndex {
					vals = append(vals, cellValue{})
				}
				vals[colIndex] = v
			}
			colIndex++
		}
	}
	if sc.err != "" {
		return workbookProblem("the worksheet's XML is broken: " + sc.err)
	}
	if inRow {
		if err := finishRow(); err != nil {
			return err
		}
	}
	if header == nil {
		return Problems{newProblem(0, "", ErrHeader, CodeEmptyFile, "the worksheet "+strconv.Quote(f.Sheet)+" is empty: it needs a header row ("+strings.Join(ColumnNames(), ", ")+") and a row per record")}
	}
	return nil
}

// cellValue is a cell's text: s, or buf[start:end] of the row's buffer.
type cellValue struct {
	s          string
	start, end int
	inBuf      bool
}

// cell reads a <c> element whose start tag was just read. Its text is
// either appended to buf (inBuf) or s (a shared string, TRUE, FALSE or
// "": buf is then as it was).
func (rd *xlsxReader) cell(sc *xmlScanner, typ, style []byte, buf []byte) (s string, inBuf bool, _ []byte, _ error) {
	start := len(buf)
	var v []byte
	hasV := false
	depth := 1
	for depth > 0 && sc.next() {
		switch {
		case sc.kind == tokStart && sc.name == "v":
			buf = sc.textOf(buf[:start], "")
			v, hasV = buf[start:], true
		case sc.kind == tokStart && sc.name == "is":
			buf = inlineText(sc, buf[:start])
			v, hasV = buf[start:], true
		case sc.kind == tokStart && sc.name == "f":
			sc.skipElement() // never evaluated: the cached <v> is the value
		case sc.kind == tokStart:
			depth++
		case sc.kind == tokEnd:
			depth--
		}
	}
	if !hasV {
		return "", false, buf[:start], nil
	}
	switch string(typ) {
	case "s":
		i, err := strconv.Atoi(string(bytes.TrimSpace(v)))
		if err != nil || i < 0 || i >= len(rd.shared) {
			return "", false, buf[:start], errors.New("refers to shared string " + strconv.Quote(string(v)) + ", which the workbook does not have")
		}
		return rd.shared[i], false, buf[:start], nil
	case "inlineStr", "str", "e", "d":
		return "", true, buf, nil
	case "b":
		switch string(bytes.TrimSpace(v)) {
		case "1", "true":
			return "TRUE", false, buf[:start], nil
		case "0", "false":
			return "FALSE", false, buf[:start], nil
		}
		return "", true, buf, nil
	}
	num, err := strconv.ParseFloat(string(bytes.TrimSpace(v)), 64)
	if err != nil {
		return "", true, buf, nil // not a number after all: the text, for Check to judge
	}
	kind := fmtNumber
	if len(style) > 0 { // no style, the most common case: no error to allocate
		if i, err := strconv.Atoi(string(style)); err == nil && i >= 0 && i < len(rd.styles) {
			kind = rd.styles[i]
		}
	}
	if kind == fmtNumber {
		return "", true, strconv.AppendFloat(buf[:start], num, 'f', -1, 64), nil
	}
	return "", true, serialDate(buf[:start], num, rd.date1904, kind == fmtDateTime), nil
}

// inlineText reads an inline string's <is>: its <t> and runs, without
// phonetic runs.
func inlineText(sc *xmlScanner, buf []byte) []byte { return sc.textOf(buf, "rPh") }

// serialDate appends the date a serial number counts in the workbook's
// date system (see readXLSX), rounded to the millisecond.
func serialDate(b []byte, serial float64, date1904, withTime bool) []byte {
	if serial < 0 || serial >= 2958466 || math.IsNaN(serial) { // 2958465 is 9999-12-31
		return strconv.AppendFloat(b, serial, 'f', -1, 64)
	}
	ms := int64(math.Round(serial * 86_400_000))
	days, ms := ms/86_400_000, ms%86_400_000
	var epoch time.Time
	switch {
	case date1904:
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	case days == 60:
		return append(b, "1900-02-29"...) // Excel's, which no calendar has: refused as no date
	case days < 60:
		epoch = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	default:
		epoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	}
	t := epoch.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond)
	y, m, d := t.Date()
	b = isodate.AppendDigits(b, y, 4)
	b = append(b, '-')
	b = isodate.AppendDigits(b, int(m), 2)
	b = append(b, '-')
	b = isodate.AppendDigits(b, d, 2)
	if !withTime && ms == 0 {
		return b
	}
	h, mi, s := t.Clock()
	b = append(b, 'T')
	b = isodate.AppendDigits(b, h, 2)
	b = append(b, ':')
	b = isodate.AppendDigits(b, mi, 2)
	b = append(b, ':')
	b = isodate.AppendDigits(b, s, 2)
	if frac := ms % 1000; frac != 0 {
		b = append(b, '.')
		b = isodate.AppendDigits(b, int(frac), 3)
	}
	return b
}

// columnIndex reads a cell reference's column (A1 → 0, AB7 → 27).
func columnIndex(ref []byte) (int, bool) {
	n, i := 0, 0
	for ; i < len(ref) && i < 4; i++ {
		c := ref[i] &^ 0x20
		if c < 'A' || c > 'Z' {
			break
		}
		n = n*26 + int(c-'A'+1)
	}
	return n - 1, i > 0
}

// columnName is a column's letters (0 → A, 27 → AB).
func columnName(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}
