package jsapi

import (
	"strings"
	"time"

	"socred/soap"
)

// Connection is where a batch's calls go and what they carry besides the
// body: read from {endpoint, ticket, applicationToken, soapVersion,
// timeoutMs}, checked as every call's are.
type Connection struct {
	URL              string
	ApplicationToken string
	Ticket           string
	Version          soap.Version
	Timeout          time.Duration
}

// ReadConnection reads the options object v of a batch method (plan,
// audit) into a Connection, or its problems as soap.ValidationErrors.
func ReadConnection(method string, v Value, parse URLParser) (*Connection, error) {
	if v.Type() != TypeObject {
		return nil, &ArgumentError{Method: method, Reason: "the argument must be an options object"}
	}
	f := &fields{obj: v}
	c := &Connection{
		ApplicationToken: f.str("applicationToken", "ApplicationToken"),
		Ticket:           strings.TrimSpace(f.str("ticket", "Ticket")),
		Version:          f.version(),
		Timeout:          f.timeout(),
	}
	endpoint := strings.TrimSpace(f.str("endpoint", "Endpoint"))
	switch {
	case endpoint == "":
		f.add("Endpoint", soap.ErrRequired, soap.CodeRequired, "is required")
	default:
		u, code, reason := ServiceURL(endpoint, soap.GetForAssociate, parse)
		if reason != "" {
			f.add("Endpoint", ErrFormat, code, reason)
		} else if u.Protocol == "http:" && !IsLoopback(u.Hostname) {
			f.add("Endpoint", ErrInsecure, CodeInsecureHTTP, "uses plain http:// to a host other than this computer, "+
				"so the ticket, token, password or secret would travel unencrypted: use https://")
		} else {
			c.URL = u.Href
		}
	}
	if c.Ticket == "" {
		f.add("Ticket", soap.ErrRequired, soap.CodeRequired, "is required")
	}
	if len(f.errs) > 0 {
		return nil, soap.ValidationErrors(f.errs)
	}
	return c, nil
}

// Bool reads the boolean property key of the object v: false when it is
// absent or not a boolean (batch's options, whose problems are not
// reported).
func Bool(v Value, key string) bool {
	f := &fields{obj: v}
	return f.boolean(key, key)
}

// Text reads the string property key of the object v: "" when it is
// absent or not text.
func Text(v Value, key string) string {
	f := &fields{obj: v}
	return f.str(key, key)
}
