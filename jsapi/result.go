package jsapi

import (
	"strconv"
	"time"
	"unsafe"

	"socred/soap"
)

// EnvelopeValue is socred.buildEnvelope's result for the envelope env
// built (and signed, with its explanation ex, when the call asked) from c:
// {ok, operation, xml, contentType, soapAction, headers, url, masked} and,
// with an endpoint, curl; signed, explanation.
func EnvelopeValue(c *Call, env *soap.Envelope, ex *soap.Explanation) map[string]any {
	out := map[string]any{
		"ok":          true,
		"operation":   string(env.Operation),
		"xml":         string(env.XML),
		"contentType": env.ContentType,
		"soapAction":  env.SOAPAction,
		"headers":     HeadersValue(env.Headers()),
		"url":         c.URL,
		"masked":      c.MaskSecrets,
	}
	if c.URL != "" {
		out["curl"] = CurlCommand(c.URL, env)
	}
	if ex != nil {
		out["explanation"] = ExplanationValue(ex)
	}
	return out
}

// AppendEnvelope appends the JSON text of EnvelopeValue(c, env, nil) to b,
// byte for byte as AppendJSON writes it (keys sorted), but without the map
// in between. With curl false, the curl member is written as null, for a
// caller that makes it only when asked (socred.js makes it a getter, so
// the member keeps its place); with xml false, the xml member is null too,
// for a caller that takes the envelope's bytes as they are (socred.js
// decodes them itself: no escaping, and nothing for JSON.parse to scan).
// It reports false, as AppendJSON does, for text that is not UTF-8.
func AppendEnvelope(b []byte, c *Call, env *soap.Envelope, curl, xml bool) ([]byte, bool) {
	w := jsonWriter{b: b}
	ok := w.member('{', "contentType", env.ContentType)
	if c.URL != "" {
		w.b = append(w.b, `,"curl":`...)
		if curl {
			ok = w.str(CurlCommand(c.URL, env)) && ok
		} else {
			w.b = append(w.b, "null"...)
		}
	}
	w.b = append(w.b, `,"headers":[`...)
	ok = w.member('{', "name", "Content-Type") && w.member(',', "value", env.ContentType) && ok
	if env.SOAPAction != "" {
		w.b = append(w.b, "},"...)
		ok = w.member('{', "name", "SOAPAction") && w.member(',', "value", env.SOAPAction) && ok
	}
	w.b = append(w.b, `}],"masked":`...)
	w.b = strconv.AppendBool(w.b, c.MaskSecrets)
	w.b = append(w.b, `,"ok":true`...)
	ok = w.member(',', "operation", string(env.Operation)) &&
		w.member(',', "soapAction", env.SOAPAction) &&
		w.member(',', "url", c.URL) && ok
	if xml {
		ok = w.member(',', "xml", unsafe.String(unsafe.SliceData(env.XML), len(env.XML))) && ok // read only
	} else {
		w.b = append(w.b, `,"xml":null`...)
	}
	w.b = append(w.b, '}')
	return w.b, ok
}

// CredentialsValue is the JavaScript shape of one record; dates are ISO 8601
// strings in UTC with a Z.
func CredentialsValue(uc soap.UntrustedCredentials) map[string]any {
	return map[string]any{
		"validFrom":   dateString(uc.ValidFrom),
		"validTo":     dateString(uc.ValidTo),
		"comment":     uc.Comment,
		"secretValue": uc.SecretValue,
		"publicValue": uc.PublicValue,
		"isActive":    uc.IsActive,
	}
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return soap.FormatDateTime(t)
}

// ResponseValue is the JavaScript result of a successful call.
func ResponseValue(resp *soap.Response) map[string]any {
	out := map[string]any{"ok": true, "operation": string(resp.Operation)}
	switch {
	case resp.Authentication != nil:
		a := resp.Authentication
		out["ticket"] = a.Ticket
		out["associateId"] = int(a.AssociateID)
		out["userName"] = a.Associate
		out["fullName"] = a.FullName
	case resp.Operation == soap.GetForAssociate || resp.Operation == soap.Get:
		list := make([]any, len(resp.Credentials))
		for i, uc := range resp.Credentials {
			list[i] = CredentialsValue(uc)
		}
		out["credentials"] = list
	case resp.Default != nil:
		out["credentials"] = CredentialsValue(*resp.Default)
	case resp.Operation.LooksUpUser():
		out["user"] = UserValue(resp.User)
	}
	return out
}

// UserValue is the JavaScript shape of who a lookup found, or nil (null)
// when NetServer knows no such associate.
func UserValue(u *soap.User) any {
	if u == nil {
		return nil
	}
	return map[string]any{
		"associateId": int(u.AssociateID),
		"userName":    u.UserName,
		"name":        u.Name,
		"fullName":    u.FullName,
		"firstName":   u.FirstName,
		"lastName":    u.LastName,
		"email":       u.Email,
		"type":        u.Type,
		"deleted":     u.Deleted,
		"retired":     u.Retired,
	}
}

// HeadersValue is the list of HTTP headers as [{name, value}].
func HeadersValue(h []soap.KeyValue) []any {
	out := make([]any, len(h))
	for i, kv := range h {
		out[i] = map[string]any{"name": kv.Key, "value": kv.Value}
	}
	return out
}
