package e2e

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKnowWhoYouAreEditing drives the identity issue's page work against the
// local NetServer: the Associate field takes an id or a user name and shows
// who that is; a deleted associate blocks Save, a retired one asks; Edit
// and Rotate secret fill the form from a listed record; the table says
// where each record stands and sorts. The subtests are steps of one session.
func TestKnowWhoYouAreEditing(t *testing.T) {
	srv := startServer(t)
	p := newFormPage(t, srv)
	identity := func(t *testing.T) string {
		t.Helper()
		return p.text(t, "#associate-identity")
	}
	// saveAPI stores a record through the JS API, as a script would; dates
	// are days from now.
	saveAPI := func(t *testing.T, id int, typ, public string, fromDays, toDays float64, active bool, secret string) {
		t.Helper()
		var out struct {
			OK    bool           `json:"ok"`
			Error map[string]any `json:"error"`
		}
		run(t, p.ctx, chromedp.Evaluate(fmt.Sprintf(`socred.save({endpoint: %s, ticket: document.getElementById("Ticket").value,
			associateId: %d, type: %s, credentials: {validFrom: new Date(Date.now() + %f * 864e5), validTo: new Date(Date.now() + %f * 864e5),
			publicValue: %s, secretValue: %s, isActive: %t}})`, quote(srv.Site), id, quote(typ), fromDays, toDays, quote(public), quote(secret), active),
			&out, awaitPromise))
		require.True(t, out.OK, "save failed: %v", out.Error)
	}

	t.Run("log in", func(t *testing.T) {
		p.set(t, "UserName", srv.User)
		p.set(t, "Password", srv.Password)
		p.click(t, "#login")
		waitFor(t, p.ctx, `document.getElementById("Ticket").value.startsWith("7T:")`)
	})

	t.Run("an id shows the person", func(t *testing.T) {
		p.set(t, "AssociateId", "3")
		waitFor(t, p.ctx, `document.getElementById("associate-identity").textContent.includes("Ola Nordmann")`)
		got := identity(t)
		for _, want := range []string{"ola.nordmann", "associate 3", "internal user"} {
			assert.Contains(t, got, want)
		}
		assert.True(t, p.js(t, `document.getElementById("associate-identity").getAttribute("role") === "status"`))
		screenshot(t, p.ctx, "16-identity-1280")
		checkAccessibility(t, p.ctx, "identity shown")
	})

	t.Run("a user name resolves the id", func(t *testing.T) {
		p.set(t, "AssociateId", "BJØRN.ÅS")
		waitFor(t, p.ctx, `document.getElementById("associate-identity").textContent.includes("Bjørn Ås")`)
		assert.Contains(t, identity(t), "associate 6")
		p.set(t, "Type", "imap")
		p.clearResult(t)
		p.click(t, "#list")
		waitFor(t, p.ctx, `document.getElementById("status").textContent.includes("Loaded")`)
		assert.Contains(t, p.text(t, "#status"), "of Bjørn Ås (associate 6)")
		assert.Contains(t, p.text(t, "#records-caption"), "Bjørn Ås (associate 6)")
	})

	t.Run("unknown ids and names say so", func(t *testing.T) {
		p.set(t, "AssociateId", "999")
		waitFor(t, p.ctx, `document.getElementById("associate-identity").dataset.state === "unknown"`)
		assert.Contains(t, identity(t), "No associate has the id 999")
		p.set(t, "AssociateId", "no.such.user")
		waitFor(t, p.ctx, `document.getElementById("associate-identity").dataset.state === "unknown"`)
		assert.Contains(t, identity(t), "No associate has the user name “no.such.user”")
		saves := p.calls.save.Load()
		p.clearResult(t)
		p.click(t, "#save")
		waitFor(t, p.ctx, `document.getElementById("alert").dataset.kind === "validation"`)
		assert.Contains(t, p.text(t, "#alert"), "no associate has the user name “no.such.user”", "the same words as the identity line and the report")
		assert.Equal(t, saves, p.calls.save.Load(), "nothing was saved")
	})

	t.Run("a changed field never shows the previous person", func(t *testing.T) {
		p.set(t, "AssociateId", "3")
		waitFor(t, p.ctx, `document.getElementById("associate-identity").textContent.includes("Ola Nordmann")`)
		p.set(t, "AssociateId", "4")
		assert.NotContains(t, identity(t), "Ola Nordmann", "the old person goes at once")
		waitFor(t, p.ctx, `document.getElementById("associate-identity").textContent.includes("Kari Nordmann")`)
	})

	t.Run("a deleted associate blocks Save, naming them", func(t *testing.T) {
		p.set(t, "AssociateId", "7")
		waitFor(t, p.ctx, `document.getElementById("associate-identity").dataset.state === "deleted"`)
		assert.Contains(t, identity(t), "Deleted")
		saves := p.calls.save.Load()
		p.set(t, "PublicValue", "deleted@example.com")
		p.set(t, "SecretValue", "never-saved")
		p.clearResult(t)
		p.click(t, "#save")
		waitFor(t, p.ctx, `document.getElementById("alert").dataset.kind === "refused"`)
		assert.Contains(t, p.text(t, "#alert"), "Åsa Bäckström (associate 7) is deleted")
		assert.Equal(t, saves, p.calls.save.Load(), "nothing was sent")
	})

	t.Run("a retired person asks first", func(t *testing.T) {
		p.set(t, "AssociateId", "8")
		waitFor(t, p.ctx, `document.getElementById("associate-identity").dataset.state === "retired"`)
		assert.Contains(t, identity(t), "Retired")
		saves := p.calls.save.Load()
		p.set(t, "PublicValue", "retired@example.com")
		p.clearResult(t)
		p.click(t, "#save")
		waitFor(t, p.ctx, `document.getElementById("confirm-remove").open`)
		assert.Contains(t, p.text(t, "#confirm-text"), "Gunnar Ødegård (associate 8) has retired")
		p.click(t, "#confirm-cancel")
		waitFor(t, p.ctx, `!document.getElementById("confirm-remove").open`)
		assert.Equal(t, saves, p.calls.save.Load(), "Cancel saved nothing")
		p.click(t, "#save")
		waitFor(t, p.ctx, `document.getElementById("confirm-remove").open`)
		p.click(t, "#confirm-ok")
		waitFor(t, p.ctx, `document.getElementById("status").textContent.includes("Saved")`)
		assert.Contains(t, p.text(t, "#status"), "Saved the imap credential for Gunnar Ødegård (associate 8).")
		assert.Equal(t, saves+1, p.calls.save.Load())
	})

	t.Run("the table says where each record stands, and sorts", func(t *testing.T) {
		saveAPI(t, 5, "smtp", "active@example.com", -10, 200, true, "s1")
		saveAPI(t, 5, "smtp", "expired@example.com", -400, -2.5, true, "s2")
		saveAPI(t, 5, "smtp", "expiring@example.com", -10, 9.5, true, "s3")
		saveAPI(t, 5, "smtp", "future@example.com", 5, 300, true, "s4")
		saveAPI(t, 5, "smtp", "inactive@example.com", -10, 100, false, "")
		p.set(t, "AssociateId", "5")
		p.set(t, "Type", "smtp")
		p.clearResult(t)
		p.click(t, "#list")
		waitFor(t, p.ctx, `document.querySelectorAll("#records-table tbody tr").length === 5`)
		statuses := func() map[string]string {
			var rows [][]string
			eval(t, p.ctx, `Array.from(document.querySelectorAll("#records-table tbody tr"), tr => [tr.cells[1].textContent, tr.cells[0].textContent])`, &rows)
			out := map[string]string{}
			for _, r := range rows {
				out[r[0]] = r[1]
			}
			return out
		}
		got := statuses()
		assert.Equal(t, "Active", got["active@example.com"])
		assert.Equal(t, "Expired 2 days ago", got["expired@example.com"])
		assert.Equal(t, "Expires in 10 days", got["expiring@example.com"])
		assert.Regexp(t, `^Not valid until `, got["future@example.com"])
		assert.Equal(t, "Inactive", got["inactive@example.com"])

		order := func() []string {
			var pv []string
			eval(t, p.ctx, `Array.from(document.querySelectorAll("#records-table tbody tr"), tr => tr.cells[1].textContent)`, &pv)
			return pv
		}
		sortOf := func(col string) string {
			var s string
			eval(t, p.ctx, `document.querySelector('#records-table th[data-sort=`+col+`]').getAttribute("aria-sort") || ""`, &s)
			return s
		}
		assert.Equal(t, "ascending", sortOf("validTo"), "sorted by Valid to by default")
		assert.Equal(t, []string{"expired@example.com", "expiring@example.com", "inactive@example.com", "active@example.com", "future@example.com"}, order())
		p.click(t, "#records-table th[data-sort=status] button")
		assert.Equal(t, "ascending", sortOf("status"))
		assert.Empty(t, sortOf("validTo"))
		assert.Equal(t, []string{"expired@example.com", "expiring@example.com", "future@example.com", "inactive@example.com", "active@example.com"}, order(), "most urgent first")
		p.click(t, "#records-table th[data-sort=status] button")
		assert.Equal(t, "descending", sortOf("status"))
		assert.Equal(t, "active@example.com", order()[0])
		assert.True(t, p.js(t, `document.activeElement === document.querySelector("#records-table th[data-sort=status] button")`), "focus stays on the header")
		run(t, p.ctx, chromedp.ScrollIntoView("#records", chromedp.ByQuery))
		screenshot(t, p.ctx, "17-expiry-1280")
		checkAccessibility(t, p.ctx, "expiry statuses")
		run(t, p.ctx, chromedp.EmulateViewport(390, 844))
		run(t, p.ctx, chromedp.ScrollIntoView("#records", chromedp.ByQuery))
		screenshot(t, p.ctx, "17-expiry-390")
		run(t, p.ctx, chromedp.EmulateViewport(1280, 900))
	})

	t.Run("Edit loads a record into the form; a new public value offers to remove the old record", func(t *testing.T) {
		row := `Array.from(document.querySelectorAll("#records-table tbody tr")).find(tr => tr.cells[1].textContent === "active@example.com")`
		run(t, p.ctx, chromedp.Evaluate(row+`.querySelector('button[data-action="edit"]').click()`, nil))
		waitFor(t, p.ctx, `!document.getElementById("editing").hidden`)
		assert.Equal(t, "active@example.com", p.value(t, "PublicValue"))
		assert.Equal(t, "s1", p.value(t, "SecretValue"), "the secret NetServer returned")
		assert.Equal(t, "smtp", p.value(t, "Type"))
		assert.Equal(t, "5", p.value(t, "AssociateId"))
		assert.Contains(t, p.text(t, "#editing-text"), "Editing the smtp credential “active@example.com” of Sam Support (associate 5)")
		p.set(t, "PublicValue", "moved@example.com")
		waitFor(t, p.ctx, `!document.getElementById("editing-key").hidden`)
		assert.Contains(t, p.text(t, "#editing-key"), "creates a new record")
		run(t, p.ctx, chromedp.Click("#editing-remove-old", chromedp.ByQuery))
		p.clearResult(t)
		p.click(t, "#save")
		waitFor(t, p.ctx, `document.getElementById("status").textContent.includes("Saved")`)
		waitFor(t, p.ctx, `!document.getElementById("form").hasAttribute("aria-busy")`)
		assert.Contains(t, p.text(t, "#status"), "removed the old record “active@example.com”")
		waitFor(t, p.ctx, `document.querySelector("#records-table tbody").textContent.includes("moved@example.com")`)
		var publics []string
		eval(t, p.ctx, `Array.from(document.querySelectorAll("#records-table tbody tr"), tr => tr.cells[1].textContent)`, &publics)
		assert.NotContains(t, publics, "active@example.com", "the old record is gone")
		assert.True(t, p.js(t, `document.getElementById("editing").hidden`), "saved: no longer editing")
	})

	t.Run("Rotate secret empties the secret, focuses it and starts now", func(t *testing.T) {
		row := `Array.from(document.querySelectorAll("#records-table tbody tr")).find(tr => tr.cells[1].textContent === "expiring@example.com")`
		before := time.Now().Add(-2 * time.Minute)
		run(t, p.ctx, chromedp.Evaluate(row+`.querySelector('button[data-action="rotate"]').click()`, nil))
		waitFor(t, p.ctx, `!document.getElementById("editing").hidden`)
		assert.Empty(t, p.value(t, "SecretValue"))
		assert.True(t, p.js(t, `document.activeElement.id === "SecretValue"`), "focus on Secret value")
		var from string
		eval(t, p.ctx, `new Date(document.getElementById("ValidFrom").value).toISOString()`, &from)
		start, err := time.Parse(time.RFC3339, from)
		require.NoError(t, err)
		assert.True(t, start.After(before) && start.Before(time.Now().Add(2*time.Minute)), "Valid from is now: %s", from)
		// Saved without a new secret, the stored one would be blanked: ask.
		p.clearResult(t)
		p.click(t, "#save")
		waitFor(t, p.ctx, `document.getElementById("confirm-remove").open`)
		assert.Contains(t, p.text(t, "#confirm-text"), "with an empty one")
		p.click(t, "#confirm-cancel")
		waitFor(t, p.ctx, `!document.getElementById("confirm-remove").open`)
		p.set(t, "SecretValue", "rotated-s3")
		p.click(t, "#save")
		waitFor(t, p.ctx, `document.getElementById("status").textContent.includes("Saved")`)
		waitFor(t, p.ctx, `!document.getElementById("form").hasAttribute("aria-busy")`) // the table's refresh
	})

	t.Run("editing a record whose secret was not returned requires one", func(t *testing.T) {
		row := `Array.from(document.querySelectorAll("#records-table tbody tr")).find(tr => tr.cells[1].textContent === "inactive@example.com")`
		run(t, p.ctx, chromedp.Evaluate(row+`.querySelector('button[data-action="edit"]').click()`, nil))
		waitFor(t, p.ctx, `!document.getElementById("editing").hidden`)
		saves := p.calls.save.Load()
		p.clearResult(t)
		p.click(t, "#save")
		waitFor(t, p.ctx, `document.getElementById("alert").dataset.kind === "validation"`)
		assert.Contains(t, p.text(t, "#SecretValue-error"), "Secret value is required when editing this record")
		assert.Equal(t, saves, p.calls.save.Load())
		p.click(t, "#edit-cancel")
	})
}

// TestIdentityNeverStale has a slow NetServer answer the first lookup after
// the field changed: its answer must not stand beside the new value.
func TestIdentityNeverStale(t *testing.T) {
	srv := startServer(t)
	userID := regexp.MustCompile(`<ns:UserId>(\d+)</ns:UserId>`)
	names := map[string]string{"3": "Ola Slow", "4": "Kari Fast"}
	slow := fakeNetServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		m := userID.FindSubmatch(body)
		if m == nil {
			http.Error(w, "only GetUser here", http.StatusBadRequest)
			return
		}
		id := string(m[1])
		if id == "3" {
			select {
			case <-time.After(1500 * time.Millisecond): // a slow server, not a wait for a race
			case <-r.Context().Done():
			}
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		fmt.Fprintf(w, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>`+
			`<h:Succeeded xmlns:h="http://www.superoffice.net/ws/crm/NetServer/Services88">true</h:Succeeded></s:Header><s:Body>`+
			`<GetUserResponse xmlns="http://www.superoffice.net/ws/crm/NetServer/Services88"><Response><AssociateId>%s</AssociateId>`+
			`<Person><FullName>%s</FullName></Person><UserName>u%s</UserName></Response></GetUserResponse></s:Body></s:Envelope>`, id, names[id], id)
	})
	p := newFormPage(t, srv)
	p.set(t, "Endpoint", slow)
	p.set(t, "Ticket", "7T:any")
	p.set(t, "AssociateId", "3")
	waitFor(t, p.ctx, `document.getElementById("associate-identity").dataset.state === "busy"`)
	p.set(t, "AssociateId", "4")
	waitFor(t, p.ctx, `document.getElementById("associate-identity").textContent.includes("Kari Fast")`)
	// The slow answer for 3 arrives after this; it must be dropped.
	waitFor(t, p.ctx, `performance.getEntriesByType("resource").filter(e => e.name.includes("/User.svc")).length >= 2`)
	assert.NotContains(t, p.text(t, "#associate-identity"), "Ola Slow")
	assert.Contains(t, p.text(t, "#associate-identity"), "associate 4")
}

// TestElementIdentity: the element's associate-id may hold a user name; its
// events carry the resolved associateId; expiry-warning-days changes the
// window of "Expires in N days".
func TestElementIdentity(t *testing.T) {
	srv := startServer(t)
	require.NotEmpty(t, srv.Portal)
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.Portal))
	waitJS(t, ctx, `document.getElementById("element").state === "ready"`)
	// The portal's associate-id="2" was there before the module started:
	// the lookup waits for it, and without a ticket asks for a login.
	root := `document.getElementById("element").shadowRoot`
	waitJS(t, ctx, `["idle", "error", "known", "unknown"].includes(`+root+`.getElementById("associate-identity").dataset.state)`)
	var before string
	eval(t, ctx, root+`.getElementById("associate-identity").textContent`, &before)
	assert.Equal(t, "Log in (or paste a ticket) to see who this is.", before)
	var login struct {
		OK     bool           `json:"ok"`
		Ticket string         `json:"ticket"`
		Error  map[string]any `json:"error"`
	}
	run(t, ctx, chromedp.Evaluate(`socred.login({endpoint: `+quote(srv.Site)+`, userName: `+quote(srv.User)+`, password: `+quote(srv.Password)+`})`, &login, awaitPromise))
	require.True(t, login.OK, "login failed: %v", login.Error)
	run(t, ctx, chromedp.Evaluate(`(() => { const e = document.getElementById("element"); e.setTicket(`+quote(login.Ticket)+`);
		e.setAttribute("associate-id", "bjørn.ås"); })()`, nil))
	waitJS(t, ctx, root+`.getElementById("associate-identity").textContent.includes("Bjørn Ås")`)

	// Save through the element: the event names associate 6, not the name.
	run(t, ctx, chromedp.Evaluate(`(() => { const r = `+root+`; const set = (id, v) => { const e = r.getElementById(id); e.value = v;
		e.dispatchEvent(new Event("input", {bubbles: true})); };
		set("PublicValue", "soon@example.com"); set("SecretValue", "Element-s3cret");
		const to = new Date(Date.now() + 10 * 864e5); to.setSeconds(0, 0);
		const pad = (n) => String(n).padStart(2, "0");
		set("ValidTo", to.getFullYear() + "-" + pad(to.getMonth() + 1) + "-" + pad(to.getDate()) + "T" + pad(to.getHours()) + ":" + pad(to.getMinutes()));
		r.getElementById("save").click(); })()`, nil))
	waitJS(t, ctx, `portalLog.some(e => e.source === "element#element" && e.type === "socred-saved")`)
	var detail map[string]any
	eval(t, ctx, `portalLog.find(e => e.source === "element#element" && e.type === "socred-saved").detail`, &detail)
	assert.Equal(t, float64(6), detail["associateId"], "the event carries the resolved id, a number")
	var all string
	eval(t, ctx, `JSON.stringify(portalLog)`, &all)
	assert.NotContains(t, all, "Element-s3cret", "no secret in an event")
	assert.NotContains(t, all, login.Ticket)

	run(t, ctx, chromedp.Evaluate(root+`.getElementById("list").click()`, nil))
	waitJS(t, ctx, root+`.querySelectorAll("#records-table tbody tr").length === 1`)
	status := func() string {
		var s string
		eval(t, ctx, root+`.querySelector("#records-table tbody tr").cells[0].textContent`, &s)
		return s
	}
	assert.Regexp(t, `^Expires in (9|10) days$`, status())
	run(t, ctx, chromedp.Evaluate(`document.getElementById("element").setAttribute("expiry-warning-days", "5")`, nil))
	waitJS(t, ctx, root+`.querySelector("#records-table tbody tr").cells[0].textContent === "Active"`)
	failed := 0
	eval(t, ctx, `portalLog.filter(e => e.type === "socred-failed").length`, &failed)
	run(t, ctx, chromedp.Evaluate(`document.getElementById("element").setAttribute("expiry-warning-days", "soon")`, nil))
	waitJS(t, ctx, `portalLog.filter(e => e.type === "socred-failed").length > `+fmt.Sprint(failed))
	assert.Equal(t, "Active", status(), "a bad value changes nothing")
}
