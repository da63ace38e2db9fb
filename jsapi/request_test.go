package jsapi

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/soap"
)

// parseTestURL stands in for the browser's URL, which wasm's tests use
// (TestServiceURL runs the same rules in Chromium): net/url, with the
// browser's spelling of the few URLs these tests give.
func parseTestURL(s string) (*URL, bool) {
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Host == "" && u.Scheme != "ftp" {
		return nil, false
	}
	out := &URL{
		Protocol: strings.ToLower(u.Scheme) + ":", Host: strings.ToLower(u.Host), Hostname: strings.ToLower(u.Hostname()),
		Pathname: u.EscapedPath(),
	}
	if strings.Contains(u.Host, ":") && strings.HasPrefix(u.Host, "[") || strings.Count(u.Host, ":") > 1 {
		out.Hostname = "[" + strings.ToLower(u.Hostname()) + "]"
	}
	if out.Pathname == "" {
		out.Pathname = "/"
	}
	if u.User != nil {
		out.Username = u.User.Username()
		out.Password, _ = u.User.Password()
	}
	out.Origin = out.Protocol + "//" + out.Host
	out.Href = out.Origin + out.Pathname
	if u.ForceQuery || u.RawQuery != "" {
		out.Href += "?" + u.RawQuery
	}
	if u.Fragment != "" || strings.HasSuffix(s, "#") {
		out.Href += "#" + u.Fragment
	}
	return out, true
}

// TestReadJSON reads requests from their JSON text, as JSON.stringify
// writes them, into calls (wasm's TestReadCall reads the same from
// JavaScript objects, Dates included).
func TestReadJSON(t *testing.T) {
	tests := []struct {
		name, method, json string
		want               Call
	}{
		{
			name: "a full save", method: "save",
			json: `{"endpoint":"https://online.example.com/Cust1/","applicationToken":"tok","ticket":" 7T:abc ","associateId":2,"type":" imap ","timeoutMs":1500,
				"credentials":{"validFrom":"2025-01-31T08:00:00+01:00","validTo":"2026-01-31T07:00:00Z","comment":"c & d","secretValue":"s3cret","publicValue":"mail.example.com","isActive":true}}`,
			want: Call{
				Endpoint: "https://online.example.com/Cust1/", URL: "https://online.example.com/Cust1/Remote/Services88/User.svc",
				Timeout: 1500 * time.Millisecond,
				Request: soap.Request{
					Operation: soap.SaveForAssociate, ApplicationToken: "tok", Ticket: "7T:abc", AssociateID: 2, Type: "imap", PublicValue: "mail.example.com",
					Credentials: soap.UntrustedCredentials{
						ValidFrom: date("2025-01-31T07:00:00Z"), ValidTo: date("2026-01-31T07:00:00Z"),
						Comment: "c & d", SecretValue: "s3cret", PublicValue: "mail.example.com", IsActive: true,
					},
				},
			},
		},
		{
			name: "an id as a string, Dates as their JSON, SOAP 1.2 and plain http to loopback", method: "save",
			json: `{"endpoint":"http://127.0.0.1:8080/demo","ticket":"7T:x","associateId":" 42 ","type":"smtp","soapVersion":"1.2",
				"credentials":{"validFrom":"2025-01-01T00:00:00.000Z","validTo":"2025-12-31T23:59:00.000Z","isActive":false}}`,
			want: Call{
				Endpoint: "http://127.0.0.1:8080/demo", URL: "http://127.0.0.1:8080/demo/Remote/Services88/User.svc", Timeout: DefaultTimeout,
				Request: soap.Request{
					Operation: soap.SaveForAssociate, Ticket: "7T:x", AssociateID: 42, Type: "smtp", Version: soap.SOAP12,
					Credentials: soap.UntrustedCredentials{ValidFrom: date("2025-01-01T00:00:00Z"), ValidTo: date("2025-12-31T23:59:00Z")},
				},
			},
		},
		{
			name: "a login goes to SoPrincipal.svc", method: "login",
			json: `{"endpoint":"http://localhost:1234","userName":" demo ","password":"pw"}`,
			want: Call{
				Endpoint: "http://localhost:1234", URL: "http://localhost:1234/Remote/Services88/SoPrincipal.svc", Timeout: DefaultTimeout,
				Request: soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: "demo", Password: "pw"},
			},
		},
		{
			name: "a user lookup by user name, trimmed", method: "user",
			json: `{"endpoint":"http://127.0.0.1:8080/demo","ticket":"7T:x","applicationToken":"tok","userName":" bjørn.ås ","timeoutMs":5000}`,
			want: Call{
				Endpoint: "http://127.0.0.1:8080/demo", URL: "http://127.0.0.1:8080/demo/Remote/Services88/User.svc", Timeout: 5 * time.Second,
				Request: soap.Request{Operation: soap.GetUserFromName, Ticket: "7T:x", ApplicationToken: "tok", UserName: "bjørn.ås"},
			},
		},
		{
			name: "buildEnvelope without an endpoint, by WSDL name, masked", method: "buildEnvelope",
			json: `{"operation":"GetUntrustedCredentials","ticket":"7T:x","type":"imap","maskSecrets":true,"unrelated":[1,{"x":null}]}`,
			want: Call{Timeout: DefaultTimeout, MaskSecrets: true, Request: soap.Request{Operation: soap.Get, Ticket: "7T:x", Type: "imap"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, complete, err := ReadJSON(tt.method, tt.json, parseTestURL)
			require.True(t, complete, "the JSON text says everything")
			require.NoError(t, err)
			assert.Equal(t, tt.want, *got)
		})
	}
}

// TestReadJSONProblems checks that every problem is reported, per field,
// in form order, with the sentinel that says what kind of problem it is.
func TestReadJSONProblems(t *testing.T) {
	tests := []struct {
		name, method, json string
		want               map[string]error
		order              []string
	}{
		{
			name: "an empty save", method: "save", json: `{}`,
			want: map[string]error{
				"Endpoint": soap.ErrRequired, "Ticket": soap.ErrRequired, "AssociateId": soap.ErrRequired,
				"Type": soap.ErrRequired, "ValidFrom": soap.ErrRequired, "ValidTo": soap.ErrRequired,
			},
			order: []string{"Endpoint", "Ticket", "AssociateId", "Type", "ValidFrom", "ValidTo"},
		},
		{
			name: "wrong types and formats", method: "save",
			json: `{"endpoint":"ftp://x","ticket":7,"associateId":"abc","type":"imap","timeoutMs":-1,"soapVersion":"2.0",
				"credentials":{"validFrom":"2025-01-31T08:00","validTo":"tomorrow","isActive":"yes","comment":{}}}`,
			want: map[string]error{
				"Endpoint": ErrFormat, "Ticket": ErrWrongType, "AssociateId": ErrFormat, "ValidFrom": ErrFormat,
				"ValidTo": ErrFormat, "Comment": ErrWrongType, "IsActive": ErrWrongType,
				"soapVersion": soap.ErrUnsupportedV, "timeoutMs": soap.ErrOutOfRange,
			},
			order: []string{"Endpoint", "Ticket", "AssociateId", "ValidFrom", "ValidTo", "Comment", "IsActive", "soapVersion", "timeoutMs"},
		},
		{
			name: "plain http to another host with a ticket", method: "list",
			json: `{"endpoint":"http://crm.example.com/Cust1","ticket":"7T:x","associateId":1,"type":"imap"}`,
			want: map[string]error{"Endpoint": ErrInsecure},
		},
		{
			name: "an endpoint with the service path or user info", method: "save",
			json: `{"endpoint":"https://u:p@x.example/Remote/Services88/User.svc","ticket":"7T:x","associateId":1,"type":"imap"}`,
			want: map[string]error{"Endpoint": ErrFormat},
		},
		{
			name: "both an id and a name", method: "user",
			json: `{"endpoint":"https://x.example","ticket":"7T:x","associateId":6,"userName":"bjørn.ås"}`,
			want: map[string]error{"AssociateId": ErrIDAndName}, order: []string{"AssociateId"},
		},
		{
			name: "a user name XML cannot carry is the AssociateId input's problem", method: "user",
			json: `{"endpoint":"https://x.example","ticket":"7T:x","userName":"bj\u0007rn"}`,
			want: map[string]error{"AssociateId": soap.ErrInvalidText}, order: []string{"AssociateId"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, complete, err := ReadJSON(tt.method, tt.json, parseTestURL)
			require.True(t, complete, "the JSON text says everything")
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

// TestReadJSONAsksForTheObject lists what a JSON text cannot say: then
// the request is read from the object itself.
func TestReadJSONAsksForTheObject(t *testing.T) {
	const full = `"endpoint":"https://x.example","ticket":"7T:x","type":"imap"`
	for name, text := range map[string]string{
		"null (NaN, Infinity, an invalid Date)": `{` + full + `,"associateId":2,"timeoutMs":null}`,
		"an array":                              `{` + full + `,"associateId":2,"credentials":[]}`,
		"a fraction":                            `{` + full + `,"associateId":2.5}`,
		"a long integer":                        `{` + full + `,"associateId":1234567890123456}`,
		"a Date where text belongs":             `{` + full + `,"associateId":2,"credentials":{"comment":"1970-01-01T00:00:00.000Z"}}`,
		"a year past 9999":                      `{` + full + `,"associateId":2,"credentials":{"validFrom":"+010000-01-01T00:00:00.000Z"}}`,
		"a signature":                           `{` + full + `,"associateId":2,"signature":{"keyId":"key-1"}}`,
		"not an object":                         `[1]`,
		"not JSON":                              `{`,
	} {
		c, complete, err := ReadJSON("save", text, parseTestURL)
		assert.False(t, complete, name)
		assert.Nil(t, c, name)
		assert.NoError(t, err, name)
	}
}

// FuzzReadJSON reads any text as a request. Its aim: errors are fine;
// panics and hangs are not; a call read without problems builds, and
// every problem has a field and a code, one per field.
func FuzzReadJSON(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "request-*.json"))
	require.NoError(f, err)
	require.NotEmpty(f, files)
	for _, file := range files {
		b, err := os.ReadFile(file)
		require.NoError(f, err)
		for _, m := range []string{"save", "list", "remove", "login", "user", "buildEnvelope"} {
			f.Add(m, string(b))
		}
	}
	f.Fuzz(func(t *testing.T, method, text string) {
		c, complete, err := ReadJSON(method, text, parseTestURL)
		if !complete {
			return
		}
		if err != nil {
			var ves soap.ValidationErrors
			require.ErrorAs(t, err, &ves)
			seen := map[string]bool{}
			for _, e := range ves {
				assert.NotEmpty(t, e.Field)
				assert.NotEmpty(t, e.Code, e.Field)
				assert.False(t, seen[e.Field], "field %s reported twice", e.Field)
				seen[e.Field] = true
			}
			return
		}
		_, err = soap.Build(c.Request)
		assert.NoError(t, err, "a call read without problems builds")
	})
}
