package batch

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// neutraliseCases drive Neutralise one way and Restore the other.
var neutraliseCases = []struct{ plain, safe string }{
	{"", ""},
	{"plain text", "plain text"},
	{"=1+2", "'=1+2"},
	{"+1", "'+1"},
	{"-1", "'-1"},
	{"@x", "'@x"},
	{"\tx", "'\tx"},
	{"\rx", "'\rx"},
	{"＝1", "'＝1"},
	{"＋1", "'＋1"},
	{"－1", "'－1"},
	{"＠x", "'＠x"},
	{"a=b", "a=b"},
	{" =x", " =x"},
	{"'x", "'x"},
	{"''", "''"},
	{"'=x", "''=x"},
	{"''=x", "'''=x"},
	{"Ann;=cmd|' /C calc'!A0", "Ann;'=cmd|' /C calc'!A0"},
	{"Ann,=HYPERLINK(\"x\")", "Ann,'=HYPERLINK(\"x\")"},
	{"a\t@b", "a\t'@b"},
	{"a\t\tb", "a\t'\tb"},
	{"\t\t", "'\t'\t"},
	{";-1;+2", ";'-1;'+2"},
	{"a;'=b", "a;''=b"},
	{"a;' =b", "a;' =b"},
	{"x,\ry", "x,'\ry"},
	{"x\n=y", "x\n'=y"},
	{"x\r\n-y", "x\r\n'-y"},
	{"x\r\r", "x\r'\r"},
}

func TestNeutraliseRestore(t *testing.T) {
	for _, c := range neutraliseCases {
		assert.Equal(t, c.safe, Neutralise(c.plain), "Neutralise(%q)", c.plain)
		assert.Equal(t, c.plain, Restore(c.safe), "Restore(%q)", c.safe)
	}
}

// FuzzNeutralise's aims: Restore undoes Neutralise exactly, and a
// neutralised cell written into a CSV file with any delimiter yields no
// live formula cell when the file is split on any delimiter.
func FuzzNeutralise(f *testing.F) {
	for _, c := range neutraliseCases {
		f.Add(c.plain, "x")
	}
	f.Add("Ann;=cmd|' /C calc'!A0", "=1")
	f.Add("\"a,\"\"=b\"", ";@")
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, s := range []string{a, b} {
			if got := Restore(Neutralise(s)); got != s {
				t.Fatalf("Restore(Neutralise(%q)) = %q", s, got)
			}
		}
		for _, d := range []rune{',', ';', '\t'} {
			var buf bytes.Buffer
			cw := newCSVWriter(&buf, d, false)
			cw.row(a, b, "tail")
			if err := cw.flush(); err != nil {
				t.Fatal(err)
			}
			if err := liveCell(buf.String(), d); err != "" {
				t.Fatalf("%q and %q written with %q: %s", a, b, d, err)
			}
		}
	})
}

// liveCell splits a CSV text written with delimiter written on each of
// comma, semicolon and tab, both as a naive spreadsheet does
// (strings.Split) and as a CSV reader does, and describes the first cell
// it finds that begins like a formula, or "".
func liveCell(text string, written rune) string {
	for _, d := range []rune{',', ';', '\t'} {
		for _, cell := range strings.Split(text, string(d)) {
			if startsLive(cell, written) {
				return "split on " + string(d) + " gives the cell " + cell
			}
		}
		r := csv.NewReader(strings.NewReader(text))
		r.Comma = d
		r.LazyQuotes = true
		r.FieldsPerRecord = -1
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				break // not CSV when split this way: a spreadsheet shows text
			}
			for _, cell := range rec {
				if startsLive(cell, written) {
					return "read as CSV on " + string(d) + " gives the cell " + cell
				}
			}
		}
	}
	return ""
}

// startsLive reports whether a cell begins with a formula character, a
// tab or a carriage return. The file's own structure is not the cells':
// the delimiter it was written with and its CRLF line ends may begin a
// piece it is cut into on another delimiter (a tab file's empty first
// cell, cut on commas), so those are skipped first.
func startsLive(cell string, written rune) bool {
	for {
		rest := strings.TrimPrefix(strings.TrimPrefix(cell, string(written)), "\r\n")
		if rest == cell {
			break
		}
		cell = rest
	}
	return cell != "" && cell[0] != '\'' && formulaAt(cell)
}
