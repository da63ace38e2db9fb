//go:build js && wasm

package wasm

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/jsapi"
	"socred/soap"
	"socred/wasm/internal/jsv"
)

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// TestReadCall reads JavaScript request objects into calls.
func TestReadCall(t *testing.T) {
	tests := []struct {
		name   string
		method string
		js     func(t *testing.T) jsv.Value
		want   jsapi.Call
	}{
		{
			name:   "a full save",
			method: "save",
			js: func(t *testing.T) jsv.Value {
				return jsValue(t, map[string]any{
					"endpoint": "https://online.example.com/Cust1/", "applicationToken": "tok", "ticket": " 7T:abc ",
					"associateId": 2, "type": " imap ", "timeoutMs": 1500,
					"credentials": map[string]any{
						"validFrom": "2025-01-31T08:00:00+01:00", "validTo": "2026-01-31T07:00:00Z",
						"comment": "c & d", "secretValue": "s3cret", "publicValue": "mail.example.com", "isActive": true,
					},
				})
			},
			want: jsapi.Call{
				Endpoint: "https://online.example.com/Cust1/",
				URL:      "https://online.example.com/Cust1/Remote/Services88/User.svc",
				Timeout:  1500 * time.Millisecond,
				Request: soap.Request{
					Operation: soap.SaveForAssociate, ApplicationToken: "tok", Ticket: "7T:abc",
					AssociateID: 2, Type: "imap", PublicValue: "mail.example.com",
					Credentials: soap.UntrustedCredentials{
						ValidFrom: date("2025-01-31T07:00:00Z"), ValidTo: date("2026-01-31T07:00:00Z"),
						Comment: "c & d", SecretValue: "s3cret", PublicValue: "mail.example.com", IsActive: true,
					},
				},
			},
		},
		{
			name:   "an id as a string, Dates, SOAP 1.2 and plain http to loopback",
			method: "save",
			js: func(t *testing.T) jsv.Value {
				return jsEval(t, `{endpoint: "http://127.0.0.1:8080/demo", ticket: "7T:x", associateId: " 42 ", type: "smtp",
					soapVersion: "1.2", credentials: {validFrom: new Date(Date.UTC(2025, 0, 1)), validTo: new Date(Date.UTC(2025, 11, 31, 23, 59)), isActive: false}}`)
			},
			want: jsapi.Call{
				Endpoint: "http://127.0.0.1:8080/demo",
				URL:      "http://127.0.0.1:8080/demo/Remote/Services88/User.svc",
				Timeout:  jsapi.DefaultTimeout,
				Request: soap.Request{
					Operation: soap.SaveForAssociate, Ticket: "7T:x", AssociateID: 42, Type: "smtp", Version: soap.SOAP12,
					Credentials: soap.UntrustedCredentials{
						ValidFrom: date("2025-01-01T00:00:00Z"), ValidTo: date("2025-12-31T23:59:00Z"),
					},
				},
			},
		},
		{
			name:   "a login goes to SoPrincipal.svc",
			method: "login",
			js: func(t *testing.T) jsv.Value {
				return jsValue(t, map[string]any{"endpoint": "http://localhost:1234", "userName": " demo ", "password": "pw"})
			},
			want: jsapi.Call{
				Endpoint: "http://localhost:1234",
				URL:      "http://localhost:1234/Remote/Services88/SoPrincipal.svc",
				Timeout:  jsapi.DefaultTimeout,
				Request:  soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: "demo", Password: "pw"},
			},
		},
		{
			name:   "remove takes publicValue at the top level",
			method: "remove",
			js: func(t *testing.T) jsv.Value {
				return jsValue(t, map[string]any{"endpoint": "https://[::1]:8443/x", "ticket": "7T:x", "associateId": 3, "type": "imap", "publicValue": "old"})
			},
			want: jsapi.Call{
				Endpoint: "https://[::1]:8443/x",
				URL:      "https://[::1]:8443/x/Remote/Services88/User.svc",
				Timeout:  jsapi.DefaultTimeout,
				Request:  soap.Request{Operation: soap.RemoveForAssociate, Ticket: "7T:x", AssociateID: 3, Type: "imap", PublicValue: "old"},
			},
		},
		{
			name:   "a user lookup by associate id, given as digits",
			method: "user",
			js: func(t *testing.T) jsv.Value {
				return jsValue(t, map[string]any{"endpoint": "https://online.example.com/Cust1", "ticket": "7T:x", "associateId": " 6 ", "userName": "  "})
			},
			want: jsapi.Call{
				Endpoint: "https://online.example.com/Cust1",
				URL:      "https://online.example.com/Cust1/Remote/Services88/User.svc",
				Timeout:  jsapi.DefaultTimeout,
				Request:  soap.Request{Operation: soap.GetUser, Ticket: "7T:x", AssociateID: 6},
			},
		},
		{
			name:   "a user lookup by user name, trimmed",
			method: "user",
			js: func(t *testing.T) jsv.Value {
				return jsValue(t, map[string]any{"endpoint": "http://127.0.0.1:8080/demo", "ticket": "7T:x", "applicationToken": "tok",
					"userName": " bjørn.ås ", "associateId": nil, "timeoutMs": 5000})
			},
			want: jsapi.Call{
				Endpoint: "http://127.0.0.1:8080/demo",
				URL:      "http://127.0.0.1:8080/demo/Remote/Services88/User.svc",
				Timeout:  5 * time.Second,
				Request:  soap.Request{Operation: soap.GetUserFromName, Ticket: "7T:x", ApplicationToken: "tok", UserName: "bjørn.ås"},
			},
		},
		{
			name:   "buildEnvelope of a user lookup",
			method: "buildEnvelope",
			js: func(t *testing.T) jsv.Value {
				return jsValue(t, map[string]any{"operation": "user", "ticket": "7T:x", "userName": "Åsa"})
			},
			want: jsapi.Call{
				Timeout: jsapi.DefaultTimeout,
				Request: soap.Request{Operation: soap.GetUserFromName, Ticket: "7T:x", UserName: "Åsa"},
			},
		},
		{
			name:   "buildEnvelope of GetUser by its WSDL name",
			method: "buildEnvelope",
			js: func(t *testing.T) jsv.Value {
				return jsValue(t, map[string]any{"operation": "GetUser", "ticket": "7T:x", "associateId": 12})
			},
			want: jsapi.Call{
				Timeout: jsapi.DefaultTimeout,
				Request: soap.Request{Operation: soap.GetUser, Ticket: "7T:x", AssociateID: 12},
			},
		},
		{
			name:   "buildEnvelope without an endpoint, by WSDL name, masked",
			method: "buildEnvelope",
			js: func(t *testing.T) jsv.Value {
				return jsValue(t, map[string]any{"operation": "GetUntrustedCredentials", "ticket": "7T:x", "type": "imap", "maskSecrets": true})
			},
			want: jsapi.Call{
				Timeout:     jsapi.DefaultTimeout,
				MaskSecrets: true,
				Request:     soap.Request{Operation: soap.Get, Ticket: "7T:x", Type: "imap"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readCall(tt.method, tt.js(t))
			require.NoError(t, err)
			assert.Equal(t, tt.want, *got)
		})
	}
}

// TestReadCallProblems checks that every problem is reported, per field, in
// form order, with the sentinel that says what kind of problem it is.
func TestReadCallProblems(t *testing.T) {
	tests := []struct {
		name   string
		method string
		req    string
		want   map[string]error // field → sentinel
		order  []string
	}{
		{
			name: "an empty save", method: "save", req: `{}`,
			want: map[string]error{
				"Endpoint": soap.ErrRequired, "Ticket": soap.ErrRequired, "AssociateId": soap.ErrRequired,
				"Type": soap.ErrRequired, "ValidFrom": soap.ErrRequired, "ValidTo": soap.ErrRequired,
			},
			order: []string{"Endpoint", "Ticket", "AssociateId", "Type", "ValidFrom", "ValidTo"},
		},
		{
			name: "wrong types and formats", method: "save",
			req: `{endpoint: "ftp://x", ticket: 7, associateId: "abc", type: "imap", timeoutMs: -1, soapVersion: "2.0",
				credentials: {validFrom: "2025-01-31T08:00", validTo: "tomorrow", isActive: "yes", comment: {}}}`,
			want: map[string]error{
				"Endpoint": jsapi.ErrFormat, "Ticket": jsapi.ErrWrongType, "AssociateId": jsapi.ErrFormat, "ValidFrom": jsapi.ErrFormat,
				"ValidTo": jsapi.ErrFormat, "Comment": jsapi.ErrWrongType, "IsActive": jsapi.ErrWrongType,
				"soapVersion": soap.ErrUnsupportedV, "timeoutMs": soap.ErrOutOfRange,
			},
		},
		{
			name: "plain http to another host with a ticket", method: "list",
			req:  `{endpoint: "http://crm.example.com/Cust1", ticket: "7T:x", associateId: 1, type: "imap"}`,
			want: map[string]error{"Endpoint": jsapi.ErrInsecure},
		},
		{
			name: "plain http to another host with a password", method: "login",
			req:  `{endpoint: "http://10.0.0.5", userName: "u", password: "p"}`,
			want: map[string]error{"Endpoint": jsapi.ErrInsecure},
		},
		{
			name: "soap's own limits", method: "save",
			req: `{endpoint: "https://x.example", ticket: "7T:x", associateId: 4294967296, type: "imap",
				credentials: {validFrom: "2026-01-01T00:00:00Z", validTo: "2025-01-01T00:00:00Z", secretValue: "` + longString(71) + `"}}`,
			want: map[string]error{"AssociateId": soap.ErrOutOfRange, "ValidTo": soap.ErrDateOrder, "SecretValue": soap.ErrTooLong},
		},
		{
			name: "an endpoint with the service path or user info", method: "save",
			req:  `{endpoint: "https://u:p@x.example/Remote/Services88/User.svc", ticket: "7T:x", associateId: 1, type: "imap"}`,
			want: map[string]error{"Endpoint": jsapi.ErrFormat},
		},
		{
			name: "a key without its certificate", method: "save",
			req:  `{endpoint: "https://x.example", ticket: "7T:x", associateId: 1, type: "i", signature: {key: "k"}}`,
			want: map[string]error{"signature": soap.ErrRequired},
		},
		{
			name: "two kinds of key at once", method: "list",
			req:  `{endpoint: "https://x.example", ticket: "7T:x", associateId: 1, type: "i", signature: {keyId: "key-1", pkcs12: "AAAA"}}`,
			want: map[string]error{"signature": jsapi.ErrFormat},
		},
		{
			name: "a signature that is not an object", method: "save",
			req:  `{endpoint: "https://x.example", ticket: "7T:x", associateId: 1, type: "i", signature: "yes"}`,
			want: map[string]error{"signature": jsapi.ErrWrongType},
		},
		{
			name: "a user lookup with both an id and a name", method: "user",
			req:   `{endpoint: "https://x.example", ticket: "7T:x", associateId: 6, userName: "bjørn.ås"}`,
			want:  map[string]error{"AssociateId": jsapi.ErrIDAndName},
			order: []string{"AssociateId"},
		},
		{
			name: "a user lookup with neither", method: "user",
			req:   `{endpoint: "https://x.example", ticket: "7T:x", associateId: " ", userName: ""}`,
			want:  map[string]error{"AssociateId": soap.ErrRequired},
			order: []string{"AssociateId"},
		},
		{
			name: "a user lookup without a ticket or endpoint, its id out of range", method: "user",
			req:   `{associateId: -1}`,
			want:  map[string]error{"Endpoint": soap.ErrRequired, "Ticket": soap.ErrRequired, "AssociateId": soap.ErrOutOfRange},
			order: []string{"Endpoint", "Ticket", "AssociateId"},
		},
		{
			name: "a user name XML cannot carry is the AssociateId input's problem", method: "user",
			req:   `{endpoint: "https://x.example", ticket: "7T:x", userName: "bj\u0007rn"}`,
			want:  map[string]error{"AssociateId": soap.ErrInvalidText},
			order: []string{"AssociateId"},
		},
		{
			name: "a user name that is not text", method: "user",
			req:  `{endpoint: "https://x.example", ticket: "7T:x", userName: 42}`,
			want: map[string]error{"AssociateId": jsapi.ErrWrongType},
		},
		{
			name: "a user lookup over plain http to another host", method: "user",
			req:  `{endpoint: "http://crm.example.com", ticket: "7T:x", userName: "ola.nordmann"}`,
			want: map[string]error{"Endpoint": jsapi.ErrInsecure},
		},
		{
			name: "signature options out of range", method: "buildEnvelope",
			req:  `{associateId: 1, type: "i", signature: {keyId: "key-1", lifetimeSeconds: 0.5}}`,
			want: map[string]error{"signature": soap.ErrOutOfRange},
		},
		{
			name: "pkcs12 that is neither bytes nor base64", method: "buildEnvelope",
			req:  `{associateId: 1, type: "i", signature: {pkcs12: "not base64!", password: "x"}}`,
			want: map[string]error{"signature": jsapi.ErrFormat},
		},
		{
			name: "a signature without a key", method: "buildEnvelope",
			req:  `{associateId: 1, type: "i", signature: {mustUnderstand: true}}`,
			want: map[string]error{"signature": soap.ErrRequired},
		},
		{
			name: "mustUnderstand as text", method: "buildEnvelope",
			req:  `{associateId: 1, type: "i", signature: {keyId: "key-1", mustUnderstand: "1"}}`,
			want: map[string]error{"signature": jsapi.ErrWrongType},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readCall(tt.method, jsEval(t, tt.req))
			var ves soap.ValidationErrors
			require.ErrorAs(t, err, &ves)
			got := map[string]error{}
			var order []string
			for _, e := range ves {
				_, dup := got[e.Field]
				assert.False(t, dup, "field %s reported twice", e.Field)
				got[e.Field] = e.Err
				order = append(order, e.Field)
				assert.NotEmpty(t, e.Code, "%s: every problem has a code for the catalogue (%s)", e.Field, e.Reason)
			}
			for field, sentinel := range tt.want {
				if assert.Contains(t, got, field) {
					assert.True(t, errors.Is(got[field], sentinel), "%s: got %v, want %v", field, got[field], sentinel)
				}
			}
			if tt.order != nil {
				assert.Equal(t, tt.order, order)
			}
		})
	}
}

// TestServiceURLReason checks the words the page shows after the field's
// label ("NetServer site URL must be the site URL only, …") for an Endpoint
// that already names the service.
func TestServiceURLReason(t *testing.T) {
	_, err := readCall("list", jsEval(t, `{endpoint: "https://x.example/Cust1/Remote/Services88/User.svc", ticket: "7T:x", associateId: 1, type: "imap"}`))
	var ves soap.ValidationErrors
	require.ErrorAs(t, err, &ves)
	require.Len(t, ves, 1)
	assert.Equal(t, "Endpoint", ves[0].Field)
	assert.True(t, strings.HasPrefix(ves[0].Reason, "must be the site URL only"), ves[0].Reason)
	assert.Contains(t, ves[0].Reason, "/Remote/Services88/", "names what to leave out")
}

func longString(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'x'
	}
	return string(b)
}

// TestReadCallArgument checks that a call without a request object is an
// *jsapi.ArgumentError, not a validation result.
func TestReadCallArgument(t *testing.T) {
	for _, v := range []jsv.Value{jsv.Undefined(), jsv.Null(), jsValue(t, 42), jsValue(t, "save")} {
		_, err := readCall("save", v)
		var ae *jsapi.ArgumentError
		assert.ErrorAs(t, err, &ae, "%v", v.Type())
	}
}
