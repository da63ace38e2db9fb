package soap

import (
	"socred/internal/xmltree"

	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func utc(y int, m time.Month, d, h, min, s, ns int) time.Time {
	return time.Date(y, m, d, h, min, s, ns, time.UTC)
}

func TestClassifyResults(t *testing.T) {
	tests := []struct {
		name string
		op   Operation
		file string
		want *Response
	}{
		{"a list with unknown fields, nil entries and every date form", GetForAssociate, "response-get.xml", &Response{
			Operation: GetForAssociate, Succeeded: true,
			ExtraInfo: []KeyValue{{"server", "local"}},
			Credentials: []UntrustedCredentials{
				{
					ValidFrom: utc(2024, 3, 1, 8, 30, 0, 0), ValidTo: utc(2025, 3, 1, 8, 30, 0, 500_000_000),
					Comment: "first <b>line\r\nsecond", PublicValue: "imap.example.com;invoices", IsActive: true,
				},
				{
					ValidFrom: utc(2023, 12, 31, 22, 0, 0, 0), ValidTo: utc(2024, 12, 31, 23, 59, 59, 0),
					SecretValue: "pässwörd😀", PublicValue: "smtp",
				},
			},
		}},
		{"an empty list", GetForAssociate, "response-get-empty.xml", &Response{
			Operation: GetForAssociate, Succeeded: true, ExtraInfo: []KeyValue{{"server", "local"}},
		}},
		{"a save", SaveForAssociate, "response-save.xml", &Response{
			Operation: SaveForAssociate, Succeeded: true, ExtraInfo: []KeyValue{{"server", "local"}},
		}},
		{"defaults, with a TableRight to skip", CreateDefault, "response-create-default.xml", &Response{
			Operation: CreateDefault, Succeeded: true, ExtraInfo: []KeyValue{{"server", "local"}},
			Default: &UntrustedCredentials{ValidFrom: utc(2026, 11, 28, 0, 0, 0, 0), ValidTo: utc(2027, 11, 28, 0, 0, 0, 0), IsActive: true},
		}},
		{"a user, the whole carrier with nested groups and a Person", GetUser, "response-get-user.xml", &Response{
			Operation: GetUser, Succeeded: true, ExtraInfo: []KeyValue{{"server", "local"}},
			User: &User{
				AssociateID: 6, Name: "BÅ", UserName: "bjørn.ås", FullName: "Bjørn Ås", FirstName: "Bjørn", LastName: "Ås",
				Email: "bjorn.as@example.no", Type: "InternalAssociate",
			},
		}},
		{"a deleted, retired user without a Person, values with white space and 1", GetUserFromName, "response-get-user-from-name.xml", &Response{
			Operation: GetUserFromName, Succeeded: true, ExtraInfo: []KeyValue{{"server", "local"}},
			User: &User{AssociateID: 7, Name: "ÅB <old>", UserName: "Åsa.Bäckström", Type: "ExternalAssociate", Deleted: true, Retired: true},
		}},
		{"no such user: a nil Response", GetUser, "response-get-user-nil.xml", &Response{
			Operation: GetUser, Succeeded: true, ExtraInfo: []KeyValue{{"server", "local"}},
		}},
		{"a login", AuthenticateUsernamePassword, "response-authenticate.xml", &Response{
			Operation: AuthenticateUsernamePassword, Succeeded: true, ExtraInfo: []KeyValue{{"server", "local"}},
			Authentication: &Authentication{Succeeded: true, Ticket: "7T:dGlja2V0LWZvci1hZG1pbg==", AssociateID: 1, Associate: "ADMIN", FullName: "Ada Admin"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Classify(tc.op, 200, "text/xml; charset=utf-8", readTestdata(t, tc.file))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestClassifyException(t *testing.T) {
	_, err := Classify(SaveForAssociate, 200, "text/xml", readTestdata(t, "response-exception.xml"))
	var exc *ExceptionInfo
	require.ErrorAs(t, err, &exc)
	assert.Equal(t, "Your session has expired. Please <b>log in</b> again.", exc.Text())
	assert.Equal(t, "Ticket is expired", exc.Message)
	assert.Equal(t, "SoSecurityException", exc.ExceptionType)
	assert.Equal(t, []KeyValue{{"AssociateId", "12"}, {"Type", ""}}, exc.Parameters)
	require.NotNil(t, exc.InnerException)
	assert.Equal(t, "TicketExpiredException", exc.InnerException.ExceptionType)
	assert.Equal(t, []string{
		"Your session has expired. Please <b>log in</b> again.",
		"Ticket 7T:abc expired at 2026-11-28T10:00:00Z",
	}, exc.Chain())
	assert.Nil(t, exc.InnerException.Unwrap(), "the innermost exception wraps nothing")

	t.Run("Succeeded=false without ExceptionInfo is still a failure", func(t *testing.T) {
		body := bytes.Replace(readTestdata(t, "response-save.xml"), []byte(">true</h:Succeeded>"), []byte(">false</h:Succeeded>"), 1)
		_, err := Classify(SaveForAssociate, 200, "text/xml", body)
		assert.ErrorAs(t, err, &exc)
	})
	t.Run("a refused login", func(t *testing.T) {
		_, err := Classify(AuthenticateUsernamePassword, 200, "text/xml", readTestdata(t, "response-authenticate-refused.xml"))
		assert.ErrorIs(t, err, ErrAuthenticationFailed)
	})
}

func TestClassifyFaults(t *testing.T) {
	tests := []struct {
		name, file string
		want       Fault
	}{
		{"SOAP 1.1, WCF's wrong SOAPAction", "fault11-action-not-supported.xml", Fault{
			Version: SOAP11, Status: 500,
			Code:   Name{Space: "http://schemas.microsoft.com/ws/2005/05/addressing/none", Local: "ActionNotSupported"},
			String: "The message with Action 'http://www.superoffice.net/ws/crm/NetServer/Services88/User/Nope' cannot be processed at the receiver, due to a ContractFilter mismatch at the EndpointDispatcher. This may be because of either a contract mismatch (mismatched Actions between sender and receiver) or a binding/security mismatch between the sender and the receiver.  Check that sender and receiver have the same contract and the same binding (including security requirements, e.g. Message, Transport, None).",
		}},
		{"SOAP 1.1, a header not understood, with detail", "fault11-must-understand.xml", Fault{
			Version: SOAP11, Status: 500,
			Code:   Name{Space: NSEnvelope11, Local: "MustUnderstand"},
			String: "The header 'Security' from the namespace 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd' was not understood by the recipient of this message, causing the message to not be processed.  This error typically indicates that the sender of this message has enabled a communication protocol that the receiver cannot process.  Please ensure that the configuration of the sender's binding is consistent with the receiver's binding.",
			Detail: "header not understood",
		}},
		{"SOAP 1.2 with a Subcode in another namespace", "fault12-deserialization-failed.xml", Fault{
			Version: SOAP12, Status: 500,
			Code:     Name{Space: NSEnvelope12, Local: "Sender"},
			Subcodes: []Name{{Space: "http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher", Local: "DeserializationFailed"}},
			String:   "The formatter threw an exception while trying to deserialize the message: Error in deserializing body of request message for operation 'SaveUntrustedCredentialsForAssociate'.",
			Actor:    "http://example.test/role",
			Detail:   "Element 'Comment' was unexpected.",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Classify(SaveForAssociate, 500, "text/xml", readTestdata(t, tc.file))
			var f *Fault
			require.ErrorAs(t, err, &f)
			assert.Equal(t, tc.want, *f)
		})
	}
	t.Run("the error names the innermost code", func(t *testing.T) {
		_, err := Classify(SaveForAssociate, 500, "", readTestdata(t, "fault12-deserialization-failed.xml"))
		assert.Contains(t, err.Error(), "DeserializationFailed")
	})
}

func TestClassifyHTTPErrors(t *testing.T) {
	get := readTestdata(t, "response-get.xml")
	deep := strings.Repeat("<a>", MaxDepth+1) + strings.Repeat("</a>", MaxDepth+1)
	wide := "<r>" + strings.Repeat("<a/>", MaxElements) + "</r>"
	huge := append([]byte("<s:Envelope xmlns:s=\""+NSEnvelope11+"\"><s:Body><x>"), bytes.Repeat([]byte("x"), MaxBody)...)
	tests := []struct {
		name    string
		status  int
		body    []byte
		is      error // wrapped sentinel, if any
		excerpt string
	}{
		{"an HTML error page", 500, readTestdata(t, "http500.html"), ErrDTD, "<!DOCTYPE html> <html><head><title>Runtime Error</title>"},
		{"a proxy's plain text", 502, []byte("Bad Gateway\n"), ErrNotXML, "Bad Gateway"},
		{"an empty body", 503, nil, ErrNotXML, ""},
		{"a truncated envelope", 200, get[:len(get)/2], ErrNotXML, "<s:Envelope"},
		{"XML that is not SOAP", 200, []byte(`<html><body>hi</body></html>`), ErrNotSOAP, "<html>"},
		{"an envelope without Body", 200, []byte(`<s:Envelope xmlns:s="` + NSEnvelope11 + `"/>`), ErrNotSOAP, ""},
		{"a SOAP answer under 404", 404, get, ErrNotSOAP, ""},
		{"a DTD with entity expansion", 200, readTestdata(t, "dtd-billion-laughs.xml"), ErrDTD, ""},
		{"an undeclared entity", 200, readTestdata(t, "external-entity.xml"), ErrNotXML, ""},
		{"absurd nesting", 200, []byte(deep), ErrTooDeep, ""},
		{"too many elements", 200, []byte(wide), ErrTooMany, ""},
		{"a namespace URI over 4 KiB", 200, []byte(`<s:Envelope xmlns:s="` + NSEnvelope11 + `" xmlns:x="urn:` + strings.Repeat("x", MaxNamespaceURI) + `"/>`), ErrLongNamespace, ""},
		{"a body over 4 MiB", 200, huge, ErrTooLarge, "<s:Envelope"},
		{"UTF-16 declared", 200, []byte(`<?xml version="1.0" encoding="utf-16"?><a/>`), ErrNotXML, ""},
		{"invalid UTF-8", 200, []byte("<a>\xff</a>"), ErrNotXML, ""},
		{"two roots", 200, []byte("<a/><b/>"), ErrNotXML, ""},
		{"mismatched tags", 200, []byte("<a><b></a></b>"), ErrNotXML, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := Classify(GetForAssociate, tc.status, "text/html", tc.body)
			assert.Nil(t, resp)
			var he *HTTPError
			require.ErrorAs(t, err, &he)
			assert.Equal(t, tc.status, he.Status)
			assert.Equal(t, "text/html", he.ContentType)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			assert.True(t, strings.HasPrefix(he.Excerpt, tc.excerpt), "excerpt %q", he.Excerpt)
			assert.LessOrEqual(t, len([]rune(he.Excerpt)), excerptLen+1)
		})
	}
}

func TestClassifyMalformed(t *testing.T) {
	t.Run("the wrong response element", func(t *testing.T) {
		_, err := Classify(GetForAssociate, 200, "text/xml", readTestdata(t, "response-save.xml"))
		assert.ErrorIs(t, err, ErrMalformed)
		assert.Contains(t, err.Error(), "GetUntrustedCredentialsForAssociateResponse")
	})
	t.Run("a date that is not a date", func(t *testing.T) {
		body := bytes.Replace(readTestdata(t, "response-get.xml"), []byte("2024-03-01T08:30:00Z"), []byte("yesterday"), 1)
		_, err := Classify(GetForAssociate, 200, "text/xml", body)
		assert.ErrorIs(t, err, ErrMalformed)
		assert.Contains(t, err.Error(), "ValidFrom")
	})
	t.Run("a boolean that is not a boolean", func(t *testing.T) {
		body := bytes.Replace(readTestdata(t, "response-get.xml"), []byte("<IsActive>true"), []byte("<IsActive>yes"), 1)
		_, err := Classify(GetForAssociate, 200, "text/xml", body)
		assert.ErrorIs(t, err, ErrMalformed)
	})
	user := readTestdata(t, "response-get-user.xml")
	for _, tc := range []struct{ name, from, to, element string }{
		{"a user's AssociateId that is not an xs:int", "<AssociateId>6<", "<AssociateId>six<", "AssociateId"},
		{"a user's AssociateId beyond int32", "<AssociateId>6<", "<AssociateId>2147483648<", "AssociateId"},
		{"Deleted that is not a boolean", "<Deleted>false<", "<Deleted>no<", "Deleted"},
		{"IsPersonRetired that is not a boolean", "<IsPersonRetired>false<", "<IsPersonRetired>False<", "IsPersonRetired"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Contains(t, string(user), tc.from, "fixture changed")
			_, err := Classify(GetUser, 200, "text/xml", bytes.Replace(user, []byte(tc.from), []byte(tc.to), 1))
			assert.ErrorIs(t, err, ErrMalformed)
			assert.Contains(t, err.Error(), "User/"+tc.element)
		})
	}
	t.Run("what socred does not read is not checked", func(t *testing.T) {
		body := bytes.Replace(user, []byte("<IsOnTravel>true<"), []byte("<IsOnTravel>perhaps<"), 1)
		resp, err := Classify(GetUser, 200, "text/xml", body)
		require.NoError(t, err)
		assert.Equal(t, int32(6), resp.User.AssociateID)
	})
	t.Run("xsi:nil where the schema allows none reads as the zero value", func(t *testing.T) {
		body := bytes.Replace(user, []byte("<Deleted>false</Deleted>"), []byte(`<Deleted i:nil="true"/>`), 1)
		body = bytes.Replace(body, []byte("<AssociateId>6</AssociateId>"), []byte(`<AssociateId i:nil="true"/>`), 1)
		resp, err := Classify(GetUser, 200, "text/xml", body)
		require.NoError(t, err)
		assert.False(t, resp.User.Deleted)
		assert.Zero(t, resp.User.AssociateID)
		assert.Equal(t, "bjørn.ås", resp.User.UserName)
	})
	t.Run("the other lookup's response element", func(t *testing.T) {
		_, err := Classify(GetUserFromName, 200, "text/xml", user)
		assert.ErrorIs(t, err, ErrMalformed)
		assert.Contains(t, err.Error(), "GetUserFromNameResponse")
	})
}

func TestExcerpt(t *testing.T) {
	assert.Equal(t, "a b c", excerpt([]byte("  a\n\tb   c \r\n")))
	assert.Equal(t, "bad \uFFFD byte \uFFFD", excerpt([]byte("bad \xff byte \x07")))
	long := excerpt(bytes.Repeat([]byte("é"), 500))
	assert.Equal(t, excerptLen+1, len([]rune(long)))
	assert.True(t, strings.HasSuffix(long, "…"))
	assert.False(t, errors.Is(&HTTPError{}, ErrNotXML))
}

// TestParseCost checks that reading stays linear: text split into many
// runs (by comments) once made each run copy all the text before it, so a
// 1.3 MB body took 12 s. Counted in bytes allocated, not seconds.
func TestParseCost(t *testing.T) {
	const runs = MaxTokens/2 - 100
	body := []byte(`<s:Envelope xmlns:s="` + NSEnvelope11 + `"><s:Body><x>` +
		strings.Repeat("x<!---->", runs) + `</x></s:Body></s:Envelope>`)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := xmltree.Parse(body)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	allocated := after.TotalAlloc - before.TotalAlloc
	assert.Less(t, allocated, uint64(64<<20), "parsing %d bytes allocated %d bytes", len(body), allocated)

	t.Run("more tokens than MaxTokens are refused", func(t *testing.T) {
		over := []byte(`<x>` + strings.Repeat("x<!---->", MaxTokens/2+1) + `</x>`)
		_, err := Classify(GetForAssociate, 200, "text/xml", over)
		assert.ErrorIs(t, err, ErrTooMany)
	})
}
