package e2e

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/netserver"
)

// TestSendMatchesCallbacks calls save, list, remove, login and user, which
// read, check and build an unsigned request through the module's exports
// and send it with Go's sendPrepared (wasm/export.go), and the syscall/js
// functions Go installs, kept under Symbol.for("socred.callbacks"), with
// the same requests against a local NetServer, one after the other: both
// must settle alike, byte for byte (a login's fresh ticket aside), and the
// requests JSON carries whole must not reach the syscall/js function.
func TestSendMatchesCallbacks(t *testing.T) {
	ns, err := netserver.New(netserver.Demo(netserver.DemoUser, "send-test-pw"))
	require.NoError(t, err)
	files := http.FileServer(http.Dir(filepath.Join(repoRoot, "web/static")))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			ns.ServeHTTP(w, r)
			return
		}
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.URL+"/"))
	var ticket string
	run(t, ctx, chromedp.Evaluate(`socred.ready.then(() => socred[Symbol.for("socred.callbacks")].login({endpoint: location.origin, userName: "demo", password: "send-test-pw"})).then(r => r.ticket)`, &ticket, awaitPromise))
	require.True(t, strings.HasPrefix(ticket, "7T:"), "logged in: %q", ticket)

	const creds = `credentials: {validFrom: "2025-01-01T00:00:00Z", validTo: "2126-01-01T00:00:00Z", comment: "it's <b>\"x\"</b>", secretValue: "s'", publicValue: "p", isActive: true}`
	on := `endpoint: location.origin, ticket: "` + ticket + `", `
	tests := []struct {
		name, method, req string
		exported          bool // answered by the export, without the syscall/js function
	}{
		{"a login", "login", `{endpoint: location.origin, userName: "demo", password: "send-test-pw"}`, true},
		{"a refused login", "login", `{endpoint: location.origin, userName: "demo", password: "wrong ü🔑"}`, true},
		{"a login without a password", "login", `{endpoint: location.origin, userName: "demo"}`, true},
		{"a save", "save", `{` + on + `associateId: 3, type: "imap", ` + creds + `}`, true},
		{"a save, SOAP 1.2 asked of a 1.1 server", "save", `{` + on + `soapVersion: "1.2", associateId: 3, type: "imap", ` + creds + `}`, true},
		{"a save with maskSecrets (ignored)", "save", `{maskSecrets: true, ` + on + `associateId: 4, type: "imap", ` + creds + `}`, true},
		{"a save with a stale ticket", "save", `{endpoint: location.origin, ticket: "7T:stale", associateId: 3, type: "imap", ` + creds + `}`, true},
		{"a save on the markup associate", "save", `{` + on + `associateId: 666, type: "imap", ` + creds + `}`, true},
		{"a save without an endpoint", "save", `{ticket: "t", associateId: 2, type: "imap", ` + creds + `}`, true},
		{"a save over plain http elsewhere", "save", `{endpoint: "http://crm.example.com/", ticket: "t", associateId: 2, type: "imap", ` + creds + `}`, true},
		{"a list", "list", `{` + on + `associateId: 3, type: "imap", unknown: {deep: [1, 2]}}`, true},
		{"a user by name", "user", `{` + on + `userName: " ola.nordmann "}`, true},
		{"a user by id", "user", `{` + on + `associateId: 6}`, true},
		{"an unknown user", "user", `{` + on + `userName: "nobody"}`, true},
		{"a remove", "remove", `{` + on + `associateId: 4, type: "imap", publicValue: "p"}`, true},
		{"a remove, a lone surrogate", "remove", `{` + on + `associateId: 5, type: "imap", publicValue: "a\ud800b"}`, true},
		{"dates as Dates", "save", `{` + on + `associateId: 3, type: "imap", credentials: {validFrom: new Date(Date.UTC(2025, 0, 1)), validTo: new Date(Date.UTC(2126, 0, 1)), secretValue: "s", publicValue: "p"}}`, true},
		{"nothing", "save", `{}`, true},
		{"wrong types", "save", `{ticket: 5, associateId: "abc", type: true, credentials: {validFrom: "soon", validTo: "2025-01-01T08:00", isActive: "yes"}}`, true},
		{"a bad timeout", "list", `{` + on + `timeoutMs: -1, associateId: 2, type: "imap"}`, true},
		{"a NaN id", "list", `{` + on + `associateId: NaN, type: "imap"}`, false},
		{"a signature without a key", "save", `{signature: {}, ` + on + `associateId: 2, type: "imap", ` + creds + `}`, false},
		{"a BigInt", "remove", `{` + on + `associateId: 2n, type: "imap"}`, false},
		{"an array", "list", `[1, 2]`, false},
		{"null", "user", `null`, false},
		{"undefined", "save", `undefined`, false},
		{"a string", "login", `"login"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got struct {
				Export, Callback settlement
			}
			// A login's ticket is new each time: both must have one, and
			// are compared without it.
			run(t, ctx, chromedp.Evaluate(`(async () => {
				`+settle+`
				const cb = socred[Symbol.for("socred.callbacks")];
				const original = cb.`+tt.method+`;
				let calls = 0;
				cb.`+tt.method+` = req => { calls++; return original(req); };
				const noTicket = s => {
					if (s.state !== "fulfilled") return s;
					const v = JSON.parse(s.value);
					if (typeof v.ticket === "string" && v.ticket.startsWith("7T:")) v.ticket = "a ticket";
					return {state: s.state, value: JSON.stringify(v)};
				};
				let exp;
				try {
					exp = noTicket(await settle(socred.`+tt.method+`, `+tt.req+`));
				} finally {
					cb.`+tt.method+` = original;
				}
				exp.callbacks = calls;
				return {export: exp, callback: noTicket(await settle(original, `+tt.req+`))};
			})()`, &got, awaitPromise))
			require.NotEmpty(t, got.Callback.State)
			assert.Equal(t, got.Callback.State, got.Export.State, "settled alike")
			assert.Equal(t, got.Callback.Value, got.Export.Value, "the same result")
			if tt.exported {
				assert.Zero(t, got.Export.Callbacks, "answered by the export")
			} else {
				assert.Equal(t, 1, got.Export.Callbacks, "answered by the syscall/js function")
			}
		})
	}
	// sendPrepared is not part of the API: the page's loader takes it off
	// the socred object, and it refuses a number nothing was built under.
	var hidden struct {
		Own     bool   `json:"own"`
		Unknown string `json:"unknown"`
	}
	run(t, ctx, chromedp.Evaluate(`(() => {
		const r = socred[Symbol.for("socred.callbacks")].sendPrepared(123456);
		return {own: Object.hasOwn(socred, "sendPrepared"), unknown: r instanceof Error ? r.message : String(r)};
	})()`, &hidden))
	assert.False(t, hidden.Own, "socred.sendPrepared is not left on the API")
	assert.Equal(t, "wasm: no call prepared under this number", hidden.Unknown)
	assert.NotContains(t, strings.Join(console, "\n"), ticket, "no ticket logged")
}
