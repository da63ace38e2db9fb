package batch

import (
	"errors"
	"strconv"
	"strings"

	"socred/soap"
)

// Sentinels: every Problem wraps one of them or a soap validation sentinel.
var (
	// ErrNotCSV is a file that is not CSV text: an Excel workbook, UTF-16.
	ErrNotCSV = errors.New("batch: not a CSV file")
	// ErrTooLarge is a file, a row count or a cell beyond the limits.
	ErrTooLarge = errors.New("batch: beyond the limits")
	// ErrEncoding is a file whose text is UTF-8 in places only.
	ErrEncoding = errors.New("batch: mixed encodings")
	// ErrSyntax is CSV that does not follow RFC 4180's quoting.
	ErrSyntax = errors.New("batch: CSV syntax")
	// ErrHeader is a header row without the columns needed, or with
	// unknown or repeated ones.
	ErrHeader = errors.New("batch: header row")
	// ErrFormat is a cell that is not the kind of value its column holds.
	ErrFormat = errors.New("batch: badly formed value")
	// ErrAssociate is a row that names no associate, or names one twice.
	ErrAssociate = errors.New("batch: associate")
	// ErrDuplicate is a row with the same associate, Type and PublicValue
	// as another.
	ErrDuplicate = errors.New("batch: duplicate row")
	// ErrKeyClash is a row that gives a Type and PublicValue to another
	// associate than another row does.
	ErrKeyClash = errors.New("batch: Type and PublicValue of another associate")
)

// The codes of the problems this package finds (Problem.Code), with their
// Params. Problems found by soap's validation keep soap's codes
// (soap.CodeRequired, soap.CodeTooLong, soap.CodeDateOrder, …).
const (
	CodeEmptyFile       = "empty-file"         // —
	CodeNotCSV          = "not-csv"            // kind: xls (or a password-protected .xlsx), ods, utf-16 or binary
	CodeFileTooLarge    = "file-too-large"     // max, size: in bytes
	CodeTooManyRows     = "too-many-rows"      // max
	CodeCellTooLong     = "cell-too-long"      // max: in bytes
	CodeCSVQuote        = "csv-quote"          // line: the line of the file where the quote is
	CodeMixedEncoding   = "mixed-encoding"     // byte: the first byte that is not UTF-8 (0xe9); char, validRow, validColumn: a valid character and where it is; valid: the three in English
	CodeWorkbook        = "workbook"           // detail: what in the workbook cannot be read
	CodeUnknownColumn   = "unknown-column"     // accepted: the column names, comma-separated
	CodeDuplicateColumn = "duplicate-column"   // other: the header text of the first one
	CodeMissingColumn   = "missing-column"     // column: the name needed (for the associate, "AssociateId or UserName"); ignored: the columns socred does not read, comma-separated
	CodeExtraCells      = "extra-cells"        // count, columns: how many cells beyond the header, and its width
	CodeUnnamedColumn   = "unnamed-column"     // position: the column's number, from 1
	CodeNoAssociate     = "no-associate"       // other: the other column's header text, "" if absent
	CodeTwoAssociates   = "associate-and-user" // other: the UserName column's header text (no longer found: the id decides, see Entry.CheckName)
	CodeNotDate         = "not-date"           // text: the cell as written; example: a date and time in the locale's form
	CodeNotBoolean      = "not-boolean"        // example
	CodeWholeNumber     = "whole-number"       // —
	CodeDuplicate       = "duplicate"          // row: the other row's number
	CodeKeyClash        = "key-clash"          // row: the other row's number; type, publicValue: the row's
)

// Problem is one thing wrong with a file or with one of its rows. Code and
// Params say what for programs and the page's message catalogue; Reason is
// the English.
type Problem struct {
	// Row is the spreadsheet row number (the header is row 1); 0 for the
	// file as a whole.
	Row int
	// Column is the column's header text as written in the file; "" when
	// the problem is not about one column.
	Column string
	Code   string
	Params map[string]string
	Reason string // a sentence fragment, e.g. "must not be before ValidFrom"
	Err    error  // a sentinel of this package or of soap
}

func newProblem(row int, column string, err error, code, reason string, params ...string) *Problem {
	p := &Problem{Row: row, Column: column, Code: code, Reason: reason, Err: err}
	if len(params) > 0 {
		p.Params = make(map[string]string, len(params)/2)
		for i := 0; i+1 < len(params); i += 2 {
			p.Params[params[i]] = params[i+1]
		}
	}
	return p
}

// fromValidation is a Problem saying what soap's validation said of a
// field, in the column that holds it.
func fromValidation(row int, column string, v *soap.ValidationError) *Problem {
	p := &Problem{Row: row, Column: column, Code: v.Code, Reason: v.Reason, Err: v.Err}
	if len(v.Params) > 0 {
		p.Params = make(map[string]string, len(v.Params))
		for k, val := range v.Params {
			p.Params[k] = val
		}
	}
	return p
}

// Message is the problem in English for people: "Row 7, ValidTo: must not
// be before ValidFrom", "Row 9: has 2 cells more than the header", or, for
// the file as a whole, the reason as a sentence.
func (p *Problem) Message() string {
	var b strings.Builder
	switch {
	case p.Row > 0:
		b.WriteString("Row ")
		b.WriteString(strconv.Itoa(p.Row))
		if p.Column != "" {
			b.WriteString(", ")
			b.WriteString(p.Column)
		}
		b.WriteString(": ")
		b.WriteString(p.Reason)
	case p.Column != "":
		b.WriteString(p.Column)
		b.WriteString(": ")
		b.WriteString(p.Reason)
	default:
		if p.Reason != "" {
			b.WriteString(strings.ToUpper(p.Reason[:1]))
			b.WriteString(p.Reason[1:])
		}
	}
	return b.String()
}

func (p *Problem) Error() string {
	m := p.Message()
	if m != "" {
		m = strings.ToLower(m[:1]) + m[1:]
	}
	return "batch: " + m
}

func (p *Problem) Unwrap() error { return p.Err }

// Problems is every problem found, in row order and, within a row, in the
// order of the file's columns.
type Problems []*Problem

func (ps Problems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap lets errors.Is and errors.As look at each problem.
func (ps Problems) Unwrap() []error {
	out := make([]error, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}
