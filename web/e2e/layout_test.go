package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tableFits is a JavaScript function of a root (document or shadow root)
// that lists what is wrong with the stored-credentials table's layout at the
// current width: the table wider than its wrapper, a button outside the
// card or clipped, or a short token (at most 16 characters, such as
// "imap.example.com" or a date) broken across lines. With page true, the
// page itself must not scroll sideways either.
const tableFits = `(root, page) => {
	const problems = [];
	const doc = document.documentElement;
	if (page && doc.scrollWidth > innerWidth + 1) problems.push("the document scrolls sideways: " + doc.scrollWidth + " > " + innerWidth);
	const wrap = root.querySelector("#records .table-wrap");
	if (wrap.scrollWidth > wrap.clientWidth + 1) problems.push("the table overflows its wrapper: " + wrap.scrollWidth + " > " + wrap.clientWidth);
	const card = root.getElementById("records").getBoundingClientRect();
	const buttons = root.querySelectorAll("#records-table tbody button");
	if (buttons.length === 0) problems.push("no buttons in the table");
	for (const b of buttons) {
		const r = b.getBoundingClientRect();
		if (r.width === 0 || r.height === 0) problems.push("button " + JSON.stringify(b.textContent) + " is not shown");
		if (r.left < card.left - 0.5 || r.right > card.right + 0.5) problems.push("button " + JSON.stringify(b.textContent) + " sticks out of the card: " +
			Math.round(r.left) + "–" + Math.round(r.right) + " in " + Math.round(card.left) + "–" + Math.round(card.right));
		if (b.scrollWidth > b.clientWidth + 1) problems.push("button " + JSON.stringify(b.textContent) + " clips its text");
	}
	const table = root.getElementById("records-table");
	const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const box = n.parentElement.getBoundingClientRect();
		if (box.width <= 1) continue; // visually hidden (the header row of the cards)
		for (const m of n.data.matchAll(/\S+/g)) {
			if (m[0].length > 16) continue;
			const range = document.createRange();
			range.setStart(n, m.index);
			range.setEnd(n, m.index + m[0].length);
			const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
			if (tops.size > 1) problems.push("the word " + JSON.stringify(m[0]) + " is broken across " + tops.size + " lines");
		}
	}
	return problems;
}`

// TestRecordsTableFits loads a few records with long and short values into
// the page and into the <socred-credentials> element, and measures the
// table at container widths from 320 to 1400 px: it must fit, keep every
// button whole and break no short word.
func TestRecordsTableFits(t *testing.T) {
	srv := startServer(t)
	require.NotEmpty(t, srv.Portal, "the server printed a portal line")
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.Page))
	waitFor(t, ctx, `document.body.dataset.ready === "true"`)

	// Log in and store records through the API, as a script would.
	var login struct {
		OK     bool           `json:"ok"`
		Ticket string         `json:"ticket"`
		Error  map[string]any `json:"error"`
	}
	run(t, ctx, chromedp.Evaluate(`socred.login({endpoint: `+quote(srv.Site)+`, userName: `+quote(srv.User)+`, password: `+quote(srv.Password)+`})`, &login, awaitPromise))
	require.True(t, login.OK, "login failed: %v", login.Error)
	for _, rec := range []struct{ public, comment string }{
		{"imap.example.com ola.nordmann@example.com", "Mailbox for the finance team, rotated yearly"},
		{"smtp.example.com", ""},
		{strings.Repeat("x", 60) + "@example.com", strings.Repeat("long-comment-", 8)},
	} {
		var out struct {
			OK    bool           `json:"ok"`
			Error map[string]any `json:"error"`
		}
		run(t, ctx, chromedp.Evaluate(`socred.save({endpoint: `+quote(srv.Site)+`, ticket: `+quote(login.Ticket)+`, associateId: 3, type: "imap",
			credentials: {validFrom: new Date(), validTo: new Date(Date.now() + 864e5 * 365), comment: `+quote(rec.comment)+`,
			publicValue: `+quote(rec.public)+`, secretValue: "s3cret", isActive: true}})`, &out, awaitPromise))
		require.True(t, out.OK, "save failed: %v", out.Error)
	}

	widths := []int64{320, 390, 600, 768, 1024, 1280, 1400}
	check := func(t *testing.T, root string, width int64) {
		t.Helper()
		var problems []string
		eval(t, ctx, `(`+tableFits+`)(`+root+`, `+fmt.Sprint(root == "document")+`)`, &problems)
		assert.Empty(t, problems, "at %d px", width)
	}

	t.Run("the page", func(t *testing.T) {
		set := func(id, v string) {
			run(t, ctx, chromedp.Evaluate(`(() => { const e = document.getElementById(`+quote(id)+`); e.value = `+quote(v)+`;
				e.dispatchEvent(new Event("input", {bubbles: true})); })()`, nil))
		}
		set("Ticket", login.Ticket)
		set("AssociateId", "3")
		set("Type", "imap")
		run(t, ctx, chromedp.Click("#list", chromedp.ByQuery))
		waitFor(t, ctx, `document.querySelectorAll("#records-table tbody tr").length === 3`)
		for _, w := range widths {
			run(t, ctx, chromedp.EmulateViewport(w, 900))
			check(t, "document", w)
			if w == 390 || w == 1280 {
				screenshot(t, ctx, fmt.Sprintf("12-records-table-%d", w))
			}
		}
	})

	t.Run("the element", func(t *testing.T) {
		run(t, ctx, chromedp.EmulateViewport(1500, 900), chromedp.Navigate(srv.Portal))
		waitJS(t, ctx, `document.getElementById("element").state === "ready"`)
		root := `document.getElementById("element").shadowRoot`
		run(t, ctx, chromedp.Evaluate(`(() => { const e = document.getElementById("element");
			e.setTicket(`+quote(login.Ticket)+`); e.setAttribute("associate-id", "3"); e.setAttribute("type", "imap");
			`+root+`.getElementById("list").click(); })()`, nil))
		waitJS(t, ctx, root+`.querySelectorAll("#records-table tbody tr").length === 3`)
		for _, w := range widths {
			// The element fills the width its host gives it: a portal's
			// side column, or its whole main area.
			run(t, ctx, chromedp.Evaluate(`(() => { const e = document.getElementById("element");
				e.style.width = "`+fmt.Sprint(w)+`px"; e.style.maxWidth = "none"; return e.offsetWidth; })()`, nil))
			check(t, root, w)
		}
		screenshotElement(t, ctx, root)
	})
}

// screenshotElement saves the element's stored-credentials card as
// screenshots/13-element-records.png.
func screenshotElement(t *testing.T, ctx context.Context, root string) {
	t.Helper()
	run(t, ctx, chromedp.Evaluate(`(() => { const e = document.getElementById("element"); e.style.width = "420px"; `+
		root+`.getElementById("records").scrollIntoView(); })()`, nil))
	screenshot(t, ctx, "13-element-records-420")
}
