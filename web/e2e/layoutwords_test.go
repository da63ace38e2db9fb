package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wordsWhole is a JavaScript function of a root that lists, in the
// records table and the audit table, every word broken inside itself: a
// line break between two letters of a word (in a cell, or in a card's
// label), where a long token (a host name, an e-mail address) may break
// only after a dot or an @, unless a piece of it is wider than its cell.
// It also lists a column header of more than two lines and a button
// whose words wrap.
const wordsWhole = `(root) => {
	const problems = [];
	const tops = (node, from, to) => {
		const r = document.createRange(); r.setStart(node, from); r.setEnd(node, to);
		const rects = [...r.getClientRects()].filter((x) => x.width > 0);
		return rects.length ? rects[0].top : null;
	};
	for (const table of [root.getElementById("records-table"), root.getElementById("audit-table")]) {
		if (!table || !table.offsetParent) continue;
		const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			const e = n.parentElement;
			if (!n.data.length || e.getBoundingClientRect().width <= 1) continue; // the visually hidden header row of the cards
			const cell = e.closest("td, th");
			const room = cell ? cell.clientWidth : Infinity;
			let last = tops(n, 0, 1);
			for (let i = 1; i < n.data.length; i++) {
				const top = tops(n, i, i + 1);
				if (top === null || last === null) { last = top; continue; }
				if (top > last + 1) {
					const before = n.data[i - 1], here = n.data[i];
					if (/\S/.test(before) && /\S/.test(here) && !/[.@\-\/]/.test(before)) {
						// a piece (between spaces, dots, @) wider than the cell may break
						const word = n.data.slice(0, i).split(/[\s.@]/).pop() + n.data.slice(i).split(/[\s.@]/)[0];
						const probe = document.createElement("span"); probe.textContent = word;
						probe.style.cssText = "position:absolute;white-space:nowrap;visibility:hidden"; e.append(probe);
						const wide = probe.getBoundingClientRect().width; probe.remove();
						if (wide <= room) problems.push(table.id + ": the word " + JSON.stringify(word) + " is broken (" + JSON.stringify(n.data) + ")");
					}
				}
				last = top;
			}
		}
		// A card's label (td::before) keeps its words whole: its column is
		// at least as wide as its longest word.
		for (const td of table.querySelectorAll("tbody td[data-label]")) {
			const cs = getComputedStyle(td);
			if (cs.display !== "grid") continue;
			const col = parseFloat(cs.gridTemplateColumns.split(" ")[0]);
			const before = getComputedStyle(td, "::before");
			for (const word of td.dataset.label.split(/\s+/)) {
				const probe = document.createElement("span"); probe.textContent = word;
				probe.style.cssText = "position:absolute;white-space:nowrap;visibility:hidden;font:" + before.font + ";letter-spacing:" + before.letterSpacing;
				td.append(probe);
				const wide = probe.getBoundingClientRect().width; probe.remove();
				if (wide > col + 0.5) problems.push(table.id + ": the label word " + JSON.stringify(word) + " (" + Math.round(wide) + " px) is wider than its column (" + Math.round(col) + " px)");
			}
		}
		for (const th of table.querySelectorAll("thead th")) {
			if (th.getBoundingClientRect().width <= 1) continue;
			const lines = new Set();
			const w = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
			for (let n = w.nextNode(); n; n = w.nextNode()) {
				const r = document.createRange(); r.selectNodeContents(n);
				for (const x of r.getClientRects()) if (x.width > 1) lines.add(Math.round(x.top));
			}
			if (lines.size > 2) problems.push(table.id + ": the header " + JSON.stringify(th.textContent) + " takes " + lines.size + " lines in " + Math.round(th.clientWidth) + " px");
		}
	}
	for (const b of root.querySelectorAll("#records-table tbody button")) {
		const r = document.createRange(); r.selectNodeContents(b.firstChild || b);
		const lines = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
		if (lines.size > 1) problems.push("the button " + JSON.stringify(b.textContent) + " wraps its words");
		if (b.scrollWidth > b.clientWidth + 1) problems.push("the button " + JSON.stringify(b.textContent) + " clips its text");
	}
	return problems;
}`

// TestWordsStayWhole loads records with a long host name into the page,
// reads them in the Audit, and measures both tables in every language at
// 390, 1024 and 1280 px: no word broken inside itself, headers of at most
// two lines, buttons on one line. It saves screenshots of nb and de under
// $SOCRED_LAYOUT_SHOTS when that is set (to look at, not kept).
func TestWordsStayWhole(t *testing.T) {
	srv := startServer(t)
	p := newBatchPage(t, srv)
	var ticket string
	eval(t, p.ctx, `document.getElementById("Ticket").value`, &ticket)
	for _, rec := range []struct{ public, comment string }{
		{"imap.proxy.example.no", "Postkasse for økonomiavdelingen"},
		{"ola.nordmann@example.com", ""},
		{"smtp.example.com", "Rotated yearly by the operations team"},
	} {
		var out struct {
			OK    bool           `json:"ok"`
			Error map[string]any `json:"error"`
		}
		run(t, p.ctx, chromedp.Evaluate(`socred.save({endpoint: `+quote(srv.Site)+`, ticket: `+quote(ticket)+`, associateId: 3, type: "imap",
			credentials: {validFrom: new Date(Date.now() - 864e5 * 400), validTo: new Date(Date.now() - 864e5 * 6), comment: `+quote(rec.comment)+`,
			publicValue: `+quote(rec.public)+`, secretValue: "s3cret", isActive: true}})`, &out, awaitPromise))
		require.True(t, out.OK, "save failed: %v", out.Error)
	}
	p.set(t, "AssociateId", "3")
	p.set(t, "Type", "imap")
	p.click(t, "#list")
	waitFor(t, p.ctx, `document.querySelectorAll("#records-table tbody tr").length === 3`)
	p.set(t, "audit-associates", "3")
	p.set(t, "audit-types", "imap")
	p.click(t, "#audit-run")
	waitFor(t, p.ctx, `document.querySelectorAll("#audit-table tbody tr").length === 3`)

	shots := os.Getenv("SOCRED_LAYOUT_SHOTS")
	for _, lang := range []string{"en", "nb", "sv", "da", "de", "nl"} {
		run(t, p.ctx, chromedp.SetValue(`select[name="Language"]`, lang, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector('select[name="Language"]').dispatchEvent(new Event("change"))`, nil))
		waitFor(t, p.ctx, `document.documentElement.lang === `+quote(lang))
		for _, w := range []int64{390, 1024, 1280} {
			run(t, p.ctx, chromedp.EmulateViewport(w, 900))
			var problems []string
			eval(t, p.ctx, `(`+wordsWhole+`)(document)`, &problems)
			assert.Empty(t, problems, "%s at %d px", lang, w)
			var fits []string
			eval(t, p.ctx, `(`+tableFits+`)(document, true)`, &fits)
			assert.Empty(t, fits, "%s at %d px", lang, w)
			if shots != "" && (lang == "nb" || lang == "de") {
				for _, id := range []string{"records", "audit"} {
					var png []byte
					run(t, p.ctx, chromedp.Screenshot("#"+id, &png, chromedp.ByID))
					require.NoError(t, os.WriteFile(filepath.Join(shots, fmt.Sprintf("%s-%s-%d.png", id, lang, w)), png, 0o644))
				}
			}
		}
	}
}
