package jsapi

import (
	"errors"
	"time"

	"socred/internal/minifmt"
)

// The errors a call ends with, besides soap's: package wasm returns them,
// ErrorValue words them. Their texts keep the prefix "wasm: " that the JS
// API has always shown (an ArgumentError's is a TypeError's message).

// ArgumentError is a call whose argument is not what the API takes at all
// (not an object); the Promise is rejected with a TypeError. Field problems
// are not ArgumentErrors: they resolve to {ok: false, error: {kind:
// "validation"}}.
type ArgumentError struct {
	Method string
	Reason string
}

func (e *ArgumentError) Error() string {
	return "wasm: " + e.Method + ": " + e.Reason
}

// JSError is a JavaScript exception or Promise rejection reason seen from Go:
// its name ("TypeError", "AbortError", …) and message.
type JSError struct {
	Name    string
	Message string
}

func (e *JSError) Error() string {
	return "wasm: " + e.Name + ": " + e.Message
}

// ErrTimeout is wrapped by a *TimeoutError.
var ErrTimeout = errors.New("wasm: no answer in time")

// TimeoutError is a call that got no complete answer within its timeout.
type TimeoutError struct {
	Origin  string
	Timeout time.Duration
}

func (e *TimeoutError) Error() string {
	return minifmt.Sprintf("wasm: no answer from %s within %s", e.Origin, e.Timeout.String())
}

func (e *TimeoutError) Unwrap() error { return ErrTimeout }

// TransportError is a fetch that failed without an HTTP answer: the browser
// says only "TypeError: Failed to fetch". For a cross-origin endpoint socred
// probes the server with a no-cors request (which sends nothing secret and
// needs no preflight): if that gets through, the server is up and the
// browser refused the real call for lack of CORS headers.
type TransportError struct {
	Origin      string // the endpoint's origin
	PageOrigin  string // location.origin
	CrossOrigin bool
	Reachable   bool // the no-cors probe got an answer
	Cause       *JSError
}

func (e *TransportError) Error() string {
	if e.CORS() {
		return "wasm: " + e.Origin + " does not allow cross-origin calls from " + e.PageOrigin
	}
	return "wasm: could not reach " + e.Origin + ": " + e.Cause.Error()
}

func (e *TransportError) Unwrap() error { return e.Cause }

// CORS reports whether the failure is the browser's cross-origin refusal.
func (e *TransportError) CORS() bool { return e.CrossOrigin && e.Reachable }

// ErrRedirect is wrapped by a *RedirectError.
var ErrRedirect = errors.New("wasm: NetServer answered with a redirect")

// RedirectError is an answer that redirects elsewhere. socred never follows
// a redirect: the browser would send the same envelope, with the ticket and
// any secret, to wherever it points, which no check of the Endpoint has
// seen. The browser hides where a redirect points (the answer is opaque);
// socred's proxy, which refuses NetServer's redirects itself, says it.
type RedirectError struct {
	Origin   string // the endpoint's origin
	Location string // where it points, when known
	Proxy    bool   // socred's proxy refused NetServer's redirect
}

func (e *RedirectError) Error() string {
	if e.Location != "" {
		return "wasm: " + e.Origin + " answered with a redirect to " + e.Location
	}
	return "wasm: " + e.Origin + " answered with a redirect"
}

func (e *RedirectError) Unwrap() error { return ErrRedirect }

// ErrProxy is wrapped by a *ProxyError.
var ErrProxy = errors.New("wasm: socred's proxy could not forward the call")

// ProxyError is an answer of socred's own proxy, not of NetServer: it could
// not reach NetServer (Reason: dns, refused, tls, timeout, reset,
// unreachable) or would not forward the call (too-large).
type ProxyError struct {
	Reason string // the proxy's Socred-Proxy-Failure
	Target string // the NetServer site it tried
	Status int
}

func (e *ProxyError) Error() string {
	return "wasm: socred's proxy could not reach " + e.Target + ": " + e.Reason
}

func (e *ProxyError) Unwrap() error { return ErrProxy }
