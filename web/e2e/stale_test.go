package e2e

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNothingOfThePreviousAssociate: once the Associate field names
// another person, the previous one's message and Stored credentials
// table are gone; and the Audit's summary counts associates and records,
// naming a missing associate by its id.
func TestNothingOfThePreviousAssociate(t *testing.T) {
	srv := startServer(t)
	p := newBatchPage(t, srv)

	p.set(t, "AssociateId", "3")
	p.set(t, "Type", "imap")
	p.set(t, "PublicValue", "stale.example.no")
	p.set(t, "SecretValue", "S3cret")
	waitFor(t, p.ctx, `document.getElementById("associate-identity").dataset.state === "known"`)
	previous := p.text(t, "#associate-identity strong")
	require.NotEmpty(t, previous)
	p.clearResult(t)
	p.click(t, "#save")
	waitFor(t, p.ctx, `document.getElementById("status").textContent !== "" || document.getElementById("alert").textContent !== ""`)
	require.Empty(t, p.text(t, "#alert"))
	p.click(t, "#list")
	waitFor(t, p.ctx, `document.querySelectorAll("#records-table tbody tr").length === 1`)
	require.Contains(t, p.text(t, "#status"), previous, "the message names the person")
	require.Contains(t, p.text(t, "#records-caption"), previous)

	t.Run("another associate: the previous one's message and table go", func(t *testing.T) {
		p.set(t, "AssociateId", "4")
		waitFor(t, p.ctx, `document.getElementById("associate-identity").dataset.state === "known"`)
		assert.True(t, p.js(t, `document.getElementById("records").hidden`), "the table of %s is hidden", previous)
		assert.Empty(t, p.text(t, "#status"))
		assert.Empty(t, p.text(t, "#alert"))
		var shown []string
		eval(t, p.ctx, shownText, &shown)
		for _, s := range shown {
			assert.NotContains(t, s, previous, "nothing of the previous associate is shown")
		}
	})

	t.Run("the audit's summary: associates and records, a missing id by its id", func(t *testing.T) {
		p.set(t, "audit-associates", "3, 999999")
		p.set(t, "audit-types", "imap")
		p.click(t, "#audit-run")
		waitFor(t, p.ctx, `document.getElementById("audit-status").textContent !== "" || document.getElementById("audit-alert").textContent !== ""`)
		require.Empty(t, p.text(t, "#audit-alert"))
		status := p.text(t, "#audit-status")
		assert.Contains(t, status, "Read 1 record of 1 associate.")
		assert.Contains(t, status, "No associate has the id 999999.")
		assert.True(t, p.js(t, `document.getElementById("audit-progress-box").hidden`), "no count of calls left over: %s", p.text(t, "#audit-progress-label"))
		screenshot(t, p.ctx, "25-audit-summary")
	})
}
