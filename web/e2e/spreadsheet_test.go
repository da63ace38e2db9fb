package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBatchSpreadsheets chooses the workbook LibreOffice saved, in a
// browser whose time zone is Europe/Oslo: Check is clean (the extra
// column listed as ignored), Apply stores every row, and zeep reads back
// the exact instants the cells mean, a date alone in ValidTo through its
// last second. The CSV LibreOffice exported from the same sheet in
// Norwegian then plans every row as unchanged.
func TestBatchSpreadsheets(t *testing.T) {
	srv := startServer(t)
	p := newBatchPage(t, srv)
	run(t, p.ctx, emulation.SetTimezoneOverride("Europe/Oslo"))
	fixture := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "..", "batch", "testdata", "spreadsheets", name))
		require.NoError(t, err)
		return b
	}

	p.upload(t, "libreoffice-nb.xlsx", fixture("libreoffice-nb.xlsx"))
	require.False(t, p.js(t, `document.getElementById("batch-plan").hidden`), "no plan: %s", p.text(t, "#batch-alert"))
	info := p.text(t, "#batch-file-info")
	assert.Contains(t, info, "Ark1")
	assert.Contains(t, info, "Avdeling", "the ignored column is listed")
	assert.Contains(t, p.text(t, "#batch-counts"), "4 to create")
	assert.Contains(t, p.text(t, "#batch-steps tbody"), "11:59:59 PM", "ValidTo through the day, in local time")
	p.apply(t)
	assert.Contains(t, p.text(t, "#batch-outcomes"), "4 created")

	got := zeepReadback(t, srv, "3/imap", "4/smtp", "5/imap", "6/imap")
	want := map[string][2]string{
		"3/imap": {"2027-01-31T07:00:00Z", "2027-12-31T22:59:59Z"},
		"4/smtp": {"2027-07-01T21:15:30Z", "2028-01-01T22:59:59Z"},
		"5/imap": {"2027-01-31T23:00:00Z", "2027-02-28T22:59:59Z"},
		"6/imap": {"2027-03-27T23:00:00Z", "2027-10-30T10:00:00Z"},
	}
	for key, w := range want {
		require.Len(t, got[key], 1, key)
		assert.Equal(t, w[0], got[key][0]["validFrom"], "%s ValidFrom", key)
		assert.Equal(t, w[1], got[key][0]["validTo"], "%s ValidTo", key)
	}
	assert.Equal(t, "pässwörd1", got["3/imap"][0]["secretValue"])
	assert.Equal(t, "=ikke en formel", got["3/imap"][0]["comment"])
	assert.Equal(t, false, got["4/smtp"][0]["isActive"])

	p.upload(t, "libreoffice-nb.csv", fixture("libreoffice-nb.csv"))
	require.False(t, p.js(t, `document.getElementById("batch-plan").hidden`), "no plan: %s", p.text(t, "#batch-alert"))
	assert.Contains(t, p.text(t, "#batch-counts"), "4 unchanged", "the CSV means what the workbook meant")
}
