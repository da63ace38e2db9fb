package batch

import "strings"

// Neutralise makes a cell safe to open in a spreadsheet, whichever of
// comma, semicolon and tab the spreadsheet splits the file on (OWASP's
// CSV Injection guidance, applied at every place a cell may start).
//
// A "cell start" is the start of the cell and the place right after each
// comma, semicolon or tab inside it, and after each line break (LF or CR):
// a reader that splits on another delimiter than the writer's loses track
// of the quotes, and then a line break inside a quoted cell starts a row. Where the text at a cell start is
// zero or more apostrophes followed by a formula character (= + - @, their
// full-width forms ＝ ＋ － ＠, a tab or a carriage return), Neutralise
// inserts one apostrophe there, so no piece a spreadsheet may cut the cell
// into begins with a formula character. Restore undoes it exactly.
func Neutralise(cell string) string {
	if !needsNeutralising(cell) {
		return cell
	}
	var b strings.Builder
	b.Grow(len(cell) + 4)
	start := true
	for i := 0; i < len(cell); i++ {
		if start && formulaAt(cell[i:]) {
			b.WriteByte('\'')
		}
		c := cell[i]
		b.WriteByte(c)
		start = isCellBreak(c)
	}
	return b.String()
}

// Restore undoes Neutralise: at each cell start (see Neutralise) where one
// apostrophe is followed by zero or more apostrophes and a formula
// character, it removes that one apostrophe. Restore(Neutralise(s)) == s
// for every s; text Neutralise did not change can only change here if it
// holds such an apostrophe, which Neutralise would have added.
func Restore(cell string) string {
	if !strings.Contains(cell, "'") {
		return cell
	}
	var b strings.Builder
	b.Grow(len(cell))
	start := true
	for i := 0; i < len(cell); i++ {
		c := cell[i]
		if start && c == '\'' && formulaAt(cell[i+1:]) {
			start = false
			continue
		}
		b.WriteByte(c)
		start = isCellBreak(c)
	}
	return b.String()
}

// needsNeutralising reports whether any cell start of cell is followed by
// apostrophes and a formula character; most cells are not, and then
// Neutralise returns them without copying.
func needsNeutralising(cell string) bool {
	if formulaAt(cell) {
		return true
	}
	for i := 0; i < len(cell); i++ {
		if isCellBreak(cell[i]) && formulaAt(cell[i+1:]) {
			return true
		}
	}
	return false
}

// isCellBreak reports whether a spreadsheet may start a cell after c: a
// comma, a semicolon, a tab or a line break.
func isCellBreak(c byte) bool {
	return c == ',' || c == ';' || c == '\t' || c == '\n' || c == '\r'
}

// formulaAt reports whether s begins with zero or more apostrophes and
// then a character that makes a spreadsheet read a cell as a formula.
func formulaAt(s string) bool {
	s = strings.TrimLeft(s, "'")
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	for _, f := range fullWidthFormula {
		if strings.HasPrefix(s, f) {
			return true
		}
	}
	return false
}

// fullWidthFormula are the full-width forms of = + - @, which some
// spreadsheets (in East Asian locales) also read as the start of a formula.
var fullWidthFormula = [...]string{"＝", "＋", "－", "＠"}
