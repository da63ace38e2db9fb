package jsapi

import (
	"errors"
	"strings"

	"socred/internal/minifmt"
	"socred/soap"
)

// The values of error.kind in a result object.
const (
	KindValidation = "validation"
	KindException  = "exception"
	KindFault      = "fault"
	KindHTTP       = "http"
	KindNetwork    = "network"
	KindCORS       = "cors"
	KindTimeout    = "timeout"
	KindRedirect   = "redirect"
	KindProxy      = "proxy" // socred's own proxy could not reach NetServer (code: why)
)

// The values of error.code, where a kind has several cases the page words
// differently (validation problems carry theirs in fields[].code).
const (
	CodeLoginRefused = "login-refused" // exception: the login was not accepted
	CodeDuplicateKey = "duplicate-key" // exception: the Type and PublicValue are stored for another associate (type, publicValue)
	CodeNotSOAP      = "not-soap"      // http: the body is not a SOAP message
	CodeTooLarge     = "too-large"     // http: the answer is larger than socred reads (maxMiB)
	CodeEmptyBody    = "empty-body"    // http: a 2xx with an empty body
	CodeNoService    = "no-service"    // http: 404/405, no service at this address
	CodeContract     = "contract"      // http: a SOAP answer that does not match the contract (detail)
	CodeInternal     = "internal"      // network: anything else (message)
)

// As is errors.As by errors.AsType, which needs no reflection: errors.As's
// assignability check (internal/reflectlite) is 20 KB of the module's code
// (make size) when nothing else calls it.
func As[E error](err error, target *E) bool {
	e, ok := errors.AsType[E](err)
	if ok {
		*target = e
	}
	return ok
}

// Failure is the JavaScript result of a call that did not succeed:
// {ok: false, error: {kind, message, …}}.
func Failure(err error) map[string]any {
	return obj(kv{"ok", false}, kv{"error", ErrorValue(err)})
}

// Outcome turns err into a rejected Promise (an *ArgumentError: the call
// was not made as the API says) or a result object {ok: false, error}.
func Outcome(err error) (any, error) {
	var ae *ArgumentError
	if As(err, &ae) {
		return nil, err
	}
	return Failure(err), nil
}

// kv is one property of the object obj makes.
type kv struct {
	k string
	v any
}

// obj makes a JavaScript object's map of properties. In WebAssembly a map
// literal costs about 100 instructions a property (a mapassign call, which
// splits the function for the scheduler, and the value's store with its
// write barrier); a property given to obj costs a few stores to the stack:
// ErrorValue's map literals were 32 KB of code (make size).
//
//go:noinline
func obj(kvs ...kv) map[string]any {
	m := make(map[string]any, len(kvs))
	for _, p := range kvs {
		m[p.k] = p.v
	}
	return m
}

// ErrorValue describes err for people and programs: kind, message and the
// details of its kind. Every text in it is plain text: the page renders it
// with textContent.
func ErrorValue(err error) map[string]any {
	var (
		ves  soap.ValidationErrors
		exc  *soap.ExceptionInfo
		flt  *soap.Fault
		herr *soap.HTTPError
		perr *ProxyError
		terr *TimeoutError
		nerr *TransportError
		rerr *RedirectError
	)
	switch {
	case As(err, &ves):
		list := make([]any, len(ves))
		msgs := make([]string, len(ves))
		for i, e := range ves {
			msgs[i] = e.Field + " " + e.Reason
			entry := obj(
				kv{"field", e.Field},
				kv{"reason", e.Reason},
				kv{"message", msgs[i]},
				kv{"code", e.Code},
			)
			if code := keyErrorCode(e.Err); code != "" {
				entry["code"] = code
			}
			params := make(map[string]any, len(e.Params))
			for k, v := range e.Params {
				params[k] = v
			}
			entry["params"] = params
			list[i] = entry
		}
		out := obj(
			kv{"kind", KindValidation},
			kv{"message", strings.Join(msgs, "; ")},
			kv{"fields", list},
		)
		if len(ves) > 0 {
			out["field"] = ves[0].Field
		}
		return out
	case As(err, &exc):
		chain := exc.Chain()
		list := make([]any, len(chain))
		for i, s := range chain {
			list[i] = s
		}
		out := obj(
			kv{"kind", KindException},
			kv{"message", exc.Text()},
			kv{"chain", list},
			kv{"exceptionType", exc.ExceptionType},
		)
		// The Type and PublicValue are another associate's: the page says
		// so in words, the server's own text below them.
		if values, ok := exc.DuplicateKey(); ok {
			out["code"] = CodeDuplicateKey
			if len(values) == 2 {
				out["type"], out["publicValue"] = values[0], values[1]
			}
		}
		return out
	case errors.Is(err, soap.ErrAuthenticationFailed):
		return obj(
			kv{"kind", KindException},
			kv{"code", CodeLoginRefused},
			kv{"message", "NetServer did not accept the user name or password"},
			kv{"chain", []any{"NetServer did not accept the user name or password"}},
		)
	case As(err, &flt):
		code := flt.Code.Local
		if n := len(flt.Subcodes); n > 0 {
			code = flt.Subcodes[n-1].Local
		}
		msg := flt.String
		if msg == "" {
			msg = "NetServer answered with a SOAP fault (" + code + ") without a text"
		}
		return obj(
			kv{"kind", KindFault},
			kv{"message", msg},
			kv{"code", code},
			kv{"status", flt.Status},
			kv{"detail", flt.Detail},
		)
	case As(err, &perr):
		return obj(
			kv{"kind", KindProxy},
			kv{"code", perr.Reason},
			kv{"target", perr.Target},
			kv{"status", perr.Status},
			kv{"message", "socred's proxy could not reach NetServer at " + perr.Target + " (" + perr.Reason + ")"},
		)
	case As(err, &herr):
		code, msg := CodeNotSOAP, minifmt.Sprintf("NetServer answered HTTP %d with something that is not a SOAP message", herr.Status)
		switch {
		case errors.Is(herr, soap.ErrTooLarge):
			code, msg = CodeTooLarge, minifmt.Sprintf("The answer (HTTP %d) is larger than socred reads (%d MiB)", herr.Status, soap.MaxBody>>20)
		case herr.Status >= 200 && herr.Status < 300 && herr.Excerpt == "":
			code, msg = CodeEmptyBody, minifmt.Sprintf("NetServer answered HTTP %d with an empty body", herr.Status)
		case herr.Status == 404 || herr.Status == 405:
			// 405: a web server (or IIS in front of NetServer) that serves
			// this path but not a POST to it: the URL is not a service either.
			code, msg = CodeNoService, minifmt.Sprintf("HTTP %d: there is no NetServer service at this address; check that the NetServer site URL is the site's base address", herr.Status)
		}
		return obj(
			kv{"kind", KindHTTP},
			kv{"code", code},
			kv{"message", msg},
			kv{"status", herr.Status},
			kv{"excerpt", herr.Excerpt},
			kv{"contentType", herr.ContentType},
			kv{"maxMiB", soap.MaxBody >> 20},
		)
	case errors.Is(err, soap.ErrMalformed):
		detail := strings.TrimPrefix(err.Error(), "soap: response does not match the contract: ")
		return obj(
			kv{"kind", KindHTTP},
			kv{"code", CodeContract},
			kv{"message", "NetServer's answer does not match the contract: " + detail},
			kv{"detail", detail},
			kv{"status", 200},
		)
	case As(err, &rerr):
		return redirectValue(rerr)
	case As(err, &terr):
		return obj(
			kv{"kind", KindTimeout},
			kv{"message", minifmt.Sprintf("No answer from %s within %s: the server is slow or down. Try again, or allow more time (timeoutMs).",
				terr.Origin, terr.Timeout.String())},
			kv{"timeoutMs", int(terr.Timeout.Milliseconds())},
		)
	case As(err, &nerr):
		if nerr.CORS() {
			return obj(
				kv{"kind", KindCORS},
				kv{"message", "The browser blocked the call: " + nerr.Origin + " answers, but does not allow calls from this page's origin (" +
					nerr.PageOrigin + "). The server must answer the CORS preflight (OPTIONS) allowing this origin, the POST method and the " +
					"Content-Type and SOAPAction headers; or serve this page from " + nerr.Origin + ", or use socred's proxy mode."},
				kv{"origin", nerr.Origin},
				kv{"pageOrigin", nerr.PageOrigin},
			)
		}
		return obj(
			kv{"kind", KindNetwork},
			kv{"message", "Could not reach " + nerr.Origin + ": check the NetServer site URL and that the server is running " +
				"(the browser says only \"" + nerr.Cause.Message + "\"; a certificate problem or the page's Content-Security-Policy looks the same)."},
			kv{"origin", nerr.Origin},
			kv{"cause", nerr.Cause.Message},
		)
	}
	return obj(
		kv{"kind", KindNetwork},
		kv{"code", CodeInternal},
		kv{"message", strings.TrimPrefix(err.Error(), "wasm: ")},
	)
}

// redirectValue describes a redirect socred did not follow, and where it
// points when that is known.
func redirectValue(e *RedirectError) map[string]any {
	const why = "socred does not follow redirects, because the ticket and secrets would go along to wherever it points."
	var msg string
	switch {
	case e.Proxy && e.Location != "":
		msg = "NetServer answered socred's proxy with a redirect to " + e.Location + "; " + why +
			" Start the socred server with -proxy set to where it points, if you trust it."
	case e.Proxy:
		msg = "NetServer answered socred's proxy with a redirect, without saying where; " + why +
			" Start the socred server with -proxy set to NetServer's real site URL."
	default:
		msg = "NetServer at " + e.Origin + " answered with a redirect; " + why +
			" Set the site URL to where the redirect points, if you trust it (the browser does not say where; opening the site URL in a browser tab shows it)."
	}
	out := obj(
		kv{"kind", KindRedirect},
		kv{"message", msg},
		kv{"origin", e.Origin},
		kv{"proxy", e.Proxy},
	)
	if e.Location != "" {
		out["location"] = e.Location
	}
	return out
}
