package jsapi

import (
	"time"

	"socred/soap"
	"socred/wssec"
)

// EnvelopeValue is socred.buildEnvelope's result for the envelope env
// built (and signed, with its explanation ex, when the call asked) from c:
// {ok, operation, xml, contentType, soapAction, headers, url, masked} and,
// with an endpoint, curl; signed, explanation.
func EnvelopeValue(c *Call, env *soap.Envelope, ex *wssec.Explanation) map[string]any {
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
