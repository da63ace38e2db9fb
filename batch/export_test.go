package batch

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
	"socred/soap"
)

// exportSecret is a secret the audit records carry: no export may hold it.
const exportSecret = "hemmelig-pässwörd-42"

// norwegian is an administrator in Oslo whose page speaks Norwegian.
func norwegian(t testing.TB) *Export {
	return &Export{Delimiter: ';', Locale: "nb-NO", Location: oslo(t), Words: Words{
		Yes: "Ja", No: "Nei",
		Outcomes: map[Outcome]string{OutcomeCreated: "opprettet", OutcomeUpdated: "oppdatert", OutcomeFailed: "mislyktes", OutcomeNotSent: "ikke sendt", OutcomeUnchanged: "uendret", OutcomeRemoved: "fjernet"},
		Statuses: map[StatusKind]string{StatusActive: "aktiv", StatusExpired: "utløpt", StatusInactive: "inaktiv", StatusExpiring: "utløper snart"},
		Examples: [4]string{"IMAP-passordet", "Pålogging til e-posttjeneren", "SMTP-passordet", "Lokal tid, i administratorens tidssone"},
	}}
}

// auditRecords are stored records, with hostile text and a secret that
// must stay out of every export.
func auditRecords(t testing.TB) []AuditRecord {
	loc := oslo(t)
	return []AuditRecord{
		{AssociateID: 3, UserName: "bjørn.ås", FullName: "Bjørn Ås", Type: "imap", HasSecret: true,
			Credentials: soap.UntrustedCredentials{PublicValue: "bjørn.ås@example.com", SecretValue: exportSecret,
				ValidFrom: time.Date(2027, 1, 31, 8, 0, 0, 0, loc), ValidTo: time.Date(2027, 7, 1, 17, 30, 0, 0, loc),
				Comment: "Ann;=cmd|' /C calc'!A0", IsActive: true},
			Status: Status{Kind: StatusActive, Days: 12}},
		{AssociateID: 4, UserName: "kari", FullName: "+47 22 00 00 00", Type: "smtp", HasSecret: false,
			Credentials: soap.UntrustedCredentials{PublicValue: "@SUM(A1:A9)", SecretValue: exportSecret,
				ValidFrom: time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC), ValidTo: time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC),
				Comment: "a tab\tand\r\nlines", IsActive: false},
			Status: Status{Kind: StatusInactive}},
	}
}

// exportCase is one export as a test writes it.
type exportCase struct {
	name  string
	write func(e *Export, w *bytes.Buffer, f Format) error
	rows  int
}

func exportCases(t testing.TB) []exportCase {
	return []exportCase{
		{"template", func(e *Export, w *bytes.Buffer, f Format) error { return e.Template(w, f) }, 2},
		{"report", func(e *Export, w *bytes.Buffer, f Format) error { return e.Report(w, hostileResults(), f) }, len(hostileResults())},
		{"audit", func(e *Export, w *bytes.Buffer, f Format) error { return e.Audit(w, auditRecords(t), f) }, len(auditRecords(t))},
	}
}

func TestExportCSV(t *testing.T) {
	for _, c := range exportCases(t) {
		for _, d := range []rune{',', ';', '\t'} {
			t.Run(c.name+" "+string(d), func(t *testing.T) {
				e := norwegian(t)
				e.Delimiter = d
				var b bytes.Buffer
				require.NoError(t, c.write(e, &b, CSV))
				data := b.Bytes()
				require.True(t, bytes.HasPrefix(data, utf8BOM), "starts with a BOM")
				assert.NotContains(t, string(data), exportSecret)
				assert.Empty(t, liveCell(string(data[len(utf8BOM):]), d), "no live cell, whatever the split")

				r := csv.NewReader(bytes.NewReader(data[len(utf8BOM):]))
				r.Comma = d
				rows, err := r.ReadAll()
				require.NoError(t, err)
				require.Len(t, rows, 1+c.rows)
				for _, row := range rows {
					for i := range row {
						row[i] = Restore(row[i])
					}
				}
				switch c.name {
				case "audit":
					a := rows[1]
					assert.Equal(t, []string{"3", "bjørn.ås", "Bjørn Ås", "imap", "bjørn.ås@example.com", "2027-01-31T08:00:00+01:00", "2027-07-01T17:30:00+02:00",
						"Ann;=cmd|' /C calc'!A0", "Ja", "Ja", "aktiv", "12"}, a)
					assert.Equal(t, []string{"Nei", "Nei", "inaktiv", ""}, rows[2][8:])
				case "report":
					assert.Equal(t, "opprettet", rows[1][6])
					assert.Equal(t, hostileResults()[2].Message, rows[3][7], "Restore undoes the neutralising")
				case "template":
					assert.Equal(t, "IMAP-passordet", rows[1][4])
					assert.Equal(t, "Ja", rows[2][8])
				}
			})
		}
	}
}

// TestExportCSVReimports: the Norwegian template and audit export read
// back as socred reads a file, the audit's instants exact.
func TestExportCSVReimports(t *testing.T) {
	e := norwegian(t)
	var b bytes.Buffer
	require.NoError(t, e.Template(&b, CSV))
	f, err := Read(b.Bytes(), Options{})
	require.NoError(t, err)
	c := Check(f, Options{Location: oslo(t)})
	require.NoError(t, c.Err())
	assert.Equal(t, "IMAP-passordet", c.Entries[0].Credentials.SecretValue)

	b.Reset()
	require.NoError(t, e.Audit(&b, auditRecords(t)[:1], CSV))
	// Until Read ignores the columns it does not use and lets the id
	// decide over the name, keep the record's columns, less UserName.
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), utf8BOM)))
	r.Comma = ';'
	rows, err := r.ReadAll()
	require.NoError(t, err)
	var kept bytes.Buffer
	cw := newCSVWriter(&kept, ';', true)
	for _, row := range rows {
		var cells []string
		for i, h := range rows[0] {
			if c := lookupColumn(h); c > ColNone && c != ColUserName {
				cells = append(cells, Restore(row[i]))
			}
		}
		cw.row(cells...)
	}
	require.NoError(t, cw.flush())
	f, err = Read(kept.Bytes(), Options{})
	require.NoError(t, err)
	c = Check(f, Options{Location: time.UTC})
	require.NoError(t, c.Err())
	want := auditRecords(t)[0].Credentials
	got := c.Entries[0].Credentials
	assert.True(t, want.ValidFrom.Equal(got.ValidFrom), "ValidFrom %v, want %v", got.ValidFrom, want.ValidFrom)
	assert.True(t, want.ValidTo.Equal(got.ValidTo), "ValidTo %v, want %v", got.ValidTo, want.ValidTo)
	assert.True(t, got.IsActive)
}

func TestDateFormat(t *testing.T) {
	for tag, want := range map[string]string{
		"nb-NO": "dd.mm.yyyy hh:mm", "nb": "dd.mm.yyyy hh:mm", "de-DE": "dd.mm.yyyy hh:mm", "da": "dd.mm.yyyy hh:mm",
		"sv-SE": "yyyy-mm-dd hh:mm", "nl-NL": "dd-mm-yyyy hh:mm",
		"en-US": "m/d/yyyy h:mm AM/PM", "en": "m/d/yyyy h:mm AM/PM", "en-GB": "dd/mm/yyyy hh:mm", "en_IE": "dd/mm/yyyy hh:mm",
		"": "yyyy-mm-dd hh:mm", "fi-FI": "yyyy-mm-dd hh:mm",
	} {
		assert.Equal(t, want, DateFormat(tag), "%q", tag)
	}
}

func TestDateSerial(t *testing.T) {
	for _, c := range []struct {
		t    time.Time
		want float64
		ok   bool
	}{
		{time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC), 61, true},
		{time.Date(2027, 1, 31, 8, 0, 0, 0, time.UTC), 46418 + 8.0/24, true},
		{time.Date(1900, 2, 28, 0, 0, 0, 0, time.UTC), 0, false},
	} {
		got, ok := dateSerial(c.t)
		assert.Equal(t, c.ok, ok, "%v", c.t)
		assert.InDelta(t, c.want, got, 1e-9, "%v", c.t)
	}
}

func TestEscapeXML(t *testing.T) {
	assert.Equal(t, "a&amp;b&lt;c&gt;&quot;_x005F_x0041_ _xZZ_x0001_&#13;\n\t\uFFFD", escapeXML("a&b<c>\"_x0041_ _xZZ\x01\r\n\t\xff", true))
	assert.Equal(t, "&#10;&#9;", escapeXML("\n\t", false))
}

// xlsxCells is what openpyxl reads from an .xlsx.
type xlsxCells struct {
	Sheets []string
	Freeze string
	Rows   [][]struct {
		T    string
		V    any
		Fmt  string
		Bold bool
	}
	Widths map[string]float64
}

// readWithOpenpyxl reads .xlsx files with Python's openpyxl.
func readWithOpenpyxl(t *testing.T, files ...string) []xlsxCells {
	t.Helper()
	python := testenv.PythonWith(t, "openpyxl")
	script, err := filepath.Abs(filepath.Join("testdata", "xlsx_cells.py"))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, append([]string{script}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "openpyxl: %s", stderr.String())
	var all []xlsxCells
	dec := json.NewDecoder(bytes.NewReader(out))
	for range files {
		var x xlsxCells
		require.NoError(t, dec.Decode(&x), "%s", out)
		all = append(all, x)
	}
	return all
}

// soffice converts files with LibreOffice headless, in a profile of its
// own, into outDir, and returns its output.
func soffice(t *testing.T, outDir, infilter, to string, files ...string) string {
	t.Helper()
	bin := testenv.Tool(t, "soffice")
	profile := filepath.Join(t.TempDir(), "profile")
	args := []string{"-env:UserInstallation=file://" + filepath.ToSlash(profile), "--headless", "--norestore"}
	if infilter != "" {
		args = append(args, "--infilter="+infilter)
	}
	args = append(args, "--convert-to", to, "--outdir", outDir)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, append(args, files...)...).CombinedOutput()
	require.NoError(t, err, "soffice: %s", out)
	return string(out)
}

// TestExportLibreOffice opens every export in LibreOffice Calc: each CSV
// split on each delimiter (formulas evaluated, as Calc does by default)
// has no formula cell; each .xlsx shows its text, dates and booleans.
func TestExportLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short: LibreOffice takes seconds to start")
	}
	dir := t.TempDir()
	var csvs, xlsxs []string
	for _, c := range exportCases(t) {
		for _, d := range []rune{',', ';', '\t'} {
			e := norwegian(t)
			e.Delimiter = d
			var b bytes.Buffer
			require.NoError(t, c.write(e, &b, CSV))
			name := filepath.Join(dir, c.name+"-"+map[rune]string{',': "comma", ';': "semicolon", '\t': "tab"}[d]+".csv")
			require.NoError(t, os.WriteFile(name, b.Bytes(), 0o600))
			csvs = append(csvs, name)
		}
		var b bytes.Buffer
		require.NoError(t, c.write(norwegian(t), &b, XLSX))
		name := filepath.Join(dir, c.name+".xlsx")
		require.NoError(t, os.WriteFile(name, b.Bytes(), 0o600))
		xlsxs = append(xlsxs, name)
	}
	for _, split := range []struct {
		name string
		code int
	}{{"comma", ','}, {"semicolon", ';'}, {"tab", '\t'}} {
		t.Run("CSV split on "+split.name, func(t *testing.T) {
			out := filepath.Join(dir, "split-"+split.name)
			// Separator, quote, UTF-8 (76), from line 1, …, evaluate formulas.
			filter := "CSV:" + strconv.Itoa(split.code) + ",34,76,1,,0,false,true,,,,,true"
			log := soffice(t, out, filter, "xlsx", csvs...)
			var converted []string
			for _, f := range csvs {
				converted = append(converted, filepath.Join(out, strings.TrimSuffix(filepath.Base(f), ".csv")+".xlsx"))
			}
			for i, x := range readWithOpenpyxl(t, converted...) {
				cells := 0
				for r, row := range x.Rows {
					for c, cell := range row {
						cells++
						assert.NotEqual(t, "f", cell.T, "%s split on %s: row %d cell %d is a formula: %v", filepath.Base(csvs[i]), split.name, r+1, c+1, cell.V)
					}
				}
				assert.NotZero(t, cells, "%s: LibreOffice read nothing: %s", csvs[i], log)
			}
		})
	}
	t.Run("xlsx", func(t *testing.T) {
		out := filepath.Join(dir, "xlsx-as-csv")
		// Separator ;, quote, UTF-8, from line 1: the cells as shown.
		log := soffice(t, out, "", `csv:Text - txt - csv (StarCalc):59,34,76,1`, xlsxs...)
		shown := map[string]string{}
		for _, f := range xlsxs {
			b, err := os.ReadFile(filepath.Join(out, strings.TrimSuffix(filepath.Base(f), ".xlsx")+".csv"))
			require.NoError(t, err, "LibreOffice: %s", log)
			shown[strings.TrimSuffix(filepath.Base(f), ".xlsx")] = string(b)
			assert.NotContains(t, string(b), exportSecret)
			assert.NotContains(t, string(b), "Err:", "no cell in error")
		}
		// Calc quotes text cells only: numbers, dates and booleans are bare.
		assert.Contains(t, shown["audit"], `3;"bjørn.ås";"Bjørn Ås";"imap";"bjørn.ås@example.com";31.01.2027 08:00;01.07.2027 17:30;"Ann;=cmd|' /C calc'!A0";TRUE;TRUE;"aktiv";12`)
		assert.Contains(t, shown["audit"], `4;"kari";"+47 22 00 00 00";"smtp";"@SUM(A1:A9)";29.03.2026 03:30;25.10.2026 02:30;`)
		assert.Contains(t, shown["report"], `"=HYPERLINK(`)
		assert.Contains(t, shown["template"], `"IMAP-passordet";01.01.2026 00:00;01.01.2031 00:00;"Pålogging til e-posttjeneren";TRUE`)
	})
}

func TestExportXLSX(t *testing.T) {
	dir := t.TempDir()
	for _, c := range exportCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, c.write(norwegian(t), &b, XLSX))
			assert.NotContains(t, unzipText(t, b.Bytes()), exportSecret, "no secret in any part of the package")
			file := filepath.Join(dir, c.name+".xlsx")
			require.NoError(t, os.WriteFile(file, b.Bytes(), 0o600))
			x := readWithOpenpyxl(t, file)[0]
			require.Len(t, x.Rows, 1+c.rows)
			assert.Equal(t, "A2", x.Freeze, "the header row is frozen")
			for _, h := range x.Rows[0] {
				assert.True(t, h.Bold, "header %v is bold", h.V)
				assert.Equal(t, "s", h.T)
			}
			for r, row := range x.Rows {
				for i, cell := range row {
					assert.NotEqual(t, "f", cell.T, "row %d cell %d is a formula", r+1, i+1)
					if s, ok := cell.V.(string); ok {
						assert.NotContains(t, s, exportSecret)
					}
				}
			}
			assert.Len(t, x.Widths, len(x.Rows[0]), "every column has a width")
			switch c.name {
			case "audit":
				row := x.Rows[1]
				assert.Equal(t, float64(3), row[0].V)
				assert.Equal(t, "bjørn.ås", row[1].V)
				assert.Equal(t, "Ann;=cmd|' /C calc'!A0", row[7].V, "text as it is: an xlsx needs no neutralising")
				assert.Equal(t, "d", row[5].T)
				assert.Equal(t, "2027-01-31T08:00:00", row[5].V, "Oslo's wall clock")
				assert.Equal(t, "2027-07-01T17:30:00", row[6].V)
				assert.Equal(t, "dd.mm.yyyy hh:mm", row[5].Fmt)
				assert.Equal(t, "b", row[8].T)
				assert.Equal(t, true, row[8].V)
				assert.Equal(t, "aktiv", row[10].V)
				two := x.Rows[2]
				assert.Equal(t, "2026-03-29T03:30:00", two[5].V, "after the change to summer time")
				assert.Equal(t, "2026-10-25T02:30:00", two[6].V, "after the change back")
				assert.Equal(t, false, two[8].V)
				assert.Equal(t, "+47 22 00 00 00", two[2].V)
				assert.Equal(t, "s", two[2].T)
				assert.Equal(t, "a tab\tand\r\nlines", two[7].V)
			case "report":
				assert.Equal(t, hostileResults()[0].PublicValue, x.Rows[1][5].V)
				assert.Equal(t, "opprettet", x.Rows[1][6].V)
				assert.Equal(t, hostileResults()[4].PublicValue, x.Rows[5][5].V, "a leading carriage return survives")
			case "template":
				assert.Equal(t, "IMAP-passordet", x.Rows[1][4].V)
				assert.Equal(t, "2026-01-01T00:00:00", x.Rows[1][5].V)
				assert.Equal(t, "2031-01-01T00:00:00", x.Rows[1][6].V, "2030-12-31T23:00:00Z in Oslo")
				assert.Equal(t, "2026-01-01T08:00:00", x.Rows[2][5].V)
				assert.Equal(t, true, x.Rows[2][8].V)
			}
		})
	}
}
