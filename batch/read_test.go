package batch

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
)

const minimalHeader = "AssociateId,Type,ValidFrom,ValidTo\n"

// problemCodes reads data and returns the codes of the file's problems.
func problemCodes(t *testing.T, data []byte, opt Options) ([]string, Problems) {
	t.Helper()
	_, err := Read(data, opt)
	var ps Problems
	require.ErrorAs(t, err, &ps, "Read(%q) = %v", data, err)
	var codes []string
	for _, p := range ps {
		codes = append(codes, p.Code)
		assert.NotEmpty(t, p.Message())
	}
	return codes, ps
}

func TestReadRefusals(t *testing.T) {
	for name, tc := range map[string]struct {
		data  string
		opt   Options
		codes []string
		row   int
	}{
		"an empty file":                {"", Options{}, []string{CodeEmptyFile}, 0},
		"blank lines only":             {"\r\n\n\n", Options{}, []string{CodeEmptyFile}, 0},
		"a broken workbook":            {"PK\x03\x04\x14\x00\x06\x00", Options{}, []string{CodeWorkbook}, 0},
		"an old Excel workbook":        {"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", Options{}, []string{CodeNotCSV}, 0},
		"UTF-16 with a BOM":            {"\xff\xfeA\x00s\x00", Options{}, []string{CodeNotCSV}, 0},
		"UTF-16 without one":           {"A\x00s\x00s\x00", Options{}, []string{CodeNotCSV}, 0},
		"too large":                    {minimalHeader + "3,imap,2025-01-01,2026-01-01\n", Options{MaxBytes: 10}, []string{CodeFileTooLarge}, 0},
		"too many rows":                {minimalHeader + strings.Repeat("3,imap,2025-01-01,2026-01-01\n", 4), Options{MaxRows: 3}, []string{CodeTooManyRows}, 0},
		"a cell beyond the limit":      {minimalHeader + "3,imap,2025-01-01,2026-01-01\n3," + strings.Repeat("x", 11) + ",,\n", Options{MaxCell: 10}, []string{CodeCellTooLong}, 3},
		"a quote left open":            {minimalHeader + "3,imap,2025-01-01,2026-01-01\n3,\"imap,2025-01-01,2026-01-01\n4,imap,x,y\n", Options{}, []string{CodeCSVQuote}, 3},
		"a bare quote":                 {minimalHeader + "3,im\"ap,2025-01-01,2026-01-01\n", Options{}, []string{CodeCSVQuote}, 2},
		"a misspelt column is ignored": {"AssociateId,Typ,ValidFrom,ValidTo,Password\n", Options{}, []string{CodeMissingColumn}, 1},
		"no header row":                {"3,imap,2025-01-01,2026-01-01\n", Options{}, []string{CodeUnknownColumn, CodeUnknownColumn, CodeUnknownColumn, CodeUnknownColumn}, 1},
		"a column twice":               {"AssociateId,Type,ValidFrom,ValidTo,type\n", Options{}, []string{CodeDuplicateColumn}, 1},
		"missing columns":              {"Comment,PublicValue\n", Options{}, []string{CodeMissingColumn, CodeMissingColumn, CodeMissingColumn, CodeMissingColumn}, 1},
		"no associate column":          {"Type,ValidFrom,ValidTo\n", Options{}, []string{CodeMissingColumn}, 1},
	} {
		t.Run(name, func(t *testing.T) {
			codes, ps := problemCodes(t, []byte(tc.data), tc.opt)
			assert.Equal(t, tc.codes, codes, "%v", ps)
			assert.Equal(t, tc.row, ps[0].Row, "%v", ps)
		})
	}
	t.Run("the unknown column's problem lists the names", func(t *testing.T) {
		_, ps := problemCodes(t, []byte("Typ,ValidFrm\n"), Options{})
		assert.Equal(t, "Row 1, Typ: is not a column socred reads; the first row must name the columns, from: AssociateId, UserName, Type, PublicValue, SecretValue, ValidFrom, ValidTo, Comment, IsActive", ps[0].Message())
		assert.Equal(t, "AssociateId, UserName, Type, PublicValue, SecretValue, ValidFrom, ValidTo, Comment, IsActive", ps[0].Params["accepted"])
	})
	t.Run("the row limit names the limit", func(t *testing.T) {
		_, ps := problemCodes(t, []byte(minimalHeader+strings.Repeat("3,imap,2025-01-01,2026-01-01\n", 4)), Options{MaxRows: 3})
		assert.Equal(t, "The file has more than 3 rows; split it into files of at most 3", ps[0].Message())
		assert.ErrorIs(t, ps, ErrTooLarge)
	})
}

func TestReadRowLimit(t *testing.T) {
	row := "3,imap,2025-01-01,2026-01-01\n"
	f, err := Read([]byte(minimalHeader+strings.Repeat(row, MaxRows)), Options{})
	require.NoError(t, err, "exactly the limit")
	assert.Len(t, f.Rows, MaxRows)
	_, err = Read([]byte(minimalHeader+strings.Repeat(row, MaxRows+1)), Options{})
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.ErrorContains(t, err, "100000")
}

func TestReadShapes(t *testing.T) {
	t.Run("row numbers count blank lines and not the lines inside quotes", func(t *testing.T) {
		data := "\n" + minimalHeader + "3,\"im\nap\",,\n\n\n4,imap,,\n5,\"a\r\nb\r\nc\",,\n6,imap,,"
		f, err := Read([]byte(data), Options{})
		require.NoError(t, err)
		assert.Equal(t, 2, f.HeaderRow)
		var rows []int
		for _, r := range f.Rows {
			rows = append(rows, r.Number)
		}
		assert.Equal(t, []int{3, 6, 7, 8}, rows)
		assert.Equal(t, "a\nb\nc", f.Rows[2].Cells[1], "CRLF inside quotes reads as a line break")
	})
	t.Run("old Macintosh line ends", func(t *testing.T) {
		f, err := Read([]byte("AssociateId,Type,ValidFrom,ValidTo\r3,imap,,\r4,smtp,,\r"), Options{})
		require.NoError(t, err)
		require.Len(t, f.Rows, 2)
		assert.Equal(t, 3, f.Rows[1].Number)
	})
	t.Run("Excel's sep= line names the delimiter and is no row", func(t *testing.T) {
		f, err := Read([]byte("sep=|\r\nAssociateId|Type|ValidFrom|ValidTo\r\n3|imap||\r\n"), Options{})
		require.NoError(t, err)
		assert.Equal(t, '|', f.Delimiter)
		assert.Equal(t, 1, f.HeaderRow)
		assert.Equal(t, 2, f.Rows[0].Number)
	})
	t.Run("the delimiter that names the most columns wins", func(t *testing.T) {
		for want, header := range map[rune]string{
			',':  "AssociateId,Type,ValidFrom,ValidTo,Comment\n",
			';':  "AssociateId;Type;ValidFrom;ValidTo;\"Comment, in English\"\n",
			'\t': "AssociateId\tType\tValidFrom\tValidTo\n",
		} {
			f, err := Read([]byte(header), Options{})
			require.NoError(t, err)
			if want == ';' {
				// "Comment, in English" is no column name: it is ignored,
				// and the file read with the semicolon.
				assert.Equal(t, []string{"Comment, in English"}, f.Ignored)
			}
			assert.Equal(t, want, f.Delimiter, "%q", header)
		}
	})
	t.Run("columns socred does not read are ignored and listed", func(t *testing.T) {
		f, err := Read([]byte("Avdeling;AssociateId;Type;ValidFrom;ValidTo;Notat;FullName;HasSecret;Status;Days\nSalg;3;imap;2027-01-01;2027-12-31;x;Ola;yes;ok;30\n"), Options{})
		require.NoError(t, err)
		assert.Equal(t, []string{"Avdeling", "Notat", "FullName", "HasSecret", "Status", "Days"}, f.Ignored)
		c := Check(f, Options{Location: oslo(t)})
		require.NoError(t, c.Err())
	})
	t.Run("the apostrophe socred's exports add is taken away again", func(t *testing.T) {
		f, err := Read([]byte("AssociateId;Type;ValidFrom;ValidTo;Comment\n3;imap;2027-01-01;2027-12-31;\"'=1+1,'-x;'''@y, 'a\"\n"), Options{})
		require.NoError(t, err)
		assert.Equal(t, "=1+1,-x;''@y, 'a", f.Cell(&f.Rows[0], ColComment))
		assert.Equal(t, "'=1+1,'-x;'''@y, 'a", Neutralise("=1+1,-x;''@y, 'a"), "the rule Read undoes")
	})
	t.Run("short rows are padded, empty rows left out, extra cells counted", func(t *testing.T) {
		f, err := Read([]byte(minimalHeader+"3,imap\n,,,\n4,imap,,,,\n5,imap,,,x,\n"), Options{})
		require.NoError(t, err)
		require.Len(t, f.Rows, 3)
		assert.Equal(t, []string{"3", "imap", "", ""}, f.Rows[0].Cells)
		assert.Zero(t, f.Rows[1].Extra, "empty extra cells are Excel's, and harmless")
		assert.Equal(t, 2, f.Rows[2].Extra)
	})
	t.Run("header names match without regard to case and space", func(t *testing.T) {
		f, err := Read([]byte("\ufeffASSOCIATE ID;type;Valid\u00a0From; validto \n"), Options{})
		require.NoError(t, err)
		assert.Equal(t, []Col{ColAssociateID, ColType, ColValidFrom, ColValidTo}, f.Columns)
		assert.Equal(t, " validto ", f.ColumnHeader(ColValidTo), "problems name the header as written")
	})
	t.Run("Windows-1252 cells come out as UTF-8, and the caller's bytes are left alone", func(t *testing.T) {
		data := []byte("AssociateId;Type;ValidFrom;ValidTo;SecretValue\n3;imap;;;hemmelig\xe6\n")
		f, err := Read(data, Options{})
		require.NoError(t, err)
		assert.Equal(t, Windows1252, f.Encoding)
		assert.Equal(t, "hemmeligæ", f.Rows[0].Cells[4])
		assert.True(t, bytes.Contains(data, []byte("hemmelig")), "the caller's bytes are the caller's to zero")
	})
}

// TestWindows1252 decodes every byte and compares with Python's cp1252
// codec, an independent table (Python leaves five bytes undefined, which
// WHATWG maps to the C1 controls).
func TestWindows1252(t *testing.T) {
	all := make([]byte, 0, 256)
	for b := 1; b < 256; b++ {
		if b != '"' && b != ',' && b != '\n' && b != '\r' {
			all = append(all, byte(b))
		}
	}
	text, enc, copied, p := decode(all)
	require.Nil(t, p)
	require.Equal(t, Windows1252, enc)
	require.True(t, copied)

	python := testenv.Tool(t, testenv.Python)
	script := `import sys
data = bytes(range(1, 256))
out = []
for b in data:
    if b in b'",\n\r': continue
    try: out.append(bytes([b]).decode('cp1252'))
    except UnicodeDecodeError: out.append(chr(b))
sys.stdout.buffer.write(''.join(out).encode('utf-8'))`
	want, err := exec.Command(python, "-c", script).Output()
	require.NoError(t, err)
	assert.Equal(t, string(want), string(text))
}

func TestDates(t *testing.T) {
	loc := oslo(t)
	local := (&Options{Location: loc}).local()
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		return v.UTC()
	}
	for in, want := range map[string]time.Time{
		"2025-01-31":                     utc("2025-01-30T23:00:00Z"), // the start of the day in Oslo
		"2025-07-31":                     utc("2025-07-30T22:00:00Z"), // summer time
		"2025-01-31T08:00":               utc("2025-01-31T07:00:00Z"),
		"2025-01-31 08:00:30":            utc("2025-01-31T07:00:30Z"),
		"2025-01-31t08:00:30.25":         utc("2025-01-31T07:00:30.25Z"),
		"2025-01-31T08:00:30,5Z":         utc("2025-01-31T08:00:30.5Z"),
		"2025-01-31T08:00:00Z":           utc("2025-01-31T08:00:00Z"),
		"2025-01-31T08:00:00z":           utc("2025-01-31T08:00:00Z"),
		"2025-01-31T08:00:00+02:00":      utc("2025-01-31T06:00:00Z"),
		"2025-01-31T08:00:00-0330":       utc("2025-01-31T11:30:00Z"),
		"2025-01-31T08:00+01":            utc("2025-01-31T07:00:00Z"),
		"2024-02-29":                     utc("2024-02-28T23:00:00Z"),
		"2025-01-31T08:00:00.123456789Z": utc("2025-01-31T08:00:00.123456789Z"),
	} {
		got, ok := readDate(in, DateStyle{}, local, false)
		if assert.True(t, ok, "%q", in) {
			assert.Equal(t, want, got, "%q", in)
		}
	}
	for _, in := range []string{"", "1/31/2025", "2025-1-31", "2025-02-29", "2025-13-01", "2025-01-32",
		"2025-01-31T24:00", "2025-01-31T08:60", "2025-01-31T08", "2025-01-31T08:00:61", "2025-01-31T08:00:00+24:00",
		"2025-01-31T08:00:00 +01:00", "2025-01-31T08:00:00Zx", "2025-01-31X08:00", "２０２５-01-31"} {
		_, ok := readDate(in, DateStyle{}, local, false)
		assert.False(t, ok, "%q", in)
	}
	t.Run("the browser's rules through Local", func(t *testing.T) {
		var asked []Civil
		opt := Options{Local: func(c Civil) time.Time { asked = append(asked, c); return c.In(time.UTC).Add(-5 * time.Hour) }}
		got, ok := readDate("2025-03-09 02:30", DateStyle{}, opt.local(), false)
		require.True(t, ok)
		assert.Equal(t, []Civil{{Year: 2025, Month: 3, Day: 9, Hour: 2, Minute: 30}}, asked)
		assert.Equal(t, utc("2025-03-08T21:30:00Z"), got)
	})
}

func TestIsActiveWords(t *testing.T) {
	for word, want := range map[string]bool{
		"": true, "true": true, "TRUE": true, " yes ": true, "1": true, "Ja": true, "SANN": true, "wahr": true, "WAAR": true, "sant": true, "sand": true,
		"false": false, "No": false, "0": false, "nei": false, "NEJ": false, "nein": false, "nee": false, "USANN": false, "FALSCH": false, "onwaar": false, "falskt": false, "falsk": false,
	} {
		c := entriesOf(t, "AssociateId,Type,ValidFrom,ValidTo,IsActive\n3,imap,2025-01-01,2026-01-01,"+word+"\n")
		require.NoError(t, c.Err(), "%q", word)
		assert.Equal(t, want, c.Entries[0].Credentials.IsActive, "%q", word)
	}
	c := entriesOf(t, "AssociateId,Type,ValidFrom,ValidTo,IsActive\n3,imap,2025-01-01,2026-01-01,maybe\n")
	require.Len(t, c.Problems, 1)
	assert.Equal(t, CodeNotBoolean, c.Problems[0].Code)
}

func TestLocaleDates(t *testing.T) {
	local := (&Options{Location: oslo(t)}).local()
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04:05", s, oslo(t))
		require.NoError(t, err)
		return v.UTC()
	}
	for _, tc := range []struct {
		locale, in string
		through    bool
		want       time.Time
	}{
		{"nb-NO", "31.01.2027", false, at("2027-01-31 00:00:00")},
		{"nb-NO", "31.01.2027", true, at("2027-01-31 23:59:59")},
		{"nb-NO", "31.1.2027 8:00", false, at("2027-01-31 08:00:00")},
		{"nb-NO", "31.01.2027 08:00:30", false, at("2027-01-31 08:00:30")},
		{"de-DE", "1.7.2027 23:15", false, at("2027-07-01 23:15:00")},
		{"da-DK", "31-01-2027", true, at("2027-01-31 23:59:59")},
		{"nl-NL", "31-1-2027 8:00", false, at("2027-01-31 08:00:00")},
		{"sv-SE", "2027-01-31 08:00", false, at("2027-01-31 08:00:00")},
		{"sv-SE", "2027-01-31", true, at("2027-01-31 23:59:59")},
		{"en-US", "1/31/2027 8:00 AM", false, at("2027-01-31 08:00:00")},
		{"en-US", "1/31/2027 12:00 AM", false, at("2027-01-31 00:00:00")},
		{"en-US", "1/31/2027 12:30 PM", false, at("2027-01-31 12:30:00")},
		{"en-US", "03/04/2027", false, at("2027-03-04 00:00:00")},
		{"en-US", "1/31/2027 8:00:05pm", false, at("2027-01-31 20:00:05")},
		{"en-GB", "03/04/2027", false, at("2027-04-03 00:00:00")},
		{"en-GB", "31/01/2027 08:00", false, at("2027-01-31 08:00:00")},
		{"nb-NO", "03/04/2027", false, at("2027-04-03 00:00:00")},
		{"en-GB", "2027-01-31T08:00:00Z", true, time.Date(2027, 1, 31, 8, 0, 0, 0, time.UTC)},
	} {
		got, ok := readDate(tc.in, DateStyleOf(tc.locale), local, tc.through)
		if assert.True(t, ok, "%s %q", tc.locale, tc.in) {
			assert.Equal(t, tc.want, got, "%s %q", tc.locale, tc.in)
		}
	}
	for _, tc := range []struct{ locale, in string }{
		{"en-US", "31/01/2027"}, {"en-GB", "1/31/2027"}, {"", "1/31/2027"}, {"nb-NO", "31.01.27"},
		{"nb-NO", "31.13.2027"}, {"nb-NO", "29.02.2027"}, {"nb-NO", "31.01.2027 24:00"}, {"nb-NO", "31.01.2027 8"},
		{"en-US", "1/31/2027 13:00 PM"}, {"en-US", "1/31/2027 0:30 AM"}, {"nb-NO", "31.01-2027"}, {"nb-NO", "31.01.2027 8:0"},
	} {
		_, ok := readDate(tc.in, DateStyleOf(tc.locale), local, false)
		assert.False(t, ok, "%s %q", tc.locale, tc.in)
	}
}

func TestDateProblemQuotesTheCell(t *testing.T) {
	for locale, example := range map[string]string{"nb-NO": "31.01.2027 08:00", "en-US": "1/31/2027 8:00 AM", "en-GB": "31/01/2027 08:00",
		"nl": "31-1-2027 08:00", "sv-SE": "2027-01-31 08:00", "de-AT": "31.01.2027 08:00"} {
		f, err := Read([]byte("AssociateId;Type;ValidFrom;ValidTo\n3;imap;31.13.2027;31.12.2027\n"), Options{})
		require.NoError(t, err)
		c := Check(f, Options{Location: oslo(t), Locale: locale})
		require.Len(t, c.Problems, 1, locale)
		p := c.Problems[0]
		assert.Equal(t, CodeNotDate, p.Code)
		assert.Equal(t, "31.13.2027", p.Params["text"])
		assert.Equal(t, example, p.Params["example"], locale)
		assert.Contains(t, p.Message(), `"31.13.2027"`)
		assert.Contains(t, p.Message(), example)
	}
}
