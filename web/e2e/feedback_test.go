package e2e

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
)

// TestFeedbackWhereTheAdministratorLooks checks what a new administrator
// stumbled on: the login's result beside its button, "Signed in" gone once
// the ticket stops being good, focus kept (and visible) on the button
// pressed, fields named by their labels, network failures told apart,
// and the Type case warning. The subtests are steps of one session.
func TestFeedbackWhereTheAdministratorLooks(t *testing.T) {
	srv := startServer(t)
	p := newFormPage(t, srv)

	// near reports how far (px, vertically) the element sel is from the
	// Log in button: its answer belongs beside it.
	near := func(t *testing.T, sel string) float64 {
		t.Helper()
		var d float64
		eval(t, p.ctx, `(() => { const a = document.querySelector(`+quote(sel)+`).getBoundingClientRect();
			const b = document.getElementById("login").getBoundingClientRect(); return Math.abs(a.top - b.bottom); })()`, &d)
		return d
	}
	keyboardPress := func(t *testing.T, id string) {
		t.Helper()
		run(t, p.ctx, chromedp.Focus("#"+id, chromedp.ByQuery), chromedp.KeyEvent(kb.Enter))
	}
	focusedVisibly := func(t *testing.T, id string) {
		t.Helper()
		var state struct {
			ID      string `json:"id"`
			Visible bool   `json:"visible"`
			Outline string `json:"outline"`
		}
		eval(t, p.ctx, `(() => { const a = document.activeElement; return {id: a ? a.id : "", visible: Boolean(a && a.matches(":focus-visible")),
			outline: a ? getComputedStyle(a).outlineStyle : ""}; })()`, &state)
		assert.Equal(t, id, state.ID, "focus stays on #%s", id)
		assert.True(t, state.Visible, "#%s shows its focus ring", id)
		assert.NotEqual(t, "none", state.Outline, "#%s's focus ring is drawn", id)
	}

	t.Run("a failed login answers beside the button, and keeps the focus there", func(t *testing.T) {
		p.set(t, "UserName", srv.User)
		p.set(t, "Password", "wrong-password")
		p.clearResult(t)
		keyboardPress(t, "login")
		waitFor(t, p.ctx, `document.getElementById("login-alert").textContent !== ""`)
		assert.Contains(t, p.text(t, "#login-alert"), "did not accept the user name or password")
		assert.Less(t, near(t, "#login-alert"), 150.0, "the answer is beside the Log in button")
		assert.Empty(t, p.text(t, "#alert"), "not at the bottom of the Credential card")
		assert.True(t, p.js(t, `document.getElementById("signed-in").hidden`), "no \"Signed in\"")
		waitFor(t, p.ctx, `!document.getElementById("form").hasAttribute("aria-busy")`)
		focusedVisibly(t, "login")
		screenshot(t, p.ctx, "14-login-failed-1280")
		checkAccessibility(t, p.ctx, "failed login")
		run(t, p.ctx, chromedp.EmulateViewport(390, 844))
		run(t, p.ctx, chromedp.Evaluate(`document.getElementById("login").scrollIntoView({block: "center"})`, nil))
		screenshot(t, p.ctx, "14-login-failed-390")
		run(t, p.ctx, chromedp.EmulateViewport(1280, 900))
	})

	t.Run("signed in, until the ticket is edited, a login fails or NetServer refuses the ticket", func(t *testing.T) {
		login := func() {
			p.set(t, "Password", srv.Password)
			p.click(t, "#login")
			waitFor(t, p.ctx, `!document.getElementById("signed-in").hidden`)
			assert.Contains(t, p.text(t, "#signed-in"), "Signed in as")
			assert.Less(t, near(t, "#signed-in"), 150.0, "beside the Log in button")
			assert.Empty(t, p.text(t, "#login-alert"), "the failed login's message is gone")
		}
		login()
		p.set(t, "Ticket", "7T:typed-by-hand")
		assert.True(t, p.js(t, `document.getElementById("signed-in").hidden`), "editing the ticket signs out")

		login()
		p.set(t, "Password", "wrong")
		p.click(t, "#login")
		waitFor(t, p.ctx, `document.getElementById("login-alert").textContent !== ""`)
		assert.True(t, p.js(t, `document.getElementById("signed-in").hidden`), "a failed login signs out")

		login()
		ticket := ""
		eval(t, p.ctx, `document.getElementById("Ticket").value`, &ticket)
		// A NetServer that says the ticket has expired.
		expired := fakeNetServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			action := strings.Trim(r.Header.Get("SOAPAction"), `"`)
			op := action[strings.LastIndex(action, "/")+1:]
			fmt.Fprintf(w, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>`+
				`<h:ExceptionInfo xmlns:h="http://www.superoffice.net/ws/crm/NetServer/Services88"><h:Message>Ticket has expired</h:Message>`+
				`<h:FriendlyText>Your session has expired.</h:FriendlyText><h:ExceptionType>SuperOffice.CRM.Security.SoTicketExpiredException</h:ExceptionType></h:ExceptionInfo>`+
				`<h:Succeeded xmlns:h="http://www.superoffice.net/ws/crm/NetServer/Services88">false</h:Succeeded></s:Header>`+
				`<s:Body><%sResponse xmlns="http://www.superoffice.net/ws/crm/NetServer/Services88"/></s:Body></s:Envelope>`, op)
		})
		p.set(t, "Endpoint", expired)
		p.set(t, "AssociateId", "3")
		p.clearResult(t)
		p.click(t, "#list")
		waitFor(t, p.ctx, `document.getElementById("alert").dataset.kind === "exception"`)
		assert.True(t, p.js(t, `document.getElementById("signed-in").hidden`), "a refused ticket signs out")
		p.set(t, "Endpoint", srv.Site)
		p.set(t, "Ticket", ticket)
	})

	t.Run("after Save with the keyboard the focus stays on Save, visibly", func(t *testing.T) {
		p.set(t, "AssociateId", "3")
		p.set(t, "Type", "imap")
		p.set(t, "PublicValue", "focus@example.com")
		p.set(t, "SecretValue", "Focus-secret-1")
		p.clearResult(t)
		keyboardPress(t, "save")
		waitFor(t, p.ctx, `document.getElementById("status").textContent.includes("Saved")`)
		waitFor(t, p.ctx, `!document.getElementById("form").hasAttribute("aria-busy")`)
		focusedVisibly(t, "save")
	})

	t.Run("messages name fields by their labels", func(t *testing.T) {
		p.set(t, "ValidFrom", "2026-03-01T10:00")
		p.set(t, "ValidTo", "2026-02-01T10:00")
		p.clearResult(t)
		p.click(t, "#save")
		waitFor(t, p.ctx, `document.getElementById("alert").dataset.kind === "validation"`)
		assert.Contains(t, p.text(t, "#alert"), "Valid to must not be before Valid from")
		assert.NotContains(t, p.text(t, "#alert"), "ValidFrom")
		assert.Contains(t, p.text(t, "#ValidTo-error"), "Valid to must not be before Valid from.")
		p.set(t, "ValidTo", "2027-02-01T10:00")
	})

	t.Run("a Type that differs from a known one only in letter case asks first", func(t *testing.T) {
		saves := p.calls.save.Load()
		p.set(t, "Type", "IMAP")
		p.clearResult(t)
		p.click(t, "#save")
		waitFor(t, p.ctx, `document.getElementById("confirm-remove").open`)
		assert.Contains(t, p.text(t, "#confirm-text"), "only in letter case")
		assert.Contains(t, p.text(t, "#confirm-text"), "“imap”")
		p.click(t, "#confirm-cancel")
		waitFor(t, p.ctx, `!document.getElementById("confirm-remove").open`)
		waitFor(t, p.ctx, `document.activeElement && document.activeElement.id === "Type"`)
		assert.Equal(t, saves, p.calls.save.Load(), "nothing was saved")
		assert.Contains(t, p.text(t, "#Type-hint"), "letter for letter", "the hint says Type is a key")
		p.set(t, "Type", "imap")
	})

	t.Run("no service at the site URL marks the URL field", func(t *testing.T) {
		p.set(t, "Endpoint", srv.Page+"not-netserver")
		p.clearResult(t)
		p.click(t, "#list")
		waitFor(t, p.ctx, `document.getElementById("alert").dataset.kind === "http"`)
		assert.True(t, p.js(t, `document.getElementById("Endpoint").getAttribute("aria-invalid") === "true"`), "the URL field is marked")
		assert.Contains(t, p.text(t, "#Endpoint-error"), "NetServer site URL: there is no NetServer service at this address")
		assert.True(t, p.js(t, `document.activeElement.id === "Endpoint"`), "and focused")
		p.set(t, "Endpoint", srv.Site)
	})

	t.Run("network failures are told apart by what socred can know", func(t *testing.T) {
		// A plain-http server on this computer that answers anything at
		// once (a TLS ClientHello too: an HTTP server that waits for a line
		// end in it would hold the browser until its header timeout), and a
		// closed port.
		plain := plainHTTP(t) + "/demo"
		closed := testenv.ClosedPort(t)
		for _, tc := range []struct {
			name, endpoint, want, first string
		}{
			{"a misspelt host name", "https://socred-no-such-host.invalid/Cust1", "Open the site URL in a new tab", "misspelt"},
			{"a closed port on this computer", "http://" + closed + "/demo", "Nothing answers at " + closed, "Nothing answers"},
			{"https to a plain-http server", "https://" + plain, "http://" + plain, "answers plain http"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p.set(t, "Endpoint", tc.endpoint)
				p.clearResult(t)
				p.click(t, "#list")
				waitFor(t, p.ctx, `document.getElementById("alert").dataset.kind === "network"`)
				waitFor(t, p.ctx, `document.querySelector("#alert ol.causes li") !== null`)
				alert := p.text(t, "#alert")
				assert.Contains(t, alert, tc.want)
				var first string
				eval(t, p.ctx, `document.querySelector("#alert ol.causes li").textContent`, &first)
				assert.Contains(t, first, tc.first, "the most likely cause comes first")
				var href string
				eval(t, p.ctx, `(document.querySelector("#alert a") || {}).href || ""`, &href)
				assert.True(t, strings.HasPrefix(href, strings.SplitN(tc.endpoint, "/Cust1", 2)[0]), "a link opens the site URL: %q", href)
				if tc.first == "answers plain http" {
					checkAccessibility(t, p.ctx, "network failure")
				}
			})
		}
		p.set(t, "Endpoint", srv.Site)
	})
}

// plainHTTP listens on a loopback port and answers every connection at once
// with a plain-http 400, whatever it was sent; it returns host:port.
func plainHTTP(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				// Read what came (a request, or a ClientHello) before
				// answering: closing with unread bytes resets the
				// connection, which the browser reports as no answer.
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(5 * time.Second))
				buf := make([]byte, 64<<10)
				_, _ = c.Read(buf)
				_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
				if tc, ok := c.(*net.TCPConn); ok {
					_ = tc.CloseWrite()
				}
				_, _ = io.Copy(io.Discard, c)
			}()
		}
	}()
	return ln.Addr().String()
}

// TestElementBeforeSignIn saves in the example portal's element before the
// portal has handed it a ticket: the hidden Ticket field's problem is said
// in words the portal's user can act on, and the element tells the portal
// with kind "not-signed-in".
func TestElementBeforeSignIn(t *testing.T) {
	srv := startServer(t)
	require.NotEmpty(t, srv.Portal)
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.Portal))
	waitJS(t, ctx, `document.getElementById("element").state === "ready"`)
	root := `document.getElementById("element").shadowRoot`
	run(t, ctx, chromedp.Evaluate(root+`.getElementById("save").click()`, nil))
	waitJS(t, ctx, root+`.getElementById("alert").textContent !== ""`)
	var alert string
	eval(t, ctx, root+`.getElementById("alert").textContent`, &alert)
	assert.Contains(t, alert, "Not signed in yet")
	assert.Contains(t, alert, "Sign in to the portal first")
	assert.NotContains(t, alert, "Ticket is required", "no word about a field nobody sees")
	var marked bool
	eval(t, ctx, root+`.getElementById("Ticket").hasAttribute("aria-invalid")`, &marked)
	assert.False(t, marked, "the hidden Ticket is not marked")
	waitJS(t, ctx, `portalLog.some(e => e.type === "socred-failed" && e.detail.kind === "not-signed-in")`)
	var detail map[string]any
	eval(t, ctx, `portalLog.find(e => e.type === "socred-failed" && e.detail.kind === "not-signed-in").detail`, &detail)
	assert.Equal(t, "save", detail["operation"])
	assert.Equal(t, "Ticket", detail["field"])
	run(t, ctx, chromedp.Evaluate(root+`.getElementById("alert").scrollIntoView({block: "center"})`, nil))
	screenshot(t, ctx, "15-element-not-signed-in-1280")
	checkAccessibility(t, ctx, "element before sign-in")
	run(t, ctx, chromedp.EmulateViewport(390, 844))
	run(t, ctx, chromedp.Evaluate(root+`.getElementById("alert").scrollIntoView({block: "center"})`, nil))
	screenshot(t, ctx, "15-element-not-signed-in-390")
}

// TestIframeSections shows only the parts an iframe's URL names, as the
// element's sections attribute does, and lets socred:prefill change them.
func TestIframeSections(t *testing.T) {
	srv := startServer(t)
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.Page+"?sections=records"))
	waitFor(t, ctx, `document.body.dataset.ready === "true"`)
	shown := func(sel string) bool {
		var b bool
		eval(t, ctx, `getComputedStyle(document.querySelector(`+quote(sel)+`)).display !== "none"`, &b)
		return b
	}
	assert.False(t, shown(`[data-section=connection]`), "Connection is hidden")
	assert.False(t, shown(`#preview`), "Preview is hidden")
	assert.True(t, shown(`#list`), "Load credentials shows")
	assert.True(t, shown(`[data-section=credential]`), "the credential part always shows")
}

// TestProxyFailureIsNamed runs socred in proxy mode in front of a NetServer
// address where nothing listens: the page says that socred's proxy could
// not reach it, and why, instead of "HTTP 502 with something that is not a
// SOAP message".
func TestProxyFailureIsNamed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := ln.Addr().String()
	require.NoError(t, ln.Close())
	target := "https://" + closed + "/Cust12345"
	px := startProxy(t, target, nil)
	p := newFormPage(t, server{Page: px.Page})
	p.set(t, "UserName", "demo")
	p.set(t, "Password", "whatever")
	p.click(t, "#login")
	waitFor(t, p.ctx, `document.getElementById("login-alert").dataset.kind === "proxy"`)
	alert := p.text(t, "#login-alert")
	assert.Contains(t, alert, "socred's proxy could not reach "+target+": the connection was refused")
	assert.NotContains(t, alert, "not a SOAP message")
	screenshot(t, p.ctx, "18-proxy-failure-1280")
	checkAccessibility(t, p.ctx, "proxy failure")
	run(t, p.ctx, chromedp.EmulateViewport(390, 844))
	run(t, p.ctx, chromedp.Evaluate(`document.getElementById("login").scrollIntoView({block: "center"})`, nil))
	screenshot(t, p.ctx, "18-proxy-failure-390")
}
