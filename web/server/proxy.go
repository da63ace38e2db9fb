package server

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"syscall"
	"time"

	"socred/soap"
)

// ErrProxyTarget is a proxy target URL that is refused.
var ErrProxyTarget = errors.New("server: proxy target refused")

// RedirectHeader is the header of the proxy's 502 answer to a NetServer
// redirect that names where the redirect points (resolved against the
// target, without a user name or password), so that the page can say it. It
// is no Location header: nothing follows it. The proxy passes no Location
// header on at all.
const RedirectHeader = "Socred-Redirect"

// FailureHeader marks the proxy's own answers (a NetServer it could not
// reach, a redirect it refused, a body it would not forward), so the page
// can tell them from NetServer's: its value says why (one of the Failure…
// constants). TargetHeader names the NetServer site it was trying (the
// -proxy URL, without a user name or password).
const (
	FailureHeader = "Socred-Proxy-Failure"
	TargetHeader  = "Socred-Proxy-Target"
)

// The proxy's failures (FailureHeader values).
const (
	FailureDNS      = "dns"       // NetServer's host name does not resolve
	FailureRefused  = "refused"   // nothing listens there, or a firewall refuses
	FailureTLS      = "tls"       // the TLS handshake failed: certificate or not TLS at all
	FailureTimeout  = "timeout"   // no connection or no answer in time
	FailureReset    = "reset"     // the connection broke off
	FailureRedirect = "redirect"  // NetServer answered with a redirect (RedirectHeader says where)
	FailureTooLarge = "too-large" // the request body is larger than socred forwards
	FailureOther    = "unreachable"
)

// failureOf says why a forwarded call failed, as the page words it.
func failureOf(err error) string {
	var dns *net.DNSError
	var cert *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	var alert tls.AlertError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var ne net.Error
	switch {
	case errors.As(err, &dns):
		return FailureDNS
	case errors.Is(err, syscall.ECONNREFUSED):
		return FailureRefused
	case errors.As(err, &cert), errors.As(err, &record), errors.As(err, &alert), errors.As(err, &unknown),
		errors.As(err, &host), errors.As(err, &invalid), strings.Contains(err.Error(), "tls: "):
		return FailureTLS
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return FailureTimeout
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return FailureReset
	}
	return FailureOther
}

// failureWords says a failure for the operator's log and the 502's text.
var failureWords = map[string]string{
	FailureDNS:     "the name does not resolve",
	FailureRefused: "the connection was refused (nothing listens there, or a firewall refuses it)",
	FailureTLS:     "the TLS handshake failed (an untrusted or wrong certificate, or no https there)",
	FailureTimeout: "it did not answer in time",
	FailureReset:   "the connection broke off",
	FailureOther:   "it could not be reached",
}

// redirectError is an upstream 3xx answer, which the proxy never passes on:
// a browser would follow it with the same envelope, ticket and secrets.
type redirectError struct {
	status   int
	location string // resolved and redacted; "" when the answer had none
}

func (e *redirectError) Error() string {
	return fmt.Sprintf("upstream answered HTTP %d, a redirect to %q", e.status, e.location)
}

// maxLocation bounds the Location the proxy repeats.
const maxLocation = 2048

// forwarded are the only request headers sent on to NetServer: what a SOAP
// call needs. Cookies, Authorization and anything the browser adds stay here.
var forwarded = []string{"Content-Type", "SOAPAction", "Accept", "Accept-Language"}

// proxy forwards POSTs to the two Services88 paths to one fixed NetServer
// site, and nothing else: it is not an open proxy.
type proxy struct {
	rp     *httputil.ReverseProxy
	target *url.URL
}

// checkTarget refuses a target that is not a plain site URL, and plain http
// to anything but loopback unless allowHTTP.
func checkTarget(target *url.URL, allowHTTP bool) error {
	switch {
	case target.Scheme != "https" && target.Scheme != "http", target.Host == "":
		return fmt.Errorf("%w: %q is not an http(s) site URL", ErrProxyTarget, target.Redacted())
	case target.User != nil:
		return fmt.Errorf("%w: it must not carry a user name or password", ErrProxyTarget)
	case target.RawQuery != "" || target.Fragment != "":
		return fmt.Errorf("%w: it must not have a query or fragment", ErrProxyTarget)
	case target.Scheme == "http" && !IsLoopback(target.Hostname()) && !allowHTTP:
		return fmt.Errorf("%w: %s is plain http to a host that is not loopback: tickets and secrets would travel in clear (use https, or -proxy-allow-http if you must)", ErrProxyTarget, target.Redacted())
	}
	return nil
}

func newProxy(target *url.URL, roots *x509.CertPool, allowHTTP bool, timeout time.Duration, logf func(string, ...any)) (*proxy, error) {
	if err := checkTarget(target, allowHTTP); err != nil {
		return nil, err
	}
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	t := *target
	t.Path = strings.TrimSuffix(t.Path, "/")
	t.RawPath = ""
	transport := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: timeout,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   8,
		ForceAttemptHTTP2:     true,
	}
	p := &proxy{target: &t}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			out := pr.Out
			out.URL = &url.URL{Scheme: t.Scheme, Host: t.Host, Path: t.Path + pr.In.URL.Path}
			out.Host = t.Host
			h := http.Header{}
			for _, k := range forwarded {
				if v := pr.In.Header.Values(k); len(v) > 0 {
					h[http.CanonicalHeaderKey(k)] = v
				}
			}
			out.Header = h
		},
		Transport: transport,
		ModifyResponse: func(resp *http.Response) error {
			if resp.StatusCode >= 300 && resp.StatusCode < 400 {
				base := &t
				if resp.Request != nil && resp.Request.URL != nil {
					base = resp.Request.URL
				}
				return &redirectError{status: resp.StatusCode, location: redirectTarget(base, resp.Header.Get("Location"))}
			}
			for k := range resp.Header {
				if k == "Set-Cookie" || k == "Location" || strings.HasPrefix(k, "Access-Control-") {
					resp.Header.Del(k)
				}
			}
			resp.Body = struct {
				io.Reader
				io.Closer
			}{io.LimitReader(resp.Body, 2*soap.MaxBody), resp.Body}
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			w.Header().Set(TargetHeader, t.Redacted())
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				w.Header().Set(FailureHeader, FailureTooLarge)
				http.Error(w, fmt.Sprintf("socred proxy: the request body is larger than %d bytes", soap.MaxBody), http.StatusRequestEntityTooLarge)
				return
			}
			var re *redirectError
			if errors.As(err, &re) {
				w.Header().Set(FailureHeader, FailureRedirect)
				where := "without saying where (no Location)"
				if re.location != "" {
					where = "to " + re.location
					w.Header().Set(RedirectHeader, re.location)
				}
				logf("socred proxy: %s %s: NetServer answered HTTP %d, a redirect %s; not followed", r.Method, r.URL.Path, re.status, where)
				http.Error(w, fmt.Sprintf("socred proxy: NetServer at %s answered with a redirect (HTTP %d) %s. socred does not follow redirects, "+
					"because the ticket and secrets would go along to wherever it points. Start socred with -proxy set to where it points, if you trust it.",
					t.Redacted(), re.status, where), http.StatusBadGateway)
				return
			}
			why := failureOf(err)
			logf("socred proxy: %s %s: %s: %v", r.Method, r.URL.Path, failureWords[why], err)
			w.Header().Set(FailureHeader, why)
			http.Error(w, "socred proxy: could not reach NetServer at "+t.Redacted()+": "+failureWords[why], http.StatusBadGateway)
		},
	}
	return p, nil
}

// redirectTarget is a redirect's Location resolved against base, as
// people may read it: no user name or password, at most maxLocation bytes;
// "" when there is none or it is not a URL.
func redirectTarget(base *url.URL, location string) string {
	if location == "" {
		return ""
	}
	u, err := base.Parse(location)
	if err != nil {
		return ""
	}
	u.User = nil
	s := u.String()
	if len(s) > maxLocation {
		s = s[:maxLocation] + "..."
	}
	return s
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "socred proxy: only POST is forwarded", http.StatusMethodNotAllowed)
		return
	}
	if r.ContentLength > soap.MaxBody {
		w.Header().Set(FailureHeader, FailureTooLarge)
		http.Error(w, fmt.Sprintf("socred proxy: the request body is larger than %d bytes", soap.MaxBody), http.StatusRequestEntityTooLarge)
		return
	}
	// Read the whole body first: a body over the cap is refused before
	// anything reaches NetServer, and NetServer gets a Content-Length.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, soap.MaxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		w.Header().Set(FailureHeader, FailureTooLarge)
		http.Error(w, fmt.Sprintf("socred proxy: the request body is larger than %d bytes", soap.MaxBody), http.StatusRequestEntityTooLarge)
		return
	case err != nil:
		w.Header().Set("Connection", "close")
		http.Error(w, "socred proxy: the request body could not be read", http.StatusRequestTimeout)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	p.rp.ServeHTTP(w, r)
}
