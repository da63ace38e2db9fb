package e2e

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// englishLeft lists the English messages of the catalogue that show on the
// page although lang says them otherwise. shown is every text the page
// shows (each text node, aria-label, title and placeholder on its own).
// For every message lang words differently: a short one counts when a
// whole text equals it ("Comment" as a column name inside a sentence does
// not); a longer one, or the longest fixed part of one with parameters,
// when it appears anywhere.
func englishLeft(t *testing.T, shown []string, en, cat map[string]any) []string {
	t.Helper()
	whole := map[string]bool{}
	for _, s := range shown {
		whole[strings.TrimSpace(s)] = true
	}
	all := strings.Join(shown, "\n")
	var left []string
	slot := regexp.MustCompile(`\{\w+\}`)
	for key, ev := range en {
		es, ok := ev.(string)
		if !ok {
			continue // plural forms: their parts are checked by the visible ones
		}
		if cs, ok := cat[key].(string); !ok || cs == es {
			continue // the same in both languages (a proper name, "Type" in Norwegian)
		}
		if !slot.MatchString(es) {
			if whole[es] || len([]rune(es)) >= 20 && strings.Contains(all, es) {
				left = append(left, key+": "+es)
			}
			continue
		}
		probe := ""
		for _, part := range slot.Split(es, -1) {
			if p := strings.TrimSpace(part); len(p) > len(probe) {
				probe = p
			}
		}
		if len([]rune(probe)) >= 16 && strings.Contains(all, probe) {
			left = append(left, key+": "+probe)
		}
	}
	return left
}

// shownText is everything on the page a person reads or hears, one text
// at a time: the text nodes (shadow roots too) of what is rendered,
// aria-labels, titles, placeholders, and the document's title.
const shownText = `(() => {
	const out = [document.title];
	const walk = (root) => {
		const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		for (let n = w.nextNode(); n; n = w.nextNode()) {
			const e = n.parentElement;
			if (!e || !n.data.trim() || e.closest("script, style, template, code")) continue; // code: technical tokens, the same in every language
			if (e.checkVisibility && !e.checkVisibility({checkVisibilityCSS: true})) continue;
			out.push(n.data);
		}
		for (const e of root.querySelectorAll("*")) {
			for (const a of ["aria-label", "title", "placeholder"]) if (e.hasAttribute(a)) out.push(e.getAttribute(a));
			if (e.shadowRoot) walk(e.shadowRoot);
		}
	};
	walk(document.body);
	return out;
})()`

// TestLanguages starts the page in Chromium with each language as the
// browser's: it chooses that language, shows no English message of the
// catalogue, words a validation error and dates in it, and passes axe.
func TestLanguages(t *testing.T) {
	srv := startServer(t)
	en := catalogue(t, "en")
	for _, lang := range []string{"nb", "sv", "da", "de", "nl"} {
		t.Run(lang, func(t *testing.T) {
			cat := catalogue(t, lang)
			var console []string
			ctx := browserWith(t, &console, chromedp.Flag("lang", lang), chromedp.Flag("accept-lang", lang))
			run(t, ctx, chromedp.Navigate(srv.Page))
			waitFor(t, ctx, `document.body.dataset.ready === "true"`)
			var htmlLang, picked string
			eval(t, ctx, `document.documentElement.lang`, &htmlLang)
			eval(t, ctx, `document.querySelector('select[name="Language"]').value`, &picked)
			assert.Equal(t, lang, htmlLang, "the page follows the browser's language")
			assert.Equal(t, lang, picked, "and the picker says so")

			var shown []string
			eval(t, ctx, shownText, &shown)
			assert.Empty(t, englishLeft(t, shown, en, cat), "English left on the %s page", lang)
			require.NotEmpty(t, shown)
			assert.Equal(t, cat["page.title"], shown[0], "the document title")

			// A date in the locale: the "sent as" line is Intl's, in lang.
			var sent, want string
			eval(t, ctx, `document.getElementById("ValidFrom-utc").textContent`, &sent)
			eval(t, ctx, `new Intl.DateTimeFormat(`+quote(lang)+`, {dateStyle: "medium", timeStyle: "short", timeZone: "UTC"})
				.format(new Date(document.getElementById("ValidFrom").value))`, &want)
			assert.Contains(t, sent, want, "the UTC line is formatted for %s", lang)

			// A validation error in lang: the title, and a problem worded
			// from the catalogue, naming the field by its label.
			run(t, ctx, chromedp.Evaluate(`document.getElementById("Type").value = ""; document.getElementById("save").click()`, nil))
			waitFor(t, ctx, `document.getElementById("alert").dataset.kind === "validation"`)
			var alert string
			eval(t, ctx, `document.getElementById("alert").textContent`, &alert)
			assert.Contains(t, alert, cat["error.title.validation"])
			required := strings.ReplaceAll(cat["problem.required"].(string), "{field}", cat["field.Type"].(string))
			assert.Contains(t, alert, required)
			eval(t, ctx, shownText, &shown)
			assert.Empty(t, englishLeft(t, shown, en, cat), "English left on the %s page with an error", lang)
			checkAccessibility(t, ctx, lang)
			if lang == "nb" || lang == "de" {
				screenshot(t, ctx, "19-language-"+lang)
			}
		})
	}
}

// TestLanguagePicker: the picker changes the page's language at once and
// remembers it; ?lang= (an iframe's) wins over both.
func TestLanguagePicker(t *testing.T) {
	srv := startServer(t)
	var console []string
	ctx := browserWith(t, &console, chromedp.Flag("lang", "en-US"), chromedp.Flag("accept-lang", "en-US"))
	run(t, ctx, chromedp.Navigate(srv.Page))
	waitFor(t, ctx, `document.body.dataset.ready === "true"`)
	sv := catalogue(t, "sv")
	run(t, ctx, chromedp.SetValue(`select[name="Language"]`, "sv", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('select[name="Language"]').dispatchEvent(new Event("change"))`, nil))
	waitFor(t, ctx, `document.documentElement.lang === "sv"`)
	waitFor(t, ctx, `document.getElementById("save").textContent === `+quote(sv["action.save"].(string)))
	var stored string
	eval(t, ctx, `localStorage.getItem("socred.lang")`, &stored)
	assert.Equal(t, "sv", stored, "the choice is remembered (not a secret)")
	run(t, ctx, chromedp.Reload())
	waitFor(t, ctx, `document.body.dataset.ready === "true"`)
	var htmlLang string
	eval(t, ctx, `document.documentElement.lang`, &htmlLang)
	assert.Equal(t, "sv", htmlLang, "remembered across a reload")
	run(t, ctx, chromedp.Navigate(srv.Page+"?lang=nn"))
	waitFor(t, ctx, `document.body.dataset.ready === "true"`)
	eval(t, ctx, `document.documentElement.lang`, &htmlLang)
	assert.Equal(t, "nb", htmlLang, "?lang= wins; Nynorsk gets Bokmål")
}

// TestElementsInTwoLanguages puts an element with lang="sv" and one with
// lang="de" on one page: each speaks its own, and a changed attribute
// re-renders.
func TestElementsInTwoLanguages(t *testing.T) {
	srv := startServer(t)
	require.NotEmpty(t, srv.Portal)
	sv, de, nl := catalogue(t, "sv"), catalogue(t, "de"), catalogue(t, "nl")
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.Portal))
	waitJS(t, ctx, `document.getElementById("element").state === "ready"`)
	run(t, ctx, chromedp.Evaluate(`(() => {
		for (const [id, lang] of [["el-sv", "sv"], ["el-de", "de"]]) {
			const e = document.createElement("socred-credentials"); e.id = id; e.setAttribute("lang", lang);
			document.getElementById("element").after(e);
		} })()`, nil))
	waitJS(t, ctx, `document.getElementById("el-sv").state === "ready" && document.getElementById("el-de").state === "ready"`)
	save := func(id string) string {
		var s string
		eval(t, ctx, `document.getElementById(`+quote(id)+`).shadowRoot.getElementById("save").textContent`, &s)
		return s
	}
	waitJS(t, ctx, `document.getElementById("el-sv").shadowRoot.getElementById("save").textContent === `+quote(sv["action.save"].(string)))
	waitJS(t, ctx, `document.getElementById("el-de").shadowRoot.getElementById("save").textContent === `+quote(de["action.save"].(string)))
	assert.Equal(t, sv["action.save"], save("el-sv"))
	assert.Equal(t, de["action.save"], save("el-de"))
	var label string
	eval(t, ctx, `document.getElementById("el-de").shadowRoot.querySelector('label[for="AssociateId"]').textContent`, &label)
	assert.Contains(t, label, de["field.AssociateId"].(string))

	run(t, ctx, chromedp.Evaluate(`document.getElementById("el-de").setAttribute("lang", "nl")`, nil))
	waitJS(t, ctx, `document.getElementById("el-de").shadowRoot.getElementById("save").textContent === `+quote(nl["action.save"].(string)))
	assert.Equal(t, sv["action.save"], save("el-sv"), "the other element keeps its language")

	// The portal's own picker: the first element follows <html lang>.
	run(t, ctx, chromedp.SetValue(`#portal-language`, "de", chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById("portal-language").dispatchEvent(new Event("change"))`, nil))
	waitJS(t, ctx, `document.getElementById("element").shadowRoot.getElementById("save").textContent === `+quote(de["action.save"].(string)))
	b, _ := json.Marshal(de["portal.session"])
	waitJS(t, ctx, `document.getElementById("session-h").textContent === `+string(b))
	frameWait(t, ctx, srv.Page, `document.documentElement.lang === "de"`)
	screenshot(t, ctx, "19-portal-de")
}
