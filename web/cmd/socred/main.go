// Command socred serves socred's page with a local NetServer (demo mode,
// the default; -demo says so explicitly) or, with -proxy, in front of a real
// one. The page, the module and the example portal are built into the
// binary (package socred/web), so the binary alone is the whole
// installation; -static and -portal serve folders instead (`make run` passes
// web/static and web/portal, so a rebuilt module is picked up). -version
// prints the version.
//
// Environment: SOCRED_ADDR (listen address, default 127.0.0.1:8080; port 0
// picks a free one), SOCRED_DEMO_USER (default demo), SOCRED_DEMO_PASSWORD
// (generated and printed if unset), SOCRED_APPLICATION_TOKEN (with -online;
// generated and printed if unset), SOCRED_DATA_KEY (base64 AES-256 key for
// -data; else FILE.key is used or made), SOCRED_PORTAL_ADDR (the example
// portal's listen address; default in demo mode: SOCRED_ADDR's host and the
// next port, or a free port when SOCRED_ADDR's port is 0; "off" turns it
// off; with -proxy or -public it runs only when this is set to an address).
//
// Once listening it prints, on stdout:
//
//	socred page:  http://127.0.0.1:PORT/
//	socred site:  http://127.0.0.1:PORT/demo
//	socred login: USER / PASSWORD
//	socred note:  the demo records live in memory only: … (demo mode, without -data)
//	socred note:  the demo password is new at every start … (demo mode, no SOCRED_DEMO_PASSWORD)
//	socred mode:  demo (local NetServer with demo data; -proxy URL for a real NetServer), example portal on
//	socred version: VERSION (page built in)
//	socred portal: http://127.0.0.1:PORT/   (when the portal runs)
//
// A binary built without the module (go build before `make wasm`) refuses
// to start and says so.
//
// The example portal's origin is added to the embed origins and, for the
// local NetServer, to the CORS origins; so are the -embed-origin flags.
// It answers only requests whose Host is a loopback name with its port, its
// listen address, or an -allowed-host; with -public, -allowed-host is
// required.
//
// and it stops cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"socred/netserver"
	"socred/web"
	"socred/web/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// origins collects the repeatable -cors-origin flag.
type origins []string

func (o *origins) String() string     { return strings.Join(*o, ",") }
func (o *origins) Set(v string) error { *o = append(*o, v); return nil }

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	logger := log.New(stderr, "", log.LstdFlags)
	fs := flag.NewFlagSet("socred", flag.ContinueOnError)
	fs.SetOutput(stderr)
	static := fs.String("static", "", "serve the page from this `folder` instead of the copy built into the binary (read from disk, so a rebuilt module is picked up)")
	data := fs.String("data", "", "keep the local NetServer's records in this `file` (SecretValue sealed with SOCRED_DATA_KEY or FILE.key)")
	online := fs.Bool("online", false, "behave like SuperOffice Online: every call must carry the ApplicationToken (SOCRED_APPLICATION_TOKEN, or a generated one)")
	var cors origins
	fs.Var(&cors, "cors-origin", "an exact `origin` allowed to call the local NetServer from another page (repeatable)")
	var embed origins
	fs.Var(&embed, "embed-origin", "an exact `origin` of a portal that may frame the page and load socred-element.js (repeatable; also a -cors-origin)")
	portalDir := fs.String("portal", "", "serve the example portal from this `folder` (if it exists) instead of the copy built into the binary")
	fs.Bool("no-cors", true, "no CORS headers at all, like WCF (the default unless -cors-origin is given)")
	demoMode := fs.Bool("demo", false, "demo mode: a local NetServer with demo data, for trying socred (the default without -proxy)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	proxyURL := fs.String("proxy", "", "proxy mode: forward the SOAP service paths to this NetServer site `URL` instead of a local NetServer")
	proxyHTTP := fs.Bool("proxy-allow-http", false, "allow an http:// -proxy target that is not loopback (tickets and secrets then travel in clear)")
	soap12 := fs.Bool("soap12", false, "the local NetServer also accepts SOAP 1.2")
	public := fs.Bool("public", false, "allow a listen address that is not loopback (needs -allowed-host)")
	var allowedHosts origins
	fs.Var(&allowedHosts, "allowed-host", "a `host[:port]` the server answers to besides its loopback names, as browsers send it in Host, e.g. socred.example.com behind an HTTPS front end (repeatable; required with -public)")
	var endpointOrigins origins
	fs.Var(&endpointOrigins, "endpoint-origin", "an exact `origin` of a NetServer site that an embedding portal may set as the Endpoint, besides this server's own (repeatable)")
	ttl := fs.Duration("ticket-ttl", netserver.DefaultTicketTTL, "how long a local NetServer ticket stays valid")
	latency := fs.Duration("latency", 0, "each local NetServer call waits this long before it is answered, to watch progress (0: off)")
	failRate := fs.Float64("fail-rate", 0, "the `fraction` (0 to 1) of local NetServer User.svc calls answered with HTTP 503, to watch retries (0: off)")
	var signers origins
	fs.Var(&signers, "require-signature", "the local NetServer requires WS-Security X.509 signatures by the certificates in this PEM `file` (or issued by them; repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "socred: unexpected arguments: %q\n", fs.Args())
		return 2
	}
	if *showVersion {
		fmt.Fprintf(stdout, "socred %s\n", versionString())
		return 0
	}
	if *demoMode && *proxyURL != "" {
		fmt.Fprintf(stderr, "socred: -demo and -proxy exclude each other: -demo serves a local NetServer with demo data, -proxy forwards to a real one\n")
		return 2
	}
	pageFS, err := pageFiles(*static, web.Static())
	if err != nil {
		fmt.Fprintf(stderr, "socred: %v\n", err)
		return 1
	}
	portalFS := portalFiles(*portalDir)

	addr := getenv("SOCRED_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		fmt.Fprintf(stderr, "socred: SOCRED_ADDR %q: %v\n", addr, err)
		return 2
	}
	if !*public && !server.IsLoopback(host) {
		fmt.Fprintf(stderr, "socred: SOCRED_ADDR %q is not a loopback address; pass -public to listen there on purpose\n", addr)
		return 2
	}
	if *public && len(allowedHosts) == 0 {
		fmt.Fprintf(stderr, "socred: -public needs -allowed-host HOST[:PORT] (repeatable): the names colleagues reach socred by, as their browsers send them in Host; other Host headers are refused, so that no web page can reach socred through DNS rebinding\n")
		return 2
	}
	for i, h := range allowedHosts {
		allowedHosts[i] = strings.ToLower(h)
		if err := server.CheckHost(allowedHosts[i]); err != nil {
			fmt.Fprintf(stderr, "socred: -allowed-host: %v\n", err)
			return 2
		}
	}
	for _, o := range endpointOrigins {
		if err := server.CheckOrigin(o); err != nil {
			fmt.Fprintf(stderr, "socred: -endpoint-origin: %v\n", err)
			return 2
		}
	}

	for _, o := range embed {
		if err := server.CheckOrigin(o); err != nil {
			fmt.Fprintf(stderr, "socred: -embed-origin: %v\n", err)
			return 2
		}
	}
	if *latency < 0 || !(*failRate >= 0 && *failRate <= 1) {
		fmt.Fprintf(stderr, "socred: -latency must not be negative and -fail-rate must be from 0 to 1\n")
		return 2
	}
	cfg := server.Config{StaticFS: pageFS, Static: *static, CORSOrigins: cors, SOAP12: *soap12, TicketTTL: *ttl, EndpointOrigins: endpointOrigins,
		Latency: *latency, FailRate: *failRate, Logf: logger.Printf}
	for _, file := range signers {
		data, err := os.ReadFile(file)
		if err == nil {
			var certs [][]byte
			certs, err = netserver.ReadCertificatesPEM(data)
			cfg.TrustedSigners = append(cfg.TrustedSigners, certs...)
		}
		if err != nil {
			fmt.Fprintf(stderr, "socred: -require-signature %s: %v\n", file, err)
			return 2
		}
	}
	var printLogin, printToken string
	generated := false // the demo password was made for this start
	if *proxyURL != "" {
		u, err := url.Parse(*proxyURL)
		if err != nil {
			fmt.Fprintf(stderr, "socred: -proxy: %v\n", err)
			return 2
		}
		cfg.Proxy, cfg.ProxyAllowHTTP = u, *proxyHTTP
	} else {
		cfg.DemoUser = getenv("SOCRED_DEMO_USER")
		if cfg.DemoUser == "" {
			cfg.DemoUser = netserver.DemoUser
		}
		cfg.DemoPassword = getenv("SOCRED_DEMO_PASSWORD")
		if cfg.DemoPassword == "" {
			generated = true
			cfg.DemoPassword = randomString()
		}
		printLogin = cfg.DemoUser + " / " + cfg.DemoPassword
		if *online {
			cfg.ApplicationToken = getenv("SOCRED_APPLICATION_TOKEN")
			if cfg.ApplicationToken == "" {
				cfg.ApplicationToken = randomString()
			}
			printToken = cfg.ApplicationToken
		}
		if *data != "" {
			cfg.DataFile = *data
			if k := getenv("SOCRED_DATA_KEY"); k != "" {
				if cfg.DataKey, err = base64.StdEncoding.DecodeString(k); err != nil {
					fmt.Fprintf(stderr, "socred: SOCRED_DATA_KEY is not base64: %v\n", err)
					return 2
				}
			}
		}
	}

	// The example portal is for trying socred beside the local NetServer:
	// its loopback origins would become frame-ancestors and postMessage
	// partners of a production page, so with -proxy or -public it runs only
	// when asked for.
	demo := *proxyURL == "" && !*public
	portalAddr, err := portalAddress(getenv("SOCRED_PORTAL_ADDR"), addr, portalFS != nil, demo)
	if err != nil {
		fmt.Fprintf(stderr, "socred: %v\n", err)
		return 2
	}
	if portalAddr != "" {
		ph, _, err := net.SplitHostPort(portalAddr)
		if err != nil || !*public && !server.IsLoopback(ph) {
			fmt.Fprintf(stderr, "socred: SOCRED_PORTAL_ADDR %q must be a loopback host:port (or off)\n", portalAddr)
			return 2
		}
	}

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(stderr, "socred: %v\n", err)
		return 1
	}
	var pln net.Listener
	var portalOrigins []string
	var portalHosts []string
	if portalAddr != "" {
		if pln, err = net.Listen("tcp", portalAddr); err != nil {
			ln.Close()
			fmt.Fprintf(stderr, "socred: portal: %v\n", err)
			return 1
		}
		pport := strconv.Itoa(pln.Addr().(*net.TCPAddr).Port)
		portalOrigins = []string{"http://127.0.0.1:" + pport, "http://localhost:" + pport}
		portalHosts = []string{"127.0.0.1:" + pport, "localhost:" + pport}
	}
	cfg.EmbedOrigins = append(append([]string{}, portalOrigins...), embed...)
	cfg.CORSOrigins = append(cfg.CORSOrigins, cfg.EmbedOrigins...)
	tcp := ln.Addr().(*net.TCPAddr)
	shown := host
	if shown == "" || net.ParseIP(shown) != nil && net.ParseIP(shown).IsUnspecified() {
		shown = "127.0.0.1"
	}
	hostport := net.JoinHostPort(shown, strconv.Itoa(tcp.Port))
	// The Host allow-list is always on: the loopback names and the listen
	// address (a DNS-rebound page sends its own name, never these), and the
	// -allowed-host names.
	port := strconv.Itoa(tcp.Port)
	cfg.AllowedHosts = []string{"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port}
	for _, h := range append([]string{strings.ToLower(hostport)}, allowedHosts...) {
		if !slices.Contains(cfg.AllowedHosts, h) {
			cfg.AllowedHosts = append(cfg.AllowedHosts, h)
		}
	}
	srv, err := server.New(cfg)
	if err != nil {
		ln.Close()
		if pln != nil {
			pln.Close()
		}
		fmt.Fprintf(stderr, "socred: %v\n", err)
		return 1
	}
	origin := "http://" + hostport
	fmt.Fprintf(stdout, "socred page:  %s/\n", origin)
	fmt.Fprintf(stdout, "socred site:  %s\n", srv.SiteURL(origin))
	if printLogin != "" {
		fmt.Fprintf(stdout, "socred login: %s\n", printLogin)
	}
	if printToken != "" {
		fmt.Fprintf(stdout, "socred token: %s\n", printToken)
	}
	if cfg.Proxy != nil {
		fmt.Fprintf(stdout, "socred proxy: %s\n", cfg.Proxy.Redacted())
	}
	for _, note := range demoNotes(cfg.Proxy == nil, cfg.DataFile != "", generated) {
		fmt.Fprintf(stdout, "socred note:  %s\n", note)
	}
	fmt.Fprintf(stdout, "socred mode:  %s\n", modeLine(cfg.Proxy != nil, *public, allowedHosts, pln != nil))
	fmt.Fprintf(stdout, "socred version: %s\n", versionLine(*static))

	hs := server.HTTPServer(srv)
	hs.ErrorLog = logger
	errc := make(chan error, 2)
	go func() { errc <- hs.Serve(ln) }()
	if pln != nil {
		portal, err := server.NewPortalFS(portalFS, origin, portalHosts)
		if err != nil {
			pln.Close()
			_ = hs.Close()
			fmt.Fprintf(stderr, "socred: %v\n", err)
			return 1
		}
		ps := server.HTTPServer(portal)
		ps.ErrorLog = logger
		go func() { errc <- ps.Serve(pln) }()
		defer ps.Close()
		fmt.Fprintf(stdout, "socred portal: %s/\n", portalOrigins[0])
	}
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "socred: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "socred: shutdown: %v\n", err)
		return 1
	}
	fmt.Fprintln(stderr, "socred: stopped")
	return 0
}

// modeLine says which mode the server runs in and whether the example
// portal runs.
func modeLine(proxy, public bool, hosts []string, portal bool) string {
	mode := "demo (local NetServer with demo data; -proxy URL for a real NetServer)"
	if proxy {
		mode = "proxy (no local NetServer)"
	}
	if public {
		mode += ", public (answers Host " + strings.Join(hosts, ", ") + " and loopback)"
	}
	switch {
	case portal:
		return mode + ", example portal on"
	case proxy || public:
		return mode + ", example portal off (SOCRED_PORTAL_ADDR=HOST:PORT starts it)"
	}
	return mode + ", example portal off"
}

// portalAddress is where the example portal listens: env if set ("off":
// nowhere), else, in demo mode, SOCRED_ADDR's host with the next port (a
// free port if SOCRED_ADDR's port is 0); nowhere if env is unset and there
// is no portal (have: a -portal folder that exists, or the built-in one),
// or outside demo mode.
func portalAddress(env, addr string, have, demo bool) (string, error) {
	if env == "off" || env == "" && !demo {
		return "", nil
	}
	if !have {
		if env != "" {
			return "", errors.New("SOCRED_PORTAL_ADDR is set but the -portal folder is missing")
		}
		return "", nil
	}
	if env != "" {
		return env, nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", err
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n >= 65535 {
		return "", fmt.Errorf("SOCRED_ADDR port %q", port)
	}
	if n > 0 {
		n++
	}
	return net.JoinHostPort(host, strconv.Itoa(n)), nil
}

// demoNotes say, in demo mode, what a restart loses: the records (kept in
// memory unless -data) and the password (new each start unless set).
func demoNotes(demo, data, generatedPassword bool) []string {
	if !demo {
		return nil
	}
	var notes []string
	if !data {
		notes = append(notes, "the demo records live in memory only: stopping socred forgets them (-data FILE keeps them)")
	}
	if generatedPassword {
		notes = append(notes, "the demo password is new at every start (set SOCRED_DEMO_PASSWORD to keep one)")
	}
	return notes
}

// randomString is 16 URL-safe characters from crypto/rand.
func randomString() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
