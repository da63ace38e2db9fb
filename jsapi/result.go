package jsapi

import (
	"errors"
	"time"
	"unsafe"

	"socred/soap"
	"socred/wssec"
)

// EnvelopeValue is socred.buildEnvelope's result for the envelope env
// built (and signed, with its explanation ex, when the call asked) from c:
// {ok, operation, xml, contentType, soapAction, headers, url, masked} and,
// with an endpoint, curl; signed, explanation. It is the result's JSON
// text (AppendEnvelope); an envelope that is not UTF-8, which text read
// from JavaScript cannot make, is an error.
func EnvelopeValue(c *Call, env *soap.Envelope, ex *wssec.Explanation) (RawJSON, error) {
	b, ok := AppendEnvelope(nil, c, env, ex, true, true)
	if !ok {
		return nil, errNotUTF8
	}
	return b, nil
}

var errNotUTF8 = errors.New("jsapi: the envelope is not UTF-8")

// AppendEnvelope appends the JSON text of socred.buildEnvelope's result
// (EnvelopeValue) to b, keys sorted as AppendJSON sorts a map's. With curl
// false, the curl member is written as null, for a caller that makes it
// only when asked (socred.js makes it a getter, so the member keeps its
// place); with xml false, the xml member is null too, for a caller that
// takes the envelope's bytes as they are (socred.js decodes them itself:
// no escaping, and nothing for JSON.parse to scan). It reports false, as
// AppendJSON does, for text that is not UTF-8.
func AppendEnvelope(b []byte, c *Call, env *soap.Envelope, ex *wssec.Explanation, curl, xml bool) ([]byte, bool) {
	// One call per piece: appending in place made this function 6 KB of
	// the module.
	w := jsonWriter{b: b}
	ok := w.text(`{"contentType":`, env.ContentType)
	if c.URL != "" {
		if curl {
			ok = w.text(`,"curl":`, CurlCommand(c.URL, env)) && ok
		} else {
			w.lit(`,"curl":null`)
		}
	}
	if ex != nil {
		w.lit(`,"explanation":`)
		ok = w.value(ExplanationValue(ex)) && ok
	}
	ok = w.text(`,"headers":[{"name":"Content-Type","value":`, env.ContentType) && ok
	if env.SOAPAction != "" {
		ok = w.text(`},{"name":"SOAPAction","value":`, env.SOAPAction) && ok
	}
	if c.MaskSecrets {
		w.lit(`}],"masked":true,"ok":true`)
	} else {
		w.lit(`}],"masked":false,"ok":true`)
	}
	ok = w.text(`,"operation":`, string(env.Operation)) &&
		w.text(`,"soapAction":`, env.SOAPAction) &&
		w.text(`,"url":`, c.URL) && ok
	if xml {
		ok = w.text(`,"xml":`, unsafe.String(unsafe.SliceData(env.XML), len(env.XML))) && ok // read only
	} else {
		w.lit(`,"xml":null`)
	}
	w.lit("}")
	return w.b, ok
}

// CredentialsValue is the JavaScript shape of one record; dates are ISO 8601
// strings in UTC with a Z.
func CredentialsValue(uc soap.UntrustedCredentials) map[string]any {
	return obj(
		kv{"validFrom", dateString(uc.ValidFrom)},
		kv{"validTo", dateString(uc.ValidTo)},
		kv{"comment", uc.Comment},
		kv{"secretValue", uc.SecretValue},
		kv{"publicValue", uc.PublicValue},
		kv{"isActive", uc.IsActive},
	)
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return soap.FormatDateTime(t)
}

// ResponseValue is the JavaScript result of a successful call.
func ResponseValue(resp *soap.Response) map[string]any {
	out := obj(kv{"ok", true}, kv{"operation", string(resp.Operation)})
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
	return obj(
		kv{"associateId", int(u.AssociateID)},
		kv{"userName", u.UserName},
		kv{"name", u.Name},
		kv{"fullName", u.FullName},
		kv{"firstName", u.FirstName},
		kv{"lastName", u.LastName},
		kv{"email", u.Email},
		kv{"type", u.Type},
		kv{"deleted", u.Deleted},
		kv{"retired", u.Retired},
	)
}
