// Package netservertest starts a local NetServer (package socred/netserver)
// on a loopback port for tests, in the manner of net/http/httptest:
// NewServer and NewTLSServer mount it under SitePath and give its SiteURL.
//
// It holds test helpers only: production code (web/server, the socred
// command) mounts netserver.New's handler itself and must not import this
// package, and nothing here may grow into a second simulator.
package netservertest
