package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEmbedding runs the example portal on its own origin with socred on
// another, in one headless Chromium: the <socred-credentials> element and
// the page in an iframe, the ticket handed over by the portal, messages from
// an origin that is not allowed, two independent elements, and a host page
// whose CSP lacks 'wasm-unsafe-eval'. The subtests are steps and run in order.
func TestEmbedding(t *testing.T) {
	// A host page without 'wasm-unsafe-eval', on a third origin that the
	// socred server lists with -embed-origin.
	var socredOrigin atomic.Value
	socredOrigin.Store("")
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o := socredOrigin.Load().(string)
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' "+o+"; connect-src 'self' "+o+"; style-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><title>strict host</title><script type="module" src="%s/socred-element.js"></script>
<main><h1>Strict host</h1><socred-credentials id="strict"></socred-credentials></main>`, o)
	}))
	defer host.Close()

	srv := startServer(t, "-embed-origin", host.URL)
	require.NotEmpty(t, srv.Portal, "the server printed a portal line")
	socred := strings.TrimSuffix(srv.Page, "/")
	socredOrigin.Store(socred)
	var console []string
	ctx := browser(t, &console)

	const (
		secret1 = "Elem3nt-secret-value"
		secret2 = "Fr4me-secret-value"
		secret3 = "Second-element-secret"
		forged  = "7T:forged-by-another-origin"
	)
	var ticket string
	shadow := func(id string) string {
		return `document.getElementById(` + quote(id) + `).shadowRoot`
	}
	setIn := func(t *testing.T, root, field, value string) {
		t.Helper()
		var ok bool
		eval(t, ctx, `(() => { const e = `+root+`.getElementById(`+quote(field)+`); if (!e) return false;
			e.value = `+quote(value)+`; e.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`, &ok)
		require.True(t, ok, "no #%s", field)
	}
	str := func(t *testing.T, expr string) string {
		t.Helper()
		var s string
		eval(t, ctx, expr, &s)
		return s
	}
	logCount := func(t *testing.T, source, typ string) int {
		t.Helper()
		var n int
		eval(t, ctx, `portalLog.filter(e => e.source === `+quote(source)+` && e.type === `+quote(typ)+`).length`, &n)
		return n
	}
	waitLog := func(t *testing.T, source, typ string, n int) {
		t.Helper()
		waitJS(t, ctx, `portalLog.filter(e => e.source === `+quote(source)+` && e.type === `+quote(typ)+`).length >= `+fmt.Sprint(n))
	}

	t.Run("the portal shows the element and the iframe, both ready", func(t *testing.T) {
		run(t, ctx, chromedp.Navigate(srv.Portal))
		waitJS(t, ctx, `document.getElementById("element").state === "ready"`)
		waitLog(t, "element#element", "socred-ready", 1)
		waitLog(t, "iframe", "socred:ready", 1)
		waitLog(t, "iframe", "socred:accepted", 1) // the portal's prefill
		assert.Equal(t, "2", str(t, shadow("element")+`.getElementById("AssociateId").value`))
		assert.Equal(t, "imap", str(t, shadow("element")+`.getElementById("Type").value`))
		assert.Equal(t, srv.Site, str(t, shadow("element")+`.getElementById("Endpoint").value`), "the endpoint from socred's config.json")
		var hidden bool
		eval(t, ctx, `getComputedStyle(`+shadow("element")+`.querySelector("[data-section=connection]")).display === "none"`, &hidden)
		assert.True(t, hidden, `sections="records" hides the connection part`)
		assert.Equal(t, "2", frameStr(t, ctx, srv.Page, `document.getElementById("AssociateId").value`), "the iframe took the prefill")
		assert.Equal(t, "smtp", frameStr(t, ctx, srv.Page, `document.getElementById("Type").value`))
		var accent string
		eval(t, ctx, `getComputedStyle(`+shadow("element")+`.getElementById("save")).backgroundColor`, &accent)
		assert.Equal(t, "rgb(107, 63, 160)", accent, "the portal's --socred-accent colours the button")
	})

	t.Run("the iframe ignores a ticket from an origin that is not allowed", func(t *testing.T) {
		// socred's own origin is not an embed origin: a frame from it posts
		// a ticket and a prefill to the socred iframe.
		run(t, ctx, chromedp.Evaluate(`(() => { const f = document.createElement("iframe"); f.id = "other";
			f.title = "another origin"; f.src = `+quote(srv.Page+"form.html")+`; document.body.append(f); })()`, nil))
		frameWait(t, ctx, srv.Page+"form.html", `document.readyState === "complete"`)
		before := logCount(t, "iframe", "socred:accepted")
		frameEval(t, ctx, srv.Page+"form.html", `parent.frames[0].postMessage({type: "socred:ticket", ticket: `+quote(forged)+`}, "*");
			parent.frames[0].postMessage({type: "socred:prefill", fields: {associateId: "999"}}, "*"); true`, nil)
		// Then the allowed parent sends a message, which is handled after them.
		run(t, ctx, chromedp.Evaluate(`document.getElementById("frame").contentWindow.postMessage(
			{type: "socred:prefill", fields: {comment: "from the portal"}}, `+quote(socred)+`)`, nil))
		waitLog(t, "iframe", "socred:accepted", before+1)
		assert.Equal(t, "from the portal", frameStr(t, ctx, srv.Page, `document.getElementById("Comment").value`))
		assert.Empty(t, frameStr(t, ctx, srv.Page, `document.getElementById("Ticket").value`), "the forged ticket was ignored")
		assert.Equal(t, "2", frameStr(t, ctx, srv.Page, `document.getElementById("AssociateId").value`))
		assert.Equal(t, before+1, logCount(t, "iframe", "socred:accepted"), "nothing else was accepted")

		// A wrong shape from the allowed origin is refused and changes nothing.
		failedBefore := logCount(t, "iframe", "socred:failed")
		run(t, ctx, chromedp.Evaluate(`document.getElementById("frame").contentWindow.postMessage(
			{type: "socred:prefill", fields: {associateId: "7", secretValue: "x"}}, `+quote(socred)+`)`, nil))
		waitLog(t, "iframe", "socred:failed", failedBefore+1)
		assert.Equal(t, "2", frameStr(t, ctx, srv.Page, `document.getElementById("AssociateId").value`), "all or nothing")
		run(t, ctx, chromedp.Evaluate(`document.getElementById("other").remove()`, nil))
	})

	t.Run("the portal logs in and hands the ticket to both modes", func(t *testing.T) {
		setIn(t, "document", "portal-password", srv.Password)
		run(t, ctx, chromedp.Click("#portal-login", chromedp.ByQuery))
		waitJS(t, ctx, `document.getElementById("session-state").textContent.includes("Signed in")`)
		waitJS(t, ctx, shadow("element")+`.getElementById("Ticket").value !== ""`)
		ticket = str(t, shadow("element")+`.getElementById("Ticket").value`)
		assert.True(t, strings.HasPrefix(ticket, "7T:"), "a NetServer ticket")
		frameWait(t, ctx, srv.Page, `document.getElementById("Ticket").value === `+quote(ticket))
		assert.Empty(t, str(t, `document.getElementById("portal-password").value`))
	})

	t.Run("the element saves against the local NetServer and says so", func(t *testing.T) {
		setIn(t, shadow("element"), "PublicValue", "imap.example.com element@example.com")
		setIn(t, shadow("element"), "SecretValue", secret1)
		run(t, ctx, chromedp.Evaluate(shadow("element")+`.getElementById("save").click()`, nil))
		waitLog(t, "element#element", "socred-saved", 1)
		var detail map[string]any
		eval(t, ctx, `portalLog.find(e => e.type === "socred-saved").detail`, &detail)
		assert.Equal(t, map[string]any{"associateId": float64(2), "type": "imap", "publicValue": "imap.example.com element@example.com"}, detail)
		run(t, ctx, chromedp.Evaluate(shadow("element")+`.getElementById("list").click()`, nil))
		waitJS(t, ctx, shadow("element")+`.querySelectorAll("#records-table tbody tr").length === 1`)
	})

	t.Run("the iframe saves with the portal's ticket and tells the portal", func(t *testing.T) {
		frameEval(t, ctx, srv.Page, `(() => { for (const [id, v] of [["PublicValue", "smtp.example.com frame@example.com"], ["SecretValue", `+quote(secret2)+`]]) {
			const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event("input", {bubbles: true})); }
			document.getElementById("save").click(); return true; })()`, nil)
		waitLog(t, "iframe", "socred:saved", 1)
		var detail map[string]any
		eval(t, ctx, `portalLog.find(e => e.type === "socred:saved").detail`, &detail)
		assert.Equal(t, map[string]any{"associateId": float64(2), "type": "smtp", "publicValue": "smtp.example.com frame@example.com"}, detail)
		screenshot(t, ctx, "10-portal")
		checkAccessibility(t, ctx, "portal")
	})

	t.Run("a failure message that echoes the ticket is scrubbed before it is cut", func(t *testing.T) {
		// A server whose error text repeats the ticket after 490 characters:
		// cut at 500 first, the ticket's first 10 characters would leave.
		ticketEl := regexp.MustCompile(`<ns:Ticket>([^<]*)</ns:Ticket>`)
		echo := fakeNetServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
			var sent string
			if m := ticketEl.FindSubmatch(body); m != nil {
				sent = string(m[1])
			}
			action := strings.Trim(r.Header.Get("SOAPAction"), `"`)
			op := action[strings.LastIndex(action, "/")+1:]
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			fmt.Fprintf(w, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>`+
				`<h:ExceptionInfo xmlns:h="http://www.superoffice.net/ws/crm/NetServer/Services88"><h:Message>m</h:Message>`+
				`<h:FriendlyText>Echo: %s%s</h:FriendlyText></h:ExceptionInfo>`+
				`<h:Succeeded xmlns:h="http://www.superoffice.net/ws/crm/NetServer/Services88">false</h:Succeeded></s:Header>`+
				`<s:Body><%sResponse xmlns="http://www.superoffice.net/ws/crm/NetServer/Services88"/></s:Body></s:Envelope>`,
				strings.Repeat("x", 484), html.EscapeString(sent), op)
		})
		require.NotEmpty(t, ticket)
		failed := logCount(t, "iframe", "socred:failed")
		frameEval(t, ctx, srv.Page, `(() => { const e = document.getElementById("Endpoint"); e.value = `+quote(echo)+`;
			e.dispatchEvent(new Event("input", {bubbles: true})); document.getElementById("list").click(); return true; })()`, nil)
		waitLog(t, "iframe", "socred:failed", failed+1)
		msg := str(t, `portalLog.filter(e => e.source === "iframe" && e.type === "socred:failed").pop().detail.message`)
		assert.Contains(t, msg, "Echo: xxx", "the server's text")
		assert.NotContains(t, msg, ticket[:10], "not even the ticket's start")
		assert.LessOrEqual(t, len([]rune(msg)), 500)

		// A ticket typed with spaces around it: the module sends it trimmed,
		// the server echoes the trimmed one, and the scrub must know it.
		failed = logCount(t, "iframe", "socred:failed")
		frameEval(t, ctx, srv.Page, `(() => { const tk = document.getElementById("Ticket"); tk.value = "  " + `+quote(ticket)+` + " \t";
			tk.dispatchEvent(new Event("input", {bubbles: true})); document.getElementById("list").click(); return true; })()`, nil)
		waitLog(t, "iframe", "socred:failed", failed+1)
		msg = str(t, `portalLog.filter(e => e.source === "iframe" && e.type === "socred:failed").pop().detail.message`)
		assert.Contains(t, msg, "Echo: xxx", "the server's text")
		assert.NotContains(t, msg, ticket[:10], "a ticket typed with spaces is scrubbed as it was sent")
		frameEval(t, ctx, srv.Page, `(() => { const tk = document.getElementById("Ticket"); tk.value = `+quote(ticket)+`;
			tk.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`, nil)
		frameEval(t, ctx, srv.Page, `(() => { const e = document.getElementById("Endpoint"); e.value = `+quote(srv.Site)+`;
			e.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`, nil)

		// An embedder may not point the form (and the ticket) elsewhere.
		failed = logCount(t, "iframe", "socred:failed")
		run(t, ctx, chromedp.Evaluate(`document.getElementById("frame").contentWindow.postMessage(
			{type: "socred:prefill", fields: {endpoint: `+quote(echo)+`}}, `+quote(socred)+`)`, nil))
		waitLog(t, "iframe", "socred:failed", failed+1)
		msg = str(t, `portalLog.filter(e => e.source === "iframe" && e.type === "socred:failed").pop().detail.message`)
		assert.Contains(t, msg, "not allowed", "a prefill with a foreign endpoint is refused, saying why")
		assert.Equal(t, srv.Site, frameStr(t, ctx, srv.Page, `document.getElementById("Endpoint").value`), "and changes nothing")
		var thrown string
		eval(t, ctx, `(() => { try { document.getElementById("element").prefill({endpoint: "https://evil.example/x"}); return ""; }
			catch (e) { return e.name + ": " + e.message; } })()`, &thrown)
		assert.Contains(t, thrown, "TypeError: endpoint", "the element's prefill refuses it too")
		elementFailed := logCount(t, "element#element", "socred-failed")
		run(t, ctx, chromedp.Evaluate(`document.getElementById("element").setAttribute("endpoint", "https://evil.example/x")`, nil))
		waitLog(t, "element#element", "socred-failed", elementFailed+1)
		assert.Equal(t, srv.Site, str(t, shadow("element")+`.getElementById("Endpoint").value`), "so does its endpoint attribute")
		run(t, ctx, chromedp.Evaluate(`document.getElementById("element").removeAttribute("endpoint")`, nil))
		assert.Equal(t, srv.Site, str(t, shadow("element")+`.getElementById("Endpoint").value`), "removing it goes back to socred's own endpoint")
	})

	t.Run("two elements share one module and work independently", func(t *testing.T) {
		run(t, ctx, chromedp.Evaluate(`(() => { const e = document.createElement("socred-credentials"); e.id = "second";
			e.setAttribute("associate-id", "3"); e.setAttribute("type", "smtp");
			document.getElementById("element").after(e); e.setTicket(`+quote(ticket)+`); })()`, nil))
		waitJS(t, ctx, `document.getElementById("second").state === "ready"`)
		assert.Equal(t, "3", str(t, shadow("second")+`.getElementById("AssociateId").value`))
		assert.Equal(t, "2", str(t, shadow("element")+`.getElementById("AssociateId").value`))
		var signShown, signHidden bool
		eval(t, ctx, `(() => { const s = `+shadow("second")+`.getElementById("sign"); return !s.hidden && getComputedStyle(s).display !== "none"; })()`, &signShown)
		assert.True(t, signShown, "an element without sections= offers signing (sign.js is loaded for elements too)")
		eval(t, ctx, `getComputedStyle(`+shadow("element")+`.getElementById("sign")).display === "none"`, &signHidden)
		assert.True(t, signHidden, `sections="records" hides the Sign part`)
		var scripts, wasmLoads int
		eval(t, ctx, `document.querySelectorAll('script[src$="/socred.js"]').length`, &scripts)
		eval(t, ctx, `performance.getEntriesByType("resource").filter(e => e.name === `+quote(srv.Page+"socred.wasm")+`).length`, &wasmLoads)
		assert.Equal(t, 1, scripts, "socred.js loaded once")
		assert.Equal(t, 1, wasmLoads, "socred.wasm fetched once")

		firstStatus := str(t, shadow("element")+`.getElementById("status").textContent`)
		setIn(t, shadow("second"), "PublicValue", "second")
		setIn(t, shadow("second"), "SecretValue", secret3)
		run(t, ctx, chromedp.Evaluate(shadow("second")+`.getElementById("save").click()`, nil))
		waitLog(t, "element#second", "socred-saved", 1)
		assert.Contains(t, str(t, shadow("second")+`.getElementById("status").textContent`), "associate 3")
		assert.Equal(t, firstStatus, str(t, shadow("element")+`.getElementById("status").textContent`), "the first element did not change")
		assert.Equal(t, "imap.example.com element@example.com", str(t, shadow("element")+`.getElementById("PublicValue").value`))
		assert.Equal(t, 1, logCount(t, "element#element", "socred-saved"))

		// A bad attribute is reported on that element only.
		run(t, ctx, chromedp.Evaluate(`document.getElementById("second").setAttribute("associate-id", "x\u0001")`, nil))
		waitJS(t, ctx, `portalLog.some(e => e.source === "element#second" && e.type === "socred-failed" && e.detail.field === "associate-id")`)
		assert.Equal(t, "3", str(t, shadow("second")+`.getElementById("AssociateId").value`))

		// Remove in the second: its own event, the first's table untouched.
		run(t, ctx, chromedp.Evaluate(shadow("second")+`.getElementById("list").click()`, nil))
		waitJS(t, ctx, shadow("second")+`.querySelectorAll("#records-table tbody tr").length === 1`)
		run(t, ctx, chromedp.Evaluate(shadow("second")+`.querySelector('#records-table tbody button[data-action="remove"]').click()`, nil))
		waitJS(t, ctx, shadow("second")+`.getElementById("confirm-remove").open`)
		checkAccessibility(t, ctx, "portal with a dialog open in an element")
		run(t, ctx, chromedp.Evaluate(shadow("second")+`.getElementById("confirm-ok").click()`, nil))
		waitLog(t, "element#second", "socred-removed", 1)
		var rows int
		eval(t, ctx, shadow("element")+`.querySelectorAll("#records-table tbody tr").length`, &rows)
		assert.Equal(t, 1, rows)
	})

	t.Run("no event or message carries a secret", func(t *testing.T) {
		require.NotEmpty(t, ticket)
		var all string
		eval(t, ctx, `JSON.stringify(portalLog)`, &all)
		assert.Contains(t, all, "socred-saved")
		for name, s := range map[string]string{"ticket": ticket, "password": srv.Password, "SecretValue 1": secret1,
			"SecretValue 2": secret2, "SecretValue 3": secret3, "forged ticket": forged} {
			assert.NotContains(t, all, s, name)
			assert.NotContains(t, strings.Join(console, "\n"), s, name+" in the console")
		}
	})

	t.Run("a host CSP without wasm-unsafe-eval gets a clear message", func(t *testing.T) {
		run(t, ctx, chromedp.Navigate(host.URL+"/"))
		waitJS(t, ctx, `document.getElementById("strict").state === "failed"`)
		msg := str(t, shadow("strict")+`.getElementById("startup-error").textContent`)
		assert.Contains(t, msg, "wasm-unsafe-eval")
		var visible, disabled bool
		eval(t, ctx, `!`+shadow("strict")+`.getElementById("startup-error").hidden`, &visible)
		eval(t, ctx, shadow("strict")+`.getElementById("save").disabled`, &disabled)
		assert.True(t, visible)
		assert.True(t, disabled, "nothing can be sent without the module")
		screenshot(t, ctx, "11-element-no-wasm")
	})
	t.Run("the iframe ignores its own parent when that parent's origin is not allowed", func(t *testing.T) {
		// The sibling frame above is stopped by the ev.source check; here the
		// message comes from window.parent itself, so only the exact-origin
		// check stands between it and the Ticket. A front end on a third
		// origin serves a parent page and, under the same origin, socred's
		// page (frame-ancestors relaxed to 'self', as a careless front end
		// might): the page's origin and its parent's are not embed origins.
		back, err := url.Parse(socred)
		require.NoError(t, err)
		frameAncestors := regexp.MustCompile(`frame-ancestors [^;]*`)
		proxy := &httputil.ReverseProxy{
			Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(back) },
			ModifyResponse: func(resp *http.Response) error {
				csp := resp.Header.Get("Content-Security-Policy")
				resp.Header.Set("Content-Security-Policy", frameAncestors.ReplaceAllString(csp, "frame-ancestors 'self'"))
				return nil
			},
		}
		front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/parent.html" {
				proxy.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html lang="en"><title>not allowed</title>
<script>window.got = []; addEventListener("message", (e) => got.push(e.data && e.data.type));</script>
<iframe id="f" src="/" title="socred"></iframe>`)
		}))
		defer front.Close()

		tab := ctx // the last step: it leaves the portal
		run(t, tab, chromedp.Navigate(front.URL+"/parent.html"))
		// The parent and the page share an origin here, so the parent's
		// script reaches into the frame directly.
		const frame = `document.getElementById("f").contentWindow`
		waitJS(t, tab, frame+`.document.body.dataset.ready === "true"`)
		// Count the messages the frame receives, in a listener added after
		// page.js's: once it has seen both, page.js has handled the first.
		run(t, tab, chromedp.Evaluate(`(() => { const w = `+frame+`; w.seen = 0;
			w.addEventListener("message", () => { w.seen++; });
			w.postMessage({type: "socred:ticket", ticket: `+quote(forged)+`}, "*");
			w.postMessage({type: "socred:prefill", fields: {associateId: "999"}}, "*"); })()`, nil))
		waitJS(t, tab, frame+`.seen === 2`)
		var ticketValue, associate string
		eval(t, tab, frame+`.document.getElementById("Ticket").value`, &ticketValue)
		eval(t, tab, frame+`.document.getElementById("AssociateId").value`, &associate)
		assert.Empty(t, ticketValue, "the parent's ticket was ignored")
		assert.Empty(t, associate, "and its prefill")
		var got []string
		eval(t, tab, `got`, &got)
		assert.Empty(t, got, "nothing was answered to a parent that is not allowed")
	})

}

// TestPortalHearsALateFrame: the example portal hears the iframe's
// socred:ready even when its own script runs last. portal.js is a module
// script after the element's, so on a busy machine the iframe's page could
// start first and say socred:ready before anyone listened; the portal then
// never sent it the prefill or the ticket (TestEmbedding failed so under
// make test). Here portal.js is held back until the iframe has started, if
// it can start without it.
func TestPortalHearsALateFrame(t *testing.T) {
	srv := startServer(t)
	require.NotEmpty(t, srv.Portal, "the server printed a portal line")
	var console []string
	ctx := browser(t, &console)
	paused := make(chan fetch.RequestID, 1)
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			paused <- e.RequestID
		}
	})
	run(t, ctx,
		fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*/portal.js"}}),
		// Not chromedp.Navigate: it waits for the load event, which the
		// held script holds back.
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, _, _, _, err := page.Navigate(srv.Portal).Do(ctx)
			return err
		}))
	var id fetch.RequestID
	select {
	case id = <-paused:
	case <-time.After(20 * time.Second):
		t.Fatal("the portal never asked for portal.js")
	}
	var framed bool
	eval(t, ctx, `document.getElementById("frame").hasAttribute("src")`, &framed)
	if framed {
		// The iframe loads on its own: let it get ready first.
		frameWait(t, ctx, srv.Page, `document.body.dataset.ready === "true"`)
	}
	run(t, ctx, fetch.ContinueRequest(id), fetch.Disable())
	waitJS(t, ctx, `portalLog.filter(e => e.source === "iframe" && e.type === "socred:ready").length >= 1`)
	waitJS(t, ctx, `portalLog.filter(e => e.source === "iframe" && e.type === "socred:accepted").length >= 1`)
	assert.Equal(t, "2", frameStr(t, ctx, srv.Page, `document.getElementById("AssociateId").value`), "the iframe took the portal's prefill")
}

// waitJS polls a JavaScript condition in the top frame with Evaluate:
// chromedp.Poll (waitFor) may run in an isolated world once frameEval has
// made one, where the page's globals are missing.
func waitJS(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var ok bool
		eval(t, ctx, `(() => { try { return Boolean(`+cond+`); } catch (_) { return false; } })()`, &ok)
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s stayed false for 20 s", cond)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// frameEval evaluates expr in the frame whose URL is url, in an isolated
// world (it shares the frame's DOM, not its scripts), and decodes the JSON
// result into out (if not nil).
func frameEval(t *testing.T, ctx context.Context, url, expr string, out any) {
	t.Helper()
	run(t, ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		tree, err := page.GetFrameTree().Do(ctx)
		if err != nil {
			return err
		}
		id := findFrame(tree, url)
		if id == "" {
			return fmt.Errorf("no frame at %s", url)
		}
		world, err := page.CreateIsolatedWorld(id).WithWorldName("e2e").Do(ctx)
		if err != nil {
			return err
		}
		res, exc, err := runtime.Evaluate(expr).WithContextID(world).WithReturnByValue(true).WithAwaitPromise(true).Do(ctx)
		if err != nil {
			return err
		}
		if exc != nil {
			return fmt.Errorf("in frame %s: %s", url, exc.Text)
		}
		if out == nil || res == nil || len(res.Value) == 0 {
			return nil
		}
		return json.Unmarshal(res.Value, out)
	}))
}

func findFrame(tree *page.FrameTree, url string) cdp.FrameID {
	if tree.Frame.URL == url && tree.Frame.ParentID != "" {
		return tree.Frame.ID
	}
	for _, c := range tree.ChildFrames {
		if id := findFrame(c, url); id != "" {
			return id
		}
	}
	return ""
}

// frameStr is frameEval for a string result.
func frameStr(t *testing.T, ctx context.Context, url, expr string) string {
	t.Helper()
	var s string
	frameEval(t, ctx, url, expr, &s)
	return s
}

// frameWait polls cond in the frame at url.
func frameWait(t *testing.T, ctx context.Context, url, cond string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var ok bool
		err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
			tree, err := page.GetFrameTree().Do(ctx)
			if err != nil {
				return err
			}
			id := findFrame(tree, url)
			if id == "" {
				return nil
			}
			world, err := page.CreateIsolatedWorld(id).WithWorldName("e2e").Do(ctx)
			if err != nil {
				return nil // the frame is navigating
			}
			res, exc, err := runtime.Evaluate(cond).WithContextID(world).WithReturnByValue(true).Do(ctx)
			if err == nil && exc == nil && res != nil {
				_ = json.Unmarshal(res.Value, &ok)
			}
			return nil
		}))
		require.NoError(t, err)
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("in frame %s, %s stayed false for 20 s", url, cond)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestElementBatchModule: an element whose sections name batch, on a portal
// of another origin, starts the batch module from socred's origin (a CORS
// fetch under the portal's CSP) once its Batch section is in view, and its
// template link downloads the template. Under the portal's CSP (worker-src
// blob:) the module runs in a worker started from a blob: URL; where the
// portal's policy allows no worker, in the page.
func TestElementBatchModule(t *testing.T) {
	srv := startServer(t)
	require.NotEmpty(t, srv.Portal, "the server printed a portal line")
	t.Run("in a worker", func(t *testing.T) { elementBatchModule(t, srv, "", "worker") })
	// A policy of a <meta> element adds to the header's: no worker at all.
	t.Run("no worker-src: in the page", func(t *testing.T) {
		elementBatchModule(t, srv, `const m = document.createElement("meta"); m.httpEquiv = "Content-Security-Policy";
			m.content = "worker-src 'none'"; document.head.append(m);`, "page")
	})
}

func elementBatchModule(t *testing.T, srv server, setup, mode string) {
	var console []string
	ctx := browser(t, &console)
	dir := t.TempDir()
	done := make(chan string, 2)
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*cdpbrowser.EventDownloadProgress); ok && e.State == cdpbrowser.DownloadProgressStateCompleted {
			done <- e.GUID
		}
	})
	run(t, ctx, chromedp.Navigate(srv.Portal), cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName).
		WithDownloadPath(dir).WithEventsEnabled(true))
	waitJS(t, ctx, `document.getElementById("element").state === "ready"`)
	var before bool
	eval(t, ctx, `Boolean(socred.batch.version)`, &before)
	require.False(t, before, `the portal's element (sections="records") has no Batch section: nothing loads the batch module`)

	// Far below the view (a spacer before it), so that only scrolling to it
	// starts the module.
	eval(t, ctx, `(() => { `+setup+` const gap = document.createElement("div"); gap.style.height = "3000px";
		const e = document.createElement("socred-credentials");
		e.id = "batch-element"; e.setAttribute("sections", "batch");
		document.querySelector("main").append(gap, e); window.scrollTo(0, 0); return true; })()`, nil)
	root := `document.getElementById("batch-element").shadowRoot`
	waitJS(t, ctx, `document.getElementById("batch-element").state === "ready"`)
	var started bool
	eval(t, ctx, `Boolean(socred.batch.version)`, &started)
	require.False(t, started, "the new element's Batch section is far below the view: nothing has loaded the batch module yet")
	eval(t, ctx, root+`.getElementById("batch").scrollIntoView()`, nil)
	waitJS(t, ctx, `socred.batch.version || `+root+`.getElementById("batch-alert").textContent !== ""`)
	var alert string
	eval(t, ctx, `(`+root+`.getElementById("batch-alert") || {}).textContent || ""`, &alert)
	require.Empty(t, alert, "the Batch section's message")
	var got struct{ Mode, WorkerError string }
	eval(t, ctx, `({mode: socred.batch.mode, workerError: socred.batch.workerError || ""})`, &got)
	require.Equal(t, mode, got.Mode, "socred.batch.mode (the worker's error: %q)", got.WorkerError)
	eval(t, ctx, root+`.getElementById("batch-template").click()`, nil)
	var guid string
	select {
	case guid = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("no template downloaded within 20 s")
	}
	b, err := os.ReadFile(filepath.Join(dir, guid))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "AssociateId"), "the template's header row: %.80q", b)
	assert.Equal(t, 3, strings.Count(string(b), "\r\n"), "the header and two example rows: %q", b)
}
