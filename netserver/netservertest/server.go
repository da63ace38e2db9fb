package netservertest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"socred/netserver"
)

// SitePath is where NewServer and NewTLSServer mount the NetServer, like the
// customer path of a SuperOffice Online site (https://sod.superoffice.com/Cust12345).
const SitePath = "/Cust12345"

// Server is a NetServer listening on a loopback address, for tests.
type Server struct {
	*httptest.Server
	// NetServer is the handler, for looking at what is stored.
	NetServer *netserver.NetServer
	// SiteURL is the NetServer site URL to give clients, e.g.
	// http://127.0.0.1:41234/Cust12345; the services are below it.
	SiteURL string
}

// NewServer starts a NetServer under SitePath on a plain-HTTP loopback
// server with read timeouts set. The caller must Close it.
func NewServer(cfg netserver.Config) (*Server, error) {
	return start(cfg, false)
}

// NewTLSServer is NewServer over HTTPS with httptest's certificate; its
// Client and Certificate trust it.
func NewTLSServer(cfg netserver.Config) (*Server, error) {
	return start(cfg, true)
}

func start(cfg netserver.Config, tls bool) (*Server, error) {
	ns, err := netserver.New(cfg)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(SitePath+"/", ns)
	ts := httptest.NewUnstartedServer(mux)
	ts.Config.ReadHeaderTimeout = 10 * time.Second
	ts.Config.ReadTimeout = 30 * time.Second
	if tls {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	return &Server{Server: ts, NetServer: ns, SiteURL: strings.TrimSuffix(ts.URL, "/") + SitePath}, nil
}
