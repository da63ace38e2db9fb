package e2e

import (
	"crypto/rand"
	"encoding/hex"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/netserver"
	"socred/netserver/netservertest"
	socredserver "socred/web/server"
)

// TestProxyBehindFrontEnd serves the page in proxy mode behind a front end
// on another address (as an HTTPS front end is: the socred server sees its
// own host and plain http, the browser another origin). The page's Endpoint
// must be the front end's origin, and logging in through it must work.
func TestProxyBehindFrontEnd(t *testing.T) {
	pw := make([]byte, 12)
	_, _ = rand.Read(pw)
	password := "e2e-" + hex.EncodeToString(pw)
	netServer, err := netservertest.NewServer(netserver.Demo("demo", password))
	require.NoError(t, err)
	t.Cleanup(netServer.Close)

	target, err := url.Parse(netServer.SiteURL)
	require.NoError(t, err)
	s, err := socredserver.New(socredserver.Config{Static: filepath.Join(repoRoot, "web/static"), Proxy: target})
	require.NoError(t, err)
	socredSrv := httptest.NewServer(s)
	t.Cleanup(socredSrv.Close)

	back, err := url.Parse(socredSrv.URL)
	require.NoError(t, err)
	front := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(back) // the socred server sees its own Host, as behind most front ends
	}})
	t.Cleanup(front.Close)

	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(front.URL+"/"))
	waitFor(t, ctx, `document.body.dataset.ready === "true"`)
	var endpoint string
	run(t, ctx, chromedp.Value("#Endpoint", &endpoint, chromedp.ByQuery))
	assert.Equal(t, front.URL+"/", endpoint, "the Endpoint is the origin the page was loaded from")

	run(t, ctx, chromedp.Evaluate(`(() => {
		document.getElementById("UserName").value = "demo";
		document.getElementById("Password").value = `+quote(password)+`;
		document.getElementById("login").click(); })()`, nil))
	waitFor(t, ctx, `document.getElementById("Ticket").value.startsWith("7T:")`)
}
