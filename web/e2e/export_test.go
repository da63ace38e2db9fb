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
)

// settlement is how a buildEnvelope call settled, as the page reports it:
// the result's JSON text (getters read, keys in order) or the rejection's
// name and message; Callbacks counts the calls that the syscall/js
// function answered.
type settlement struct {
	State     string `json:"state"`
	Value     string `json:"value"`
	Callbacks int    `json:"callbacks"`
}

// settle is JavaScript: settle(fn, req) calls fn(req) and describes how it
// settled (a throw included).
const settle = `const settle = async (fn, req) => {
	try {
		const v = await fn(req);
		return {state: "fulfilled", value: JSON.stringify(v)};
	} catch (e) {
		return {state: "rejected", value: (e && e.name) + ": " + (e && e.message)};
	}
};`

// TestExportMatchesCallbacks calls socred.buildEnvelope, which takes the
// module's exports (wasm/export.go), and the syscall/js function Go
// installs, kept under Symbol.for("socred.callbacks"), with the same
// requests, valid and not: both must settle alike, byte for byte, and the
// requests JSON carries whole must not reach the syscall/js function.
func TestExportMatchesCallbacks(t *testing.T) {
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(repoRoot, "web/static"))))
	defer srv.Close()
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.URL+"/"))
	run(t, ctx, chromedp.Evaluate(`socred.ready.then(() => true)`, nil, awaitPromise))

	const creds = `credentials: {validFrom: "2025-01-01T00:00:00Z", validTo: "2026-01-01T00:00:00Z", comment: "it's <b>\"x\"</b>\n$(id)", secretValue: "s'", publicValue: "p", isActive: true}`
	tests := []struct {
		name, req string
		exported  bool // answered by the export, without the syscall/js function
	}{
		{"a save", `{endpoint: "https://crm.example.com/Cust1", applicationToken: "app", ticket: "7T:x", associateId: 2, type: "imap", ` + creds + `}`, true},
		{"a masked save, SOAP 1.2", `{maskSecrets: true, soapVersion: "1.2", endpoint: "https://crm.example.com/Cust1/", ticket: "7T:x", associateId: "2", type: "imap", ` + creds + `}`, true},
		{"a save without an endpoint", `{ticket: "7T:x", associateId: 2, type: "imap", ` + creds + `}`, true},
		{"a login", `{operation: "login", endpoint: "http://127.0.0.1:8080/", userName: "ann", password: "pw ü🔑"}`, true},
		{"a user by name", `{operation: "user", endpoint: "https://crm.example.com/Cust1", ticket: "t", userName: " bob "}`, true},
		{"a list", `{operation: "list", ticket: "t", associateId: 7, type: "imap", unknown: {deep: [1, 2]}}`, true},
		{"a remove, a lone surrogate", `{operation: "remove", ticket: "t", associateId: 5, type: "imap", publicValue: "a\ud800b"}`, true},
		{"dates as Dates", `{ticket: "t", associateId: 2, type: "imap", credentials: {validFrom: new Date(Date.UTC(2025, 0, 1)), validTo: new Date(Date.UTC(2026, 0, 1)), secretValue: "s", publicValue: "p"}}`, true},
		{"nothing", `{}`, true},
		{"wrong types", `{ticket: 5, associateId: "abc", type: true, credentials: {validFrom: "soon", validTo: "2025-01-01T08:00", isActive: "yes"}}`, true},
		{"credentials not an object", `{ticket: "t", associateId: 2, type: "imap", credentials: 5}`, true},
		{"an id out of range", `{ticket: "t", associateId: 1e12, type: "imap"}`, true},
		{"a NaN id", `{ticket: "t", associateId: NaN, type: "imap"}`, false},
		{"a fractional id", `{ticket: "t", associateId: 2.5, type: "imap"}`, false},
		{"an endpoint with a user", `{endpoint: "https://u:pw@crm.example.com/", ticket: "t", associateId: 2, type: "imap"}`, true},
		{"an endpoint with a query", `{endpoint: "https://crm.example.com/?a=1", ticket: "t", associateId: 2, type: "imap"}`, true},
		{"not a URL", `{endpoint: "crm.example.com", ticket: "t", associateId: 2, type: "imap"}`, true},
		{"an unknown operation", `{operation: "drop"}`, true},
		{"SOAP 1.3", `{soapVersion: "1.3", ticket: "t", associateId: 2, type: "imap"}`, true},
		{"a bad timeout", `{timeoutMs: -1, ticket: "t", associateId: 2, type: "imap"}`, true},
		{"a signature without a key", `{signature: {}, ticket: "t", associateId: 2, type: "imap", ` + creds + `}`, false},
		{"a BigInt", `{ticket: "t", associateId: 2n, type: "imap"}`, false},
		{"a cycle", `(() => { const r = {ticket: "t", associateId: 2, type: "imap"}; r.self = r; return r; })()`, false},
		{"an array", `[1, 2]`, false},
		{"null", `null`, false},
		{"undefined", `undefined`, false},
		{"a number", `42`, false},
		{"a string", `"save"`, false},
		{"a function", `() => 1`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got struct {
				Export, Callback settlement
			}
			run(t, ctx, chromedp.Evaluate(`(async () => {
				`+settle+`
				const cb = socred[Symbol.for("socred.callbacks")];
				const original = cb.buildEnvelope;
				let calls = 0;
				cb.buildEnvelope = req => { calls++; return original(req); };
				let exp;
				try {
					exp = await settle(socred.buildEnvelope, `+tt.req+`);
				} finally {
					cb.buildEnvelope = original;
				}
				exp.callbacks = calls;
				return {export: exp, callback: await settle(original, `+tt.req+`)};
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
	// The curl command, computed when read, is the one the syscall/js
	// function writes, and can be replaced like any property.
	var curl struct {
		Lazy, Eager string
		Set         bool
	}
	run(t, ctx, chromedp.Evaluate(`(async () => {
		const req = {endpoint: "https://crm.example.com/Cust1", ticket: "7T:x", associateId: 2, type: "imap", `+creds+`};
		const r = await socred.buildEnvelope(req);
		const lazy = r.curl;
		const eager = (await socred[Symbol.for("socred.callbacks")].buildEnvelope(req)).curl;
		r.curl = "x";
		return {lazy, eager, set: r.curl === "x" && r.curl === "x"};
	})()`, &curl, awaitPromise))
	assert.Equal(t, curl.Eager, curl.Lazy)
	assert.Contains(t, curl.Lazy, "curl --silent")
	assert.True(t, curl.Set, "curl can be assigned")
	assert.NotContains(t, strings.Join(console, "\n"), "7T:x", "nothing logged")
}

// TestExportBeforeStart calls socred.buildEnvelope while socred.wasm is
// still on its way (the server holds it back until the test lets it go),
// and after the module could not start: each rejects with an Error that
// says what to do, with a code; once the module runs, the call works.
func TestExportBeforeStart(t *testing.T) {
	files := http.FileServer(http.Dir(filepath.Join(repoRoot, "web/static")))
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/socred.wasm":
			<-release
		case "/missing/socred.wasm":
			http.NotFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	var console []string
	ctx := browser(t, &console)
	const req = `{ticket: "t", associateId: 2, type: "imap", credentials: {validFrom: "2025-01-01T00:00:00Z", validTo: "2026-01-01T00:00:00Z", secretValue: "s", publicValue: "p"}}`
	call := `(async () => {
		` + settle + `
		const r = await settle(socred.buildEnvelope, ` + req + `);
		try { await socred.buildEnvelope(` + req + `); } catch (e) { r.code = e.code; }
		return r;
	})()`
	var early struct {
		settlement
		Code string `json:"code"`
	}
	run(t, ctx, chromedp.Navigate(srv.URL+"/"))
	waitFor(t, ctx, `typeof socred === "object" && typeof socred.buildEnvelope === "function"`)
	run(t, ctx, chromedp.Evaluate(call, &early, awaitPromise))
	assert.Equal(t, "rejected", early.State)
	assert.Equal(t, "Error: socred.buildEnvelope was called before socred.wasm started: await socred.ready first.", early.Value)
	assert.Equal(t, "not-ready", early.Code)

	close(release)
	var ok bool
	run(t, ctx, chromedp.Evaluate(`socred.ready.then(() => socred.buildEnvelope(`+req+`)).then(r => r.ok)`, &ok, awaitPromise))
	assert.True(t, ok, "the call works once the module runs")

	// A page whose module cannot start: the same error, not a TypeError
	// about a missing function or the instance's internals.
	mux := http.NewServeMux()
	mux.Handle("/missing/", http.StripPrefix("/missing/", files))
	mux.HandleFunc("/missing/socred.wasm", http.NotFound)
	missing := httptest.NewServer(mux)
	defer missing.Close()
	run(t, ctx, chromedp.Navigate(missing.URL+"/missing/"))
	var failed struct {
		settlement
		Code string `json:"code"`
	}
	run(t, ctx, chromedp.Evaluate(`socred.ready.then(() => ({state: "started"}), () => `+call+`)`, &failed, awaitPromise))
	assert.Equal(t, "rejected", failed.State)
	assert.Equal(t, "not-ready", failed.Code)
}
