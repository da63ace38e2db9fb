package e2e

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// formPage drives the standalone page in one tab: small helpers over
// chromedp, and a count of the SOAP calls of each operation that the
// browser sent (from its network events).
type formPage struct {
	ctx   context.Context
	calls sync32Map
}

// sync32Map counts calls by SOAP operation.
type sync32Map struct{ save, list, remove atomic.Int32 }

func newFormPage(t *testing.T, srv server) *formPage {
	t.Helper()
	var console []string
	p := &formPage{ctx: browser(t, &console)}
	chromedp.ListenTarget(p.ctx, func(ev any) {
		e, ok := ev.(*network.EventRequestWillBeSent)
		if !ok || e.Request.Method != "POST" {
			return
		}
		var action string
		for k, v := range e.Request.Headers { // Chromium lower-cases fetch's header names
			if strings.EqualFold(k, "SOAPAction") {
				action, _ = v.(string)
			}
		}
		switch {
		case strings.Contains(action, "/SaveUntrustedCredentialsForAssociate"):
			p.calls.save.Add(1)
		case strings.Contains(action, "/GetUntrustedCredentialsForAssociate"):
			p.calls.list.Add(1)
		case strings.Contains(action, "/RemoveUntrustedCredentialsForAssociate"):
			p.calls.remove.Add(1)
		}
	})
	run(t, p.ctx, network.Enable(), chromedp.Navigate(srv.Page))
	waitFor(t, p.ctx, `document.body.dataset.ready === "true"`)
	return p
}

// set sets an input as typing does (input and change events).
func (p *formPage) set(t *testing.T, id, value string) {
	t.Helper()
	var ok bool
	eval(t, p.ctx, `(() => { const e = document.getElementById(`+quote(id)+`); if (!e) return false;
		e.value = `+quote(value)+`; e.dispatchEvent(new Event("input", {bubbles: true}));
		e.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, &ok)
	require.True(t, ok, "no #%s", id)
}

func (p *formPage) click(t *testing.T, sel string) {
	t.Helper()
	run(t, p.ctx, chromedp.Click(sel, chromedp.ByQuery))
}

func (p *formPage) text(t *testing.T, sel string) string {
	t.Helper()
	var s string
	eval(t, p.ctx, `(document.querySelector(`+quote(sel)+`) || {}).textContent || ""`, &s)
	return s
}

// value is an input's value.
func (p *formPage) value(t *testing.T, id string) string {
	t.Helper()
	var s string
	eval(t, p.ctx, `(document.getElementById(`+quote(id)+`) || {}).value || ""`, &s)
	return s
}

func (p *formPage) js(t *testing.T, expr string) bool {
	t.Helper()
	var b bool
	eval(t, p.ctx, `Boolean(`+expr+`)`, &b)
	return b
}

// clearResult empties the status and alert boxes, so the next wait sees
// only the next outcome.
func (p *formPage) clearResult(t *testing.T) {
	t.Helper()
	run(t, p.ctx, chromedp.Evaluate(`document.getElementById("status").textContent = ""; document.getElementById("alert").textContent = ""`, nil))
}

// TestFormSafety checks what the form does with the keyboard and around
// stored records so that nothing is saved or removed by accident, and that
// focus stays where a keyboard user can go on. The subtests are steps of one
// session and run in order.
func TestFormSafety(t *testing.T) {
	srv := startServer(t)
	p := newFormPage(t, srv)

	t.Run("log in and store a record with a secret", func(t *testing.T) {
		p.set(t, "UserName", srv.User)
		p.set(t, "Password", srv.Password)
		p.click(t, "#login")
		waitFor(t, p.ctx, `document.getElementById("Ticket").value.startsWith("7T:")`)
		p.set(t, "AssociateId", "3")
		p.set(t, "Type", "imap")
		p.set(t, "PublicValue", "keep@example.com")
		p.set(t, "SecretValue", "Keep-secret-1")
		p.clearResult(t)
		p.click(t, "#save")
		waitFor(t, p.ctx, `document.getElementById("status").textContent.includes("Saved")`)
		assert.EqualValues(t, 1, p.calls.save.Load())
	})

	t.Run("Enter in Associate ID or Type loads, never saves", func(t *testing.T) {
		for _, id := range []string{"AssociateId", "Type"} {
			lists := p.calls.list.Load()
			p.clearResult(t)
			run(t, p.ctx, chromedp.SendKeys("#"+id, kb.Enter, chromedp.ByQuery))
			waitFor(t, p.ctx, `document.getElementById("status").textContent.includes("Loaded 1 imap credential of Ola Nordmann (associate 3)")`)
			assert.Equal(t, lists+1, p.calls.list.Load(), "Enter in %s loaded", id)
			assert.EqualValues(t, 1, p.calls.save.Load(), "Enter in %s saved nothing", id)
		}
		assert.True(t, p.js(t, `!document.getElementById("records").hidden`), "the list is shown")
		assert.Contains(t, p.text(t, "#records-table tbody"), "keep@example.com")
		assert.Contains(t, p.text(t, "#records-table tbody"), "Set")
	})

	t.Run("saving an empty secret over a stored one asks first", func(t *testing.T) {
		p.set(t, "SecretValue", "")
		p.clearResult(t)
		p.click(t, "#save")
		waitFor(t, p.ctx, `document.getElementById("confirm-remove").open`)
		assert.Contains(t, p.text(t, "#confirm-text"), "with an empty one")
		assert.Contains(t, p.text(t, "#confirm-ok"), "empty secret")
		checkAccessibility(t, p.ctx, "replace-secret dialog")
		p.click(t, "#confirm-cancel")
		waitFor(t, p.ctx, `!document.getElementById("confirm-remove").open`)
		assert.EqualValues(t, 1, p.calls.save.Load(), "Cancel saved nothing")
		assert.Empty(t, p.text(t, "#status"))

		p.click(t, "#save")
		waitFor(t, p.ctx, `document.getElementById("confirm-remove").open`)
		p.click(t, "#confirm-ok")
		waitFor(t, p.ctx, `document.getElementById("status").textContent.includes("Saved")`)
		assert.EqualValues(t, 2, p.calls.save.Load(), "confirmed, it saved")
		waitFor(t, p.ctx, `document.querySelector("#records-table tbody").textContent.includes("Not set")`)
	})

	t.Run("after a removal confirmed with the keyboard, focus stays in the table", func(t *testing.T) {
		for _, pv := range []string{"a@example.com", "b@example.com"} {
			p.set(t, "PublicValue", pv)
			p.set(t, "SecretValue", "x-"+pv)
			p.clearResult(t)
			p.click(t, "#save")
			waitFor(t, p.ctx, `document.getElementById("status").textContent.includes("Saved")`)
		}
		waitFor(t, p.ctx, `document.querySelectorAll("#records-table tbody tr").length === 3`)

		// removeByKeyboard focuses row i's Remove, presses Enter, Tab to the
		// dialog's Remove (focus starts on Cancel) and Enter.
		removeByKeyboard := func(t *testing.T, i int) {
			t.Helper()
			var rows int
			eval(t, p.ctx, `document.querySelectorAll("#records-table tbody tr").length`, &rows)
			p.clearResult(t)
			run(t, p.ctx, chromedp.Evaluate(`document.querySelectorAll("#records-table tbody tr")[`+itoa(i)+`].querySelector('button[data-action="remove"]').focus()`, nil))
			run(t, p.ctx, chromedp.KeyEvent(kb.Enter))
			waitFor(t, p.ctx, `document.getElementById("confirm-remove").open && document.activeElement.id === "confirm-cancel"`)
			run(t, p.ctx, chromedp.KeyEvent("\t"))
			waitFor(t, p.ctx, `document.activeElement.id === "confirm-ok"`)
			run(t, p.ctx, chromedp.KeyEvent(kb.Enter))
			waitFor(t, p.ctx, `document.getElementById("status").textContent.includes("Removed") && !document.getElementById("form").hasAttribute("aria-busy")`)
			waitFor(t, p.ctx, `document.querySelectorAll("#records-table tbody tr").length === `+itoa(rows-1))
		}

		removeByKeyboard(t, 0)
		assert.True(t, p.js(t, `document.getElementById("records").contains(document.activeElement)`), "focus is in the table")
		assert.True(t, p.js(t, `document.activeElement === document.querySelectorAll("#records-table tbody tr")[0].querySelector('button[data-action="remove"]')`),
			"on the Remove button of the row that took the removed one's place")

		removeByKeyboard(t, 1) // the last row: no next one
		var active string
		eval(t, p.ctx, `document.activeElement.id`, &active)
		assert.Equal(t, "records-caption", active, "on the caption when no row follows")
		assert.EqualValues(t, 2, p.calls.remove.Load())
	})

	t.Run("while a call runs, the table's Remove buttons are disabled too", func(t *testing.T) {
		release := make(chan struct{})
		hold := fakeNetServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
			select { // hang until released (or the page gives up)
			case <-release:
			case <-r.Context().Done():
			}
			http.Error(w, "held", http.StatusServiceUnavailable)
		})
		waitFor(t, p.ctx, `document.querySelectorAll("#records-table tbody button").length > 0`)
		p.set(t, "Endpoint", hold)
		p.set(t, "SecretValue", "while-busy")
		p.clearResult(t)
		p.click(t, "#save")
		waitFor(t, p.ctx, `document.getElementById("form").getAttribute("aria-busy") === "true"`)
		assert.True(t, p.js(t, `Array.from(document.querySelectorAll("#records-table tbody button")).every(b => b.disabled)`),
			"no Remove can be confirmed while another call runs")
		close(release)
		waitFor(t, p.ctx, `document.getElementById("alert").dataset.kind === "http"`)
		waitFor(t, p.ctx, `!document.getElementById("form").hasAttribute("aria-busy")`)
		assert.True(t, p.js(t, `Array.from(document.querySelectorAll("#records-table tbody button")).every(b => !b.disabled)`),
			"enabled again once it ended")
		p.set(t, "Endpoint", srv.Site)
	})

	t.Run("a failed Load hides the table it did not replace", func(t *testing.T) {
		waitFor(t, p.ctx, `!document.getElementById("records").hidden`)
		p.set(t, "AssociateId", "999")
		p.clearResult(t)
		p.click(t, "#list")
		waitFor(t, p.ctx, `document.getElementById("alert").dataset.kind === "exception"`)
		assert.True(t, p.js(t, `document.getElementById("records").hidden`), "associate 3's table is not shown as 999's")
		p.set(t, "AssociateId", "3")
	})

	t.Run("no secret input invites a password manager", func(t *testing.T) {
		var bad []string
		eval(t, p.ctx, `Array.from(document.querySelectorAll('input[type=password], #Ticket, #ApplicationToken, #SecretValue, #UserName'))
			.filter(e => e.getAttribute("autocomplete") !== "off" || e.getAttribute("data-lpignore") !== "true" || !e.hasAttribute("data-1p-ignore"))
			.map(e => e.id)`, &bad)
		assert.Empty(t, bad, "inputs without autocomplete=off and the password-manager opt-outs")
		var n int
		eval(t, p.ctx, `document.querySelectorAll('input[type=password]').length`, &n)
		assert.GreaterOrEqual(t, n, 4, "the check saw the secret inputs")
	})
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestFormDuplicateKey: saving a Type and public value that another
// associate already has is refused by NetServer (the database's unique
// index), and the page says in words what that means, the server's own
// text beside it; nothing is stored for the second associate.
func TestFormDuplicateKey(t *testing.T) {
	srv := startServer(t)
	p := newFormPage(t, srv)
	p.set(t, "UserName", srv.User)
	p.set(t, "Password", srv.Password)
	p.click(t, "#login")
	waitFor(t, p.ctx, `document.getElementById("Ticket").value.startsWith("7T:")`)
	save := func(assoc string) {
		p.set(t, "AssociateId", assoc)
		p.set(t, "Type", "imap")
		p.set(t, "PublicValue", "shared.example.com")
		p.set(t, "SecretValue", "Secret-"+assoc)
		p.clearResult(t)
		p.click(t, "#save")
		waitFor(t, p.ctx, `document.getElementById("status").textContent !== "" || document.getElementById("alert").textContent !== ""`)
	}
	save("3")
	require.Contains(t, p.text(t, "#status"), "Saved", p.text(t, "#alert"))
	save("4")
	alert := p.text(t, "#alert")
	assert.Contains(t, alert, "Another associate already has a record of Type imap with public value shared.example.com: a Type and public value belong to one associate only.")
	assert.Contains(t, alert, "Cannot insert duplicate key row", "the server's own words stay")
	assert.Empty(t, zeepReadback(t, srv, "4/imap")["4/imap"], "nothing stored for associate 4")
}
