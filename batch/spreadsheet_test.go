package batch

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixtureRow is what a row of the files in testdata/spreadsheets means:
// each holds the same four records, written as its program and locale
// write them (see testdata/spreadsheets/README.md).
type fixtureRow struct {
	id       int32
	user     string
	from, to time.Time
	active   bool
	comment  string
}

func fixtureRows(t *testing.T) []fixtureRow {
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04:05", s, oslo(t))
		require.NoError(t, err)
		return v.UTC()
	}
	return []fixtureRow{
		{3, "", at("2027-01-31 08:00:00"), at("2027-12-31 23:59:59"), true, "=ikke en formel"},
		{4, "", at("2027-07-01 23:15:30"), at("2028-01-01 23:59:59"), false, "bjørn.ås"},
		{5, "", at("2027-02-01 00:00:00"), at("2027-02-28 23:59:59"), true, "AssociateId is =2+3"},
		{0, "bjørn.ås", at("2027-03-28 00:00:00"), at("2027-10-30 12:00:00"), true, ""},
	}
}

// TestSpreadsheetFixtures reads the files real spreadsheet programs made,
// and hand-made ones for the other locales, in Oslo time with the locale
// each was written in, and checks the exact instants every cell means.
func TestSpreadsheetFixtures(t *testing.T) {
	for _, tc := range []struct {
		file, locale, ignored string
		delimiter             rune
	}{
		{"libreoffice-nb.xlsx", "nb-NO", "Avdeling", 0},
		{"libreoffice-nb.xlsx", "en-US", "Avdeling", 0}, // a workbook's dates do not depend on the locale
		{"libreoffice-nb.csv", "nb-NO", "Avdeling", ';'},
		{"libreoffice-de.csv", "de-DE", "Avdeling", ';'},
		{"en-US.csv", "en-US", "Notat", ','},
		{"en-GB.csv", "en-GB", "Notat", ','},
		{"sv.csv", "sv-SE", "Notat", ';'},
		{"da.csv", "da-DK", "Notat", ';'},
		{"nl.csv", "nl-NL", "Notat", ';'},
	} {
		t.Run(tc.file+" in "+tc.locale, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "spreadsheets", tc.file))
			require.NoError(t, err)
			opt := Options{Location: oslo(t), Locale: tc.locale}
			f, err := Read(data, opt)
			require.NoError(t, err)
			assert.Equal(t, []string{tc.ignored}, f.Ignored)
			assert.Equal(t, tc.delimiter, f.Delimiter)
			c := Check(f, opt)
			require.NoError(t, c.Err())
			want := fixtureRows(t)
			require.Len(t, c.Entries, len(want))
			for i, w := range want {
				e := c.Entries[i]
				assert.Equal(t, i+2, e.Row)
				assert.Equal(t, w.id, e.AssociateID, "row %d", e.Row)
				assert.Equal(t, w.user, e.UserName, "row %d", e.Row)
				assert.Equal(t, w.from, e.Credentials.ValidFrom, "row %d ValidFrom", e.Row)
				assert.Equal(t, w.to, e.Credentials.ValidTo, "row %d ValidTo", e.Row)
				assert.Equal(t, w.active, e.Credentials.IsActive, "row %d IsActive", e.Row)
				assert.Equal(t, w.comment, e.Credentials.Comment, "row %d Comment", e.Row)
			}
			assert.Equal(t, "pässwörd1", c.Entries[0].Credentials.SecretValue)
		})
	}
}

func TestWorkbook1904(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "spreadsheets", "openpyxl-1904.xlsx"))
	require.NoError(t, err)
	opt := Options{Location: oslo(t)}
	f, err := Read(data, opt)
	require.NoError(t, err)
	assert.Equal(t, TemplateSheet, f.Sheet, "the sheet named like the template's, not the first")
	c := Check(f, opt)
	require.NoError(t, c.Err())
	require.Len(t, c.Entries, 2)
	rows := fixtureRows(t)
	for i := range 2 {
		assert.Equal(t, rows[i].id, c.Entries[i].AssociateID)
		assert.Equal(t, rows[i].from, c.Entries[i].Credentials.ValidFrom)
		assert.Equal(t, rows[i].to, c.Entries[i].Credentials.ValidTo)
		assert.Equal(t, rows[i].active, c.Entries[i].Credentials.IsActive)
	}
}

func TestMixedEncoding(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "spreadsheets", "mixed-encoding.csv"))
	require.NoError(t, err)
	_, err = Read(data, Options{})
	var ps Problems
	require.ErrorAs(t, err, &ps)
	require.Len(t, ps, 1)
	assert.Equal(t, CodeMixedEncoding, ps[0].Code)
	assert.Equal(t, 3, ps[0].Row)
	assert.Equal(t, "SecretValue", ps[0].Column)
	assert.Equal(t, "0xe9", ps[0].Params["byte"])
	assert.Equal(t, "'ä' in row 2, SecretValue", ps[0].Params["valid"])
	assert.ErrorIs(t, err, ErrEncoding)
	t.Run("a file without valid UTF-8 is still Windows-1252", func(t *testing.T) {
		f, err := Read([]byte("AssociateId;Type;ValidFrom;ValidTo;Comment\n3;imap;2027-01-01;2027-12-31;caf\xe9\n"), Options{})
		require.NoError(t, err)
		assert.Equal(t, Windows1252, f.Encoding)
		assert.Equal(t, "café", f.Rows[0].Cells[4])
	})
	t.Run("a chance UTF-8 sequence in Windows-1252 text is Windows-1252 still", func(t *testing.T) {
		f, err := Read([]byte("AssociateId;Type;ValidFrom;ValidTo;Comment\n3;imap;2027-01-01;2027-12-31;\"Fu\xdf\x93 und \xe4\"\n"), Options{})
		require.NoError(t, err)
		assert.Equal(t, Windows1252, f.Encoding)
		assert.Equal(t, "Fuß“ und ä", f.Rows[0].Cells[4])
	})
}

func TestSerialDates(t *testing.T) {
	for _, tc := range []struct {
		serial   float64
		date1904 bool
		time     bool
		want     string
	}{
		{1, false, false, "1900-01-01"},
		{59, false, false, "1900-02-28"},
		{60, false, false, "1900-02-29"}, // Excel's fictitious day, which Check refuses
		{61, false, false, "1900-03-01"},
		{46418.3333333333, false, true, "2027-01-31T08:00:00"},
		{46418, false, true, "2027-01-31T00:00:00"},
		{46418.5, false, false, "2027-01-31T12:00:00"}, // a fraction the date format hides is kept
		{46418.99999999999, false, false, "2027-02-01"},
		{0, true, false, "1904-01-01"},
		{45290, true, false, "2027-12-31"},
		{0.25, false, true, "1899-12-31T06:00:00"},
		{46418.0000011574, false, true, "2027-01-31T00:00:00.100"},
		{-1, false, false, "-1"},
	} {
		assert.Equal(t, tc.want, string(serialDate(nil, tc.serial, tc.date1904, tc.time)), "%v", tc.serial)
	}
}

func TestFormatKind(t *testing.T) {
	for code, want := range map[string]numFormat{
		"General": fmtNumber, "0.00": fmtNumber, "0.00E+00": fmtNumber, `"SANN";"SANN";"USANN"`: fmtNumber, "#,##0 \"kr\"": fmtNumber,
		"[$-414]dd/mm/yyyy": fmtDate, "d/m/yy": fmtDate, "mmm d, yyyy": fmtDate, "[$-414]dd/mm/yyyy\\ hh:mm": fmtDateTime,
		"[h]:mm": fmtDateTime, "[Red]0.00": fmtNumber, "yyyy-mm-dd hh:mm": fmtDateTime, "[$-F800]dddd, mmmm dd, yyyy": fmtDate,
	} {
		assert.Equal(t, want, formatKind(code), "%q", code)
	}
	for id, want := range map[int]numFormat{0: fmtNumber, 1: fmtNumber, 14: fmtDate, 17: fmtDate, 18: fmtDateTime, 22: fmtDateTime, 45: fmtDateTime, 47: fmtDateTime, 49: fmtNumber} {
		assert.Equal(t, want, builtinFormat(id), "%d", id)
	}
}
