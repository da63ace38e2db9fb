package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oldLeft lists the messages of the catalogue prev (the language the page
// was in) that still show although the page now speaks cur: every message,
// plural forms too, that cur words differently. A short one counts when a
// whole text equals it; a longer one, or the longest fixed part of one
// with parameters, when it appears anywhere in what is shown.
func oldLeft(shown []string, prev, cur map[string]any) []string {
	whole := map[string]bool{}
	for _, s := range shown {
		whole[strings.TrimSpace(s)] = true
	}
	all := strings.Join(shown, "\n")
	slot := regexp.MustCompile(`\{\w+\}`)
	forms := func(v any) []string {
		switch m := v.(type) {
		case string:
			return []string{m}
		case map[string]any:
			var out []string
			for _, f := range m {
				if s, ok := f.(string); ok {
					out = append(out, s)
				}
			}
			return out
		}
		return nil
	}
	var left []string
	for key, pv := range prev {
		now := strings.Join(forms(cur[key]), "\x00")
		for _, ps := range forms(pv) {
			if strings.Contains("\x00"+now+"\x00", "\x00"+ps+"\x00") {
				continue // the same in both languages
			}
			if !slot.MatchString(ps) {
				if whole[ps] || len([]rune(ps)) >= 20 && strings.Contains(all, ps) {
					left = append(left, key+": "+ps)
				}
				continue
			}
			probe := ""
			for _, part := range slot.Split(ps, -1) {
				if p := strings.TrimSpace(part); len([]rune(p)) > len([]rune(probe)) {
					probe = p
				}
			}
			// A fixed part the new language has too ("Row" in two
			// languages' messages) proves nothing.
			if len([]rune(probe)) >= 16 && strings.Contains(all, probe) && !strings.Contains(joinAll(cur), probe) {
				left = append(left, key+": "+probe)
			}
		}
	}
	return left
}

// joinAll is every text of a catalogue, joined.
func joinAll(cat map[string]any) string {
	var b strings.Builder
	for _, v := range cat {
		switch m := v.(type) {
		case string:
			b.WriteString(m + "\x00")
		case map[string]any:
			for _, f := range m {
				if s, ok := f.(string); ok {
					b.WriteString(s + "\x00")
				}
			}
		}
	}
	return b.String()
}

// TestLanguageSwitchLeavesNoOldText puts on the page a little of
// everything socred words (the identity line, the records table with its
// buttons' aria-labels, a validation error, a batch plan with its message,
// audit rows with a summary naming a missing associate, then a file's
// problems), and switches the language through every one: after each
// switch no text of the previous language is left, visible or in an
// aria-label.
func TestLanguageSwitchLeavesNoOldText(t *testing.T) {
	srv := startServer(t)
	p := newBatchPage(t, srv)
	cats := map[string]map[string]any{}
	for _, l := range []string{"en", "nb", "sv", "da", "de", "nl"} {
		cats[l] = catalogue(t, l)
	}

	// The Credential card: the identity line, the table, an error.
	p.set(t, "AssociateId", "3")
	p.set(t, "Type", "imap")
	waitFor(t, p.ctx, `document.getElementById("associate-identity").dataset.state === "known"`)
	p.click(t, "#list")
	waitFor(t, p.ctx, `!document.getElementById("records").hidden`)

	// The Batch section: a plan of the valid rows (one refused).
	// applied once, so the audit finds records, and planned again.
	run(t, p.ctx, chromedp.Evaluate(`document.getElementById("batch-skip-invalid").checked = true`, nil))
	file := []byte("AssociateId,Type,PublicValue,SecretValue,ValidFrom,ValidTo,Comment,IsActive\r\n" +
		"3,imap,switch one,S3cret-1,2025-01-01T00:00:00Z,2099-01-01T00:00:00Z,,yes\r\n" +
		"4,imap,switch two,S3cret-2,2025-01-01T00:00:00Z,2026-01-01T00:00:00Z,,yes\r\n" +
		"5,imap,switch three,S3cret-3,2030-01-01T00:00:00Z,2025-01-01T00:00:00Z,,yes\r\n")
	p.upload(t, "switch.csv", file)
	require.False(t, p.js(t, `document.getElementById("batch-plan").hidden`), "no plan: %s", p.text(t, "#batch-alert"))
	p.apply(t)
	p.click(t, "#list") // the table now has the stored record, and its buttons
	waitFor(t, p.ctx, `document.querySelectorAll("#records-table tbody tr").length === 1`)
	p.set(t, "Type", "")
	p.click(t, "#save")
	waitFor(t, p.ctx, `document.getElementById("alert").dataset.kind === "validation"`)
	p.set(t, "Type", "imap")
	p.upload(t, "switch.csv", file)
	require.False(t, p.js(t, `document.getElementById("batch-plan").hidden`), "no plan: %s", p.text(t, "#batch-alert"))

	// The Audit: rows, and a summary that names a missing associate.
	p.set(t, "audit-associates", "3, 4, 999999")
	p.set(t, "audit-types", "imap")
	p.click(t, "#audit-run")
	waitFor(t, p.ctx, `document.getElementById("audit-status").textContent !== "" || document.getElementById("audit-alert").textContent !== ""`)
	require.Empty(t, p.text(t, "#audit-alert"))

	switchTo := func(t *testing.T, lang string) []string {
		t.Helper()
		run(t, p.ctx, chromedp.SetValue(`select[name="Language"]`, lang, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector('select[name="Language"]').dispatchEvent(new Event("change"))`, nil))
		waitFor(t, p.ctx, `document.documentElement.lang === `+quote(lang)+` && document.getElementById("save").textContent === `+
			quote(cats[lang]["action.save"].(string)))
		var shown []string
		eval(t, p.ctx, shownText, &shown)
		return shown
	}
	order := []string{"nb", "de", "nb", "sv", "da", "nl", "en", "de", "en"} // every language switched to from another
	walk := func(t *testing.T, what string) {
		prev := "en"
		for _, lang := range order {
			shown := switchTo(t, lang)
			assert.Empty(t, oldLeft(shown, cats[prev], cats[lang]), "%s: %s left after %s → %s", what, prev, prev, lang)
			prev = lang
		}
	}
	t.Run("messages, a plan and audit rows", func(t *testing.T) {
		require.NotEmpty(t, p.text(t, "#audit-table tbody"))
		require.NotEmpty(t, p.text(t, "#batch-steps tbody"))
		walk(t, "plan")
	})

	t.Run("an open dialog", func(t *testing.T) {
		run(t, p.ctx, chromedp.Evaluate(`document.querySelector('#records-table tbody button[data-action="remove"]').click()`, nil))
		waitFor(t, p.ctx, `document.getElementById("confirm-remove").open`)
		for _, lang := range []string{"de", "nb"} {
			switchTo(t, lang)
			assert.Equal(t, cats[lang]["dialog.removeTitle"], p.text(t, "#confirm-h"), "the dialog's title in %s", lang)
			assert.Equal(t, cats[lang]["dialog.removeOk"], p.text(t, "#confirm-ok"), "its button in %s", lang)
		}
		run(t, p.ctx, chromedp.Evaluate(`document.getElementById("confirm-cancel").click()`, nil))
		waitFor(t, p.ctx, `!document.getElementById("confirm-remove").open`)
	})

	t.Run("a file's problems", func(t *testing.T) {
		run(t, p.ctx, chromedp.Evaluate(`document.getElementById("batch-skip-invalid").checked = false`, nil))
		p.upload(t, "avdeling.csv", []byte("AssociateId,Type,PublicValue,SecretValue,Avdeling\r\n3,imap,x,y,z\r\n"))
		require.NotEmpty(t, p.text(t, "#batch-alert"))
		walk(t, "problems")
		screenshot(t, p.ctx, "25-switch-problems-en")
	})
}

// TestElementLanguageSwitchLeavesNoOldText: the <socred-credentials>
// element with an error on show, its lang attribute changed through every
// language: nothing of the previous one is left in its shadow root.
func TestElementLanguageSwitchLeavesNoOldText(t *testing.T) {
	srv := startServer(t)
	require.NotEmpty(t, srv.Portal)
	cats := map[string]map[string]any{}
	for _, l := range []string{"en", "nb", "sv", "da", "de", "nl"} {
		cats[l] = catalogue(t, l)
	}
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.Portal))
	waitJS(t, ctx, `document.getElementById("element").state === "ready"`)
	root := `document.getElementById("element").shadowRoot`
	run(t, ctx, chromedp.Evaluate(`(() => { const e = document.getElementById("element"); e.setAttribute("lang", "en");
		`+root+`.getElementById("Type").value = ""; `+root+`.getElementById("save").click(); })()`, nil))
	waitJS(t, ctx, root+`.getElementById("alert").textContent !== ""`)
	shown := func() []string {
		var out []string
		eval(t, ctx, `(() => { const out = []; const r = `+root+`;
			const w = document.createTreeWalker(r, NodeFilter.SHOW_TEXT);
			for (let n = w.nextNode(); n; n = w.nextNode()) {
				const e = n.parentElement;
				if (!e || !n.data.trim() || e.closest("script, style, template, code")) continue;
				if (!e.checkVisibility({checkVisibilityCSS: true})) continue;
				out.push(n.data);
			}
			for (const e of r.querySelectorAll("*")) for (const a of ["aria-label", "title", "placeholder"]) if (e.hasAttribute(a)) out.push(e.getAttribute(a));
			return out; })()`, &out)
		return out
	}
	prev := "en"
	for _, lang := range []string{"nb", "de", "sv", "da", "nl", "en"} {
		run(t, ctx, chromedp.Evaluate(`document.getElementById("element").setAttribute("lang", `+quote(lang)+`)`, nil))
		waitJS(t, ctx, root+`.getElementById("save").textContent === `+quote(cats[lang]["action.save"].(string)))
		got := shown()
		assert.Contains(t, strings.Join(got, "\n"), cats[lang]["error.title.validation"], "the error is on show in %s", lang)
		assert.Empty(t, oldLeft(got, cats[prev], cats[lang]), "%s left in the element after %s → %s", prev, prev, lang)
		prev = lang
	}
}
