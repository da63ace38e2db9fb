package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAuditSection drives the Audit section in Chromium against make run's
// local NetServer: an import stores three records (one inactive, one
// expired), then the audit reads the import's associates: the table (each
// row labelled for the narrow layout), its counts, the filters and the CSV
// export.
func TestAuditSection(t *testing.T) {
	srv := startServer(t)
	p := newBatchPage(t, srv)
	p.upload(t, "audit.csv", []byte("AssociateId,Type,PublicValue,SecretValue,ValidFrom,ValidTo,Comment,IsActive\r\n"+
		"3,imap,audit one,S3cret-1,2025-01-01T00:00:00Z,2099-01-01T00:00:00Z,,yes\r\n"+
		"4,imap,audit two,S3cret-2,2025-01-01T00:00:00Z,2099-01-01T00:00:00Z,,no\r\n"+
		"6,imap,audit three,S3cret-3,2020-01-01T00:00:00Z,2021-01-01T00:00:00Z,,yes\r\n"))
	require.False(t, p.js(t, `document.getElementById("batch-plan").hidden`), "no plan: %s", p.text(t, "#batch-alert"))
	p.apply(t)
	require.Contains(t, p.text(t, "#batch-outcomes"), "3 created")

	rows := func() int {
		var n int
		eval(t, p.ctx, `document.querySelectorAll("#audit-table tbody tr").length`, &n)
		return n
	}
	t.Run("the import's associates: every record, where each stands", func(t *testing.T) {
		require.False(t, p.js(t, `document.getElementById("audit-from-import").disabled`), "the import can be audited")
		run(t, p.ctx, chromedp.Click("#audit-from-import", chromedp.ByQuery))
		p.set(t, "audit-types", "imap")
		p.click(t, "#audit-run")
		waitFor(t, p.ctx, `!document.getElementById("audit-result").hidden || document.getElementById("audit-alert").textContent !== ""`)
		waitFor(t, p.ctx, `document.getElementById("audit").getAttribute("aria-busy") !== "true"`)
		require.Empty(t, p.text(t, "#audit-alert"))
		assert.Equal(t, 3, rows())
		assert.Equal(t, "3 of 3 records shown.", p.text(t, "#audit-counts"))
		body := p.text(t, "#audit-table tbody")
		for _, want := range []string{"audit one", "audit two", "audit three", "Inactive", "Expired"} {
			assert.Contains(t, body, want)
		}
		assert.NotContains(t, body, "S3cret", "no secret shown")
		assert.True(t, p.js(t, `[...document.querySelectorAll("#audit-table tbody td")].every((td) => td.dataset.label)`), "every cell labelled")
		assert.True(t, p.js(t, `document.getElementById("audit-more").hidden`), "one page")
		assert.True(t, p.js(t, `document.getElementById("audit-export").href.startsWith("blob:")`), "the export is offered")
	})

	t.Run("a filter redraws the table", func(t *testing.T) {
		run(t, p.ctx, chromedp.Click("#audit-f-inactive", chromedp.ByQuery))
		waitFor(t, p.ctx, `document.querySelectorAll("#audit-table tbody tr").length === 1`)
		assert.Equal(t, "1 of 3 records shown.", p.text(t, "#audit-counts"))
		assert.Contains(t, p.text(t, "#audit-table tbody"), "audit two")
		run(t, p.ctx, chromedp.Click("#audit-f-inactive", chromedp.ByQuery))
		run(t, p.ctx, chromedp.Click("#audit-f-expired", chromedp.ByQuery))
		waitFor(t, p.ctx, `document.querySelectorAll("#audit-table tbody tr").length === 1`)
		assert.Contains(t, p.text(t, "#audit-table tbody"), "audit three")
	})
}
