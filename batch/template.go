package batch

import "bytes"

// Template is the "Download a template" file: the header row and two
// example rows, one naming the associate by AssociateId, one by UserName,
// with the date forms a cell may take (a date alone, a local date and
// time, an instant with a zone). delimiter is the one to write (the page
// picks the administrator's spreadsheet's: a semicolon where the decimal
// separator is a comma). UTF-8 with a BOM, CRLF line ends. The example
// dates run for some years, so that a template imported as it is does not
// store records that have already expired.
func Template(delimiter rune) []byte {
	var b bytes.Buffer
	cw := newCSVWriter(&b, delimiter, true)
	cw.row(ColumnNames()...)
	cw.row("3", "", "imap", "ola.nordmann@example.com", "the IMAP password", "2026-01-01", "2030-12-31T23:00:00Z", "Mail server login", "true")
	cw.row("", "kari.nordmann", "smtp", "smtp.example.com:587", "the SMTP password", "2026-01-01 08:00", "2030-12-31 17:00", "Local times, in the administrator's time zone", "yes")
	_ = cw.flush() // a bytes.Buffer does not fail
	return b.Bytes()
}
