package soap

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseRequestRefuses covers what WCF would silently get wrong and the
// local NetServer must refuse, naming the element.
func TestParseRequestRefuses(t *testing.T) {
	save := string(readTestdata(t, "request-save-for-associate.xml"))
	swap := func(s, a, b string) string {
		i, j := strings.Index(s, a), strings.Index(s, b)
		require.True(t, i >= 0 && j > i, "fixture changed")
		return s[:i] + b + s[i+len(a):j] + a + s[j+len(b):]
	}
	validTo := "<ns:ValidTo>2025-03-01T08:30:00Z</ns:ValidTo>"
	comment := "<ns:Comment>Mailbox for invoices &lt;finance&gt; &amp; &quot;others&quot;</ns:Comment>"
	tests := []struct {
		name    string
		body    string
		element string
		err     error
	}{
		{"Comment before ValidTo", swap(save, validTo, comment), "ValidTo", ErrOutOfOrder},
		{"Type before AssociateId", swap(save, "<ns:AssociateId>12</ns:AssociateId>", "<ns:Type>imap</ns:Type>"), "AssociateId", ErrOutOfOrder},
		{"a repeated element", strings.Replace(save, validTo, validTo+validTo, 1), "ValidTo", ErrUnexpected},
		{"an unknown element", strings.Replace(save, validTo, validTo+"<ns:Colour>red</ns:Colour>", 1), "Colour", ErrUnexpected},
		{"a body child without namespace", strings.Replace(save, "<ns:Type>imap</ns:Type>", `<Type xmlns="">imap</Type>`, 1), "Type", ErrUnexpected},
		{"an unknown operation", strings.ReplaceAll(save, "SaveUntrustedCredentialsForAssociate>", "DropTables>"), "DropTables", ErrUnexpected},
		{"a date with a space", strings.Replace(save, "2025-03-01T08:30:00Z", "2025-03-01 08:30:00Z", 1), "ValidTo", ErrBadValue},
		{"a date without zone", strings.Replace(save, "2025-03-01T08:30:00Z", "2025-03-01T08:30:00", 1), "ValidTo", ErrBadValue},
		{"an AssociateId beyond int32", strings.Replace(save, ">12<", ">2147483648<", 1), "AssociateId", ErrBadValue},
		{"IsActive yes", strings.Replace(save, ">true</ns:IsActive>", ">yes</ns:IsActive>", 1), "IsActive", ErrBadValue},
		{"headers outside Header, as the vendor's example", strings.Replace(strings.Replace(save, "<soap:Header>", "", 1), "</soap:Header>", "", 1), "ApplicationToken", ErrMisplaced},
		{"a mandatory unknown header", strings.Replace(save, "</soap:Header>", `<x:Security xmlns:x="urn:x" soap:mustUnderstand="1"/></soap:Header>`, 1), "Security", ErrMustUnderstand},
		{"two Body children", strings.Replace(save, "</soap:Body>", "<ns:Extra/></soap:Body>", 1), "Body", ErrUnexpected},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRequest([]byte(tc.body))
			var re *RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tc.element, re.Element)
			assert.ErrorIs(t, err, tc.err)
			assert.Contains(t, err.Error(), tc.element)
		})
	}

	t.Run("a date with any zone is the instant it names, in UTC", func(t *testing.T) {
		for _, tc := range []struct{ text, want string }{
			{"2025-03-01T08:30:00Z", "2025-03-01T08:30:00Z"},
			{"2025-03-01T08:30:00+00:00", "2025-03-01T08:30:00Z"},
			{"2025-03-01T10:30:00+02:00", "2025-03-01T08:30:00Z"},
			{"2025-03-01T03:00:00-05:30", "2025-03-01T08:30:00Z"},
			{"2025-03-01T08:30:00.25+00:00", "2025-03-01T08:30:00.250000Z"},
		} {
			r, err := ParseRequest([]byte(strings.Replace(save, "2025-03-01T08:30:00Z", tc.text, 1)))
			require.NoError(t, err, tc.text)
			assert.Equal(t, tc.want, FormatDateTime(r.Credentials.ValidTo), tc.text)
			assert.Equal(t, time.UTC, r.Credentials.ValidTo.Location(), tc.text)
		}
	})
	t.Run("a date without a zone says why it is refused", func(t *testing.T) {
		_, err := ParseRequest([]byte(strings.Replace(save, "2025-03-01T08:30:00Z", "2025-03-01T08:30:00", 1)))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "no time zone")
		assert.Contains(t, err.Error(), "unspecified")
	})
	t.Run("an optional unknown header is ignored", func(t *testing.T) {
		body := strings.Replace(save, "</soap:Header>", `<x:Trace xmlns:x="urn:x" soap:mustUnderstand="0">1</x:Trace></soap:Header>`, 1)
		_, err := ParseRequest([]byte(body))
		assert.NoError(t, err)
	})
	t.Run("xsi:nil strings read as empty", func(t *testing.T) {
		body := strings.Replace(save, comment, `<ns:Comment xsi:nil="true" xmlns:xsi="`+NSInstance+`"/>`, 1)
		r, err := ParseRequest([]byte(body))
		require.NoError(t, err)
		assert.Empty(t, r.Credentials.Comment)
	})
	t.Run("omitted optional elements are allowed", func(t *testing.T) {
		body := strings.Replace(save, comment, "", 1)
		r, err := ParseRequest([]byte(body))
		require.NoError(t, err)
		assert.Empty(t, r.Credentials.Comment)
	})
	t.Run("not SOAP", func(t *testing.T) {
		_, err := ParseRequest([]byte("<a/>"))
		assert.ErrorIs(t, err, ErrNotSOAP)
	})
	t.Run("a DTD", func(t *testing.T) {
		_, err := ParseRequest(readTestdata(t, "dtd-billion-laughs.xml"))
		assert.ErrorIs(t, err, ErrDTD)
	})
	t.Run("a namespace URI over 4 KiB", func(t *testing.T) {
		long := strings.Replace(save, "<soap:Envelope ", `<soap:Envelope xmlns:x="urn:`+strings.Repeat("x", MaxNamespaceURI)+`" `, 1)
		_, err := ParseRequest([]byte(long))
		assert.ErrorIs(t, err, ErrLongNamespace)
	})
	t.Run("the vendor's SOAP 1.2 example shape reads with its version", func(t *testing.T) {
		r, err := ParseRequest(readTestdata(t, "request-save-for-associate-soap12.xml"))
		require.NoError(t, err)
		assert.Equal(t, SOAP12, r.Version)
	})
	t.Run("the user lookups read their one body child strictly", func(t *testing.T) {
		byID := string(readTestdata(t, "request-get-user.xml"))
		r, err := ParseRequest([]byte(byID))
		require.NoError(t, err)
		assert.Equal(t, GetUser, r.Operation)
		assert.Equal(t, int64(12), r.AssociateID)
		for _, tc := range []struct {
			name, body, element string
			err                 error
		}{
			{"a UserId beyond int32", strings.Replace(byID, ">12<", ">2147483648<", 1), "UserId", ErrBadValue},
			{"a UserId that is a name", strings.Replace(byID, ">12<", ">ola<", 1), "UserId", ErrBadValue},
			{"AssociateId instead of UserId", strings.ReplaceAll(byID, "ns:UserId>", "ns:AssociateId>"), "AssociateId", ErrUnexpected},
			{"UserId twice", strings.Replace(byID, "<ns:UserId>12</ns:UserId>", "<ns:UserId>12</ns:UserId><ns:UserId>13</ns:UserId>", 1), "UserId", ErrUnexpected},
			{"UserName on GetUser", strings.Replace(byID, "<ns:UserId>12</ns:UserId>", "<ns:UserName>x</ns:UserName>", 1), "UserName", ErrUnexpected},
		} {
			_, err := ParseRequest([]byte(tc.body))
			var re *RequestError
			require.ErrorAs(t, err, &re, tc.name)
			assert.Equal(t, tc.element, re.Element, tc.name)
			assert.ErrorIs(t, err, tc.err, tc.name)
		}
		byName, err := ParseRequest(readTestdata(t, "request-get-user-from-name.xml"))
		require.NoError(t, err)
		assert.Equal(t, GetUserFromName, byName.Operation)
		assert.Equal(t, "bjørn.ås", byName.UserName)
	})
	t.Run("CR survives the round trip", func(t *testing.T) {
		req := validSave()
		req.Credentials.Comment = "a\r\nb\rc"
		env, err := Build(req)
		require.NoError(t, err)
		assert.True(t, bytes.Contains(env.XML, []byte("a&#xD;\nb&#xD;c")))
		back, err := ParseRequest(env.XML)
		require.NoError(t, err)
		assert.Equal(t, "a\r\nb\rc", back.Credentials.Comment)
	})
}
