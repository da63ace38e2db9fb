//go:build js && wasm

package wasm

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
	"socred/jsapi"
)

// fetchServer returns the base URL of the native test server that
// `make test-wasm` starts (web/e2e/fetchtestserver) and the demo login.
// Without it the fetch tests skip, except under CI=true where they fail.
func fetchServer(t *testing.T) (base, user, password string) {
	t.Helper()
	base = os.Getenv("SOCRED_FETCHTEST_URL")
	if base == "" {
		testenv.Missing(t, "SOCRED_FETCHTEST_URL is not set: run the fetch tests with `make test-wasm`, which starts web/e2e/fetchtestserver")
	}
	return base, os.Getenv("SOCRED_FETCHTEST_USER"), os.Getenv("SOCRED_FETCHTEST_PASSWORD")
}

// TestFetch sends real requests through the browser's fetch to the local
// NetServer and to the test server's misbehaving routes.
func TestFetch(t *testing.T) {
	base, user, password := fetchServer(t)
	obj := newAPI(t)
	site := base + "/site"

	login := mustCall(t, obj, "login", jsValue(t, map[string]any{"endpoint": site, "userName": user, "password": password}))
	require.Equal(t, true, login["ok"], "%v", login)
	ticket, _ := login["ticket"].(string)
	require.NotEmpty(t, ticket)
	assert.Equal(t, float64(1), login["associateId"])

	save := func(endpoint string, associate int, extra map[string]any) map[string]any {
		req := map[string]any{
			"endpoint": endpoint, "ticket": ticket, "associateId": associate, "type": "imap",
			"credentials": map[string]any{
				"validFrom": "2025-01-01T00:00:00Z", "validTo": "2030-01-01T00:00:00Z",
				"comment": "from the wasm test", "secretValue": "pw-1", "publicValue": "imap.example.com", "isActive": true,
			},
		}
		for k, v := range extra {
			req[k] = v
		}
		return mustCall(t, obj, "save", jsValue(t, req))
	}

	t.Run("save, list and remove", func(t *testing.T) {
		out := save(site, 3, nil)
		require.Equal(t, true, out["ok"], "%v", out)
		listReq := map[string]any{"endpoint": site, "ticket": ticket, "associateId": 3, "type": "imap"}
		list := mustCall(t, obj, "list", jsValue(t, listReq))
		require.Equal(t, true, list["ok"], "%v", list)
		records := list["credentials"].([]any)
		require.Len(t, records, 1)
		rec := records[0].(map[string]any)
		assert.Equal(t, "imap.example.com", rec["publicValue"])
		assert.Equal(t, "2030-01-01T00:00:00Z", rec["validTo"])
		assert.Equal(t, "from the wasm test", rec["comment"])

		rm := mustCall(t, obj, "remove", jsValue(t, map[string]any{
			"endpoint": site, "ticket": ticket, "associateId": 3, "type": "imap", "publicValue": "imap.example.com",
		}))
		require.Equal(t, true, rm["ok"], "%v", rm)
		list = mustCall(t, obj, "list", jsValue(t, listReq))
		assert.Empty(t, list["credentials"])
	})

	t.Run("wrong password", func(t *testing.T) {
		out := mustCall(t, obj, "login", jsValue(t, map[string]any{"endpoint": site, "userName": user, "password": "wrong"}))
		e := errorOf(t, out)
		assert.Equal(t, jsapi.KindException, e["kind"])
	})

	t.Run("exception", func(t *testing.T) {
		e := errorOf(t, save(site, 999, nil))
		assert.Equal(t, jsapi.KindException, e["kind"])
		assert.Contains(t, e["message"], "999")
		assert.NotEmpty(t, e["chain"])
	})

	t.Run("exception with markup stays text", func(t *testing.T) {
		e := errorOf(t, save(site, 666, nil))
		assert.Equal(t, jsapi.KindException, e["kind"])
		assert.Contains(t, e["message"], "<b>Associate 666 is locked</b>", "markup is passed on as text, unchanged")
	})

	t.Run("fault", func(t *testing.T) {
		e := errorOf(t, save(base+"/fault", 2, nil))
		assert.Equal(t, jsapi.KindFault, e["kind"])
		assert.Equal(t, "ActionNotSupported", e["code"])
		assert.Equal(t, float64(500), e["status"])
		assert.Contains(t, e["message"], "ContractFilter mismatch")
	})

	t.Run("HTTP 500 with HTML", func(t *testing.T) {
		e := errorOf(t, save(base+"/html500", 2, nil))
		assert.Equal(t, jsapi.KindHTTP, e["kind"])
		assert.Equal(t, float64(500), e["status"])
		assert.Contains(t, e["excerpt"], "Server Error in '/' Application.")
	})

	t.Run("SOAP 1.2 to a 1.1 server", func(t *testing.T) {
		e := errorOf(t, save(site, 2, map[string]any{"soapVersion": "1.2"}))
		assert.Equal(t, jsapi.KindHTTP, e["kind"])
		assert.Equal(t, float64(415), e["status"])
	})

	t.Run("timeout", func(t *testing.T) {
		e := errorOf(t, save(base+"/slow", 2, map[string]any{"timeoutMs": 300}))
		assert.Equal(t, jsapi.KindTimeout, e["kind"])
		assert.Equal(t, float64(300), e["timeoutMs"])
	})

	t.Run("endless body is cut", func(t *testing.T) {
		e := errorOf(t, save(base+"/big", 2, nil))
		assert.Equal(t, jsapi.KindHTTP, e["kind"])
		assert.Contains(t, e["message"], "larger than")
	})

	t.Run("refused connection", func(t *testing.T) {
		e := errorOf(t, save("http://127.0.0.1:1/site", 2, nil))
		assert.Equal(t, jsapi.KindNetwork, e["kind"])
		assert.Contains(t, e["message"], "http://127.0.0.1:1")
	})

	// The redirect routes point at /caught/, which counts what reaches it:
	// with CORS, a browser following the 307 would POST the envelope there.
	t.Run("a redirect is not followed", func(t *testing.T) {
		before := caught(t, base)
		e := errorOf(t, save(base+"/redirect", 4, nil))
		assert.Equal(t, jsapi.KindRedirect, e["kind"])
		assert.Equal(t, base, e["origin"])
		assert.Contains(t, e["message"], "does not follow redirects, because the ticket and secrets would go along")
		assert.Contains(t, e["message"], "Set the site URL to where the redirect points")
		assert.NotContains(t, e, "location", "the browser does not say where")
		login := mustCall(t, obj, "login", jsValue(t, map[string]any{"endpoint": base + "/redirect", "userName": user, "password": password}))
		assert.Equal(t, jsapi.KindRedirect, errorOf(t, login)["kind"])
		assert.Equal(t, before, caught(t, base), "the redirect's target was reached")
	})

	// Without CORS the call fails before any answer, and the no-cors
	// reachability probe, which must follow redirects, reaches the target:
	// with nothing of the call.
	t.Run("a redirect without CORS sends no envelope on", func(t *testing.T) {
		before := caught(t, base)
		e := errorOf(t, save(base+"/redirect-nocors", 4, nil))
		assert.Equal(t, jsapi.KindCORS, e["kind"], "%v", e)
		after := caught(t, base)
		assert.Equal(t, before["envelopes"], after["envelopes"], "an envelope reached the redirect's target")
		assert.Equal(t, before["requests"]+1, after["requests"], "the probe's bare GET, once")
	})

	t.Run("the proxy's refused redirect says where it points", func(t *testing.T) {
		e := errorOf(t, save(base+"/proxy-redirect", 4, nil))
		assert.Equal(t, jsapi.KindRedirect, e["kind"])
		assert.Equal(t, "https://elsewhere.example.com/Cust12345/Remote/Services88/User.svc", e["location"])
		assert.Contains(t, e["message"], "a redirect to https://elsewhere.example.com/Cust12345/Remote/Services88/User.svc")
		assert.Contains(t, e["message"], "-proxy")
	})

	t.Run("server without CORS", func(t *testing.T) {
		e := errorOf(t, save(base+"/nocors", 2, nil))
		assert.Equal(t, jsapi.KindCORS, e["kind"])
		msg := e["message"].(string)
		for _, want := range []string{"POST", "Content-Type", "SOAPAction", strings.TrimSuffix(pageOrigin(), "/")} {
			assert.Contains(t, msg, want)
		}
	})
}

// caught asks the test server how many requests reached /caught/, and how
// many of them carried a body or a SOAPAction.
func caught(t *testing.T, base string) map[string]float64 {
	t.Helper()
	ctx := context.Background()
	p, err := global("fetch").Invoke(base + "/caught-count")
	require.NoError(t, err)
	resp, err := await(ctx, p)
	require.NoError(t, err)
	p, err = resp.Call("text")
	require.NoError(t, err)
	text, err := await(ctx, p)
	require.NoError(t, err)
	s, err := text.String()
	require.NoError(t, err)
	var counts map[string]float64
	require.NoError(t, json.Unmarshal([]byte(s), &counts), "caught-count said %q", s)
	return counts
}

// TestFetchUser looks associates up through the browser's fetch in the
// local NetServer's demo directory (netserver.Demo: 3 Ola Nordmann, 6 Bjørn
// Ås, 7 deleted, 8 retired, and the guest, who may not read users).
func TestFetchUser(t *testing.T) {
	base, user, password := fetchServer(t)
	obj := newAPI(t)
	site := base + "/site"
	ticketOf := func(name string) string {
		t.Helper()
		login := mustCall(t, obj, "login", jsValue(t, map[string]any{"endpoint": site, "userName": name, "password": password}))
		require.Equal(t, true, login["ok"], "%v", login)
		ticket, _ := login["ticket"].(string)
		require.NotEmpty(t, ticket)
		return ticket
	}
	ticket := ticketOf(user)
	lookup := func(who map[string]any) map[string]any {
		t.Helper()
		req := map[string]any{"endpoint": site, "ticket": ticket}
		for k, v := range who {
			req[k] = v
		}
		return mustCall(t, obj, "user", jsValue(t, req))
	}
	found := func(t *testing.T, out map[string]any) map[string]any {
		t.Helper()
		require.Equal(t, true, out["ok"], "%v", out)
		u, ok := out["user"].(map[string]any)
		require.True(t, ok, "no user in %v", out)
		return u
	}

	t.Run("by associate id", func(t *testing.T) {
		out := lookup(map[string]any{"associateId": 3})
		assert.Equal(t, "GetUser", out["operation"])
		assert.Equal(t, map[string]any{
			"associateId": float64(3), "name": "ON", "userName": "ola.nordmann", "fullName": "Ola Nordmann",
			"firstName": "Ola", "lastName": "Nordmann", "email": "ola.nordmann@example.no", "type": "InternalAssociate",
			"deleted": false, "retired": false,
		}, found(t, out))
	})
	t.Run("by a user name with æøå, in capitals", func(t *testing.T) {
		out := lookup(map[string]any{"userName": "BJØRN.ÅS"})
		assert.Equal(t, "GetUserFromName", out["operation"])
		u := found(t, out)
		assert.Equal(t, float64(6), u["associateId"])
		assert.Equal(t, "bjørn.ås", u["userName"])
		assert.Equal(t, "Bjørn Ås", u["fullName"])
	})
	t.Run("deleted", func(t *testing.T) {
		u := found(t, lookup(map[string]any{"associateId": "7"}))
		assert.Equal(t, "Åsa Bäckström", u["fullName"])
		assert.Equal(t, true, u["deleted"])
		assert.Equal(t, false, u["retired"])
	})
	t.Run("retired", func(t *testing.T) {
		u := found(t, lookup(map[string]any{"userName": "gunnar.odegard"}))
		assert.Equal(t, float64(8), u["associateId"])
		assert.Equal(t, true, u["retired"])
		assert.Equal(t, false, u["deleted"])
	})
	t.Run("unknown id and name: user null", func(t *testing.T) {
		for _, who := range []map[string]any{{"associateId": 999}, {"userName": "nobody"}} {
			out := lookup(who)
			require.Equal(t, true, out["ok"], "%v", out)
			require.Contains(t, out, "user", "%v", who)
			assert.Nil(t, out["user"], "%v", who)
		}
	})
	t.Run("the guest may not read users", func(t *testing.T) {
		out := mustCall(t, obj, "user", jsValue(t, map[string]any{"endpoint": site, "ticket": ticketOf("guest"), "associateId": 3}))
		e := errorOf(t, out)
		assert.Equal(t, jsapi.KindException, e["kind"])
		assert.Equal(t, "You do not have the right to read users.", e["message"])
	})
	t.Run("an invalid ticket", func(t *testing.T) {
		out := mustCall(t, obj, "user", jsValue(t, map[string]any{"endpoint": site, "ticket": "7T:bm90LWEtdGlja2V0", "associateId": 3}))
		e := errorOf(t, out)
		assert.Equal(t, jsapi.KindException, e["kind"])
		assert.Contains(t, e["message"], "not valid")
	})
	t.Run("the usual failures", func(t *testing.T) {
		e := errorOf(t, mustCall(t, obj, "user", jsValue(t, map[string]any{"endpoint": base + "/slow", "ticket": ticket, "associateId": 3, "timeoutMs": 300})))
		assert.Equal(t, jsapi.KindTimeout, e["kind"])
		e = errorOf(t, mustCall(t, obj, "user", jsValue(t, map[string]any{"endpoint": base + "/nocors", "ticket": ticket, "associateId": 3})))
		assert.Equal(t, jsapi.KindCORS, e["kind"])
		e = errorOf(t, mustCall(t, obj, "user", jsValue(t, map[string]any{"endpoint": base + "/fault", "ticket": ticket, "userName": "x"})))
		assert.Equal(t, jsapi.KindFault, e["kind"])
	})
}
