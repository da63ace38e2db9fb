package batch

import (
	"bufio"
	"io"
	"strings"
)

// ReportHeader is the report's header row.
var ReportHeader = []string{"Row", "AssociateId", "UserName", "FullName", "Type", "PublicValue", "Outcome", "Message"}

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
