package server

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
	"socred/netserver"
	"socred/soap"
)

// upstream is a "real" NetServer site over TLS that records what reached it.
type upstream struct {
	*httptest.Server
	site string

	mu   sync.Mutex
	seen []*http.Request
}

func newUpstream(t *testing.T) *upstream {
	t.Helper()
	ns, err := netserver.New(netserver.Demo("demo", testPassword))
	require.NoError(t, err)
	u := &upstream{}
	u.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.mu.Lock()
		u.seen = append(u.seen, r.Clone(r.Context()))
		u.mu.Unlock()
		w.Header().Set("Set-Cookie", "ASP.NET_SessionId=abc")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		ns.ServeHTTP(w, r)
	}))
	u.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes of TestProxyVerifiesTLS
	u.StartTLS()
	t.Cleanup(u.Close)
	u.site = u.URL + "/Cust12345"
	return u
}

func (u *upstream) requests() []*http.Request {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]*http.Request(nil), u.seen...)
}

func (u *upstream) roots() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(u.Certificate())
	return pool
}

func proxied(t *testing.T, up *upstream, roots *x509.CertPool) *httptest.Server {
	t.Helper()
	target, err := url.Parse(up.site)
	require.NoError(t, err)
	_, ts := newServer(t, Config{Proxy: target, ProxyRootCAs: roots, ProxyTimeout: 10 * time.Second})
	return ts
}

func TestProxy(t *testing.T) {
	up := newUpstream(t)
	front := proxied(t, up, up.roots())

	_, body := get(t, front.URL+"/config.json", nil)
	var c struct{ Endpoint string }
	require.NoError(t, json.Unmarshal(body, &c))
	assert.Equal(t, "/", c.Endpoint, "the page talks to its own origin")
	c.Endpoint = front.URL + c.Endpoint // as the page resolves it

	resp, err := call(t, front.Client(), c.Endpoint, soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: "demo", Password: testPassword})
	require.NoError(t, err)
	ticket := resp.Authentication.Ticket
	cr := soap.UntrustedCredentials{ValidFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), ValidTo: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), SecretValue: "pw", PublicValue: "p", IsActive: true}
	_, err = call(t, front.Client(), c.Endpoint, soap.Request{Operation: soap.SaveForAssociate, Ticket: ticket, AssociateID: 3, Type: "imap", Credentials: cr})
	require.NoError(t, err)
	resp, err = call(t, front.Client(), c.Endpoint, soap.Request{Operation: soap.GetForAssociate, Ticket: ticket, AssociateID: 3, Type: "imap"})
	require.NoError(t, err)
	assert.Equal(t, []soap.UntrustedCredentials{cr}, resp.Credentials)
	_, err = call(t, front.Client(), c.Endpoint, soap.Request{Operation: soap.RemoveForAssociate, Ticket: ticket, AssociateID: 3, Type: "imap", PublicValue: "p"})
	require.NoError(t, err)

	seen := up.requests()
	require.Len(t, seen, 4)
	for _, r := range seen {
		assert.True(t, strings.HasPrefix(r.URL.Path, "/Cust12345/Remote/Services88/"), r.URL.Path)
	}

	t.Run("faults pass through", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, front.URL+"/Remote/Services88/User.svc", strings.NewReader("<x/>"))
		req.Header.Set("Content-Type", "text/xml; charset=utf-8")
		r, err := front.Client().Do(req)
		require.NoError(t, err)
		r.Body.Close()
		assert.Equal(t, http.StatusBadRequest, r.StatusCode)
	})

	t.Run("only the request headers a SOAP call needs go on; cookies and hop-by-hop stay", func(t *testing.T) {
		env, err := soap.Build(soap.Request{Operation: soap.CreateDefault, Ticket: ticket})
		require.NoError(t, err)
		req, _ := http.NewRequest(http.MethodPost, front.URL+"/Remote/Services88/User.svc", bytes.NewReader(env.XML))
		for _, kv := range env.Headers() {
			req.Header.Set(kv.Key, kv.Value)
		}
		req.Header.Set("Cookie", "portal-session=secret")
		req.Header.Set("Authorization", "Bearer secret")
		req.Header.Set("Connection", "X-Hop")
		req.Header.Set("X-Hop", "secret")
		r, err := front.Client().Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		_, err = soap.Classify(soap.CreateDefault, r.StatusCode, r.Header.Get("Content-Type"), b)
		require.NoError(t, err)
		assert.Empty(t, r.Header.Get("Set-Cookie"), "NetServer's cookies are not set on socred's origin")
		assert.Empty(t, r.Header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, CSP, r.Header.Get("Content-Security-Policy"))
		last := up.requests()[len(up.requests())-1]
		assert.Empty(t, last.Header.Get("Cookie"))
		assert.Empty(t, last.Header.Get("Authorization"))
		assert.Empty(t, last.Header.Get("X-Hop"))
		assert.Empty(t, last.Header.Get("X-Forwarded-For"))
		assert.Equal(t, `"`+soap.CreateDefault.Action()+`"`, last.Header.Get("SOAPAction"))
		assert.Equal(t, strings.TrimPrefix(up.URL, "https://"), last.Host)
	})

	t.Run("not an open proxy", func(t *testing.T) {
		before := len(up.requests())
		for _, tc := range []struct{ method, path string }{
			{http.MethodGet, "/Remote/Services88/User.svc"},
			{http.MethodOptions, "/Remote/Services88/User.svc"},
			{http.MethodPost, "/Remote/Services88/Contact.svc"},
			{http.MethodPost, "/Remote/Services88/User.svc/../../admin"},
			{http.MethodPost, "/demo/Remote/Services88/User.svc"},
		} {
			req, _ := http.NewRequest(tc.method, front.URL+tc.path, strings.NewReader("<x/>"))
			r, err := front.Client().Do(req)
			require.NoError(t, err)
			r.Body.Close()
			assert.NotEqual(t, http.StatusOK, r.StatusCode, "%s %s", tc.method, tc.path)
		}
		for _, r := range up.requests()[before:] {
			t.Errorf("reached NetServer: %s %s", r.Method, r.URL)
		}
	})

	t.Run("another Host header does not change the target", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, front.URL+"/Remote/Services88/User.svc", strings.NewReader("<x/>"))
		req.Host = "evil.example.com"
		r, err := front.Client().Do(req)
		require.NoError(t, err)
		r.Body.Close()
		seen := up.requests()
		last := seen[len(seen)-1]
		assert.Equal(t, strings.TrimPrefix(up.URL, "https://"), last.Host)
		assert.Equal(t, "/Cust12345/Remote/Services88/User.svc", last.URL.Path)
	})

	t.Run("413 for an oversized body", func(t *testing.T) {
		before := len(up.requests())
		big := bytes.Repeat([]byte("a"), soap.MaxBody+1)
		r, err := front.Client().Post(front.URL+"/Remote/Services88/User.svc", "text/xml", bytes.NewReader(big))
		require.NoError(t, err)
		r.Body.Close()
		assert.Equal(t, http.StatusRequestEntityTooLarge, r.StatusCode)
		req, _ := http.NewRequest(http.MethodPost, front.URL+"/Remote/Services88/User.svc", io.MultiReader(bytes.NewReader(big)))
		req.ContentLength = -1
		r, err = front.Client().Do(req)
		require.NoError(t, err)
		r.Body.Close()
		assert.Equal(t, http.StatusRequestEntityTooLarge, r.StatusCode, "chunked")
		assert.Len(t, up.requests(), before, "nothing reached NetServer")
	})
}

func TestProxyVerifiesTLS(t *testing.T) {
	up := newUpstream(t)
	front := proxied(t, up, x509.NewCertPool()) // trusts nothing
	env, err := soap.Build(soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: "demo", Password: testPassword})
	require.NoError(t, err)
	r, err := front.Client().Post(front.URL+"/Remote/Services88/SoPrincipal.svc", env.ContentType, bytes.NewReader(env.XML))
	require.NoError(t, err)
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	assert.Equal(t, http.StatusBadGateway, r.StatusCode)
	assert.NotContains(t, string(b), testPassword)
	assert.Empty(t, up.requests(), "no request completed over an unverified connection")
}

func TestProxyTargets(t *testing.T) {
	for target, ok := range map[string]bool{
		"https://sod.superoffice.com/Cust12345": true,
		"http://127.0.0.1:8081/site":            true,
		"http://localhost:8081/":                true,
		"http://[::1]:8081":                     true,
		"http://netserver.example.com/site":     false,
		"https://user:pw@sod.superoffice.com/x": false,
		"https://sod.superoffice.com/x?y=1":     false,
		"ftp://sod.superoffice.com/x":           false,
		"/relative":                             false,
	} {
		u, err := url.Parse(target)
		require.NoError(t, err)
		err = checkTarget(u, false)
		if ok {
			assert.NoError(t, err, target)
		} else {
			assert.ErrorIs(t, err, ErrProxyTarget, target)
		}
	}
	u, _ := url.Parse("http://netserver.example.com/site")
	assert.NoError(t, checkTarget(u, true), "allowed on purpose")
}

// TestProxyRedirects: an upstream redirect is never passed on (a browser
// would follow a 307 or 308 with the same envelope, ticket and secrets) but
// answered with a 502 that says where it points, and nothing reaches the
// place it points to.
func TestProxyRedirects(t *testing.T) {
	var mu sync.Mutex // guards reached, status and location
	var reached []string
	catcher := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reached = append(reached, r.Method+" "+r.URL.Path)
		mu.Unlock()
	}))
	t.Cleanup(catcher.Close)
	var status int
	var location string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		st, loc := status, location
		mu.Unlock()
		if loc != "" {
			w.Header().Set("Location", loc)
		}
		w.Header().Set("Set-Cookie", "ASP.NET_SessionId=abc")
		w.WriteHeader(st)
	}))
	t.Cleanup(up.Close)
	target, err := url.Parse(up.URL + "/Cust12345")
	require.NoError(t, err)
	_, front := newServer(t, Config{Proxy: target, ProxyTimeout: 10 * time.Second})
	env, err := soap.Build(soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: "demo", Password: testPassword})
	require.NoError(t, err)

	for _, tc := range []struct {
		name     string
		status   int
		location string
		want     string // where the answer says it points
	}{
		{"307 to another server", http.StatusTemporaryRedirect, catcher.URL + "/catch", catcher.URL + "/catch"},
		{"308 with a user name", http.StatusPermanentRedirect, strings.Replace(catcher.URL, "http://", "http://admin:pw@", 1) + "/catch", catcher.URL + "/catch"},
		{"302 to a relative path", http.StatusFound, "/login?ReturnUrl=x", up.URL + "/login?ReturnUrl=x"},
		{"301 without a Location", http.StatusMovedPermanently, "", ""},
		{"303", http.StatusSeeOther, catcher.URL + "/catch", catcher.URL + "/catch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mu.Lock()
			status, location = tc.status, tc.location
			mu.Unlock()
			req, _ := http.NewRequest(http.MethodPost, front.URL+"/Remote/Services88/SoPrincipal.svc", bytes.NewReader(env.XML))
			for _, kv := range env.Headers() {
				req.Header.Set(kv.Key, kv.Value)
			}
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
				t.Error("the proxy's answer was a redirect")
				return http.ErrUseLastResponse
			}}
			r, err := client.Do(req)
			require.NoError(t, err)
			b, _ := io.ReadAll(r.Body)
			r.Body.Close()
			assert.Equal(t, http.StatusBadGateway, r.StatusCode, "%s", b)
			assert.Empty(t, r.Header.Get("Location"), "no Location is passed on")
			assert.Empty(t, r.Header.Get("Set-Cookie"))
			assert.Contains(t, string(b), fmt.Sprintf("answered with a redirect (HTTP %d)", tc.status))
			assert.Contains(t, string(b), "-proxy")
			assert.NotContains(t, string(b), testPassword)
			assert.NotContains(t, string(b), "admin:pw", "no user name or password from the Location")
			assert.Equal(t, tc.want, r.Header.Get(RedirectHeader))
			if tc.want != "" {
				assert.Contains(t, string(b), "to "+tc.want)
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, reached, "the redirect's target was reached")
}

func TestProxyPassesNoLocation(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://elsewhere.example.com/")
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(up.Close)
	target, err := url.Parse(up.URL)
	require.NoError(t, err)
	_, front := newServer(t, Config{Proxy: target})
	r, err := http.Post(front.URL+"/Remote/Services88/User.svc", "text/xml", strings.NewReader("<x/>"))
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, http.StatusCreated, r.StatusCode)
	assert.Empty(t, r.Header.Get("Location"))
}

// TestProxyNamesItsFailures: when the proxy cannot reach NetServer it says
// so itself, and why, marking the answer as its own (FailureHeader,
// TargetHeader), so the page can tell it from NetServer's.
func TestProxyNamesItsFailures(t *testing.T) {
	closed := testenv.ClosedPort(t)
	plain := httptest.NewServer(http.NotFoundHandler()) // no TLS here
	t.Cleanup(plain.Close)
	// A server that takes the request and never answers.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { silent.Close() })
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	untrusted := newUpstream(t)

	for _, tc := range []struct {
		name, target, why, words string
	}{
		{"a name that does not resolve", "https://socred-no-such-host.invalid/Cust1", FailureDNS, "the name does not resolve"},
		{"a closed port", "http://" + closed + "/Cust1", FailureRefused, "refused"},
		{"https to a plain-http server", "https://" + strings.TrimPrefix(plain.URL, "http://") + "/Cust1", FailureTLS, "TLS handshake failed"},
		{"an untrusted certificate", untrusted.site, FailureTLS, "TLS handshake failed"},
		{"no answer in time", "http://" + silent.Addr().String() + "/Cust1", FailureTimeout, "did not answer in time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target, err := url.Parse(tc.target)
			require.NoError(t, err)
			_, front := newServer(t, Config{Proxy: target, ProxyRootCAs: x509.NewCertPool(), ProxyTimeout: 500 * time.Millisecond})
			env, err := soap.Build(soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: "demo", Password: testPassword})
			require.NoError(t, err)
			r, err := front.Client().Post(front.URL+"/Remote/Services88/SoPrincipal.svc", env.ContentType, bytes.NewReader(env.XML))
			require.NoError(t, err)
			b, _ := io.ReadAll(r.Body)
			r.Body.Close()
			assert.Equal(t, http.StatusBadGateway, r.StatusCode, "%s", b)
			assert.Equal(t, tc.why, r.Header.Get(FailureHeader), "%s", b)
			assert.Equal(t, target.Redacted(), r.Header.Get(TargetHeader))
			assert.Contains(t, string(b), "socred proxy: could not reach NetServer at "+target.Redacted())
			assert.Contains(t, string(b), tc.words)
			assert.NotContains(t, string(b), testPassword)
		})
	}
}
