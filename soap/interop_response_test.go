//go:build !js && !wasip1

package soap_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/soap"
)

// responseCase is one answer zeep serialises from the WSDL's output message
// and socred's Classify must read back: either want or wantErr is set.
type responseCase struct {
	name    string
	op      soap.Operation
	version soap.Version
	// What NetServer puts in the answer, in socred's types; zeep gets the
	// same values through zeepResponse.
	succeeded *bool
	exception *soap.ExceptionInfo
	extraInfo []soap.KeyValue
	timeZone  *soap.TimeZone
	records   []soap.UntrustedCredentials // Get: the array; CreateDefault: records[0]
	auth      *soap.Authentication

	want    *soap.Response
	wantErr error // matched with errors.Is, or errors.As for *soap.ExceptionInfo
}

func responseCases() []responseCase {
	utc := func(y int, m time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, m, d, h, mi, s, ns, time.UTC)
	}
	yes, no := true, false
	records := []soap.UntrustedCredentials{
		{ValidFrom: utc(2024, 3, 1, 8, 30, 0, 0), ValidTo: utc(2025, 3, 1, 8, 30, 0, 0),
			Comment: "Mailbox for invoices", SecretValue: "s3cr3t", PublicValue: "imap.example.com;invoices", IsActive: true},
		{ValidFrom: utc(1, 1, 1, 0, 0, 1, 0), ValidTo: utc(9999, 12, 31, 23, 59, 59, 999_999_000),
			Comment: "Grüße \U0001F600 \u05e9\u05dc\u05d5\u05dd\r\nline\ttab", SecretValue: `< & > " ' ]]>`, PublicValue: "", IsActive: false},
		{ValidFrom: utc(2024, 2, 29, 12, 34, 56, 500_000_000), ValidTo: utc(2024, 2, 29, 12, 34, 56, 500_000_000),
			Comment: strings.Repeat("\U0001D11E", 127) + "x", SecretValue: strings.Repeat("é", 70), PublicValue: strings.Repeat("\u0645", 238), IsActive: true},
	}
	extra := []soap.KeyValue{{Key: "ServerVersion", Value: "10.3"}, {Key: "x<&>", Value: "\U0001F600"}}
	exc := &soap.ExceptionInfo{
		Message: "Could not save credentials", StackTrace: "at SuperOffice.CRM.Services.Implementation.UserAgent.Save()\r\n   at …",
		FriendlyText: "Du har ikke tilgang – \u05d0", ExceptionType: "SoException", Source: "SoCore",
		InnerException: &soap.ExceptionInfo{
			Message: "Access denied <for> associate 5", ExceptionType: "SecurityException",
			InnerException: &soap.ExceptionInfo{Message: "innermost", Source: "SoDataBase",
				Parameters: []soap.KeyValue{{Key: "depth", Value: "3"}}},
		},
		Parameters: []soap.KeyValue{{Key: "AssociateId", Value: "5"}, {Key: "Type", Value: "imap"}, {Key: "empty", Value: ""}},
	}
	tz := &soap.TimeZone{ID: 107, LocationCode: "NO"}
	ok := func(op soap.Operation, v soap.Version) *soap.Response {
		return &soap.Response{Operation: op, Version: v, Succeeded: true}
	}
	withBody := func(r *soap.Response, f func(*soap.Response)) *soap.Response { f(r); return r }
	auth := &soap.Authentication{Succeeded: true, Ticket: "7T:dGhpcyBpcyBhIHRpY2tldA==", AssociateID: 2147483647, Associate: "ADMIN", FullName: "Åse \u05e9 Admin"}

	return []responseCase{
		{name: "get no records", op: soap.GetForAssociate, succeeded: &yes, extraInfo: extra,
			want: withBody(ok(soap.GetForAssociate, soap.SOAP11), func(r *soap.Response) { r.ExtraInfo = extra })},
		{name: "get one record", op: soap.GetForAssociate, succeeded: &yes, records: records[:1],
			want: withBody(ok(soap.GetForAssociate, soap.SOAP11), func(r *soap.Response) { r.Credentials = records[:1] })},
		{name: "get several records", op: soap.GetForAssociate, succeeded: &yes, records: records, timeZone: tz,
			want: withBody(ok(soap.GetForAssociate, soap.SOAP11), func(r *soap.Response) { r.Credentials, r.TimeZone = records, tz })},
		{name: "get several records soap12", op: soap.GetForAssociate, version: soap.SOAP12, records: records,
			want: withBody(ok(soap.GetForAssociate, soap.SOAP12), func(r *soap.Response) { r.Credentials = records })},
		{name: "get current user", op: soap.Get, succeeded: &yes, records: records[1:2],
			want: withBody(ok(soap.Get, soap.SOAP11), func(r *soap.Response) { r.Credentials = records[1:2] })},
		{name: "create default", op: soap.CreateDefault, succeeded: &yes, records: records[1:2], extraInfo: extra,
			want: withBody(ok(soap.CreateDefault, soap.SOAP11), func(r *soap.Response) { r.Default, r.ExtraInfo = &records[1], extra })},
		{name: "save", op: soap.SaveForAssociate, succeeded: &yes, timeZone: tz,
			want: withBody(ok(soap.SaveForAssociate, soap.SOAP11), func(r *soap.Response) { r.TimeZone = tz })},
		{name: "remove", op: soap.RemoveForAssociate, succeeded: &yes, want: ok(soap.RemoveForAssociate, soap.SOAP11)},
		{name: "authenticate", op: soap.AuthenticateUsernamePassword, succeeded: &yes, auth: auth, extraInfo: extra,
			want: withBody(ok(soap.AuthenticateUsernamePassword, soap.SOAP11), func(r *soap.Response) { r.Authentication, r.ExtraInfo = auth, extra })},
		{name: "authenticate soap12", op: soap.AuthenticateUsernamePassword, version: soap.SOAP12, auth: auth,
			want: withBody(ok(soap.AuthenticateUsernamePassword, soap.SOAP12), func(r *soap.Response) { r.Authentication = auth })},
		{name: "authenticate refused", op: soap.AuthenticateUsernamePassword, succeeded: &yes,
			auth: &soap.Authentication{Succeeded: false}, wantErr: soap.ErrAuthenticationFailed},
		{name: "save exception", op: soap.SaveForAssociate, succeeded: &no, exception: exc, extraInfo: extra, wantErr: exc},
		{name: "get exception soap12", op: soap.GetForAssociate, version: soap.SOAP12, succeeded: &no, exception: exc, wantErr: exc},
		{name: "authenticate exception", op: soap.AuthenticateUsernamePassword, succeeded: &no, exception: exc.InnerException, wantErr: exc.InnerException},
	}
}

func zeepKeyValues(wrapper string, kvs []soap.KeyValue) map[string]any {
	pairs := make([]map[string]any, len(kvs))
	for i, kv := range kvs {
		pairs[i] = map[string]any{"Key": kv.Key, "Value": kv.Value}
	}
	return map[string]any{wrapper: pairs}
}

func zeepException(e *soap.ExceptionInfo) map[string]any {
	m := map[string]any{"Message": e.Message, "StackTrace": e.StackTrace, "FriendlyText": e.FriendlyText,
		"ExceptionType": e.ExceptionType, "Source": e.Source}
	if e.InnerException != nil {
		m["InnerException"] = zeepException(e.InnerException)
	}
	if e.Parameters != nil {
		m["Parameters"] = zeepKeyValues("SoExceptionInfoParametersKeyValuePair", e.Parameters)
	}
	return m
}

// zeepResponse says to zeep what the case says in socred's types, in the
// WSDL's terms (the output message's header and body parts).
func zeepResponse(c responseCase) zeepCase {
	zc := zeepCase{ID: c.name, Kind: "response", Service: "User", SOAP: soapVersion(c.version), Operation: string(c.op),
		Headers: map[string]any{}, Body: map[string]any{}}
	if c.succeeded != nil {
		zc.Headers["Succeeded"] = *c.succeeded
	}
	if c.exception != nil {
		zc.Headers["ExceptionInfo"] = zeepException(c.exception)
	}
	if c.extraInfo != nil {
		zc.Headers["ExtraInfo"] = zeepKeyValues("ExtraInfoNameValuePair", c.extraInfo)
	}
	if c.timeZone != nil {
		zc.Headers["TimeZone"] = map[string]any{"SoTimeZoneId": c.timeZone.ID, "SoTimeZoneLocationCode": c.timeZone.LocationCode}
	}
	switch c.op {
	case soap.GetForAssociate, soap.Get:
		items := make([]map[string]any, len(c.records))
		for i, r := range c.records {
			items[i] = zeepCredentials(r)
		}
		zc.Body["Response"] = map[string]any{"UntrustedCredentials": items}
	case soap.CreateDefault:
		zc.Body["Response"] = zeepCredentials(c.records[0])
	case soap.AuthenticateUsernamePassword:
		zc.Service = "SoPrincipal"
		a := c.auth
		if a == nil {
			break
		}
		zc.Body["AuthenticationSucceeded"] = a.Succeeded
		if a.Ticket != "" {
			zc.Body["Credentials"] = map[string]any{"Ticket": a.Ticket}
		}
		if a.Associate != "" || a.AssociateID != 0 || a.FullName != "" {
			zc.Body["Response"] = map[string]any{"AssociateId": a.AssociateID, "Associate": a.Associate, "FullName": a.FullName}
		}
	}
	return zc
}

// TestInteropZeepResponses has zeep serialise NetServer's answers from the
// WSDL's output messages (records, the login ticket, the Succeeded,
// ExceptionInfo, ExtraInfo and TimeZone headers) and checks that Classify
// reads back exactly the values zeep was given.
func TestInteropZeepResponses(t *testing.T) {
	cases := responseCases()
	// A case whose zeep input differs from what the test expects, to prove
	// the comparison below can fail.
	mutant := cases[2]
	mutant.name = "mutant"
	mutant.records = append([]soap.UntrustedCredentials(nil), mutant.records...)
	mutant.records[1].SecretValue += "!"

	zcs := make([]zeepCase, 0, len(cases)+1)
	for _, c := range append(cases, mutant) {
		zcs = append(zcs, zeepResponse(c))
	}
	results := runZeep(t, zcs)
	classify := func(t *testing.T, c responseCase) (*soap.Response, error, string) {
		t.Helper()
		z := results[c.name]
		require.Empty(t, z.Error, "zeep could not serialise the answer")
		ct := "text/xml; charset=utf-8"
		if c.version == soap.SOAP12 {
			ct = "application/soap+xml; charset=utf-8"
		}
		resp, err := soap.Classify(c.op, 200, ct, []byte(z.XML))
		return resp, err, z.XML
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err, xmlText := classify(t, c)
			var want *soap.ExceptionInfo
			switch {
			case errors.As(c.wantErr, &want):
				var got *soap.ExceptionInfo
				require.ErrorAs(t, err, &got, "zeep's envelope:\n%s", xmlText)
				assert.Equal(t, want, got, "the exception chain read back differs; zeep's envelope:\n%s", xmlText)
			case c.wantErr != nil:
				assert.ErrorIs(t, err, c.wantErr, "zeep's envelope:\n%s", xmlText)
			default:
				require.NoError(t, err, "zeep's envelope:\n%s", xmlText)
				assert.Equal(t, c.want, resp, "values read back differ; zeep's envelope:\n%s", xmlText)
			}
		})
	}
	t.Run("a changed value is detected", func(t *testing.T) {
		resp, err, _ := classify(t, mutant)
		require.NoError(t, err)
		assert.NotEqual(t, cases[2].want, resp, "a record zeep wrote with another SecretValue read back as the expected one")
	})
}
