package batch

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The limits Read applies unless Options says otherwise.
const (
	// MaxRows is how many data rows a file may hold.
	MaxRows = 100_000
	// MaxBytes is how large a file may be: 64 MiB.
	MaxBytes = 64 << 20
	// MaxCell is how long one cell may be, in bytes: far beyond any field's
	// limit, so only a broken file (a quote left open) reaches it.
	MaxCell = 64 << 10
)

// Options are how Read and Check treat a file.
type Options struct {
	// MaxRows, MaxBytes and MaxCell override the package's limits if not 0.
	MaxRows, MaxBytes, MaxCell int

	// Local is the administrator's time zone rules: it turns a date and
	// time written without a zone into an instant. The browser passes its
	// own (new Date(y, m-1, d, h, mi, s)), which keeps the module free of
	// the time zone database. If nil, Location is used.
	Local func(Civil) time.Time
	// Location is the zone of dates written without one when Local is nil;
	// time.Local if nil too.
	Location *time.Location

	// Locale is the administrator's BCP 47 locale (the page's language
	// with the browser's region, e.g. "nb-NO", "en-US"): it says how dates
	// are read (DateStyleOf) and which example a date problem gives.
	Locale string

	// Yield, if set, is called every few thousand rows of work, so that a
	// caller on a browser's main thread can let it breathe.
	Yield func()
}

func (o *Options) maxRows() int  { return orDefault(o.MaxRows, MaxRows) }
func (o *Options) maxBytes() int { return orDefault(o.MaxBytes, MaxBytes) }
func (o *Options) maxCell() int  { return orDefault(o.MaxCell, MaxCell) }

func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// yieldEvery is how many rows go between calls of Options.Yield.
const yieldEvery = 2048

// Col is a column socred knows.
type Col int

// ColIgnored is a header cell that names a column socred does not read.
const ColIgnored Col = -1

// The columns, in the template's order. ColNone is a header cell left empty.
const (
	ColNone Col = iota
	ColAssociateID
	ColUserName
	ColType
	ColPublicValue
	ColSecretValue
	ColValidFrom
	ColValidTo
	ColComment
	ColIsActive
	numCols
)

var colNames = [numCols]string{"", "AssociateId", "UserName", "Type", "PublicValue", "SecretValue", "ValidFrom", "ValidTo", "Comment", "IsActive"}

// String is the column's name as the template writes it, e.g. "AssociateId".
func (c Col) String() string {
	if c < 0 || c >= numCols {
		return ""
	}
	return colNames[c]
}

// ColumnNames lists the names of the columns socred reads, in the
// template's order.
func ColumnNames() []string { return append([]string(nil), colNames[1:]...) }

// columnKey is a header cell as it is matched: without any white space
// (a no-break space included), in lower case.
func columnKey(s string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\uFEFF' {
			return -1
		}
		return r
	}, s))
}

// lookupColumn returns the column a header cell names; ColNone for an
// empty one; -1 for one socred does not know.
func lookupColumn(cell string) Col {
	k := columnKey(cell)
	if k == "" {
		return ColNone
	}
	for c := ColAssociateID; c < numCols; c++ {
		if k == strings.ToLower(colNames[c]) {
			return c
		}
	}
	return -1
}

// File is a CSV file as read: what it is in, its header and its rows.
type File struct {
	Encoding  string // UTF8, UTF8BOM or Windows1252
	Delimiter rune   // ',', ';' or '\t' (or what an Excel "sep=" line says)
	// HeaderRow is the header's spreadsheet row number: 1, unless blank
	// lines come first.
	HeaderRow int
	Header    []string // the header cells as written
	Columns   []Col    // what each header cell names (ColIgnored for one socred does not read)
	Rows      []Row    // the data rows, rows of empty cells left out
	// Ignored lists the header cells, as written, of the columns socred
	// does not read (an audit export's FullName, Status, …, a department
	// column): their cells are left alone.
	Ignored []string
	// Sheet is the worksheet read from a workbook; "" for a CSV file.
	Sheet string

	pos [numCols]int // the index of each column in Header, -1 if absent
}

// Row is one data row.
type Row struct {
	// Number is the spreadsheet row number: the header row is 1 and each
	// record counts one, however many lines its quoted cells span; blank
	// lines count as the empty rows a spreadsheet shows for them.
	Number int
	// Cells holds one cell per header cell; a short row's missing cells
	// are "".
	Cells []string
	// Extra is how many cells the row has beyond the header, if any of
	// them is not empty (0 otherwise).
	Extra int
}

// Has reports whether the file has the column.
func (f *File) Has(c Col) bool { return c > ColNone && c < numCols && f.pos[c] >= 0 }

// Cell returns the row's cell in column c, "" if the file has no such
// column.
func (f *File) Cell(r *Row, c Col) string {
	if !f.Has(c) {
		return ""
	}
	return r.Cells[f.pos[c]]
}

// ColumnHeader returns the header text of column c as written in the
// file, or its name when the file does not have it.
func (f *File) ColumnHeader(c Col) string {
	if f.Has(c) {
		return f.Header[f.pos[c]]
	}
	return c.String()
}

// Forget drops the rows, and with them the secrets read from the file.
func (f *File) Forget() { f.Rows = nil }

// Read reads a spreadsheet: an .xlsx workbook (told by its content, a ZIP
// holding xl/workbook.xml; see readXLSX) or a CSV file exported from a
// spreadsheet. It never keeps a
// reference to data, so the caller may zero it once Read returns; buffers
// Read makes itself are zeroed before it returns.
//
// The encoding is UTF-8 (with or without a BOM) when the bytes are valid
// UTF-8, else Windows-1252. The delimiter is the one of comma, semicolon
// and tab that splits the first row into the most known column names, or
// what an Excel "sep=;" first line says. Quoting follows RFC 4180; line
// ends are CRLF, LF or (old Macintosh) CR. The first row is the header;
// its names match case- and space-insensitively; columns socred does not
// read are listed in File.Ignored. Cells are kept as written, but for the
// apostrophe socred's own exports put before formula characters, which
// Restore takes away again (in CSV only; a workbook's cells are text).
//
// The error is a Problems for a file that cannot be read (too large, not
// CSV, a quote left open, a header without the columns needed, too many
// rows); row-level problems are Check's.
func Read(data []byte, opt Options) (*File, error) {
	if len(data) > opt.maxBytes() {
		return nil, Problems{newProblem(0, "", ErrTooLarge, CodeFileTooLarge,
			"the file is "+strconv.Itoa(len(data))+" bytes; the limit is "+strconv.Itoa(opt.maxBytes()),
			"max", strconv.Itoa(opt.maxBytes()), "size", strconv.Itoa(len(data)))}
	}
	if isZip(data) {
		return readXLSX(data, opt)
	}
	text, enc, copied, p := decode(data)
	if p != nil {
		return nil, Problems{p}
	}
	if copied {
		defer clear(text)
	}
	if bytes.IndexByte(text, '\n') < 0 && bytes.IndexByte(text, '\r') >= 0 {
		// Old Macintosh line ends: CR alone.
		lf := bytes.ReplaceAll(text, []byte{'\r'}, []byte{'\n'})
		defer clear(lf)
		text = lf
	}
	f := &File{Encoding: enc}
	if d, rest, ok := sepLine(text); ok {
		f.Delimiter, text = d, rest
	} else {
		f.Delimiter = detectDelimiter(text)
	}

	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = f.Delimiter
	r.FieldsPerRecord = -1
	rd := &rowReader{csv: r}

	header, err := rd.next()
	if err == io.EOF {
		return nil, Problems{newProblem(0, "", ErrHeader, CodeEmptyFile, "the file is empty: it needs a header row ("+strings.Join(ColumnNames(), ", ")+") and a row per record")}
	}
	if err != nil {
		return nil, Problems{rd.problem(err)}
	}
	f.HeaderRow = rd.row
	if ps := f.readHeader(header); len(ps) > 0 {
		return nil, ps
	}

	maxRows, maxCell := opt.maxRows(), opt.maxCell()
	for n := 0; ; n++ {
		if opt.Yield != nil && n > 0 && n%yieldEvery == 0 {
			opt.Yield()
		}
		rec, err := rd.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, Problems{rd.problem(err)}
		}
		if empty(rec) {
			continue
		}
		if len(f.Rows) == maxRows {
			return nil, Problems{newProblem(0, "", ErrTooLarge, CodeTooManyRows,
				"the file has more than "+strconv.Itoa(maxRows)+" rows; split it into files of at most "+strconv.Itoa(maxRows),
				"max", strconv.Itoa(maxRows))}
		}
		for i, cell := range rec {
			if len(cell) > maxCell {
				col := "column " + strconv.Itoa(i+1)
				if i < len(f.Header) && strings.TrimSpace(f.Header[i]) != "" {
					col = f.Header[i]
				}
				return nil, Problems{newProblem(rd.row, col, ErrTooLarge, CodeCellTooLong,
					"is longer than "+strconv.Itoa(maxCell)+" bytes; is a quote left open above it?", "max", strconv.Itoa(maxCell))}
			}
		}
		for i := range rec {
			rec[i] = Restore(rec[i])
		}
		row := Row{Number: rd.row}
		if n := len(f.Header); len(rec) >= n {
			// The record's own slice: csv.Reader makes a new one each time.
			row.Cells = rec[:n:n]
			if !empty(rec[n:]) {
				row.Extra = len(rec) - n
			}
		} else {
			row.Cells = make([]string, n)
			copy(row.Cells, rec)
		}
		f.Rows = append(f.Rows, row)
	}
	if enc == mixedUTF8 {
		return nil, mixedProblems(f)
	}
	return f, nil
}

// readHeader maps the header cells to columns and reports unknown,
// repeated and missing ones, all at once.
func (f *File) readHeader(header []string) Problems {
	for i := range f.pos {
		f.pos[i] = -1
	}
	f.Header = header
	f.Columns = make([]Col, len(header))
	var ps Problems
	row := f.HeaderRow
	known := 0
	for _, cell := range header {
		if lookupColumn(cell) > ColNone {
			known++
		}
	}
	for i, cell := range header {
		c := lookupColumn(cell)
		switch {
		case c < 0 && known > 0:
			f.Ignored = append(f.Ignored, cell)
			c = ColIgnored
		case c < 0:
			// Not one column socred reads: likely no header at all.
			ps = append(ps, newProblem(row, cell, ErrHeader, CodeUnknownColumn,
				"is not a column socred reads; the first row must name the columns, from: "+strings.Join(ColumnNames(), ", "),
				"accepted", strings.Join(ColumnNames(), ", ")))
			c = ColNone
		case c == ColNone:
		case f.pos[c] >= 0:
			ps = append(ps, newProblem(row, cell, ErrHeader, CodeDuplicateColumn,
				"names the same column as "+header[f.pos[c]], "other", header[f.pos[c]]))
			c = ColNone
		default:
			f.pos[c] = i
		}
		f.Columns[i] = c
	}
	if len(ps) > 0 {
		// An unknown first row is likely no header at all: saying what is
		// missing too would only repeat it.
		return ps
	}
	ignored, also := strings.Join(f.Ignored, ", "), ""
	if ignored != "" {
		also = " (it has " + ignored + ", which socred does not read)"
	}
	if !f.Has(ColAssociateID) && !f.Has(ColUserName) {
		ps = append(ps, newProblem(row, "", ErrHeader, CodeMissingColumn, "the header needs an AssociateId or a UserName column"+also,
			"column", "AssociateId or UserName", "ignored", ignored))
	}
	for _, c := range []Col{ColType, ColValidFrom, ColValidTo} {
		if !f.Has(c) {
			ps = append(ps, newProblem(row, "", ErrHeader, CodeMissingColumn, "the header needs a "+c.String()+" column"+also,
				"column", c.String(), "ignored", ignored))
		}
	}
	return ps
}

// rowReader reads records and counts spreadsheet rows.
type rowReader struct {
	csv     *csv.Reader
	row     int // the spreadsheet row of the last record
	endLine int // the line of the file the last record ended on
}

func (rd *rowReader) next() ([]string, error) {
	rec, err := rd.csv.Read()
	if err != nil {
		return nil, err
	}
	start, _ := rd.csv.FieldPos(0)
	// The lines between the records are blank lines: the spreadsheet
	// shows each as an empty row.
	rd.row += start - rd.endLine
	last, _ := rd.csv.FieldPos(len(rec) - 1)
	rd.endLine = last + strings.Count(rec[len(rec)-1], "\n")
	return rec, nil
}

// problem turns a CSV syntax error into a Problem at the row where the
// failing record starts.
func (rd *rowReader) problem(err error) *Problem {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return newProblem(0, "", ErrSyntax, CodeCSVQuote, "the file cannot be read as CSV: "+err.Error(), "line", "0")
	}
	row := rd.row + pe.StartLine - rd.endLine
	line := strconv.Itoa(pe.Line)
	if errors.Is(pe.Err, csv.ErrBareQuote) {
		return newProblem(row, "", ErrSyntax, CodeCSVQuote,
			`has a quote (") inside a cell that does not start with one (line `+line+` of the file); quote the whole cell and double the quote inside ("")`, "line", line)
	}
	return newProblem(row, "", ErrSyntax, CodeCSVQuote,
		`has a quoted cell whose closing quote is missing or is followed by more text (line `+line+` of the file); double a quote inside a quoted cell ("")`, "line", line)
}

func empty(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// sepLine reads Excel's "sep=;" first line, which names the delimiter:
// a comma, semicolon, tab or vertical bar.
func sepLine(text []byte) (rune, []byte, bool) {
	if len(text) < 5 || !bytes.HasPrefix(text, []byte("sep=")) || !strings.ContainsRune(",;\t|", rune(text[4])) {
		return 0, nil, false
	}
	rest := bytes.TrimPrefix(text[5:], []byte{'\r'})
	if len(rest) > 0 && rest[0] != '\n' {
		return 0, nil, false
	}
	return rune(text[4]), bytes.TrimPrefix(rest, []byte{'\n'}), true
}

// detectDelimiter picks the delimiter that splits the first row into the
// most known column names; on a tie, the most cells; then comma, semicolon,
// tab in that order.
func detectDelimiter(text []byte) rune {
	first := firstLine(text)
	best, bestKnown, bestCells := ',', -1, -1
	for _, d := range []rune{',', ';', '\t'} {
		cells := splitLine(first, byte(d))
		known := 0
		for _, c := range cells {
			if lookupColumn(c) > ColNone {
				known++
			}
		}
		if known > bestKnown || known == bestKnown && len(cells) > bestCells {
			best, bestKnown, bestCells = d, known, len(cells)
		}
	}
	return best
}

// firstLine is the text up to the first line end outside quotes, at most
// MaxCell bytes.
func firstLine(text []byte) []byte {
	text = text[:min(len(text), MaxCell)]
	quoted := false
	for i, c := range text {
		switch {
		case c == '"':
			quoted = !quoted
		case (c == '\n' || c == '\r') && !quoted:
			return text[:i]
		}
	}
	return text
}

// splitLine splits one line at d outside quotes, dropping the quotes.
func splitLine(line []byte, d byte) []string {
	var cells []string
	var cell []byte
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case c == d && !quoted:
			cells = append(cells, string(cell))
			cell = cell[:0]
		default:
			cell = append(cell, c)
		}
	}
	return append(cells, string(cell))
}
