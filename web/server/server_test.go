package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/netserver"
	"socred/soap"
)

const testPassword = "test password"

// staticDir is a tiny stand-in for web/static, so these tests do not depend
// on the page's build.
func staticDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"index.html":  "<!doctype html><title>socred</title><script src=\"app.js\"></script>",
		"app.js":      strings.Repeat("console.log('socred');\n", 200),
		"socred.wasm": "\x00asm\x01\x00\x00\x00" + strings.Repeat("\x01\x02\x03\x04", 2000),
		".secret":     "never served",
	}
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	return dir
}

func newServer(t *testing.T, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	if cfg.Static == "" {
		cfg.Static = staticDir(t)
	}
	if cfg.DemoPassword == "" && cfg.Proxy == nil {
		cfg.DemoUser, cfg.DemoPassword = "demo", testPassword
	}
	s, err := New(cfg)
	require.NoError(t, err)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

func get(t *testing.T, url string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	tr := &http.Transport{DisableCompression: true}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

// call is socred's client path against a site URL.
func call(t *testing.T, client *http.Client, site string, r soap.Request) (*soap.Response, error) {
	t.Helper()
	env, err := soap.Build(r)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, strings.TrimSuffix(site, "/")+"/"+r.Operation.Path(), bytes.NewReader(env.XML))
	require.NoError(t, err)
	for _, kv := range env.Headers() {
		req.Header.Set(kv.Key, kv.Value)
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return soap.Classify(r.Operation, resp.StatusCode, resp.Header.Get("Content-Type"), b)
}

func TestPageHeaders(t *testing.T) {
	_, ts := newServer(t, Config{})
	for _, path := range []string{"/", "/app.js", "/socred.wasm", "/config.json", "/missing"} {
		resp, _ := get(t, ts.URL+path, nil)
		assert.Equal(t, CSP, resp.Header.Get("Content-Security-Policy"), path)
		assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"), path)
		assert.Equal(t, "no-referrer", resp.Header.Get("Referrer-Policy"), path)
		assert.Equal(t, "same-origin", resp.Header.Get("Cross-Origin-Opener-Policy"), path)
	}
	resp, body := get(t, ts.URL+"/", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "no-cache", resp.Header.Get("Cache-Control"))
	assert.Contains(t, string(body), "<title>socred</title>")
	assert.Contains(t, CSP, "script-src 'self' 'wasm-unsafe-eval'")
}

func TestConfigJSON(t *testing.T) {
	_, ts := newServer(t, Config{})
	resp, body := get(t, ts.URL+"/config.json", nil)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var c struct{ Endpoint string }
	require.NoError(t, json.Unmarshal(body, &c))
	assert.Equal(t, "/demo", c.Endpoint, "a path the page resolves against its own origin")

	// Behind a front end (another host, TLS ended before this server) the
	// answer is the same: this server cannot know the page's origin.
	req, err := http.NewRequest(http.MethodGet, ts.URL+"/config.json", nil)
	require.NoError(t, err)
	req.Host = "socred.example.com"
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err = ts.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	c.Endpoint = ""
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&c))
	assert.Equal(t, "/demo", c.Endpoint)
}

func TestLocalNetServer(t *testing.T) {
	_, ts := newServer(t, Config{})
	site := ts.URL + SitePath
	resp, err := call(t, ts.Client(), site, soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: "demo", Password: testPassword})
	require.NoError(t, err)
	assert.Equal(t, netserver.DemoAssociateID, resp.Authentication.AssociateID)
	ticket := resp.Authentication.Ticket
	c := soap.UntrustedCredentials{ValidFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), ValidTo: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), SecretValue: "pw", PublicValue: "imap.example.com", IsActive: true}
	_, err = call(t, ts.Client(), site, soap.Request{Operation: soap.SaveForAssociate, Ticket: ticket, AssociateID: 2, Type: "imap", Credentials: c})
	require.NoError(t, err)
	resp, err = call(t, ts.Client(), site, soap.Request{Operation: soap.GetForAssociate, Ticket: ticket, AssociateID: 2, Type: "imap"})
	require.NoError(t, err)
	assert.Equal(t, []soap.UntrustedCredentials{c}, resp.Credentials)

	t.Run("the viewer", func(t *testing.T) {
		resp, err := call(t, ts.Client(), site, soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: netserver.ViewerUser, Password: testPassword})
		require.NoError(t, err)
		_, err = call(t, ts.Client(), site, soap.Request{Operation: soap.GetForAssociate, Ticket: resp.Authentication.Ticket, AssociateID: 1, Type: "imap"})
		var exc *soap.ExceptionInfo
		require.ErrorAs(t, err, &exc)
		assert.Equal(t, netserver.TypeAccessDenied, exc.ExceptionType)
	})
	t.Run("the site path itself explains", func(t *testing.T) {
		resp, body := get(t, site, nil)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Contains(t, string(body), "/demo/Remote/Services88/User.svc")
	})
}

func TestAllowedHosts(t *testing.T) {
	_, ts := newServer(t, Config{AllowedHosts: []string{"127.0.0.1:1"}})
	t.Run("a refused Host still gets the security headers", func(t *testing.T) {
		resp, _ := get(t, ts.URL+"/", nil)
		assert.Equal(t, http.StatusMisdirectedRequest, resp.StatusCode)
		assert.Equal(t, "same-origin", resp.Header.Get("Cross-Origin-Opener-Policy"))
		assert.Equal(t, CSP, resp.Header.Get("Content-Security-Policy"))
	})
	resp, _ := get(t, ts.URL+"/", nil)
	assert.Equal(t, http.StatusMisdirectedRequest, resp.StatusCode, "a DNS-rebound Host is refused")
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/", nil)
	req.Host = "127.0.0.1:1"
	r2, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	r2.Body.Close()
	assert.Equal(t, http.StatusOK, r2.StatusCode)
}

func TestCheckHost(t *testing.T) {
	for _, ok := range []string{"socred.example.com", "socred.example.com:8443", "127.0.0.1:8080", "[::1]:8080", "[::1]", "intranet"} {
		assert.NoError(t, CheckHost(ok), ok)
	}
	for _, bad := range []string{"", "*", "*.example.com", "Socred.example.com", "https://socred.example.com", "socred.example.com/",
		"socred.example.com:", "socred.example.com:0", "socred.example.com:99999", "socred.example.com:http", "u@socred.example.com",
		"::1", "socred.example.com?x", "socred example.com"} {
		err := CheckHost(bad)
		assert.True(t, errors.Is(err, ErrHost), "%q: %v", bad, err)
	}
	_, err := New(Config{Static: staticDir(t), DemoUser: "demo", DemoPassword: testPassword, AllowedHosts: []string{"https://socred.example.com"}})
	assert.ErrorIs(t, err, ErrHost)
}

// TestSlowClients checks the http.Server's timeouts: a stalled body and
// stalled headers end the connection instead of holding it.
func TestSlowClients(t *testing.T) {
	s, err := New(Config{Static: staticDir(t), DemoUser: "demo", DemoPassword: testPassword})
	require.NoError(t, err)
	hs := HTTPServer(s)
	hs.ReadTimeout, hs.ReadHeaderTimeout = 300*time.Millisecond, 300*time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = hs.Serve(ln) }()
	t.Cleanup(func() { hs.Close() })

	dial := func() net.Conn {
		c, err := net.Dial("tcp", ln.Addr().String())
		require.NoError(t, err)
		require.NoError(t, c.SetDeadline(time.Now().Add(20*time.Second))) // a hang fails, not blocks
		t.Cleanup(func() { c.Close() })
		return c
	}
	t.Run("stalled body", func(t *testing.T) {
		c := dial()
		fmt.Fprintf(c, "POST /demo/Remote/Services88/User.svc HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<soap:Envelope")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		require.NoError(t, err)
		assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode)
	})
	t.Run("stalled headers", func(t *testing.T) {
		c := dial()
		fmt.Fprintf(c, "POST /demo/Remote/Services88/User.svc HTTP/1.1\r\nHost: x\r\n")
		_, err := io.ReadAll(c)
		require.NoError(t, err, "the server closed the connection (EOF), not our deadline")
	})
}
