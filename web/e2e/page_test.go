package e2e

import (
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPage drives the real page, served by the socred server, against its
// local NetServer in one headless Chromium: the subtests are steps of one
// administrator's session and run in order.
func TestPage(t *testing.T) {
	srv := startServer(t)
	other := startServer(t) // another origin, without CORS headers
	var console []string
	ctx := browser(t, &console)

	var soapRequests atomic.Int32
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && strings.Contains(e.Request.URL, "/Remote/Services88/") {
			soapRequests.Add(1)
		}
	})
	run(t, ctx, network.Enable())

	const (
		token  = "app-token-e2e-1f3a"
		secret = "S3cret-imap-pässword"
	)
	var ticket string

	set := func(t *testing.T, field, value string) {
		t.Helper()
		// As typing does: set the value, then fire input and change.
		var ok bool
		eval(t, ctx, `(() => { const e = document.getElementById(`+quote(field)+`); if (!e) return false;
			e.value = `+quote(value)+`; e.dispatchEvent(new Event("input", {bubbles: true}));
			e.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, &ok)
		require.True(t, ok, "no input #%s", field)
	}
	text := func(t *testing.T, sel string) string {
		t.Helper()
		var s string
		eval(t, ctx, `document.querySelector(`+quote(sel)+`).textContent`, &s)
		return s
	}
	click := func(t *testing.T, sel string) {
		t.Helper()
		run(t, ctx, chromedp.Click(sel, chromedp.ByQuery))
	}
	value := func(t *testing.T, field string) string {
		t.Helper()
		var s string
		run(t, ctx, chromedp.Value("#"+field, &s, chromedp.ByQuery))
		return s
	}
	clearResult := `document.querySelector("#status").textContent = ""; document.querySelector("#alert").textContent = ""`

	t.Run("starts ready with the local site URL", func(t *testing.T) {
		run(t, ctx, chromedp.Navigate(srv.Page))
		waitFor(t, ctx, `document.body.dataset.ready === "true"`)
		assert.Equal(t, srv.Site, value(t, "Endpoint"))
		assert.Contains(t, text(t, "#version"), "socred ")
		assert.NotEmpty(t, text(t, "#ValidFrom-utc"), "the UTC value is shown")
		screenshot(t, ctx, "01-start")
		checkAccessibility(t, ctx, "start")
	})

	t.Run("validation errors block the request", func(t *testing.T) {
		set(t, "ApplicationToken", token)
		set(t, "AssociateId", "abc")
		set(t, "Type", "")
		set(t, "ValidTo", "")
		before := soapRequests.Load()
		click(t, "#save")
		waitFor(t, ctx, `document.querySelector("#alert").dataset.kind === "validation"`)
		assert.Equal(t, before, soapRequests.Load(), "no request reached the server")

		for _, f := range []string{"Ticket", "AssociateId", "Type", "ValidTo"} {
			var invalid, describedBy, msg string
			run(t, ctx,
				chromedp.AttributeValue("#"+f, "aria-invalid", &invalid, nil, chromedp.ByQuery),
				chromedp.AttributeValue("#"+f, "aria-describedby", &describedBy, nil, chromedp.ByQuery))
			assert.Equal(t, "true", invalid, f)
			assert.Contains(t, describedBy, f+"-error", f)
			eval(t, ctx, `(document.getElementById(`+quote(f+"-error")+`) || {}).textContent || ""`, &msg)
			assert.NotEmpty(t, msg, f)
		}
		var focused string
		eval(t, ctx, `document.activeElement.id`, &focused)
		assert.Equal(t, "Ticket", focused, "focus on the first problem")
		assert.Equal(t, "abc", value(t, "AssociateId"), "what was typed stays")
		screenshot(t, ctx, "02-validation")
		checkAccessibility(t, ctx, "validation")
	})

	t.Run("log in fills the ticket", func(t *testing.T) {
		set(t, "UserName", srv.User)
		set(t, "Password", srv.Password)
		click(t, "#login")
		waitFor(t, ctx, `document.querySelector("#Ticket").value !== ""`)
		ticket = value(t, "Ticket")
		assert.Empty(t, value(t, "Password"), "the password is cleared once used")
		assert.Contains(t, text(t, "#signed-in"), "associate 1")
	})

	t.Run("save, list and remove", func(t *testing.T) {
		set(t, "AssociateId", "2")
		set(t, "Type", "imap")
		set(t, "ValidFrom", "2025-03-01T08:30")
		set(t, "ValidTo", "2027-03-01T08:30")
		set(t, "PublicValue", "imap.example.com:993 user@example.com")
		set(t, "SecretValue", secret)
		set(t, "Comment", "Mailbox sync")
		run(t, ctx, chromedp.Evaluate(clearResult, nil))
		click(t, "#save")
		waitFor(t, ctx, `document.querySelector("#status").textContent.includes("Saved")`)
		assert.Empty(t, text(t, "#alert"))
		assert.Empty(t, value(t, "Password"))

		click(t, "#list")
		waitFor(t, ctx, `document.querySelectorAll("#records-table tbody tr").length === 1`)
		assert.Contains(t, text(t, "#records-table tbody"), "imap.example.com:993 user@example.com")
		assert.NotContains(t, text(t, "#records-table"), secret, "the table never shows the secret")
		screenshot(t, ctx, "03-list")
		checkAccessibility(t, ctx, "list")

		click(t, `#records-table tbody button[data-action="remove"]`)
		waitFor(t, ctx, `document.querySelector("#confirm-remove").open`)
		assert.Contains(t, text(t, "#confirm-text"), "imap.example.com:993")
		screenshot(t, ctx, "04-confirm-remove")
		checkAccessibility(t, ctx, "confirm")
		click(t, "#confirm-ok")
		waitFor(t, ctx, `document.querySelector("#status").textContent.includes("Removed")`)
		waitFor(t, ctx, `document.querySelectorAll("#records-table tbody tr").length === 0`)
		assert.Contains(t, text(t, "#records-caption"), "No imap credentials")
	})

	t.Run("preview masks the secrets unless asked", func(t *testing.T) {
		before := soapRequests.Load()
		click(t, "#preview")
		waitFor(t, ctx, `!document.querySelector("#preview-panel").hidden`)
		xml, curl := text(t, "#preview-xml"), text(t, "#preview-curl")
		for _, s := range []string{secret, ticket, token} {
			assert.NotContains(t, xml, s)
			assert.NotContains(t, curl, s)
		}
		assert.Contains(t, xml, "{SecretValue}")
		assert.Contains(t, xml, "{Ticket}")
		assert.Contains(t, curl, srv.Site+"/Remote/Services88/User.svc")
		assert.Contains(t, text(t, "#preview-request"), "SOAPAction: ")
		screenshot(t, ctx, "05-preview")
		checkAccessibility(t, ctx, "preview")

		click(t, "#show-secrets")
		waitFor(t, ctx, `document.querySelector("#preview-xml").textContent.includes(`+quote(ticket)+`)`)
		assert.Contains(t, text(t, "#preview-xml"), secret)
		click(t, "#show-secrets")
		waitFor(t, ctx, `!document.querySelector("#preview-xml").textContent.includes(`+quote(ticket)+`)`)
		assert.Equal(t, before, soapRequests.Load(), "a preview sends nothing")
	})

	t.Run("markup in an ExceptionInfo is shown as text", func(t *testing.T) {
		set(t, "AssociateId", "666")
		run(t, ctx, chromedp.Evaluate(clearResult, nil))
		click(t, "#save")
		waitFor(t, ctx, `document.querySelector("#alert").dataset.kind === "exception"`)
		alert := text(t, "#alert")
		assert.Contains(t, alert, "<b>Associate 666 is locked</b>")
		var elements int
		var injected bool
		eval(t, ctx, `document.querySelectorAll("#alert img, #alert b, #alert script").length`, &elements)
		eval(t, ctx, `window.socredInjected === true`, &injected)
		assert.Zero(t, elements, "no element made from the server's text")
		assert.False(t, injected, "nothing from the server ran")
		assert.Equal(t, secret, value(t, "SecretValue"), "a failed save keeps what was typed")
		assert.Equal(t, "Mailbox sync", value(t, "Comment"))
		screenshot(t, ctx, "06-exception")
		checkAccessibility(t, ctx, "exception")
	})

	t.Run("a server without CORS gets the CORS diagnosis", func(t *testing.T) {
		set(t, "Endpoint", other.Site)
		set(t, "AssociateId", "2")
		run(t, ctx, chromedp.Evaluate(clearResult, nil))
		click(t, "#list")
		waitFor(t, ctx, `document.querySelector("#alert").dataset.kind === "cors"`)
		alert := text(t, "#alert")
		assert.Contains(t, alert, strings.TrimSuffix(srv.Page, "/"), "names the page's origin")
		assert.Contains(t, alert, "SOAPAction")
		screenshot(t, ctx, "07-cors")
		set(t, "Endpoint", srv.Site)
	})

	t.Run("narrow screen", func(t *testing.T) {
		run(t, ctx, chromedp.EmulateViewport(390, 844))
		screenshot(t, ctx, "08-narrow")
		checkAccessibility(t, ctx, "narrow")
		run(t, ctx, chromedp.EmulateViewport(1280, 900))
	})

	t.Run("nothing secret is stored, logged or in the URL", func(t *testing.T) {
		require.NotEmpty(t, ticket)
		var state string
		eval(t, ctx, `JSON.stringify({local: Object.entries(localStorage), session: Object.entries(sessionStorage),
			cookie: document.cookie, href: location.href})`, &state)
		for name, s := range map[string]string{"ticket": ticket, "password": srv.Password, "SecretValue": secret, "token": token} {
			assert.NotContains(t, state, s, name)
			assert.NotContains(t, strings.Join(console, "\n"), s, name+" in the console")
		}
		assert.Contains(t, state, srv.Site, "the endpoint may be remembered")
	})
}

// quote makes a JavaScript string literal.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
