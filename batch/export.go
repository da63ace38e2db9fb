package batch

import (
	"io"
	"strconv"
	"strings"
	"time"

	"socred/soap"
)

// Format is the kind of file an export writes.
type Format int

// The formats.
const (
	CSV  Format = iota // RFC 4180 text, UTF-8 with a BOM, CRLF line ends
	XLSX               // an Office Open XML workbook of one sheet
)

// Words are the words an export writes where a person reads them, in the
// administrator's language: the page fills them from its catalogue. A
// word left empty is written in English. What a file must keep for
// re-import stays as socred reads it: the column names, and IsActive's
// yes and no only when Check accepts them (else true and false).
type Words struct {
	Yes, No  string
	Outcomes map[Outcome]string    // the report's Outcome column
	Statuses map[StatusKind]string // the audit's Status column
	// Examples are the template's example texts: the first row's
	// SecretValue and Comment, then the second row's.
	Examples [4]string
}

func (w *Words) yesNo(v bool) string {
	word := w.No
	if v {
		word = w.Yes
	}
	if b, ok := booleans[strings.ToLower(strings.TrimSpace(word))]; !ok || b != v {
		return strconv.FormatBool(v)
	}
	return word
}

func (w *Words) outcome(o Outcome) string {
	if s := w.Outcomes[o]; s != "" {
		return s
	}
	return string(o)
}

func (w *Words) status(k StatusKind) string {
	if s := w.Statuses[k]; s != "" {
		return s
	}
	return string(k)
}

var englishExamples = [4]string{"the IMAP password", "Mail server login", "the SMTP password", "Local times, in the administrator's time zone"}

func (w *Words) example(i int) string {
	if s := w.Examples[i]; s != "" {
		return s
	}
	return englishExamples[i]
}

// Export says how the downloads are written for one administrator.
type Export struct {
	// Delimiter is the CSV delimiter: ',', ';' or '\t' (',' if 0).
	Delimiter rune
	Words     Words
	// Locale is the administrator's language tag ("nb-NO", "en-US"): it
	// picks the .xlsx date format (see DateFormat).
	Locale string
	// Zone turns an instant into the administrator's wall-clock time (a
	// time whose Location has the offset in force then). The browser
	// passes its own rules, as for Options.Local; if nil, Location is
	// used, and time.Local if that is nil too.
	Zone     func(time.Time) time.Time
	Location *time.Location
}

func (e *Export) local(t time.Time) time.Time {
	if e.Zone != nil {
		return e.Zone(t)
	}
	if e.Location != nil {
		return t.In(e.Location)
	}
	return t.In(time.Local)
}

// DateFormat is the date-and-time number format an .xlsx cell gets for a
// language tag, as that locale's spreadsheet writes dates: dd.mm.yyyy for
// Norwegian, Danish and German, yyyy-mm-dd for Swedish, dd-mm-yyyy for
// Dutch, m/d/yyyy with AM/PM for American English and dd/mm/yyyy for
// English elsewhere. Unknown tags get ISO 8601's order.
func DateFormat(tag string) string {
	lang, region, _ := strings.Cut(strings.ToLower(strings.ReplaceAll(tag, "_", "-")), "-")
	switch lang {
	case "nb", "nn", "no", "da", "de":
		return "dd.mm.yyyy hh:mm"
	case "sv":
		return "yyyy-mm-dd hh:mm"
	case "nl":
		return "dd-mm-yyyy hh:mm"
	case "en":
		switch region {
		case "", "us", "ph", "pr", "as", "gu", "mp", "um", "vi":
			return "m/d/yyyy h:mm AM/PM"
		}
		return "dd/mm/yyyy hh:mm"
	}
	return "yyyy-mm-dd hh:mm"
}

// Template writes the "Download a template" file: the header row and two
// example rows, one naming the associate by AssociateId, one by UserName,
// with the date forms a cell may take (a date alone, an instant with a
// zone, a local date and time), the texts in the administrator's
// language. The example dates run for some years, so that a template
// imported as it is does not store records that have already expired.
// In .xlsx the dates are date cells in the administrator's time zone.
func (e *Export) Template(w io.Writer, f Format) error {
	if f == XLSX {
		sh := newSheet("Credentials", ColumnNames())
		loc := e.local
		from := civilLocal(e, 2026, 1, 1, 0, 0)
		to := time.Date(2030, 12, 31, 23, 0, 0, 0, time.UTC)
		sh.add(number(3), text(""), text("imap"), text("ola.nordmann@example.com"), text(e.Words.example(0)),
			date(from, loc), date(to, loc), text(e.Words.example(1)), boolean(true))
		sh.add(text(""), text("kari.nordmann"), text("smtp"), text("smtp.example.com:587"), text(e.Words.example(2)),
			date(civilLocal(e, 2026, 1, 1, 8, 0), loc), date(civilLocal(e, 2030, 12, 31, 17, 0), loc), text(e.Words.example(3)), boolean(true))
		return sh.writeXLSX(w, DateFormat(e.Locale))
	}
	yes := e.Words.yesNo(true)
	if e.Words.Yes == "" {
		yes = "yes" // the second way to write it, beside the first row's true
	}
	cw := newCSVWriter(w, e.Delimiter, true)
	cw.row(ColumnNames()...)
	cw.row("3", "", "imap", "ola.nordmann@example.com", e.Words.example(0), "2026-01-01", "2030-12-31T23:00:00Z", e.Words.example(1), "true")
	cw.row("", "kari.nordmann", "smtp", "smtp.example.com:587", e.Words.example(2), "2026-01-01 08:00", "2030-12-31 17:00", e.Words.example(3), yes)
	return cw.flush()
}

// civilLocal is the instant of a wall-clock time in the administrator's
// zone: found from the zone's offset at that time as UTC, corrected once
// (exact except within an hour of a change of offset).
func civilLocal(e *Export, y int, m time.Month, d, h, mi int) time.Time {
	wall := time.Date(y, m, d, h, mi, 0, 0, time.UTC)
	_, off := e.local(wall).Zone()
	t := wall.Add(-time.Duration(off) * time.Second)
	_, off2 := e.local(t).Zone()
	return wall.Add(-time.Duration(off2) * time.Second)
}

// Report writes the results, a row each: spreadsheet row, associate id,
// user name, full name, Type, PublicValue, outcome (in the administrator's
// words) and message. No secret is in a Result, so none is in the report.
func (e *Export) Report(w io.Writer, results []Result, f Format) error {
	var sh *sheet
	var cw *csvWriter
	if f == XLSX {
		sh = newSheet("Report", ReportHeader)
	} else {
		cw = newCSVWriter(w, e.Delimiter, true)
		cw.row(ReportHeader...)
	}
	for i := range results {
		r := &results[i]
		row, id := text(""), text("")
		if r.Row > 0 {
			row = number(int64(r.Row))
		}
		if r.AssociateID != 0 || r.UserName == "" {
			id = number(int64(r.AssociateID))
		}
		cells := []cell{row, id, text(r.UserName), text(r.FullName), text(r.Type), text(r.PublicValue), text(e.Words.outcome(r.Outcome)), text(r.Message)}
		if sh != nil {
			sh.add(cells...)
		} else {
			cw.cells(cells)
		}
	}
	if sh != nil {
		return sh.writeXLSX(w, DateFormat(e.Locale))
	}
	return cw.flush()
}

// AuditHeader is the audit export's header row.
var AuditHeader = []string{"AssociateId", "UserName", "FullName", "Type", "PublicValue", "ValidFrom", "ValidTo", "Comment", "IsActive", "HasSecret", "Status", "Days"}

// Audit writes audit records: the record without its secret (HasSecret
// instead), the status in the administrator's words and its days. In CSV
// the dates are ISO 8601 with the administrator's offset (so they
// re-import as the same instants) and IsActive and HasSecret are yes or
// no in the administrator's language; in .xlsx they are date cells in the
// administrator's time zone and boolean cells.
func (e *Export) Audit(w io.Writer, records []AuditRecord, f Format) error {
	var sh *sheet
	var cw *csvWriter
	if f == XLSX {
		sh = newSheet("Credentials", AuditHeader)
	} else {
		cw = newCSVWriter(w, e.Delimiter, true)
		cw.row(AuditHeader...)
	}
	for i := range records {
		r := &records[i]
		c := &r.Credentials
		days := text("")
		if r.Status.Kind != StatusInactive {
			days = number(int64(r.Status.Days))
		}
		cells := []cell{number(int64(r.AssociateID)), text(r.UserName), text(r.FullName), text(r.Type), text(c.PublicValue),
			date(c.ValidFrom, e.local), date(c.ValidTo, e.local), text(c.Comment),
			boolean(c.IsActive), boolean(r.HasSecret), text(e.Words.status(r.Status.Kind)), days}
		if sh != nil {
			sh.add(cells...)
		} else {
			cw.cells(cells, &e.Words)
		}
	}
	if sh != nil {
		return sh.writeXLSX(w, DateFormat(e.Locale))
	}
	return cw.flush()
}

// WriteReport writes the results as CSV with the delimiter of the file
// they came from (the Plan's Delimiter), in English: see Export.Report.
// The file is UTF-8 with a BOM (so Excel reads it as UTF-8) and CRLF line
// ends; cells are neutralised (see Neutralise).
func WriteReport(w io.Writer, results []Result, delimiter rune) error {
	e := Export{Delimiter: delimiter}
	return e.Report(w, results, CSV)
}

// WriteAudit writes audit records as CSV with the delimiter given, in
// English with dates in UTC: see Export.Audit.
func WriteAudit(w io.Writer, records []AuditRecord, delimiter rune) error {
	e := Export{Delimiter: delimiter, Location: time.UTC}
	return e.Audit(w, records, CSV)
}

// Template is the CSV template in English with the delimiter given (see
// Export.Template).
func Template(delimiter rune) []byte {
	var b strings.Builder
	e := Export{Delimiter: delimiter}
	_ = e.Template(&b, CSV) // a strings.Builder does not fail
	return []byte(b.String())
}

// csvText is how a CSV cell writes a typed cell.
func csvText(c cell, w *Words) string {
	switch c.kind {
	case kindNumber:
		return strconv.FormatInt(c.n, 10)
	case kindBool:
		if w == nil {
			return strconv.FormatBool(c.b)
		}
		return w.yesNo(c.b)
	case kindDate:
		if c.t.Location() == time.UTC {
			return soap.FormatDateTime(c.t)
		}
		return c.t.Truncate(time.Second).Format(time.RFC3339)
	}
	return c.s
}

func (cw *csvWriter) cells(cells []cell, w ...*Words) {
	var words *Words
	if len(w) > 0 {
		words = w[0]
	}
	s := make([]string, len(cells))
	for i, c := range cells {
		s[i] = csvText(c, words)
	}
	cw.row(s...)
}
