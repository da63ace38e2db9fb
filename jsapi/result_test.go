package jsapi

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/soap"
	"socred/wssec"
)

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// jsonOf writes a result as its JSON text (AppendJSON, what JSON.parse
// gets in the browser) and reads it back with the request reader.
func jsonOf(t *testing.T, v any) *jval {
	t.Helper()
	b, ok := AppendJSON(nil, v)
	require.True(t, ok, "%v", v)
	j, err := parseJSON(string(b))
	require.NoError(t, err, "%s", b)
	return &j
}

// goValue is a result as JavaScript gets it, read back by encoding/json.
func goValue(t *testing.T, v any) map[string]any {
	t.Helper()
	b, ok := AppendJSON(nil, v)
	require.True(t, ok, "%v", v)
	var out map[string]any
	require.NoError(t, json.Unmarshal(b, &out), "%s", b)
	return out
}

// TestCredentialsRoundTrip maps records to JavaScript and back: the
// result's JSON text, read again as a request's.
func TestCredentialsRoundTrip(t *testing.T) {
	records := []soap.UntrustedCredentials{
		{
			ValidFrom: date("2025-01-31T07:00:00Z"), ValidTo: date("2026-01-31T07:00:00Z"),
			Comment: "line 1\r\nline 2 <b>", SecretValue: "pässwörd 🔑", PublicValue: "imap.example.com:993", IsActive: true,
		},
		{ValidFrom: date("0001-01-01T00:00:00Z").Add(time.Hour), ValidTo: date("9999-12-31T23:59:59Z")},
	}
	for _, uc := range records {
		f := &fields{obj: jsonOf(t, CredentialsValue(uc))}
		got := f.credentials()
		require.Empty(t, f.errs)
		assert.Equal(t, uc, got)
	}
}

// TestResponseValue maps successful answers to result objects.
func TestResponseValue(t *testing.T) {
	login := goValue(t, ResponseValue(&soap.Response{
		Operation:      soap.AuthenticateUsernamePassword,
		Authentication: &soap.Authentication{Succeeded: true, Ticket: "7T:t", AssociateID: 5, Associate: "demo", FullName: "Demo Admin"},
	}))
	assert.Equal(t, map[string]any{
		"ok": true, "operation": "AuthenticateUsernamePassword",
		"ticket": "7T:t", "associateId": float64(5), "userName": "demo", "fullName": "Demo Admin",
	}, login)

	list := goValue(t, ResponseValue(&soap.Response{Operation: soap.GetForAssociate}))
	assert.Equal(t, []any{}, list["credentials"], "an empty list is [] not null")

	user := goValue(t, ResponseValue(&soap.Response{Operation: soap.GetUserFromName, User: &soap.User{
		AssociateID: 7, Name: "ÅB", UserName: "asa.backstrom", FullName: "Åsa Bäckström", FirstName: "Åsa", LastName: "Bäckström",
		Email: "asa.backstrom@example.se", Type: "InternalAssociate", Deleted: true, Retired: false,
	}}))
	assert.Equal(t, map[string]any{
		"ok": true, "operation": "GetUserFromName",
		"user": map[string]any{
			"associateId": float64(7), "name": "ÅB", "userName": "asa.backstrom", "fullName": "Åsa Bäckström",
			"firstName": "Åsa", "lastName": "Bäckström", "email": "asa.backstrom@example.se", "type": "InternalAssociate",
			"deleted": true, "retired": false,
		},
	}, user)

	nobody := goValue(t, ResponseValue(&soap.Response{Operation: soap.GetUser}))
	require.Contains(t, nobody, "user", "an unknown associate is user: null, not a missing field")
	assert.Nil(t, nobody["user"])
	assert.Equal(t, true, nobody["ok"])
}

// envelopeValue is socred.buildEnvelope's result as a map, as the module
// made it before AppendEnvelope wrote it directly: the reference the
// direct writer is checked against.
func envelopeValue(c *Call, env *soap.Envelope, ex *wssec.Explanation) map[string]any {
	headers := []any{map[string]any{"name": "Content-Type", "value": env.ContentType}}
	if env.SOAPAction != "" {
		headers = append(headers, map[string]any{"name": "SOAPAction", "value": env.SOAPAction})
	}
	out := map[string]any{
		"ok":          true,
		"operation":   string(env.Operation),
		"xml":         string(env.XML),
		"contentType": env.ContentType,
		"soapAction":  env.SOAPAction,
		"headers":     headers,
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

// TestAppendEnvelope checks that the direct writer writes, byte for byte,
// what AppendJSON wrote of the result as a map, and with curl and xml
// false the same with both null.
func TestAppendEnvelope(t *testing.T) {
	requests := map[string]string{
		"a save with an endpoint": `{"endpoint":"https://crm.example.com/Cust1","applicationToken":"app-token","ticket":"7T:x","associateId":2,"type":"imap",` +
			`"credentials":{"validFrom":"2025-01-01T00:00:00Z","validTo":"2026-01-01T00:00:00Z","comment":"it's \"quoted\"\n<b>","secretValue":"s'","publicValue":"p","isActive":true}}`,
		"masked, SOAP 1.2": `{"maskSecrets":true,"soapVersion":"1.2","endpoint":"https://crm.example.com/Cust1","ticket":"7T:x","associateId":2,"type":"imap",` +
			`"credentials":{"validFrom":"2025-01-01T00:00:00Z","validTo":"2026-01-01T00:00:00Z","secretValue":"s","publicValue":"p"}}`,
		"no endpoint, a login":       `{"operation":"login","userName":"ann","password":"pw ü"}`,
		"a list, no endpoint":        `{"operation":"list","ticket":"t","associateId":"7","type":"imap"}`,
		"a user lookup by name":      `{"operation":"user","ticket":"t","userName":"bob","endpoint":"http://127.0.0.1:8080/x/"}`,
		"a remove, non-ASCII public": `{"operation":"remove","ticket":"t","associateId":5,"type":"imap","publicValue":"ü🔑\u2028"}`,
	}
	for name, text := range requests {
		t.Run(name, func(t *testing.T) {
			c, complete, err := ReadJSON("buildEnvelope", text, parseTestURL)
			require.True(t, complete)
			require.NoError(t, err)
			r := c.Request
			if c.MaskSecrets {
				r = Masked(r)
			}
			env, err := soap.Build(r)
			require.NoError(t, err)
			want, ok := AppendJSON(nil, envelopeValue(c, env, nil))
			require.True(t, ok)
			raw, err := EnvelopeValue(c, env, nil)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(raw))
			got, ok := AppendJSON(nil, raw)
			require.True(t, ok)
			assert.Equal(t, string(want), string(got), "AppendJSON copies RawJSON")

			ex := &wssec.Explanation{SignatureMethod: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", SignedInfo: []byte("<ds:SignedInfo/>"),
				References: []wssec.ReferenceDigest{{URI: "#Body-1", Element: "soap:Body", Path: []soap.Name{{Local: "Envelope"}, {Local: "Body"}},
					Canonical: []byte("<soap:Body>\n</soap:Body>"), Digest: []byte{1, 2}, DigestValue: []byte{1, 2}}}}
			want, ok = AppendJSON(nil, envelopeValue(c, env, ex))
			require.True(t, ok)
			got, ok = AppendEnvelope(nil, c, env, ex, true, true)
			require.True(t, ok)
			assert.Equal(t, string(want), string(got), "with an explanation")

			lazy, ok := AppendEnvelope(nil, c, env, nil, false, false)
			require.True(t, ok)
			v := envelopeValue(c, env, nil)
			if _, has := v["curl"]; has {
				v["curl"] = nil
			}
			v["xml"] = nil
			want, _ = AppendJSON(nil, v)
			assert.Equal(t, string(want), string(lazy), "curl and xml null")
		})
	}
}
