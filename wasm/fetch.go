//go:build js && wasm

package wasm

import (
	"errors"
	"time"

	"socred/jsapi"
	"socred/soap"
	"socred/wasm/internal/jsv"
)

// proxyRedirectHeader names, on the 502 with which socred's proxy answers a
// redirect from NetServer, where the redirect points (web/server's
// RedirectHeader).
const proxyRedirectHeader = "Socred-Redirect"

// The headers with which socred's proxy marks its own answers (web/server's
// FailureHeader and TargetHeader).
const (
	proxyFailureHeader = "Socred-Proxy-Failure"
	proxyTargetHeader  = "Socred-Proxy-Target"
)

// probeTimeout bounds the no-cors reachability probe.
const probeTimeout = 5 * time.Second

// answer is what fetch brought back, read into Go.
type answer struct {
	Status      int
	ContentType string
	Body        []byte // at most soap.MaxBody+1 bytes
}

// post sends the envelope to target with fetch and reads the answer, all
// within timeout. The body is read in chunks and cut at soap.MaxBody+1 bytes
// (enough for soap.Classify to say it is too large). A redirect is not
// followed (redirect "manual": nothing goes to where it points) but
// returned as a *jsapi.RedirectError, as is the 502 of socred's proxy that
// refused one.
//
// See https://developer.mozilla.org/docs/Web/API/Window/fetch and
// https://developer.mozilla.org/docs/Web/API/AbortController
func post(target string, env *soap.Envelope, timeout time.Duration) (*answer, error) {
	return postStop(target, env, timeout, nil)
}

// ErrStopped is what postStop returns when stop closed before the answer
// was in (a batch cancelled): the fetch was aborted.
var ErrStopped = errors.New("wasm: the call was stopped")

// postStop is post, also aborted when stop (if not nil) is closed first.
func postStop(target string, env *soap.Envelope, timeout time.Duration, stop <-chan struct{}) (*answer, error) {
	// The browser bounds the call itself: a timer aborts the controller, which
	// rejects the fetch or the pending read with an AbortError (no Go timer,
	// which would make the runtime set and clear a JavaScript timeout every
	// time Go waits).
	controller, err := abortControllerClass.New()
	if err != nil {
		return nil, err
	}
	signal, err := controller.Get("signal")
	if err != nil {
		return nil, err
	}
	abort, err := controller.Get("abort")
	if err == nil {
		abort, err = abort.Call("bind", controller)
	}
	if err != nil {
		return nil, err
	}
	timer, err := setTimeoutFn.Invoke(abort, timeout.Milliseconds())
	if err != nil {
		return nil, err
	}
	defer func() { _, _ = clearTimeoutFn.Invoke(timer) }()
	timedOut := func() bool {
		aborted, err := signal.Get("aborted")
		b, _ := aborted.Bool()
		return err == nil && b
	}
	if stop != nil {
		// A closed stop aborts the fetch, as the timer does; fail then says
		// stopped, not timed out.
		finished := make(chan struct{})
		defer close(finished)
		go func() {
			select {
			case <-stop:
				_, _ = abort.Invoke()
			case <-finished:
			}
		}()
	}

	body, err := bytesValue(env.XML)
	if err != nil {
		return nil, err
	}
	headers := map[string]any{}
	for _, h := range env.Headers() {
		headers[h.Key] = h.Value
	}
	init, err := toJS(map[string]any{
		"method":         "POST",
		"mode":           "cors",
		"credentials":    "omit",
		"cache":          "no-store",
		"referrerPolicy": "no-referrer",
		"redirect":       "manual",
		"headers":        headers,
	})
	if err != nil {
		return nil, err
	}
	if err := init.Set("body", body); err == nil {
		err = init.Set("signal", signal)
	}
	if err != nil {
		return nil, err
	}
	w, err := newAwaiter()
	if err != nil {
		return nil, err
	}
	defer w.release()

	fail := func(err error) (*answer, error) {
		if stop != nil {
			select {
			case <-stop:
				return nil, ErrStopped
			default:
			}
		}
		return nil, classifyFetchError(timedOut(), target, timeout, err)
	}
	p, err := global("fetch").Invoke(target, init)
	if err != nil {
		return fail(err)
	}
	resp, err := w.await(p)
	if err != nil {
		return fail(err)
	}
	// https://developer.mozilla.org/docs/Web/API/Response/type
	if typ, err := resp.Get("type"); err == nil && typ.Type() == jsv.TypeString {
		if t, _ := typ.String(); t == "opaqueredirect" {
			_, _ = controller.Call("abort")
			return nil, &jsapi.RedirectError{Origin: originOf(target)}
		}
	}
	a := &answer{}
	if a.Status, err = intProp(resp, "status"); err != nil {
		return nil, err
	}
	if h, err := resp.Get("headers"); err == nil {
		if ct, err := h.Call("get", "Content-Type"); err == nil && ct.Type() == jsv.TypeString {
			a.ContentType, _ = ct.String()
		}
		if a.Status == 502 {
			if loc, err := h.Call("get", proxyRedirectHeader); err == nil && loc.Type() == jsv.TypeString {
				l, _ := loc.String()
				_, _ = controller.Call("abort")
				return nil, &jsapi.RedirectError{Origin: originOf(target), Location: l, Proxy: true}
			}
		}
		// Only an answer from this page's own origin can be socred's proxy.
		if a.Status >= 400 && originOf(target) == pageOrigin() {
			if why, err := h.Call("get", proxyFailureHeader); err == nil && why.Type() == jsv.TypeString {
				pe := &jsapi.ProxyError{Status: a.Status}
				pe.Reason, _ = why.String()
				if tg, err := h.Call("get", proxyTargetHeader); err == nil && tg.Type() == jsv.TypeString {
					pe.Target, _ = tg.String()
				}
				_, _ = controller.Call("abort")
				if pe.Reason == "redirect" {
					return nil, &jsapi.RedirectError{Origin: originOf(target), Proxy: true}
				}
				return nil, pe
			}
		}
	}
	if a.Body, err = readBody(w, resp, soap.MaxBody+1); err != nil {
		return fail(err)
	}
	return a, nil
}

// readBody reads the response body stream, at most limit bytes; past the
// limit it cancels the stream.
//
// See https://developer.mozilla.org/docs/Web/API/ReadableStreamDefaultReader/read
func readBody(w *awaiter, resp jsv.Value, limit int) ([]byte, error) {
	stream, err := resp.Get("body")
	if err != nil || absent(stream) {
		return nil, err
	}
	reader, err := stream.Call("getReader")
	if err != nil {
		return nil, err
	}
	var buf []byte
	for {
		p, err := reader.Call("read")
		if err != nil {
			return nil, err
		}
		chunk, err := w.await(p)
		if err != nil {
			return nil, err
		}
		if done, _ := chunk.Get("done"); done.Type() == jsv.TypeBoolean {
			if b, _ := done.Bool(); b {
				return buf, nil
			}
		}
		value, err := chunk.Get("value")
		if err != nil {
			return nil, err
		}
		n, err := value.Length()
		if err != nil {
			return nil, err
		}
		start := len(buf)
		take := min(n, limit-start)
		buf = append(buf, make([]byte, take)...)
		if take < n {
			sub, err := value.Call("subarray", 0, take)
			if err != nil {
				return nil, err
			}
			value = sub
		}
		if _, err := jsv.CopyBytesToGo(buf[start:], value); err != nil {
			return nil, err
		}
		if len(buf) >= limit {
			_, _ = reader.Call("cancel")
			return buf, nil
		}
	}
}

// classifyFetchError turns a failed fetch into a *jsapi.TimeoutError, a
// *jsapi.TransportError, or returns err as it is.
func classifyFetchError(timedOut bool, target string, timeout time.Duration, err error) error {
	origin := originOf(target)
	if timedOut {
		return &jsapi.TimeoutError{Origin: origin, Timeout: timeout}
	}
	var je *jsapi.JSError
	if !jsapi.As(err, &je) {
		je = &jsapi.JSError{Name: "Error", Message: err.Error()}
	}

	te := &jsapi.TransportError{Origin: origin, PageOrigin: pageOrigin(), Cause: je}
	te.CrossOrigin = te.PageOrigin != origin
	if te.CrossOrigin && je.Name == "TypeError" {
		te.Reachable = probe(target)
	}
	return te
}

// probe reports whether a no-cors GET of target gets any answer. It carries
// no header, body, credential or referrer, and its opaque answer is not
// read. It must follow redirects: the Fetch standard makes a no-cors
// request with any other redirect mode a network error ("main fetch"), so
// "manual" or "error" would call every server unreachable. Following sends
// nothing of the call; the envelope itself never follows one (post).
func probe(target string) bool {
	controller, err := global("AbortController").New()
	if err != nil {
		return false
	}
	ctx := jsapi.NewDeadline(probeTimeout, func() { _, _ = controller.Call("abort") })
	defer ctx.Stop()
	signal, _ := controller.Get("signal")
	init, err := jsv.ValueOf(map[string]any{
		"method": "GET", "mode": "no-cors", "credentials": "omit",
		"cache": "no-store", "referrerPolicy": "no-referrer", "redirect": "follow",
	})
	if err != nil {
		return false
	}
	if err := init.Set("signal", signal); err != nil {
		return false
	}
	p, err := global("fetch").Invoke(target, init)
	if err != nil {
		return false
	}
	_, err = await(ctx, p)
	return err == nil
}

// originOf is scheme://host[:port] of a URL.
func originOf(s string) string {
	u, ok := parseURL(s)
	if !ok {
		return s
	}
	return u.Protocol + "//" + u.Host
}

// pageOrigin is location.origin, "" outside a page.
func pageOrigin() string {
	loc, err := jsv.Global().Get("location")
	if err != nil || absent(loc) {
		return ""
	}
	o, err := loc.Get("origin")
	if err != nil || o.Type() != jsv.TypeString {
		return ""
	}
	s, _ := o.String()
	return s
}

func intProp(v jsv.Value, key string) (int, error) {
	p, err := v.Get(key)
	if err != nil {
		return 0, err
	}
	return p.Int()
}
