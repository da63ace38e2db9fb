package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const portalOrigin = "http://127.0.0.1:8081"

func TestEmbedOrigins(t *testing.T) {
	_, ts := newServer(t, Config{EmbedOrigins: []string{portalOrigin, "https://intranet.example.com"}})

	t.Run("the page may be framed by exactly those origins", func(t *testing.T) {
		resp, _ := get(t, ts.URL+"/", nil)
		csp := resp.Header.Get("Content-Security-Policy")
		assert.Contains(t, csp, "; frame-ancestors "+portalOrigin+" https://intranet.example.com;")
		assert.NotContains(t, csp, "'none'; base-uri", "frame-ancestors is no longer 'none'")
		assert.Equal(t, strings.Replace(CSP, "frame-ancestors 'none'", "frame-ancestors "+portalOrigin+" https://intranet.example.com", 1), csp)
		assert.Equal(t, CSP, EmbedCSP(nil))
	})

	t.Run("an embed origin reads the files with CORS", func(t *testing.T) {
		for _, path := range []string{"/app.js", "/socred.wasm", "/config.json"} {
			resp, _ := get(t, ts.URL+path, http.Header{"Origin": {portalOrigin}})
			assert.Equal(t, portalOrigin, resp.Header.Get("Access-Control-Allow-Origin"), path)
			assert.Empty(t, resp.Header.Get("Access-Control-Allow-Credentials"), path)
			assert.Contains(t, resp.Header.Values("Vary"), "Origin", path)
			assert.Equal(t, "same-origin", resp.Header.Get("Cross-Origin-Resource-Policy"), path)
		}
	})

	t.Run("other origins get no CORS header", func(t *testing.T) {
		for _, o := range []string{"http://127.0.0.1:8082", portalOrigin + "/", "http://127.0.0.1:80810", "null", "HTTP://127.0.0.1:8081"} {
			resp, _ := get(t, ts.URL+"/socred.wasm", http.Header{"Origin": {o}})
			assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"), o)
		}
	})

	t.Run("config.json lists them", func(t *testing.T) {
		_, body := get(t, ts.URL+"/config.json", nil)
		var c struct {
			Endpoint     string
			EmbedOrigins []string
		}
		require.NoError(t, json.Unmarshal(body, &c))
		assert.Equal(t, []string{portalOrigin, "https://intranet.example.com"}, c.EmbedOrigins)
	})

	t.Run("without embed origins, nothing is shared", func(t *testing.T) {
		_, plain := newServer(t, Config{})
		resp, body := get(t, plain.URL+"/config.json", http.Header{"Origin": {portalOrigin}})
		assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "same-origin", resp.Header.Get("Cross-Origin-Resource-Policy"))
		assert.Contains(t, string(body), `"embedOrigins":[]`)
		assert.Contains(t, string(body), `"endpointOrigins":[]`, "always present, so the page need not guess")
	})
}

// TestEndpointOrigins: config.json lists the operator's endpoint origins,
// the only ones besides its own endpoint that an embedder may choose.
func TestEndpointOrigins(t *testing.T) {
	_, ts := newServer(t, Config{EndpointOrigins: []string{"https://sod.superoffice.com", "https://netserver.example.com:8443"}})
	_, body := get(t, ts.URL+"/config.json", nil)
	var c struct {
		Endpoint        string
		EndpointOrigins []string
	}
	require.NoError(t, json.Unmarshal(body, &c))
	assert.Equal(t, "/demo", c.Endpoint)
	assert.Equal(t, []string{"https://sod.superoffice.com", "https://netserver.example.com:8443"}, c.EndpointOrigins)

	for _, bad := range []string{"https://sod.superoffice.com/Cust12345", "*", "https://*.superoffice.com"} {
		_, err := New(Config{Static: staticDir(t), DemoUser: "demo", DemoPassword: testPassword, EndpointOrigins: []string{bad}})
		assert.ErrorIs(t, err, ErrOrigin, bad)
	}
}

func TestCheckOrigin(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:8081", "https://intranet.example.com", "http://[::1]:9000"} {
		assert.NoError(t, CheckOrigin(ok), ok)
	}
	for _, bad := range []string{"", "*", "null", "https://*.example.com", "intranet.example.com", "https://intranet.example.com/",
		"https://intranet.example.com/portal", "https://Intranet.example.com", "ftp://example.com", "https://u:p@example.com", "https://example.com?x"} {
		err := CheckOrigin(bad)
		assert.True(t, errors.Is(err, ErrOrigin), "%q: %v", bad, err)
	}
	_, err := New(Config{Static: staticDir(t), DemoUser: "demo", DemoPassword: testPassword, EmbedOrigins: []string{"*"}})
	assert.ErrorIs(t, err, ErrOrigin)
}

func TestPortal(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte(`<script type="module" src="{{.Socred}}/socred-element.js"></script>`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "portal.js"), []byte(`"use strict";`), 0o644))
	p, err := NewPortal(dir, "http://127.0.0.1:8080", nil)
	require.NoError(t, err)
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	ts := srv.URL

	resp, body := get(t, ts+"/", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, `<script type="module" src="http://127.0.0.1:8080/socred-element.js"></script>`, string(body))
	csp := resp.Header.Get("Content-Security-Policy")
	assert.Equal(t, PortalCSP("http://127.0.0.1:8080"), csp)
	for _, want := range []string{"script-src 'self' http://127.0.0.1:8080 'wasm-unsafe-eval'", "connect-src 'self' http://127.0.0.1:8080", "frame-src http://127.0.0.1:8080", "worker-src blob:"} {
		assert.Contains(t, csp, want)
	}
	resp, _ = get(t, ts+"/portal.js", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = get(t, ts+"/.hidden", nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	_, err = NewPortal(dir, "http://127.0.0.1:8080/", nil)
	assert.ErrorIs(t, err, ErrOrigin)
}

// TestPublicFiles: the element's entry script (and its description) may be
// read by any origin, so it can explain a refused origin; every other file
// keeps the embed origins' exact CORS.
func TestPublicFiles(t *testing.T) {
	dir := staticDir(t)
	for _, name := range []string{"socred-element.js", "form.html", "custom-elements.json"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("export {};\n"), 0o644))
	}
	_, ts := newServer(t, Config{Static: dir, EmbedOrigins: []string{portalOrigin}})
	for _, o := range []string{"https://other.example.com", portalOrigin, ""} {
		h := http.Header{}
		if o != "" {
			h.Set("Origin", o)
		}
		resp, _ := get(t, ts.URL+"/custom-elements.json", h)
		assert.Equal(t, http.StatusOK, resp.StatusCode, o)
		assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"), o)
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"), o)
		resp, _ = get(t, ts.URL+"/socred-element.js", h)
		assert.Equal(t, http.StatusOK, resp.StatusCode, o)
		assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"), o)
		assert.Empty(t, resp.Header.Get("Access-Control-Allow-Credentials"), o)
		assert.Equal(t, "cross-origin", resp.Header.Get("Cross-Origin-Resource-Policy"), o)
		assert.Equal(t, "text/javascript; charset=utf-8", resp.Header.Get("Content-Type"), o)
	}
	for _, path := range []string{"/app.js", "/config.json", "/form.html", "/socred.wasm"} {
		resp, _ := get(t, ts.URL+path, http.Header{"Origin": {"https://other.example.com"}})
		assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"), path)
		assert.Equal(t, "same-origin", resp.Header.Get("Cross-Origin-Resource-Policy"), path)
		resp, _ = get(t, ts.URL+path, http.Header{"Origin": {portalOrigin}})
		assert.Equal(t, portalOrigin, resp.Header.Get("Access-Control-Allow-Origin"), path)
	}
	resp, err := http.Post(ts.URL+"/socred-element.js", "text/plain", strings.NewReader("x"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}
