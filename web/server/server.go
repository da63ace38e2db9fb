// Package server is the program behind the socred command (`make run`, the
// release binaries): it serves socred's page and wasm module under a strict
// Content-Security-Policy, and either mounts a local NetServer (package
// netserver) at SitePath or, in proxy mode, forwards only the two Services88
// SOAP paths to a real NetServer site so that the page and NetServer share
// an origin and no CORS is needed.
//
// Routes:
//
//	GET  /                       the page (index.html), and its other files
//	GET  /config.json            {"endpoint": "/demo" or "/", "embedOrigins": [...], "endpointOrigins": [...]} for the page
//	GET  /socred-element.js      the element's entry script, and
//	GET  /custom-elements.json   its description: to every origin (Access-Control-Allow-Origin: *)
//
// With EmbedOrigins, the page may be framed by exactly those origins
// (frame-ancestors), and the static files and config.json answer their CORS
// requests, so a portal there can load socred-element.js and the module.
// EndpointOrigins are the only origins, besides config.json's own endpoint,
// that an embedder may point the page's Endpoint at.
//
//	POST /demo/Remote/Services88/User.svc, …/SoPrincipal.svc   the local NetServer
//	POST /Remote/Services88/User.svc, …/SoPrincipal.svc        proxy mode only
package server

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"socred/netserver"
)

// SitePath is where the local NetServer is mounted: its site URL is the
// page's origin followed by SitePath.
const SitePath = "/demo"

// CSP is the Content-Security-Policy of every response. connect-src lets the
// page reach an administrator-entered https NetServer and loopback test
// servers; 'wasm-unsafe-eval' lets it compile the module; nothing inline runs.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self' https: http://127.0.0.1:* http://localhost:*; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"

// Config configures a Server.
type Config struct {
	// StaticFS holds the page's files (web.Static(), the ones built into
	// the binary). When nil, Static is used.
	StaticFS fs.FS
	// Static is a folder the page is served from instead, read from disk
	// so a rebuilt module is picked up (development, `make run`).
	Static string

	// The local NetServer (ignored in proxy mode).
	DemoUser, DemoPassword string
	DataFile               string
	DataKey                []byte        // AES-256 key for DataFile; empty: DataFile+".key"
	ApplicationToken       string        // non-empty: Online mode, the token every call must carry
	CORSOrigins            []string      // exact origins allowed to call the local NetServer
	SOAP12                 bool          // the local NetServer also accepts SOAP 1.2
	TicketTTL              time.Duration // netserver.DefaultTicketTTL if zero
	TrustedSigners         [][]byte      // DER certificates: the local NetServer then requires signed requests
	Latency                time.Duration // each local NetServer call waits this long (netserver.Config.Latency)
	FailRate               float64       // fraction of User.svc calls answered with HTTP 503 (netserver.Config.FailRate)

	// Proxy, when set, turns on proxy mode: the SOAP service paths are
	// forwarded to this NetServer site URL instead of a local NetServer.
	Proxy *url.URL
	// ProxyRootCAs verifies the proxy target's certificate (system roots if nil).
	ProxyRootCAs *x509.CertPool
	// ProxyAllowHTTP allows an http:// target that is not loopback.
	ProxyAllowHTTP bool
	// ProxyTimeout bounds one forwarded call (60 s if zero).
	ProxyTimeout time.Duration

	// EmbedOrigins are the exact origins (scheme://host[:port]) of portals
	// that may frame the page and load its files with CORS (the
	// <socred-credentials> element). Empty: the page cannot be framed.
	EmbedOrigins []string

	// EndpointOrigins are the exact origins of NetServer sites, besides
	// config.json's own endpoint, that an embedder (socred:prefill, the
	// element's endpoint attribute) may set as the Endpoint: whoever chooses
	// the Endpoint chooses where the ticket and secrets go, so a portal may
	// choose only among what the operator listed here.
	EndpointOrigins []string

	// AllowedHosts, when set, are the only Host headers answered (others get
	// 421, lower case, host[:port] as the client sends it), which stops
	// DNS-rebinding pages from reaching the server. The socred command
	// always sets them.
	AllowedHosts []string

	// Logf logs failures (never secrets); nothing is logged if nil.
	Logf func(format string, args ...any)
}

// Server is the http.Handler behind the socred command.
type Server struct {
	cfg Config
	csp string
	mux *http.ServeMux
	// NetServer is the local NetServer, nil in proxy mode.
	NetServer *netserver.NetServer
}

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	st, err := newStatic(cfg.Static, cfg.StaticFS)
	if err != nil {
		return nil, err
	}
	for _, o := range append(append([]string{}, cfg.EmbedOrigins...), cfg.EndpointOrigins...) {
		if err := CheckOrigin(o); err != nil {
			return nil, err
		}
	}
	for _, h := range cfg.AllowedHosts {
		if err := CheckHost(h); err != nil {
			return nil, err
		}
	}
	s := &Server{cfg: cfg, csp: EmbedCSP(cfg.EmbedOrigins), mux: http.NewServeMux()}
	s.mux.Handle("/", getOnly(s.shared(st)))
	s.mux.Handle("/config.json", getOnly(s.shared(http.HandlerFunc(s.config))))
	for _, name := range PublicFiles {
		s.mux.Handle("/"+name, getOnly(public(st)))
	}
	if cfg.Proxy != nil {
		p, err := newProxy(cfg.Proxy, cfg.ProxyRootCAs, cfg.ProxyAllowHTTP, cfg.ProxyTimeout, cfg.Logf)
		if err != nil {
			return nil, err
		}
		for _, svc := range []string{"User", "SoPrincipal"} {
			s.mux.Handle("/Remote/Services88/"+svc+".svc", p)
		}
		return s, nil
	}
	nc := netserver.Demo(cfg.DemoUser, cfg.DemoPassword)
	nc.DataFile, nc.DataKey = cfg.DataFile, cfg.DataKey
	nc.ApplicationToken, nc.CORSOrigins, nc.SOAP12 = cfg.ApplicationToken, cfg.CORSOrigins, cfg.SOAP12
	nc.TicketTTL, nc.Logf = cfg.TicketTTL, cfg.Logf
	nc.TrustedSigners = cfg.TrustedSigners
	nc.Latency, nc.FailRate = cfg.Latency, cfg.FailRate
	s.NetServer, err = netserver.New(nc)
	if err != nil {
		return nil, err
	}
	s.mux.Handle(SitePath+"/", s.NetServer)
	s.mux.HandleFunc(SitePath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "This is socred's local NetServer site. Its services are %s/Remote/Services88/User.svc and %s/Remote/Services88/SoPrincipal.svc (SOAP 1.1, POST).\n", SitePath, SitePath)
	})
	return s, nil
}

// ServeHTTP adds the security headers, checks the Host, never lets a panic
// escape, and routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.cfg.Logf("socred: internal error on %s %s: %v", r.Method, r.URL.Path, v)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	h := w.Header()
	h.Set("Content-Security-Policy", s.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	// No window the page opens, and no page that opens it, shares a
	// browsing context group with it (window.opener is null both ways).
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if len(s.cfg.AllowedHosts) > 0 && !slices.Contains(s.cfg.AllowedHosts, strings.ToLower(r.Host)) {
		http.Error(w, "socred: this server answers only to "+strings.Join(s.cfg.AllowedHosts, ", "), http.StatusMisdirectedRequest)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// EmbedCSP is CSP with frame-ancestors set to origins ('none' if there are
// none): the page's policy when portals on those origins may frame it.
func EmbedCSP(origins []string) string {
	if len(origins) == 0 {
		return CSP
	}
	return strings.Replace(CSP, "frame-ancestors 'none'", "frame-ancestors "+strings.Join(origins, " "), 1)
}

// ErrOrigin is an embed or CORS origin that is not exactly
// scheme://host[:port].
var ErrOrigin = errors.New("server: not an origin")

// CheckOrigin accepts only a serialised http(s) origin: lower case, no
// path, query, user or wildcard, as browsers send it in Origin.
func CheckOrigin(origin string) error {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" ||
		strings.Contains(u.Host, "*") || origin != u.Scheme+"://"+u.Host || origin != strings.ToLower(origin) {
		return fmt.Errorf("%w: %q (want scheme://host[:port], lower case, exact)", ErrOrigin, origin)
	}
	return nil
}

// ErrHost is an allowed Host that is not host[:port].
var ErrHost = errors.New("server: not a host[:port]")

// CheckHost accepts a Host header value as a browser sends it: a lower-case
// name or IP address (IPv6 in brackets), with an optional port; no scheme,
// path, user or wildcard.
func CheckHost(host string) error {
	u, err := url.Parse("http://" + host)
	if err != nil || u.Host != host || u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" ||
		u.Hostname() == "" || strings.ContainsAny(host, "*%") || strings.HasSuffix(host, ":") || host != strings.ToLower(host) {
		return fmt.Errorf("%w: %q (want a lower-case host or host:port as browsers send it in Host, e.g. socred.example.com)", ErrHost, host)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("%w: %q has port %q", ErrHost, host, p)
		}
	}
	return nil
}

// shared lets the embed origins read a file with CORS (exact match of the
// Origin header; no credentials), and keeps every other site from embedding
// it without CORS (Cross-Origin-Resource-Policy: same-origin).
func (s *Server) shared(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if len(s.cfg.EmbedOrigins) > 0 {
			h.Add("Vary", "Origin")
			if o := r.Header.Get("Origin"); o != "" && slices.Contains(s.cfg.EmbedOrigins, o) {
				h.Set("Access-Control-Allow-Origin", o)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// PublicFiles are the files any origin may read: the element's entry script
// (public code, which must run on a page the socred server does not list so
// it can say so) and the element's description. Everything else is shared
// only with the embed origins.
var PublicFiles = []string{"socred-element.js", "custom-elements.json"}

// public lets every origin read a file: Access-Control-Allow-Origin: * (no
// credentials) and Cross-Origin-Resource-Policy: cross-origin.
func public(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.Set("Access-Control-Allow-Origin", "*")
		next.ServeHTTP(w, r)
	})
}

// getOnly answers 405 to anything but GET and HEAD.
func getOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// SiteURL is the NetServer site URL the page should use when it was loaded
// from origin (scheme://host:port).
func (s *Server) SiteURL(origin string) string {
	if s.cfg.Proxy != nil {
		return origin + "/"
	}
	return origin + SitePath
}

// config answers config.json. The endpoint is a path on the page's own
// origin ("/demo", or "/" in proxy mode) that the page resolves against
// config.json's URL: behind an HTTPS front end or another host name, only
// the browser knows the origin the administrator actually uses (this
// server sees its own address and plain http).
func (s *Server) config(w http.ResponseWriter, r *http.Request) {
	endpoint := SitePath
	if s.cfg.Proxy != nil {
		endpoint = "/"
	}
	b, err := json.Marshal(struct {
		Endpoint        string   `json:"endpoint"`
		EmbedOrigins    []string `json:"embedOrigins"`
		EndpointOrigins []string `json:"endpointOrigins"`
	}{endpoint, orEmpty(s.cfg.EmbedOrigins), orEmpty(s.cfg.EndpointOrigins)})
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(append(b, '\n'))
}

// orEmpty is list, or an empty list for nil (JSON [] rather than null).
func orEmpty(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// HTTPServer returns an http.Server for h with timeouts that a slow or
// stalled client cannot hold open.
func HTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// ErrNotLoopback is a listen or proxy address that is not loopback where
// loopback is required.
var ErrNotLoopback = errors.New("server: address is not loopback")

// IsLoopback reports whether host (a name or an IP, without port) is
// loopback: localhost or an address in 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
