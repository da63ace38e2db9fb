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

// Failure is the JavaScript result of a call that did not succeed:
// {ok: false, error: {kind, message, …}}.
func Failure(err error) map[string]any {
	return map[string]any{"ok": false, "error": ErrorValue(err)}
}

// Outcome turns err into a rejected Promise (an *ArgumentError: the call
// was not made as the API says) or a result object {ok: false, error}.
func Outcome(err error) (any, error) {
	var ae *ArgumentError
	if errors.As(err, &ae) {
		return nil, err
	}
	return Failure(err), nil
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
	case errors.As(err, &ves):
		list := make([]any, len(ves))
		msgs := make([]string, len(ves))
		for i, e := range ves {
			msgs[i] = e.Field + " " + e.Reason
			entry := map[string]any{"field": e.Field, "reason": e.Reason, "message": msgs[i], "code": e.Code}
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
		out := map[string]any{"kind": KindValidation, "message": strings.Join(msgs, "; "), "fields": list}
		if len(ves) > 0 {
			out["field"] = ves[0].Field
		}
		return out
	case errors.As(err, &exc):
		chain := exc.Chain()
		list := make([]any, len(chain))
		for i, s := range chain {
			list[i] = s
		}
		out := map[string]any{
			"kind":          KindException,
			"message":       exc.Text(),
			"chain":         list,
			"exceptionType": exc.ExceptionType,
		}
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
		return map[string]any{
			"kind":    KindException,
			"code":    CodeLoginRefused,
			"message": "NetServer did not accept the user name or password",
			"chain":   []any{"NetServer did not accept the user name or password"},
		}
	case errors.As(err, &flt):
		code := flt.Code.Local
		if n := len(flt.Subcodes); n > 0 {
			code = flt.Subcodes[n-1].Local
		}
		msg := flt.String
		if msg == "" {
			msg = "NetServer answered with a SOAP fault (" + code + ") without a text"
		}
		return map[string]any{
			"kind": KindFault, "message": msg, "code": code,
			"status": flt.Status, "detail": flt.Detail,
		}
	case errors.As(err, &perr):
		return map[string]any{
			"kind": KindProxy, "code": perr.Reason, "target": perr.Target, "status": perr.Status,
			"message": "socred's proxy could not reach NetServer at " + perr.Target + " (" + perr.Reason + ")",
		}
	case errors.As(err, &herr):
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
		return map[string]any{
			"kind": KindHTTP, "code": code, "message": msg, "status": herr.Status,
			"excerpt": herr.Excerpt, "contentType": herr.ContentType, "maxMiB": soap.MaxBody >> 20,
		}
	case errors.Is(err, soap.ErrMalformed):
		detail := strings.TrimPrefix(err.Error(), "soap: response does not match the contract: ")
		return map[string]any{
			"kind":    KindHTTP,
			"code":    CodeContract,
			"message": "NetServer's answer does not match the contract: " + detail,
			"detail":  detail,
			"status":  200,
		}
	case errors.As(err, &rerr):
		return redirectValue(rerr)
	case errors.As(err, &terr):
		return map[string]any{
			"kind": KindTimeout,
			"message": minifmt.Sprintf("No answer from %s within %s: the server is slow or down. Try again, or allow more time (timeoutMs).",
				terr.Origin, terr.Timeout.String()),
			"timeoutMs": int(terr.Timeout.Milliseconds()),
		}
	case errors.As(err, &nerr):
		if nerr.CORS() {
			return map[string]any{
				"kind": KindCORS,
				"message": "The browser blocked the call: " + nerr.Origin + " answers, but does not allow calls from this page's origin (" +
					nerr.PageOrigin + "). The server must answer the CORS preflight (OPTIONS) allowing this origin, the POST method and the " +
					"Content-Type and SOAPAction headers; or serve this page from " + nerr.Origin + ", or use socred's proxy mode.",
				"origin": nerr.Origin, "pageOrigin": nerr.PageOrigin,
			}
		}
		return map[string]any{
			"kind": KindNetwork,
			"message": "Could not reach " + nerr.Origin + ": check the NetServer site URL and that the server is running " +
				"(the browser says only \"" + nerr.Cause.Message + "\"; a certificate problem or the page's Content-Security-Policy looks the same).",
			"origin": nerr.Origin, "cause": nerr.Cause.Message,
		}
	}
	return map[string]any{"kind": KindNetwork, "code": CodeInternal, "message": strings.TrimPrefix(err.Error(), "wasm: ")}
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
	out := map[string]any{"kind": KindRedirect, "message": msg, "origin": e.Origin, "proxy": e.Proxy}
	if e.Location != "" {
		out["location"] = e.Location
	}
	return out
}
