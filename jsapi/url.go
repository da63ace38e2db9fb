package jsapi

import (
	"strconv"
	"strings"

	"socred/soap"
)

// URL is what socred reads of a URL parsed by the browser's URL
// (https://developer.mozilla.org/docs/Web/API/URL), the parser fetch
// itself uses; net/url would add 35 KB (brotli) to the module.
type URL struct {
	Href, Protocol, Username, Password, Host, Hostname, Pathname, Origin string
}

// A URLParser parses an absolute URL as the browser's URL does, false when
// it throws. Package wasm passes the browser's own.
type URLParser func(s string) (*URL, bool)

// ServiceURL joins the site URL and the operation's path, or says why the
// site URL cannot be used (a problem code and its English reason). parse
// is the browser's URL parser.
func ServiceURL(endpoint string, op soap.Operation, parse URLParser) (*URL, string, string) {
	u, ok := parse(endpoint)
	switch {
	case !ok:
		return nil, CodeNotURL, "is not a URL"
	case u.Protocol != "http:" && u.Protocol != "https:":
		return nil, CodeURLScheme, "must start with https:// (or http:// for this computer)"
	case u.Hostname == "":
		return nil, CodeURLHost, "must name a host, e.g. https://online.superoffice.com/Cust12345"
	case u.Username != "" || u.Password != "" || strings.Contains(authority(endpoint), "@"):
		return nil, CodeURLUserInfo, "must not contain a user name or password"
	case strings.ContainsAny(u.Href, "?#"):
		return nil, CodeURLQuery, "must not contain ? or #: give the site URL only"
	}
	path := strings.TrimRight(u.Pathname, "/")
	if strings.HasSuffix(strings.ToLower(path), ".svc") {
		return nil, CodeURLService, "must be the site URL only, without /Remote/Services88/…svc"
	}
	u2, ok := parse(u.Protocol + "//" + u.Host + path + "/" + op.Path())
	if !ok {
		return nil, CodeNotURL, "is not a URL"
	}
	return u2, "", ""
}

// authority returns what s has between "//" and the path, query or
// fragment: where a user name would be.
func authority(s string) string {
	_, rest, ok := strings.Cut(s, "//")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// IsLoopback reports whether host, a hostname as the browser's URL writes
// it, is this computer: localhost (and names below .localhost),
// 127.0.0.0/8 or ::1 (also as an IPv4-mapped address).
func IsLoopback(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	if a, ok := strings.CutPrefix(h, "127."); ok {
		parts := strings.Split(a, ".")
		for _, p := range parts {
			if n, err := strconv.Atoi(p); err != nil || n < 0 || n > 255 || strconv.Itoa(n) != p {
				return false
			}
		}
		return len(parts) == 3
	}
	h = strings.Trim(h, "[]")
	if h == "::1" {
		return true
	}
	// The URL writes ::ffff:127.0.0.1 as [::ffff:7f00:1].
	g, ok := strings.CutPrefix(h, "::ffff:")
	hi, lo, two := strings.Cut(g, ":")
	return ok && two && len(hi) == 4 && strings.HasPrefix(hi, "7f") && len(lo) >= 1 && len(lo) <= 4 && isHex(hi+lo)
}

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}
