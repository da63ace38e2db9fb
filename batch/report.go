package batch

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// ReportHeader is the report's header row.
var ReportHeader = []string{"Row", "AssociateId", "UserName", "FullName", "Type", "PublicValue", "Outcome", "Message"}

// WriteReport writes the results as CSV, a row each, with the delimiter
// of the file they came from (the Plan's Delimiter): spreadsheet row,
// associate id, user name, full name, Type, PublicValue, outcome and
// message. No secret is in a Result, so none is in the report. The file is
// UTF-8 with a BOM (so Excel reads it as UTF-8) and CRLF line ends; cells
// that a spreadsheet would take for a formula are neutralised (see
// Neutralise).
func WriteReport(w io.Writer, results []Result, delimiter rune) error {
	cw := newCSVWriter(w, delimiter, true)
	cw.row(ReportHeader...)
	for i := range results {
		r := &results[i]
		row := ""
		if r.Row > 0 {
			row = strconv.Itoa(r.Row)
		}
		id := ""
		if r.AssociateID != 0 || r.UserName == "" {
			id = strconv.FormatInt(int64(r.AssociateID), 10)
		}
		cw.row(row, id, r.UserName, r.FullName, r.Type, r.PublicValue, string(r.Outcome), r.Message)
	}
	return cw.flush()
}

// csvWriter writes RFC 4180 CSV with CRLF line ends: a cell is quoted
// when it holds the delimiter, a quote, a line break or white space at an
// end, or was neutralised; quotes inside are doubled.
type csvWriter struct {
	w     *bufio.Writer
	delim string
	err   error
}

func newCSVWriter(w io.Writer, delimiter rune, bom bool) *csvWriter {
	if delimiter == 0 {
		delimiter = ','
	}
	cw := &csvWriter{w: bufio.NewWriter(w), delim: string(delimiter)}
	if bom {
		cw.write("\uFEFF")
	}
	return cw
}

func (cw *csvWriter) write(s string) {
	if cw.err == nil {
		_, cw.err = cw.w.WriteString(s)
	}
}

func (cw *csvWriter) row(cells ...string) {
	for i, c := range cells {
		if i > 0 {
			cw.write(cw.delim)
		}
		safe := Neutralise(c)
		quote := safe != c
		c = safe
		if quote || strings.Contains(c, cw.delim) || strings.ContainsAny(c, "\"\r\n") ||
			c != "" && (c[0] == ' ' || c[len(c)-1] == ' ') {
			cw.write(`"` + strings.ReplaceAll(c, `"`, `""`) + `"`)
		} else {
			cw.write(c)
		}
	}
	cw.write("\r\n")
}

func (cw *csvWriter) flush() error {
	if cw.err != nil {
		return cw.err
	}
	return cw.w.Flush()
}
