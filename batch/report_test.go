package batch

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
)

// hostileResults are results whose cells a spreadsheet would run, or that
// need quoting.
func hostileResults() []Result {
	return []Result{
		{Row: 2, AssociateID: 3, UserName: "ola.nordmann", FullName: "Ola Nordmann", Type: "imap", PublicValue: "=HYPERLINK(\"http://evil.example/\",\"click\")", Action: ActionCreate, Outcome: OutcomeCreated},
		{Row: 3, AssociateID: 3, FullName: "+47 22 00 00 00", Type: "imap", PublicValue: "-2+3", Action: ActionUpdate, Outcome: OutcomeUpdated},
		{Row: 4, AssociateID: 3, Type: "smtp", PublicValue: "@SUM(A1:A9)", Action: ActionUpdate, Outcome: OutcomeFailed, Message: "=cmd|'/c calc'!A1"},
		{Row: 5, AssociateID: 666, Type: "imap", PublicValue: "\tlead;ing tab", Action: ActionCreate, Outcome: OutcomeFailed, Message: soaptestMarkup},
		{Row: 6, UserName: "nobody", Type: "imap", PublicValue: "\rcarriage", Action: ActionRefused, Outcome: OutcomeNotSent, Message: `there is no user named "nobody"`},
		{Row: 7, AssociateID: 4, Type: "imap", PublicValue: " spaced, comma ", Action: ActionUnchanged, Outcome: OutcomeUnchanged},
		{Row: 0, AssociateID: 4, UserName: "kari.nordmann", Type: "imap", PublicValue: "old\nline", Action: ActionRemove, Outcome: OutcomeRemoved},
	}
}

// soaptestMarkup is the local NetServer's FriendlyText for associate 666.
const soaptestMarkup = `<img src="x" onerror="window.socredInjected=true"><b>Associate 666 is locked</b>`

func TestWriteReport(t *testing.T) {
	for name, delim := range map[string]rune{"comma": ',', "semicolon": ';', "tab": '\t'} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, WriteReport(&b, hostileResults(), delim))
			golden(t, "report-"+name+".csv", b.Bytes())
			checkSpreadsheetSafe(t, b.Bytes(), delim, len(ReportHeader))

			// Read back with Go's reader, less the neutralising quote.
			r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), utf8BOM)))
			r.Comma = delim
			rows, err := r.ReadAll()
			require.NoError(t, err)
			require.Len(t, rows, 1+len(hostileResults()))
			assert.Equal(t, ReportHeader, rows[0])
			for i, res := range hostileResults() {
				got := rows[i+1]
				assert.Equal(t, res.PublicValue, strings.TrimPrefix(got[5], "'"), "PublicValue of row %d comes back", i)
				assert.Equal(t, string(res.Outcome), got[6])
			}
		})
	}
}

// checkSpreadsheetSafe reads a CSV file with Python's csv module, as an
// independent reader, and fails on any cell that a spreadsheet would take
// for a formula.
func checkSpreadsheetSafe(t *testing.T, data []byte, delim rune, columns int) {
	t.Helper()
	python := testenv.Tool(t, testenv.Python)
	file := filepath.Join(t.TempDir(), "report.csv")
	require.NoError(t, os.WriteFile(file, data, 0o600))
	const script = `
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    rows = list(csv.reader(f, delimiter=sys.argv[2]))
bad = []
for r, row in enumerate(rows):
    if len(row) != int(sys.argv[3]):
        bad.append("row %d has %d cells" % (r, len(row)))
    for c, cell in enumerate(row):
        if cell[:1] in ('=', '+', '-', '@', '\t', '\r'):
            bad.append("row %d cell %d is live: %r" % (r, c, cell))
print("\n".join(bad) if bad else "ok %d rows" % len(rows))
sys.exit(1 if bad else 0)
`
	out, err := exec.Command(python, "-c", script, file, string(delim), itoa(columns)).CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.True(t, strings.HasPrefix(string(out), "ok "), "%s", out)
}

func TestReportFromRun(t *testing.T) {
	f := planFake()
	checked := entriesOf(t, planFile)
	p := plan(t, f, checked, PlanOptions{})
	r := NewRunner(f, p, RunOptions{})
	require.NoError(t, r.Run(context.Background()))
	var b bytes.Buffer
	require.NoError(t, WriteReport(&b, r.Results(), p.Delimiter))
	golden(t, "report-run.csv", b.Bytes())
}

func TestTemplate(t *testing.T) {
	for name, delim := range map[string]rune{"comma": ',', "semicolon": ';'} {
		t.Run(name, func(t *testing.T) {
			data := Template(delim)
			golden(t, "template-"+name+".csv", data)
			f, err := Read(data, Options{})
			require.NoError(t, err)
			assert.Equal(t, delim, f.Delimiter)
			assert.Equal(t, UTF8BOM, f.Encoding)
			c := Check(f, Options{Location: oslo(t)})
			require.NoError(t, c.Err(), "the template's rows are valid")
			require.Len(t, c.Entries, 2)
			assert.Equal(t, int32(3), c.Entries[0].AssociateID)
			assert.Equal(t, "kari.nordmann", c.Entries[1].UserName)
			assert.Equal(t, time.Date(2026, 1, 1, 7, 0, 0, 0, time.UTC), c.Entries[1].Credentials.ValidFrom, "a local time in Oslo")
		})
	}
}
