package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	webserver "socred/web/server"
)

// TestBatchSixteenOverHTTP2: with Calls at once at 16 and the page and its
// NetServer speaking HTTP/2 (TLS, a self-signed certificate the browser
// trusts by its key), the page has 16 saves at NetServer at once, and
// never more: the server holds the saves until 16 are waiting, so the
// test needs no timing (only a limit for failing). Every row is then
// created.
func TestBatchSixteenOverHTTP2(t *testing.T) {
	cert, spki := selfSigned(t)
	pw := make([]byte, 12)
	_, err := rand.Read(pw)
	require.NoError(t, err)
	password := "e2e-" + hex.EncodeToString(pw)
	const rows, want = 40, 16
	var mu sync.Mutex
	waiting := 0
	full, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	site, counter := startTLS(t, cert, true, 0, "demo", password, func(r *http.Request) {
		if !isSave(r) {
			return
		}
		mu.Lock()
		waiting++
		if waiting == want {
			close(full)
		}
		mu.Unlock()
		select {
		case <-release:
		case <-r.Context().Done(): // the page gave up on it (timeoutMs)
			mu.Lock()
			waiting--
			mu.Unlock()
		}
	})

	var console []string
	p := &batchPage{formPage: &formPage{ctx: browserWith(t, &console, chromedp.Flag("ignore-certificate-errors-spki-list", spki))},
		srv: server{Page: strings.TrimSuffix(site, webserver.SitePath) + "/", Site: site, User: "demo", Password: password}, dir: t.TempDir()}
	run(t, p.ctx, chromedp.Navigate(p.srv.Page))
	waitFor(t, p.ctx, `document.body.dataset.ready === "true"`)
	p.login(t)
	var b strings.Builder
	b.WriteString("AssociateId,Type,PublicValue,SecretValue,ValidFrom,ValidTo\n")
	for i := range rows {
		fmt.Fprintf(&b, "%d,sixteen,row-%d,s,2025-01-01T00:00:00Z,2030-01-01T00:00:00Z\n", 2+i%4, i)
	}
	p.upload(t, "sixteen.csv", []byte(b.String()))
	waitFor(t, p.ctx, `!document.getElementById("batch-plan").hidden`)
	run(t, p.ctx, chromedp.SetValue("#batch-concurrency", "16", chromedp.ByQuery))
	p.click(t, "#batch-apply")
	select {
	case <-full:
	case <-time.After(20 * time.Second): // within the page's timeoutMs (30 s), so no call is repeated yet
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("NetServer got %d saves at once, not %d: %s", waiting, want, p.text(t, "#batch-alert"))
	}
	assert.Equal(t, want, counter.most(), "calls at NetServer at once")
	once.Do(func() { close(release) })
	p.waitDone(t)
	assert.Equal(t, want, counter.most(), "calls at NetServer at once, the run done")
	var protocol string
	eval(t, p.ctx, `(performance.getEntriesByType("resource").filter(e => e.name.includes("/Remote/Services88/")).pop() || {}).nextHopProtocol`, &protocol)
	assert.Equal(t, "h2", protocol)
	got := p.progress(t)
	assert.Equal(t, "done", got["state"], "%v", got)
	assert.EqualValues(t, rows, got["done"], "%v", got)
	assert.EqualValues(t, 0, got["failed"], "%v", got)
}

// selfSigned makes a P-256 certificate for 127.0.0.1 and localhost, valid
// for a day around now, and returns it with the base64 SHA-256 of its
// SubjectPublicKeyInfo (what Chromium's
// --ignore-certificate-errors-spki-list takes).
func selfSigned(t *testing.T) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "socred h2 bench"},
		NotBefore:    time.Now().Add(-12 * time.Hour),
		NotAfter:     time.Now().Add(12 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	sum := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, base64.StdEncoding.EncodeToString(sum[:])
}

// startTLS serves socred (the page from web/static, the local NetServer
// answering after latency) over TLS on a free loopback port, speaking HTTP/2
// and HTTP/1.1 if h2, else HTTP/1.1 only, until the test ends; it returns
// the NetServer site URL and a counter of the SOAP calls being answered.
// before, if not nil, is called with each SOAP call, counted, before it is
// served.
func startTLS(t *testing.T, cert tls.Certificate, h2 bool, latency time.Duration, user, password string, before func(*http.Request)) (string, *inFlight) {
	t.Helper()
	srv, err := webserver.New(webserver.Config{Static: filepath.Join(repoRoot, "web", "static"), DemoUser: user, DemoPassword: password,
		Latency: latency, Logf: t.Logf})
	require.NoError(t, err)
	counter := &inFlight{before: before}
	hs := webserver.HTTPServer(counter.wrap(srv))
	hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	hs.Protocols = new(http.Protocols)
	hs.Protocols.SetHTTP1(true)
	hs.Protocols.SetHTTP2(h2)
	if h2 {
		// Go's default (250) already exceeds any concurrency socred uses; said
		// here so that the figure does not depend on it.
		hs.HTTP2 = &http.HTTP2Config{MaxConcurrentStreams: 250}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = hs.ServeTLS(ln, "", "") }()
	t.Cleanup(func() { _ = hs.Close() })
	return "https://" + ln.Addr().String() + webserver.SitePath, counter
}

// inFlight counts the SOAP calls being answered at once and the most so far.
type inFlight struct {
	before    func(*http.Request)
	mu        sync.Mutex
	now, peak int
}

func (f *inFlight) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			h.ServeHTTP(w, r)
			return
		}
		f.mu.Lock()
		f.now++
		f.peak = max(f.peak, f.now)
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			f.now--
			f.mu.Unlock()
		}()
		if f.before != nil {
			f.before(r)
		}
		h.ServeHTTP(w, r)
	})
}

func (f *inFlight) reset() {
	f.mu.Lock()
	f.peak = f.now
	f.mu.Unlock()
}

func (f *inFlight) most() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.peak
}
