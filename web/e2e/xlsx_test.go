package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
)

// xlsxSheet is what openpyxl reads from an .xlsx (see
// batch/testdata/xlsx_cells.py, shared with the batch package's tests).
type xlsxSheet struct {
	Freeze string
	Rows   [][]struct {
		T    string
		V    any
		Fmt  string
		Bold bool
	}
}

// readXLSX reads an .xlsx with Python's openpyxl, an independent reader.
func readXLSX(t *testing.T, data []byte) xlsxSheet {
	t.Helper()
	python := testenv.PythonWith(t, "openpyxl")
	file := filepath.Join(t.TempDir(), "download.xlsx")
	require.NoError(t, os.WriteFile(file, data, 0o600))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, filepath.Join("..", "..", "batch", "testdata", "xlsx_cells.py"), file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "openpyxl: %s", stderr.String())
	var x xlsxSheet
	require.NoError(t, json.Unmarshal(out, &x), "%s", out)
	return x
}

// downloads saves what the page downloads and hands back each file's bytes.
type downloads struct {
	dir  string
	done chan string
}

func allowDownloads(t *testing.T, ctx context.Context) *downloads {
	t.Helper()
	d := &downloads{dir: t.TempDir(), done: make(chan string, 8)}
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*cdpbrowser.EventDownloadProgress); ok && e.State == cdpbrowser.DownloadProgressStateCompleted {
			d.done <- e.GUID
		}
	})
	run(t, ctx, cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName).
		WithDownloadPath(d.dir).WithEventsEnabled(true))
	return d
}

// click clicks the link from script and returns the file it downloads.
func (d *downloads) click(t *testing.T, p *batchPage, id string) []byte {
	t.Helper()
	run(t, p.ctx, chromedp.Evaluate(`document.getElementById("`+id+`").click()`, nil))
	select {
	case guid := <-d.done:
		b, err := os.ReadFile(filepath.Join(d.dir, guid))
		require.NoError(t, err)
		var name string
		eval(t, p.ctx, `document.getElementById("`+id+`").download`, &name)
		assert.Regexp(t, `\.xlsx$`, name, "#%s downloads an .xlsx", id)
		return b
	case <-time.After(30 * time.Second):
		t.Fatalf("#%s downloaded nothing within 30 s", id)
	}
	return nil
}

// TestXLSXDownloads clicks each .xlsx link in Chromium, in Oslo's time
// zone: the template, the report of an import against the local
// NetServer and the audit of what it stored, each read by openpyxl: a
// bold, frozen header; text as text (a formula-like Comment stays text);
// dates as date cells with Oslo's wall-clock times of the instants
// stored; booleans as booleans; no secret.
func TestXLSXDownloads(t *testing.T) {
	srv := startServer(t)
	p := newBatchPage(t, srv)
	run(t, p.ctx, emulation.SetTimezoneOverride("Europe/Oslo"))
	d := allowDownloads(t, p.ctx)
	const secret = "Pässwørd-xlsx-7"

	header := func(t *testing.T, x xlsxSheet, first string) {
		t.Helper()
		require.NotEmpty(t, x.Rows)
		assert.Equal(t, "A2", x.Freeze)
		assert.Equal(t, first, x.Rows[0][0].V)
		for _, h := range x.Rows[0] {
			assert.True(t, h.Bold, "header %v is bold", h.V)
		}
		for r, row := range x.Rows {
			for c, cell := range row {
				assert.NotEqual(t, "f", cell.T, "row %d cell %d is a formula", r+1, c+1)
				if s, ok := cell.V.(string); ok {
					assert.NotContains(t, s, secret)
				}
			}
		}
	}

	t.Run("the template", func(t *testing.T) {
		x := readXLSX(t, d.click(t, p, "batch-template-xlsx"))
		header(t, x, "AssociateId")
		require.Len(t, x.Rows, 3)
		assert.Equal(t, "d", x.Rows[1][5].T, "ValidFrom is a date cell")
		assert.Equal(t, "2026-01-01T00:00:00", x.Rows[1][5].V)
		assert.Equal(t, "2031-01-01T00:00:00", x.Rows[1][6].V, "2030-12-31T23:00:00Z on Oslo's clock")
		assert.Equal(t, "b", x.Rows[1][8].T)
	})

	csv := "\ufeffAssociateId,Type,PublicValue,SecretValue,ValidFrom,ValidTo,Comment,IsActive\r\n" +
		"3,imap,bjørn.ås@example.com," + secret + ",2027-01-31T07:00:00Z,2027-07-01T15:30:00Z,\"Ann;=cmd|' /C calc'!A0\",true\r\n"
	t.Run("the report", func(t *testing.T) {
		p.upload(t, "xlsx.csv", []byte(csv))
		require.False(t, p.js(t, `document.getElementById("batch-plan").hidden`), "no plan: %s", p.text(t, "#batch-alert"))
		p.apply(t)
		x := readXLSX(t, d.click(t, p, "batch-report-xlsx"))
		header(t, x, "Row")
		require.Len(t, x.Rows, 2)
		assert.Equal(t, float64(2), x.Rows[1][0].V, "the spreadsheet row, a number")
		assert.Equal(t, "bjørn.ås@example.com", x.Rows[1][5].V)
		assert.Contains(t, []any{"created", "updated"}, x.Rows[1][6].V)
	})

	t.Run("the audit export", func(t *testing.T) {
		p.set(t, "audit-associates", "3")
		p.set(t, "audit-types", "imap")
		p.click(t, "#audit-run")
		run(t, p.ctx, chromedp.Poll(`!document.getElementById("audit-result").hidden || document.getElementById("audit-alert").textContent !== ""`,
			nil, chromedp.WithPollingTimeout(60*time.Second)))
		require.False(t, p.js(t, `document.getElementById("audit-result").hidden`), "no audit: %s", p.text(t, "#audit-alert"))
		x := readXLSX(t, d.click(t, p, "audit-export-xlsx"))
		header(t, x, "AssociateId")
		var row []any
		for _, r := range x.Rows[1:] {
			if r[4].V == "bjørn.ås@example.com" {
				for _, c := range r {
					row = append(row, c.V)
				}
				assert.Equal(t, "d", r[5].T, "ValidFrom is a date cell")
				assert.Equal(t, "b", r[8].T, "IsActive is a boolean cell")
			}
		}
		require.NotNil(t, row, "the imported record is in the export: %v", x.Rows)
		assert.Equal(t, float64(3), row[0])
		assert.Equal(t, "2027-01-31T08:00:00", row[5], "07:00Z on Oslo's clock")
		assert.Equal(t, "2027-07-01T17:30:00", row[6], "15:30Z on Oslo's summer clock")
		assert.Equal(t, "Ann;=cmd|' /C calc'!A0", row[7], "text as stored: an .xlsx needs no neutralising")
		assert.Equal(t, true, row[8])
	})
}
