package soap

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenCases are the requests whose envelopes are kept byte for byte in
// testdata/request-<name>.xml. Together they cover every operation, both SOAP
// versions, the optional headers and xsi:type annotations.
func goldenCases() []struct {
	name string
	req  Request
} {
	from := time.Date(2024, 3, 1, 8, 30, 0, 0, time.UTC)
	to := time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC)
	creds := UntrustedCredentials{
		ValidFrom: from, ValidTo: to,
		Comment:     "Mailbox for invoices <finance> & \"others\"",
		SecretValue: "s3cr3t&<>",
		PublicValue: "imap.example.com;invoices",
		IsActive:    true,
	}
	hdr := func(r Request) Request {
		r.ApplicationToken = "1234567-1234-9876"
		r.Ticket = "7T:1234abcxyzExample=="
		return r
	}
	return []struct {
		name string
		req  Request
	}{
		{"save-for-associate", hdr(Request{Operation: SaveForAssociate, AssociateID: 12, Type: "imap", Credentials: creds})},
		{"save-for-associate-soap12", hdr(Request{Operation: SaveForAssociate, AssociateID: 12, Type: "imap", Credentials: creds, Version: SOAP12})},
		{"save-for-associate-xsitype", hdr(Request{Operation: SaveForAssociate, AssociateID: 12, Type: "imap", Credentials: creds, XSIType: true})},
		{"save-for-associate-timezone", hdr(Request{Operation: SaveForAssociate, AssociateID: 12, Type: "smtp", Credentials: creds, TimeZone: &TimeZone{ID: 107, LocationCode: "NO"}})},
		{"get-for-associate", hdr(Request{Operation: GetForAssociate, AssociateID: 12, Type: "imap"})},
		{"remove-for-associate", hdr(Request{Operation: RemoveForAssociate, AssociateID: 12, Type: "imap", PublicValue: "imap.example.com;invoices"})},
		{"create-default", hdr(Request{Operation: CreateDefault})},
		{"save", Request{Operation: Save, Ticket: "7T:abc", Type: "smtp", Credentials: creds}},
		{"get", Request{Operation: Get, Ticket: "7T:abc", Type: "smtp"}},
		{"remove", Request{Operation: Remove, Ticket: "7T:abc", Type: "smtp", PublicValue: "smtp.example.com"}},
		{"authenticate", Request{Operation: AuthenticateUsernamePassword, ApplicationToken: "1234567-1234-9876", UserName: "admin", Password: "pa<ss>&word"}},
		{"authenticate-soap12-xsitype", Request{Operation: AuthenticateUsernamePassword, UserName: "admin", Password: "x", Version: SOAP12, XSIType: true}},
		{"get-user", hdr(Request{Operation: GetUser, AssociateID: 12})},
		{"get-user-soap12-xsitype", Request{Operation: GetUser, Ticket: "7T:abc", AssociateID: 2147483647, Version: SOAP12, XSIType: true}},
		{"get-user-from-name", hdr(Request{Operation: GetUserFromName, UserName: "bjørn.ås"})},
		{"get-user-from-name-xsitype", Request{Operation: GetUserFromName, Ticket: "7T:abc", UserName: "Åsa.Bäckström <&>", XSIType: true}},
	}
}

// TestGolden compares each envelope with its golden file, then checks that
// building again gives the same bytes and that the envelope reads back to
// the request (the idempotence pass of cmd/gofmt's golden test).
func TestGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			env, err := Build(tc.req)
			require.NoError(t, err)
			path := filepath.Join("testdata", "request-"+tc.name+".xml")
			if *update {
				require.NoError(t, os.WriteFile(path, env.XML, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./soap -update to create it")
			assert.Equal(t, string(want), string(env.XML))

			again, err := Build(tc.req)
			require.NoError(t, err)
			assert.True(t, bytes.Equal(env.XML, again.XML), "Build is not deterministic")

			back, err := ParseRequest(want)
			require.NoError(t, err)
			assert.Equal(t, normalise(tc.req), *back)
		})
	}
}

func TestHTTPHeaders(t *testing.T) {
	for _, op := range Operations {
		t.Run(string(op)+" SOAP 1.1", func(t *testing.T) {
			env := marshal(&Request{Operation: op})
			assert.Equal(t, "text/xml; charset=utf-8", env.ContentType)
			assert.Equal(t, `"`+op.Action()+`"`, env.SOAPAction)
			assert.Equal(t, []KeyValue{{"Content-Type", env.ContentType}, {"SOAPAction", env.SOAPAction}}, env.Headers())
		})
		t.Run(string(op)+" SOAP 1.2", func(t *testing.T) {
			env := marshal(&Request{Operation: op, Version: SOAP12})
			assert.Equal(t, `application/soap+xml; charset=utf-8; action="`+op.Action()+`"`, env.ContentType)
			assert.Empty(t, env.SOAPAction)
			assert.Len(t, env.Headers(), 1)
		})
	}
	assert.Equal(t, "http://www.superoffice.net/ws/crm/NetServer/Services88/User/SaveUntrustedCredentialsForAssociate", SaveForAssociate.Action())
	assert.Equal(t, "http://www.superoffice.net/ws/crm/NetServer/Services88/SoPrincipal/AuthenticateUsernamePassword", AuthenticateUsernamePassword.Action())
	assert.Equal(t, "Remote/Services88/SoPrincipal.svc", AuthenticateUsernamePassword.Path())
	assert.Equal(t, "Remote/Services88/User.svc", GetForAssociate.Path())
	assert.Equal(t, "http://www.superoffice.net/ws/crm/NetServer/Services88/User/GetUser", GetUser.Action())
	assert.Equal(t, "http://www.superoffice.net/ws/crm/NetServer/Services88/User/GetUserFromName", GetUserFromName.Action())
	assert.Equal(t, "Remote/Services88/User.svc", GetUserFromName.Path())
	assert.Equal(t, "GetUserFromNameResponse", GetUserFromName.ResponseElement())
}

func TestFormatDateTime(t *testing.T) {
	oslo := time.FixedZone("CET", 3600)
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2023, 11, 10, 12, 37, 58, 0, time.UTC), "2023-11-10T12:37:58Z"},
		{time.Date(2023, 11, 10, 13, 37, 58, 0, oslo), "2023-11-10T12:37:58Z"},
		{time.Date(2023, 11, 10, 12, 37, 58, 500_000_000, time.UTC), "2023-11-10T12:37:58.500000Z"},
		{time.Date(2023, 11, 10, 12, 37, 58, 123_456_789, time.UTC), "2023-11-10T12:37:58.123456Z"},
		{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), "0001-01-01T00:00:00Z"},
		{time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), "9999-12-31T23:59:59Z"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, FormatDateTime(tc.in))
			back, err := ParseDateTime(tc.want)
			require.NoError(t, err)
			assert.True(t, back.Equal(tc.in.Truncate(time.Microsecond)))
		})
	}
}

// normalise returns the request as ParseRequest gives it back: only the
// fields the operation sends, dates in UTC at microsecond precision.
func normalise(r Request) Request {
	out := Request{Operation: r.Operation, ApplicationToken: r.ApplicationToken, TimeZone: r.TimeZone, Version: r.Version}
	if r.Operation.needsTicket() {
		out.Ticket = r.Ticket
	}
	if r.Operation.ForAssociate() {
		out.AssociateID = r.AssociateID
	}
	if r.Operation.needsType() {
		out.Type = r.Type
	}
	if r.Operation.carriesCredentials() {
		out.Credentials = r.Credentials
		out.Credentials.ValidFrom = r.Credentials.ValidFrom.UTC().Truncate(time.Microsecond)
		out.Credentials.ValidTo = r.Credentials.ValidTo.UTC().Truncate(time.Microsecond)
	}
	if r.Operation.carriesPublicValue() {
		out.PublicValue = r.PublicValue
	}
	if r.Operation == AuthenticateUsernamePassword {
		out.UserName, out.Password = r.UserName, r.Password
	}
	switch r.Operation {
	case GetUser:
		out.AssociateID = r.AssociateID
	case GetUserFromName:
		out.UserName = r.UserName
	}
	return out
}
