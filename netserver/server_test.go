package netserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// The package's own tests start a NetServer as package netservertest does
// (that package imports this one, so these tests cannot import it).

// sitePath is where newServer mounts the NetServer.
const sitePath = "/Cust12345"

// testServer is a NetServer listening on a loopback address.
type testServer struct {
	*httptest.Server
	NetServer *NetServer
	SiteURL   string
}

// newServer starts a NetServer under sitePath on a plain-HTTP loopback
// server with read timeouts set. The caller must Close it.
func newServer(cfg Config) (*testServer, error) {
	ns, err := New(cfg)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(sitePath+"/", ns)
	ts := httptest.NewUnstartedServer(mux)
	ts.Config.ReadHeaderTimeout = 10 * time.Second
	ts.Config.ReadTimeout = 30 * time.Second
	ts.Start()
	return &testServer{Server: ts, NetServer: ns, SiteURL: strings.TrimSuffix(ts.URL, "/") + sitePath}, nil
}
