package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// kitHost serves a host page (a portal) whose body is page(socredOrigin),
// once the socred origin is known.
func kitHost(t *testing.T, page func(socred string) string) (*httptest.Server, *atomic.Value) {
	t.Helper()
	var socred atomic.Value
	socred.Store("")
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if r.URL.Query().Has("strict-connect") { // scripts from socred, but no fetch to it
			w.Header().Set("Content-Security-Policy", "script-src 'self' 'unsafe-inline' "+socred.Load().(string)+"; connect-src 'self'")
		}
		fmt.Fprint(w, page(socred.Load().(string)))
	}))
	t.Cleanup(host.Close)
	return host, &socred
}

// TestEmbedRefusedOrigin: on a host page whose origin the socred server
// does not list with -embed-origin, the element still runs its entry
// script (public code) and says, in its language, this page's origin,
// that the socred server does not list it and the flag to add, and fires
// socred-failed (kind startup); window.socred.ready rejects. On a listed
// origin, window.socred and its ready Promise are there as soon as
// customElements.whenDefined resolves; a listed origin whose CSP keeps
// socred out of connect-src is told that instead.
func TestEmbedRefusedOrigin(t *testing.T) {
	page := func(socred string) string {
		return `<!doctype html><html lang="de"><title>host</title>
<script>
window.failures = [];
document.addEventListener("socred-failed", (e) => failures.push({id: e.composedPath()[0].id, at: performance.now(), detail: e.detail}));
window.seen = null;
customElements.whenDefined("socred-credentials").then(() => {
  seen = {type: typeof window.socred, ready: Boolean(window.socred) && window.socred.ready instanceof Promise};
  window.socred.ready.then((s) => { seen.version = String(s.version); seen.api = typeof s.login; },
    (err) => { seen.rejected = String(err && err.message); });
});
</script>
<script type="module" src="` + socred + `/socred-element.js"></script>
<main><socred-credentials id="de"></socred-credentials><socred-credentials id="en" lang="en-GB"></socred-credentials>
<socred-credentials id="nb" lang="nn"></socred-credentials></main>`
	}
	refused, refusedSocred := kitHost(t, page)
	allowed, allowedSocred := kitHost(t, page)
	srv := startServer(t, "-embed-origin", allowed.URL)
	socred := strings.TrimSuffix(srv.Page, "/")
	refusedSocred.Store(socred)
	allowedSocred.Store(socred)
	var console []string
	ctx := browser(t, &console)
	text := func(t *testing.T, id string) string {
		t.Helper()
		var s string
		eval(t, ctx, `document.getElementById(`+quote(id)+`).shadowRoot.textContent`, &s)
		return s
	}

	t.Run("a refused origin is explained in the element, in its language", func(t *testing.T) {
		run(t, ctx, chromedp.Navigate(refused.URL+"/"))
		waitJS(t, ctx, `failures.length === 3 && ["de", "en", "nb"].every((id) => document.getElementById(id).state === "failed")`)
		var ms float64
		eval(t, ctx, `Math.max(...failures.map((f) => f.at))`, &ms)
		t.Logf("the three elements said it %.0f ms after navigation start", ms)
		de, en, nb := text(t, "de"), text(t, "en"), text(t, "nb")
		for name, s := range map[string]string{"de": de, "en": en, "nb": nb} {
			assert.Contains(t, s, refused.URL, name+": this page's origin")
			assert.Contains(t, s, socred, name+": the socred server")
			assert.Contains(t, s, "-embed-origin "+refused.URL, name+": the flag its operator adds")
			assert.Contains(t, s, `"embedOrigins": ["`+refused.URL+`"]`, name+": the bundle's config.json line")
			assert.Contains(t, s, "Access-Control-Allow-Origin: "+refused.URL, name+": the bundle's web.config header")
		}
		assert.Contains(t, de, "führt den Ursprung dieser Seite")
		assert.Contains(t, en, "does not list this page's origin")
		assert.Contains(t, nb, "har ikke denne sidens opprinnelse")
		var role string
		eval(t, ctx, `document.getElementById("en").shadowRoot.querySelector("[role=alert]") ? "alert" : ""`, &role)
		assert.Equal(t, "alert", role, "announced")

		var failures []struct {
			ID     string
			Detail map[string]any
		}
		eval(t, ctx, `failures`, &failures)
		require.Len(t, failures, 3)
		for _, f := range failures {
			assert.Equal(t, "startup", f.Detail["kind"], f.ID)
			assert.Equal(t, "start", f.Detail["operation"], f.ID)
			assert.Contains(t, f.Detail["message"], "-embed-origin "+refused.URL, f.ID+": the event's message is English")
		}
		var seen map[string]any
		eval(t, ctx, `seen`, &seen)
		assert.Equal(t, "object", seen["type"])
		assert.Equal(t, true, seen["ready"])
		waitJS(t, ctx, `seen.rejected !== undefined`)
		eval(t, ctx, `seen`, &seen)
		assert.Contains(t, seen["rejected"], "-embed-origin "+refused.URL, "socred.ready rejects with the reason")
		screenshot(t, ctx, "12-element-refused-origin")
	})

	t.Run("on a listed origin, window.socred is there once the element is defined", func(t *testing.T) {
		run(t, ctx, chromedp.Navigate(allowed.URL+"/"))
		waitJS(t, ctx, `seen !== null && seen.version !== undefined`)
		var seen map[string]any
		eval(t, ctx, `seen`, &seen)
		assert.Equal(t, "object", seen["type"])
		assert.Equal(t, true, seen["ready"], "socred.ready is a Promise right after whenDefined")
		assert.Equal(t, "function", seen["api"], "and resolves with the API")
		assert.NotEmpty(t, seen["version"])
		assert.Nil(t, seen["rejected"])
		waitJS(t, ctx, `["de", "en", "nb"].every((id) => document.getElementById(id).state === "ready")`)
		var n int
		eval(t, ctx, `failures.length`, &n)
		assert.Zero(t, n, "no element failed")
	})

	t.Run("a host CSP that keeps socred's origin out of connect-src is named", func(t *testing.T) {
		run(t, ctx, chromedp.Navigate(allowed.URL+"/?strict-connect"))
		waitJS(t, ctx, `failures.length === 3`)
		en := text(t, "en")
		assert.Contains(t, en, "the socred server at "+socred+" does not answer, or this page's Content-Security-Policy does not allow "+socred+" in connect-src")
		assert.NotContains(t, en, "does not list", "the origin is listed")
		assert.Contains(t, text(t, "de"), "erlaubt "+socred+" nicht in connect-src")
		waitJS(t, ctx, `seen.rejected !== undefined`)
	})
}
