//go:build js && wasm

package wasm

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"socred/jsapi"
	"socred/soap"
)

// TestServiceURL checks the site URL rules with the browser's URL parser:
// the same answers net/url gave, the URL as fetch will send it.
func TestServiceURL(t *testing.T) {
	for endpoint, want := range map[string]string{
		"https://online.example.com/Cust1/":                  "https://online.example.com/Cust1/Remote/Services88/User.svc",
		"https://online.example.com/Cust1":                   "https://online.example.com/Cust1/Remote/Services88/User.svc",
		"http://127.0.0.1:8080/demo":                         "http://127.0.0.1:8080/demo/Remote/Services88/User.svc",
		"https://[::1]:8443/x":                               "https://[::1]:8443/x/Remote/Services88/User.svc",
		"https://crm.example.com":                            "https://crm.example.com/Remote/Services88/User.svc",
		"https://crm.example.com/a%20b/":                     "https://crm.example.com/a%20b/Remote/Services88/User.svc",
		"not a URL":                                          "",
		"ftp://x.example":                                    "",
		"https://u:p@x.example/":                             "",
		"https://@x.example/":                                "",
		"https://x.example/?":                                "",
		"https://x.example/a?b=c":                            "",
		"https://x.example/#":                                "",
		"https://x.example/Cust1/Remote/Services88/User.svc": "",
	} {
		u, code, reason := jsapi.ServiceURL(endpoint, soap.SaveForAssociate, parseURL)
		if want == "" {
			assert.NotEmpty(t, reason, endpoint)
			assert.NotEmpty(t, code, endpoint)
			continue
		}
		if assert.Empty(t, reason, endpoint) {
			assert.Equal(t, want, u.Href, endpoint)
		}
	}
}

// TestIsLoopbackAsTheURLWritesHosts checks jsapi.IsLoopback on hosts as
// the browser's URL writes them.
func TestIsLoopbackAsTheURLWritesHosts(t *testing.T) {
	// As the URL writes hosts: 127.1 is 127.0.0.1, ::ffff:127.0.0.1 is ::ffff:7f00:1.
	for _, s := range []string{"http://127.1/", "http://[::ffff:127.0.0.1]/", "http://LocalHost:8080/"} {
		u, ok := parseURL(s)
		if assert.True(t, ok, s) {
			assert.True(t, jsapi.IsLoopback(u.Hostname), "%s (hostname %s)", s, u.Hostname)
		}
	}
}
