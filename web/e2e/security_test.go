package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/soap"
)

// catcher is a loopback server that records every request reaching it and
// answers CORS for any origin, preflights included, so that a browser that
// followed a redirect to it would deliver the envelope.
type catcher struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

func newCatcher(t *testing.T) *catcher {
	t.Helper()
	c := &catcher{}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		c.mu.Lock()
		c.seen = append(c.seen, r.Method+" "+r.URL.Path+" "+string(body))
		c.mu.Unlock()
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Methods", "POST")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type, SOAPAction")
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(c.Close)
	return c
}

func (c *catcher) requests() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.seen...)
}

// redirector answers every POST with a 307 to target, and, with cors,
// answers preflights for any origin; it counts the POSTs it got.
type redirector struct {
	*httptest.Server
	mu    sync.Mutex
	posts int
}

func newRedirector(t *testing.T, target string, cors bool) *redirector {
	t.Helper()
	rd := &redirector{}
	rd.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cors {
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			if r.Method == http.MethodOptions {
				w.Header().Set("Access-Control-Allow-Methods", "POST")
				w.Header().Set("Access-Control-Allow-Headers", "Content-Type, SOAPAction")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		if r.Method == http.MethodPost {
			rd.mu.Lock()
			rd.posts++
			rd.mu.Unlock()
		}
		w.Header().Set("Location", target)
		w.WriteHeader(http.StatusTemporaryRedirect)
	}))
	t.Cleanup(rd.Close)
	return rd
}

func (rd *redirector) postCount() int {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	return rd.posts
}

// formSession drives the real page's form: field setters and readers.
type formSession struct {
	t   *testing.T
	ctx context.Context
}

func (f formSession) set(field, value string) {
	f.t.Helper()
	var ok bool
	eval(f.t, f.ctx, `(() => { const e = document.getElementById(`+quote(field)+`); if (!e) return false;
		e.value = `+quote(value)+`; e.dispatchEvent(new Event("input", {bubbles: true}));
		e.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, &ok)
	require.True(f.t, ok, "no input #%s", field)
}

func (f formSession) text(sel string) string {
	f.t.Helper()
	var s string
	eval(f.t, f.ctx, `(document.querySelector(`+quote(sel)+`) || {}).textContent || ""`, &s)
	return s
}

func (f formSession) click(sel string) {
	f.t.Helper()
	run(f.t, f.ctx, chromedp.Click(sel, chromedp.ByQuery))
}

const clearAlert = `document.querySelector("#status").textContent = ""; document.querySelector("#alert").textContent = ""; delete document.querySelector("#alert").dataset.kind`

// TestRedirectIsNotFollowed: an Endpoint that answers 307 to another server
// (which would accept the envelope) makes the page say so, and the other
// server receives nothing: not the login, not a save with its ticket and
// SecretValue (issue 16).
func TestRedirectIsNotFollowed(t *testing.T) {
	srv := startServer(t)
	catch := newCatcher(t)
	rd := newRedirector(t, catch.URL+"/catch", true)
	var console []string
	ctx := browser(t, &console)
	f := formSession{t, ctx}
	const secret = "Redirected-s3cret"

	run(t, ctx, chromedp.Navigate(srv.Page))
	waitFor(t, ctx, `document.body.dataset.ready === "true"`)

	t.Run("a login is not sent on", func(t *testing.T) {
		f.set("Endpoint", rd.URL)
		f.set("UserName", srv.User)
		f.set("Password", srv.Password)
		run(t, ctx, chromedp.Evaluate(clearAlert, nil))
		f.click("#login")
		// The login answers beside its button.
		waitFor(t, ctx, `document.querySelector("#login-alert").dataset.kind === "redirect"`)
		alert := f.text("#login-alert")
		assert.Contains(t, alert, "answered with a redirect")
		assert.Contains(t, alert, "does not follow redirects, because the ticket and secrets would go along")
		assert.NotContains(t, alert, srv.Password)
		screenshot(t, ctx, "12-redirect")
	})

	t.Run("a save with a ticket and SecretValue is not sent on", func(t *testing.T) {
		f.set("Endpoint", srv.Site)
		f.set("UserName", srv.User)
		f.set("Password", srv.Password)
		f.click("#login")
		waitFor(t, ctx, `document.querySelector("#Ticket").value.startsWith("7T:")`)
		f.set("Endpoint", rd.URL)
		f.set("AssociateId", "3")
		f.set("Type", "imap")
		f.set("ValidFrom", "2025-03-01T08:30")
		f.set("ValidTo", "2027-03-01T08:30")
		f.set("PublicValue", "imap.example.com")
		f.set("SecretValue", secret)
		run(t, ctx, chromedp.Evaluate(clearAlert, nil))
		f.click("#save")
		waitFor(t, ctx, `document.querySelector("#alert").dataset.kind === "redirect"`)
		assert.Contains(t, f.text("#alert"), "Set the site URL to where the redirect points")
	})

	// The login and the save, and the lookups of who associate 3 is.
	assert.GreaterOrEqual(t, rd.postCount(), 2, "the redirecting Endpoint got the login and the save")
	assert.Empty(t, catch.requests(), "the redirect's target was reached")
	for _, s := range []string{secret, srv.Password} {
		assert.NotContains(t, strings.Join(console, "\n"), s, "in the console")
	}
}

// proxyServer is a socred server started in proxy mode.
type proxyServer struct {
	Page  string
	Lines []string
}

var modeLine = regexp.MustCompile(`^socred mode:\s+`)

// startProxy runs the socred server with -proxy target (and args) on a
// free loopback port, with env added, and waits for its start-up lines up
// to the mode line; it is stopped when the test ends.
func startProxy(t *testing.T, target string, env []string, args ...string) proxyServer {
	t.Helper()
	command := append(socredCommand(t), append([]string{"-proxy", target}, args...)...)
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Dir = repoRoot
	cmd.Env = append(append(nativeEnv(), "SOCRED_ADDR=127.0.0.1:0"), env...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	found := make(chan proxyServer, 1)
	go func() {
		var s proxyServer
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			s.Lines = append(s.Lines, line)
			if m := pageLine.FindStringSubmatch(line); m != nil {
				s.Page = m[1]
			}
			if modeLine.MatchString(line) {
				found <- s
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case s := <-found:
		require.NotEmpty(t, s.Page, "no page line in %q", s.Lines)
		return s
	case <-time.After(60 * time.Second):
		t.Fatal("the socred server in proxy mode printed no mode line within 60 s")
	}
	return proxyServer{}
}

// TestProxyModeSecurity runs the socred server in proxy mode, as in
// production, in front of a NetServer that redirects: the page is not
// framable, lists no embed or endpoint origins, runs no example portal, and
// a redirect from NetServer becomes a 502 that the page explains, naming
// where it points, while the redirect's target receives nothing (issue 16).
func TestProxyModeSecurity(t *testing.T) {
	catch := newCatcher(t)
	upstream := newRedirector(t, catch.URL+"/Cust12345/Remote/Services88/SoPrincipal.svc", false)
	srv := startProxy(t, upstream.URL+"/Cust12345", nil)

	t.Run("no example portal, no embedder", func(t *testing.T) {
		assert.Equal(t, "socred mode:  proxy (no local NetServer), example portal off (SOCRED_PORTAL_ADDR=HOST:PORT starts it)", srv.Lines[len(srv.Lines)-1])
		for _, l := range srv.Lines {
			assert.NotRegexp(t, portalLine, l)
		}
		resp, err := http.Get(srv.Page + "config.json")
		require.NoError(t, err)
		defer resp.Body.Close()
		var c map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&c))
		assert.Equal(t, []any{}, c["embedOrigins"])
		assert.Equal(t, []any{}, c["endpointOrigins"])
		page, err := http.Get(srv.Page)
		require.NoError(t, err)
		page.Body.Close()
		assert.Contains(t, page.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
		assert.Equal(t, "same-origin", page.Header.Get("Cross-Origin-Opener-Policy"))
	})

	t.Run("an upstream redirect is a 502 without Location", func(t *testing.T) {
		env, err := soap.Build(soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: "demo", Password: "not-sent-on"})
		require.NoError(t, err)
		req, err := http.NewRequest(http.MethodPost, srv.Page+soap.AuthenticateUsernamePassword.Path(), bytes.NewReader(env.XML))
		require.NoError(t, err)
		for _, kv := range env.Headers() {
			req.Header.Set(kv.Key, kv.Value)
		}
		resp, err := http.DefaultTransport.RoundTrip(req) // a client that would follow nothing
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusBadGateway, resp.StatusCode, "%s", b)
		assert.Empty(t, resp.Header.Get("Location"))
		assert.Contains(t, string(b), "answered with a redirect (HTTP 307) to "+catch.URL)
	})

	t.Run("the page explains it, naming where it points", func(t *testing.T) {
		var console []string
		ctx := browser(t, &console)
		f := formSession{t, ctx}
		run(t, ctx, chromedp.Navigate(srv.Page))
		waitFor(t, ctx, `document.body.dataset.ready === "true"`)
		f.set("UserName", "demo")
		f.set("Password", "proxy-e2e-password")
		run(t, ctx, chromedp.Evaluate(clearAlert, nil))
		f.click("#login")
		waitFor(t, ctx, `document.querySelector("#login-alert").dataset.kind === "redirect"`)
		alert := f.text("#login-alert")
		assert.Contains(t, alert, "NetServer answered socred's proxy with a redirect to "+catch.URL+"/Cust12345/Remote/Services88/SoPrincipal.svc")
		assert.Contains(t, alert, "-proxy")
		assert.NotContains(t, alert, "proxy-e2e-password")
	})

	assert.Equal(t, 2, upstream.postCount(), "NetServer got both calls")
	assert.Empty(t, catch.requests(), "the redirect's target was reached")
}

// TestPublicNeedsAllowedHost: -public without -allowed-host refuses to
// start, and says which flag to give.
func TestPublicNeedsAllowedHost(t *testing.T) {
	command := append(socredCommand(t), "-public")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, command[0], command[1:]...)
	cmd.Dir = repoRoot
	cmd.Env = append(nativeEnv(), "SOCRED_ADDR=127.0.0.1:0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "it started; stdout: %s", stdout.String())
	assert.Equal(t, 2, exit.ExitCode())
	assert.Empty(t, stdout.String(), "nothing printed as if it were listening")
	assert.Contains(t, stderr.String(), "-public needs -allowed-host")
}
