package netserver

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/soap"
)

const testPassword = "correct horse"

// clock is a settable clock for ticket expiry and CreateDefault.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newTestServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	s, err := newServer(cfg)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

func demoServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServer(t, Demo("", testPassword))
}

// post sends raw bytes to the operation's service below site.
func post(t *testing.T, site string, op soap.Operation, header http.Header, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, site+"/"+op.Path(), bytes.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// call is socred's own client path: soap.Build, an HTTP POST, soap.Classify.
func call(t *testing.T, site string, r soap.Request) (*soap.Response, error) {
	t.Helper()
	env, err := soap.Build(r)
	require.NoError(t, err)
	h := http.Header{}
	for _, kv := range env.Headers() {
		h.Set(kv.Key, kv.Value)
	}
	resp := post(t, site, r.Operation, h, env.XML)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return soap.Classify(r.Operation, resp.StatusCode, resp.Header.Get("Content-Type"), body)
}

func login(t *testing.T, site, user, password string) string {
	t.Helper()
	resp, err := call(t, site, soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: user, Password: password})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(resp.Authentication.Ticket, "7T:"), "ticket %q", resp.Authentication.Ticket)
	return resp.Authentication.Ticket
}

func creds(public, secret string) soap.UntrustedCredentials {
	from := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	return soap.UntrustedCredentials{ValidFrom: from, ValidTo: from.AddDate(1, 0, 0), Comment: "note", SecretValue: secret, PublicValue: public, IsActive: true}
}

func TestOperationsRoundTrip(t *testing.T) {
	clk := &clock{time.Date(2025, 6, 1, 12, 30, 15, 500, time.UTC)}
	cfg := Demo("", testPassword)
	cfg.Now = clk.now
	s := newTestServer(t, cfg)

	resp, err := call(t, s.SiteURL, soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: "DEMO", Password: testPassword})
	require.NoError(t, err)
	a := resp.Authentication
	assert.True(t, a.Succeeded)
	assert.Equal(t, DemoAssociateID, a.AssociateID)
	assert.Equal(t, DemoUser, a.Associate)
	assert.Equal(t, "Demo Administrator", a.FullName)
	ticket := a.Ticket
	require.Regexp(t, `^7T:[A-Za-z0-9+/]{32}$`, ticket)

	t.Run("CreateDefault", func(t *testing.T) {
		resp, err := call(t, s.SiteURL, soap.Request{Operation: soap.CreateDefault, Ticket: ticket})
		require.NoError(t, err)
		require.NotNil(t, resp.Default)
		want := time.Date(2025, 6, 1, 12, 30, 15, 0, time.UTC)
		assert.Equal(t, want, resp.Default.ValidFrom)
		assert.Equal(t, want.AddDate(1, 0, 0), resp.Default.ValidTo)
		assert.True(t, resp.Default.IsActive)
	})

	t.Run("save, upsert, list and remove for another associate", func(t *testing.T) {
		base := soap.Request{Ticket: ticket, AssociateID: 3, Type: "imap"}
		save := func(c soap.UntrustedCredentials) {
			r := base
			r.Operation, r.Credentials = soap.SaveForAssociate, c
			_, err := call(t, s.SiteURL, r)
			require.NoError(t, err)
		}
		list := func() []soap.UntrustedCredentials {
			r := base
			r.Operation = soap.GetForAssociate
			resp, err := call(t, s.SiteURL, r)
			require.NoError(t, err)
			return resp.Credentials
		}
		first := creds("imap.example.com/ola", "s3cret & <ok>")
		first.Comment = "line one\r\nline two"
		save(first)
		save(creds("imap.example.com/kari", "other"))
		got := list()
		require.Len(t, got, 2)
		assert.Equal(t, first, got[0], "CR, markup and ampersands round-trip")
		assert.Equal(t, "imap.example.com/kari", got[1].PublicValue)

		changed := first
		changed.SecretValue, changed.IsActive = "new", false
		save(changed)
		got = list()
		require.Len(t, got, 2, "same (associate, Type, PublicValue) replaces")
		assert.Equal(t, changed, got[0])

		r := base
		r.Operation, r.PublicValue = soap.RemoveForAssociate, first.PublicValue
		_, err := call(t, s.SiteURL, r)
		require.NoError(t, err)
		got = list()
		require.Len(t, got, 1)
		assert.Equal(t, "imap.example.com/kari", got[0].PublicValue)
		assert.Equal(t, got, s.NetServer.Credentials(3, "imap"))

		r.Type = "smtp"
		r.Operation = soap.GetForAssociate
		resp, err := call(t, s.SiteURL, r)
		require.NoError(t, err)
		assert.Empty(t, resp.Credentials, "records are per Type")
	})

	t.Run("save, list and remove for the current user", func(t *testing.T) {
		c := creds("smtp.example.com", "pw")
		_, err := call(t, s.SiteURL, soap.Request{Operation: soap.Save, Ticket: ticket, Type: "smtp", Credentials: c})
		require.NoError(t, err)
		resp, err := call(t, s.SiteURL, soap.Request{Operation: soap.Get, Ticket: ticket, Type: "smtp"})
		require.NoError(t, err)
		assert.Equal(t, []soap.UntrustedCredentials{c}, resp.Credentials)
		assert.Equal(t, resp.Credentials, s.NetServer.Credentials(DemoAssociateID, "smtp"))
		_, err = call(t, s.SiteURL, soap.Request{Operation: soap.Remove, Ticket: ticket, Type: "smtp", PublicValue: c.PublicValue})
		require.NoError(t, err)
		assert.Empty(t, s.NetServer.Credentials(DemoAssociateID, "smtp"))
	})
}

func TestBusinessErrors(t *testing.T) {
	clk := &clock{time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	cfg := Demo("", testPassword)
	cfg.Now = clk.now
	cfg.TicketTTL = time.Hour
	cfg.Users = append(cfg.Users, User{Name: "admin2", Password: testPassword, AssociateID: 4, Administrator: true})
	s := newTestServer(t, cfg)
	demo := login(t, s.SiteURL, DemoUser, testPassword)
	viewer := login(t, s.SiteURL, ViewerUser, testPassword)
	admin2 := login(t, s.SiteURL, "admin2", testPassword)

	get := func(ticket string, assoc int64) soap.Request {
		return soap.Request{Operation: soap.GetForAssociate, Ticket: ticket, AssociateID: assoc, Type: "imap"}
	}
	// One associate per Type and PublicValue: each saves its own.
	public := func(assoc int64) string { return "x" + strconv.FormatInt(assoc, 10) }
	save := func(ticket string, assoc int64) soap.Request {
		return soap.Request{Operation: soap.SaveForAssociate, Ticket: ticket, AssociateID: assoc, Type: "imap", Credentials: creds(public(assoc), "y")}
	}
	for _, tc := range []struct {
		name     string
		req      soap.Request
		wantType string
		wantText string
	}{
		{"unknown ticket", get("7T:bm90LWEtdGlja2V0", 1), TypeInvalidTicket, "not valid"},
		{"unknown associate", save(demo, 999), TypeUnknownAssociate, "999"},
		{"viewer on another associate", save(viewer, 3), TypeAccessDenied, "right to manage other users"},
		{"viewer listing another associate", get(viewer, 1), TypeAccessDenied, "right to manage other users"},
		{"markup in FriendlyText", save(demo, int64(MarkupAssociateID)), TypeLockedAssociate, "<b>Associate 666 is locked</b>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := call(t, s.SiteURL, tc.req)
			var exc *soap.ExceptionInfo
			require.ErrorAs(t, err, &exc)
			assert.Equal(t, tc.wantType, exc.ExceptionType)
			assert.Contains(t, exc.Text(), tc.wantText)
		})
	}

	t.Run("the viewer manages its own credentials", func(t *testing.T) {
		_, err := call(t, s.SiteURL, save(viewer, int64(ViewerAssociateID)))
		require.NoError(t, err)
	})

	t.Run("SecretValue only for the owner and system users", func(t *testing.T) {
		_, err := call(t, s.SiteURL, save(demo, 5))
		require.NoError(t, err)
		resp, err := call(t, s.SiteURL, get(demo, 5))
		require.NoError(t, err)
		require.Len(t, resp.Credentials, 1)
		assert.Equal(t, "y", resp.Credentials[0].SecretValue, "the demo user is a system user")
		resp, err = call(t, s.SiteURL, get(admin2, 5))
		require.NoError(t, err)
		require.Len(t, resp.Credentials, 1)
		assert.Empty(t, resp.Credentials[0].SecretValue, "an administrator who is not a system user")
		assert.Equal(t, "x5", resp.Credentials[0].PublicValue)
		_, err = call(t, s.SiteURL, save(admin2, 4))
		require.NoError(t, err)
		resp, err = call(t, s.SiteURL, get(admin2, 4))
		require.NoError(t, err)
		assert.Equal(t, "y", resp.Credentials[0].SecretValue, "the owner")
	})

	t.Run("an empty password never logs in", func(t *testing.T) {
		empty := newTestServer(t, Demo("", ""))
		_, err := call(t, empty.SiteURL, soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: DemoUser, Password: ""})
		require.ErrorIs(t, err, soap.ErrAuthenticationFailed)
	})

	t.Run("wrong password", func(t *testing.T) {
		_, err := call(t, s.SiteURL, soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: DemoUser, Password: "wrong"})
		require.ErrorIs(t, err, soap.ErrAuthenticationFailed)
	})

	t.Run("expired ticket", func(t *testing.T) {
		clk.t = clk.t.Add(time.Hour)
		_, err := call(t, s.SiteURL, get(demo, 1))
		var exc *soap.ExceptionInfo
		require.ErrorAs(t, err, &exc)
		assert.Equal(t, TypeExpiredTicket, exc.ExceptionType)
		_, err = call(t, s.SiteURL, get(demo, 1))
		require.ErrorAs(t, err, &exc)
		assert.Equal(t, TypeInvalidTicket, exc.ExceptionType, "an expired ticket is forgotten")
	})
}

// TestDuplicateKey: a Type and PublicValue stored for one associate are
// refused for another (letter case aside), worded as SQL Server words a
// unique index's refusal; the same associate saving them again is an
// upsert.
func TestDuplicateKey(t *testing.T) {
	s := demoServer(t)
	ticket := login(t, s.SiteURL, DemoUser, testPassword)
	save := func(assoc int64, typ, public, secret string) error {
		_, err := call(t, s.SiteURL, soap.Request{Operation: soap.SaveForAssociate, Ticket: ticket, AssociateID: assoc, Type: typ,
			Credentials: creds(public, secret)})
		return err
	}
	require.NoError(t, save(3, "imap", "imap.example.com", "one"))

	err := save(4, "imap", "imap.example.com", "two")
	var exc *soap.ExceptionInfo
	require.ErrorAs(t, err, &exc)
	assert.Equal(t, TypeDuplicateKey, exc.ExceptionType)
	assert.Equal(t, "Cannot insert duplicate key row in object 'dbo.credentials' with unique index 'IDXCredentialsTypeSearchName'. "+
		"The duplicate key value is (imap, imap.example.com). The statement has been terminated.", exc.Text())
	values, ok := exc.DuplicateKey()
	assert.True(t, ok)
	assert.Equal(t, []string{"imap", "imap.example.com"}, values)

	err = save(4, "IMAP", "Imap.Example.com", "two")
	require.ErrorAs(t, err, &exc, "letter case aside, as SQL Server's default collation compares")
	values, _ = exc.DuplicateKey()
	assert.Equal(t, []string{"IMAP", "Imap.Example.com"}, values)

	require.NoError(t, save(3, "imap", "imap.example.com", "three"), "the same associate again: an upsert")
	require.NoError(t, save(4, "imap", "", "x"), "an empty PublicValue is not compared")
	require.NoError(t, save(5, "imap", "", "x"))
	resp, err := call(t, s.SiteURL, soap.Request{Operation: soap.GetForAssociate, Ticket: ticket, AssociateID: 3, Type: "imap"})
	require.NoError(t, err)
	require.Len(t, resp.Credentials, 1)
	assert.Equal(t, "three", resp.Credentials[0].SecretValue)
	resp, err = call(t, s.SiteURL, soap.Request{Operation: soap.GetForAssociate, Ticket: ticket, AssociateID: 4, Type: "imap"})
	require.NoError(t, err)
	require.Len(t, resp.Credentials, 1, "nothing of the refused saves was stored")
}

func TestMissingTicket(t *testing.T) {
	s := demoServer(t)
	env, err := soap.Build(soap.Request{Operation: soap.CreateDefault, Ticket: "x"})
	require.NoError(t, err)
	body := bytes.Replace(env.XML, []byte("<ns:Ticket>x</ns:Ticket>"), []byte("<ns:Ticket></ns:Ticket>"), 1)
	resp := post(t, s.SiteURL, soap.CreateDefault, soapHeaders(soap.CreateDefault), body)
	b, _ := io.ReadAll(resp.Body)
	_, err = soap.Classify(soap.CreateDefault, resp.StatusCode, resp.Header.Get("Content-Type"), b)
	var exc *soap.ExceptionInfo
	require.ErrorAs(t, err, &exc)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, TypeNoTicket, exc.ExceptionType)
}

func TestOnlineApplicationToken(t *testing.T) {
	cfg := Demo("", testPassword)
	cfg.ApplicationToken = "app-token-123"
	s := newTestServer(t, cfg)
	loginReq := soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: DemoUser, Password: testPassword}

	_, err := call(t, s.SiteURL, loginReq)
	var exc *soap.ExceptionInfo
	require.ErrorAs(t, err, &exc, "no token")
	assert.Equal(t, TypeApplicationToken, exc.ExceptionType)

	loginReq.ApplicationToken = "wrong"
	_, err = call(t, s.SiteURL, loginReq)
	require.ErrorAs(t, err, &exc, "wrong token")
	assert.Equal(t, TypeApplicationToken, exc.ExceptionType)

	loginReq.ApplicationToken = cfg.ApplicationToken
	resp, err := call(t, s.SiteURL, loginReq)
	require.NoError(t, err)
	ticket := resp.Authentication.Ticket

	_, err = call(t, s.SiteURL, soap.Request{Operation: soap.CreateDefault, Ticket: ticket})
	require.ErrorAs(t, err, &exc, "User.svc checks the token too")
	assert.Equal(t, TypeApplicationToken, exc.ExceptionType)
	_, err = call(t, s.SiteURL, soap.Request{Operation: soap.CreateDefault, Ticket: ticket, ApplicationToken: cfg.ApplicationToken})
	require.NoError(t, err)
}

func TestBusinessErrorWireFormat(t *testing.T) {
	s := demoServer(t)
	env, err := soap.Build(soap.Request{Operation: soap.GetForAssociate, Ticket: "7T:nope", AssociateID: 1, Type: "imap"})
	require.NoError(t, err)
	resp := post(t, s.SiteURL, soap.GetForAssociate, soapHeaders(soap.GetForAssociate), env.XML)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/xml; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, string(b), `<h:Succeeded xmlns:h="`+soap.NS+`">false</h:Succeeded>`)
	assert.Contains(t, string(b), `<h:ExtraInfo i:nil="true"`)

	env, err = soap.Build(soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: DemoUser, Password: testPassword})
	require.NoError(t, err)
	resp = post(t, s.SiteURL, soap.AuthenticateUsernamePassword, soapHeaders(soap.AuthenticateUsernamePassword), env.XML)
	b, err = io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Contains(t, string(b), `<h:ExceptionInfo i:nil="true" xmlns:h="`+soap.NS+`" xmlns:i="`+soap.NSInstance+`"/>`, "null headers are written, as WCF does")
	assert.Contains(t, string(b), `>true</h:Succeeded>`)
}

func soapHeaders(op soap.Operation) http.Header {
	return http.Header{"Content-Type": {"text/xml; charset=utf-8"}, "Soapaction": {`"` + op.Action() + `"`}}
}

// built returns the envelope socred builds for a valid request of op.
func built(t *testing.T, op soap.Operation, v soap.Version) []byte {
	t.Helper()
	env, err := soap.Build(soap.Request{
		Operation: op, Ticket: "7T:abc", AssociateID: 1, Type: "imap", Credentials: creds("p", "s"),
		PublicValue: "p", UserName: "u", Password: "p", Version: v,
	})
	require.NoError(t, err)
	return env.XML
}

func TestWCFRejections(t *testing.T) {
	s := demoServer(t)
	save := built(t, soap.SaveForAssociate, soap.SOAP11)
	ct := "text/xml; charset=utf-8"
	action := `"` + soap.SaveForAssociate.Action() + `"`
	swap := func(a, b string) []byte {
		x := strings.Replace(string(save), a, "\x00", 1)
		x = strings.Replace(x, b, a, 1)
		return []byte(strings.Replace(x, "\x00", b, 1))
	}
	insertHeader := func(h string) []byte {
		return bytes.Replace(save, []byte("<soap:Header>"), []byte("<soap:Header>"+h), 1)
	}
	const wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	for _, tc := range []struct {
		name        string
		contentType string
		soapAction  []string // nil: no header
		body        []byte
		status      int
		code        string // "{space}local" of the fault code; "" for no fault
		text        string // in the fault string (or body for non-SOAP answers)
	}{
		{"missing SOAPAction", ct, nil, save, 500, "{" + NSAddressingNone + "}ActionNotSupported", "The message with Action '' cannot be processed at the receiver, due to a ContractFilter mismatch at the EndpointDispatcher"},
		{"empty SOAPAction", ct, []string{`""`}, save, 500, "{" + NSAddressingNone + "}ActionNotSupported", "ContractFilter mismatch"},
		{"wrongly cased SOAPAction", ct, []string{strings.ToLower(action)}, save, 500, "{" + NSAddressingNone + "}ActionNotSupported", "ContractFilter mismatch"},
		{"SoPrincipal's action on User.svc", ct, []string{soap.AuthenticateUsernamePassword.Action()}, save, 500, "{" + NSAddressingNone + "}ActionNotSupported", soap.AuthenticateUsernamePassword.Action()},
		{"another operation's SOAPAction", ct, []string{soap.GetForAssociate.Action()}, save, 500, "{" + NSDispatcher + "}DeserializationFailed", "The formatter threw an exception while trying to deserialize the message"},
		{"SOAP 1.2 Content-Type", "application/soap+xml; charset=utf-8; action=" + action, nil, built(t, soap.SaveForAssociate, soap.SOAP12), 415, "", "was not the expected type 'text/xml; charset=utf-8'"},
		{"other Content-Type", "application/xml", []string{action}, save, 415, "", "application/xml"},
		{"other charset", "text/xml; charset=iso-8859-1", []string{action}, save, 415, "", "iso-8859-1"},
		{"malformed XML", ct, []string{action}, save[:len(save)/2], 400, "{" + soap.NSEnvelope11 + "}Client", "not a readable SOAP envelope"},
		{"a DTD", ct, []string{action}, append([]byte(`<!DOCTYPE x [<!ENTITY a "b">]>`), save[bytes.IndexByte(save, '\n')+1:]...), 400, "{" + soap.NSEnvelope11 + "}Client", "document type"},
		{"SOAP 1.2 envelope as text/xml", ct, []string{action}, built(t, soap.SaveForAssociate, soap.SOAP12), 400, "{" + soap.NSEnvelope11 + "}Client", "The envelope version of the incoming message (Soap12 (http://www.w3.org/2003/05/soap-envelope)) does not match that of the encoder (Soap11 (http://schemas.xmlsoap.org/soap/envelope/))"},
		{"headers outside Header", ct, []string{action}, bytes.Replace(save, []byte("<soap:Header>"), []byte("<ns:ApplicationToken>t</ns:ApplicationToken><soap:Header>"), 1), 400, "{" + soap.NSEnvelope11 + "}Client", "'ApplicationToken'"},
		{"wsse:Security mustUnderstand=1", ct, []string{action}, insertHeader(`<wsse:Security xmlns:wsse="` + wsse + `" soap:mustUnderstand="1"/>`), 500, "{" + soap.NSEnvelope11 + "}MustUnderstand", "The header 'Security' from the namespace '" + wsse + "' was not understood by the recipient of this message"},
		{"out of order: Comment before ValidTo", ct, []string{action}, swap("<ns:ValidTo>", "<ns:Comment>"), 500, "", ""}, // filled below
		{"body child in another namespace", ct, []string{action}, bytes.Replace(save, []byte("<ns:Type>imap</ns:Type>"), []byte(`<Type>imap</Type>`), 1), 500, "{" + soap.NSEnvelope11 + "}Client", "'Type'"},
		{"unknown body child", ct, []string{action}, bytes.Replace(save, []byte("<ns:Type>"), []byte("<ns:Kind>x</ns:Kind><ns:Type>"), 1), 500, "{" + soap.NSEnvelope11 + "}Client", "'Kind'"},
		{"a space in a date", ct, []string{action}, bytes.Replace(save, []byte("2025-01-02T03:04:05Z"), []byte("2025-01-02 03:04:05Z"), 1), 500, "{" + soap.NSEnvelope11 + "}Client", "'ValidFrom'"},
	} {
		if tc.name == "out of order: Comment before ValidTo" {
			// swap exchanged only the start tags; build the real reordering.
			x := string(save)
			vt := x[strings.Index(x, "<ns:ValidTo>") : strings.Index(x, "</ns:ValidTo>")+len("</ns:ValidTo>")]
			cm := x[strings.Index(x, "<ns:Comment>") : strings.Index(x, "</ns:Comment>")+len("</ns:Comment>")]
			x = strings.Replace(x, vt, "\x00", 1)
			x = strings.Replace(x, cm, vt, 1)
			tc.body = []byte(strings.Replace(x, "\x00", cm, 1))
			tc.code, tc.text = "{"+soap.NSEnvelope11+"}Client", "element 'ValidTo' is out of order"
		}
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{"Content-Type": {tc.contentType}}
			if tc.soapAction != nil {
				h["Soapaction"] = tc.soapAction
			}
			resp := post(t, s.SiteURL, soap.SaveForAssociate, h, tc.body)
			b, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)
			if tc.code == "" {
				assert.Contains(t, string(b), tc.text)
				return
			}
			_, err = soap.Classify(soap.SaveForAssociate, resp.StatusCode, resp.Header.Get("Content-Type"), b)
			var f *soap.Fault
			require.ErrorAs(t, err, &f, "body: %s", b)
			assert.Equal(t, tc.code, "{"+f.Code.Space+"}"+f.Code.Local)
			assert.Contains(t, f.String, tc.text)
			assert.Equal(t, tc.status, f.Status)
		})
	}
	assert.Empty(t, s.NetServer.Credentials(1, "imap"), "nothing was saved by a rejected request")

	t.Run("the rejected out-of-order request names the element in detail", func(t *testing.T) {
		x := string(save)
		x = strings.Replace(x, "<ns:PublicValue>p</ns:PublicValue>", "", 1)
		x = strings.Replace(x, "<ns:ValidFrom>", "<ns:PublicValue>p</ns:PublicValue><ns:ValidFrom>", 1)
		resp := post(t, s.SiteURL, soap.SaveForAssociate, soapHeaders(soap.SaveForAssociate), []byte(x))
		b, _ := io.ReadAll(resp.Body)
		_, err := soap.Classify(soap.SaveForAssociate, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		var f *soap.Fault
		require.ErrorAs(t, err, &f)
		assert.Contains(t, f.Detail, "ValidFrom")
	})
}

func TestAcceptedVariants(t *testing.T) {
	s := demoServer(t)
	ticket := login(t, s.SiteURL, DemoUser, testPassword)
	for _, tc := range []struct {
		name   string
		header http.Header
		req    soap.Request
	}{
		{"unquoted SOAPAction", http.Header{"Content-Type": {"text/xml"}, "Soapaction": {soap.Get.Action()}}, soap.Request{Operation: soap.Get, Ticket: ticket, Type: "imap"}},
		{"xsi:type everywhere", soapHeaders(soap.SaveForAssociate), soap.Request{Operation: soap.SaveForAssociate, Ticket: ticket, AssociateID: 3, Type: "imap", Credentials: creds("a", "b"), XSIType: true}},
		{"wsse:Security mustUnderstand=0", soapHeaders(soap.Get), soap.Request{Operation: soap.Get, Ticket: ticket, Type: "imap"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, err := soap.Build(tc.req)
			require.NoError(t, err)
			body := env.XML
			if strings.Contains(tc.name, "wsse") {
				body = bytes.Replace(body, []byte("<soap:Header>"), []byte(`<soap:Header><wsse:Security xmlns:wsse="urn:x" soap:mustUnderstand="0"/>`), 1)
			}
			resp := post(t, s.SiteURL, tc.req.Operation, tc.header, body)
			b, _ := io.ReadAll(resp.Body)
			_, err = soap.Classify(tc.req.Operation, resp.StatusCode, resp.Header.Get("Content-Type"), b)
			require.NoError(t, err)
		})
	}
}

func TestSOAP12Option(t *testing.T) {
	cfg := Demo("", testPassword)
	cfg.SOAP12 = true
	s := newTestServer(t, cfg)
	resp, err := call(t, s.SiteURL, soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: DemoUser, Password: testPassword, Version: soap.SOAP12})
	require.NoError(t, err)
	assert.Equal(t, soap.SOAP12, resp.Version)
	ticket := resp.Authentication.Ticket
	resp, err = call(t, s.SiteURL, soap.Request{Operation: soap.CreateDefault, Ticket: ticket, Version: soap.SOAP12})
	require.NoError(t, err)
	assert.True(t, resp.Default.IsActive)

	t.Run("a 1.2 fault for a missing action", func(t *testing.T) {
		r := post(t, s.SiteURL, soap.CreateDefault, http.Header{"Content-Type": {"application/soap+xml; charset=utf-8"}}, built(t, soap.CreateDefault, soap.SOAP12))
		b, _ := io.ReadAll(r.Body)
		_, err := soap.Classify(soap.CreateDefault, r.StatusCode, r.Header.Get("Content-Type"), b)
		var f *soap.Fault
		require.ErrorAs(t, err, &f)
		assert.Equal(t, soap.SOAP12, f.Version)
		assert.Equal(t, "Sender", f.Code.Local)
		require.Len(t, f.Subcodes, 1)
		assert.Equal(t, "ActionNotSupported", f.Subcodes[0].Local)
		assert.Equal(t, NSAddressingNone, f.Subcodes[0].Space)
	})
	t.Run("1.1 still works", func(t *testing.T) {
		_, err := call(t, s.SiteURL, soap.Request{Operation: soap.CreateDefault, Ticket: ticket})
		require.NoError(t, err)
	})
}

func TestMethodsAndPaths(t *testing.T) {
	s := demoServer(t)
	do := func(method, url string, h http.Header) *http.Response {
		req, err := http.NewRequest(method, url, nil)
		require.NoError(t, err)
		req.Header = h
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	user := s.SiteURL + "/Remote/Services88/User.svc"
	assert.Equal(t, http.StatusMethodNotAllowed, do(http.MethodGet, user, nil).StatusCode)
	assert.Equal(t, http.StatusNotFound, do(http.MethodPost, s.SiteURL+"/Remote/Services88/Contact.svc", nil).StatusCode)
	assert.Equal(t, http.StatusNotFound, do(http.MethodGet, s.URL+"/", nil).StatusCode)
	resp := do(http.MethodOptions, user, http.Header{"Origin": {"http://127.0.0.1:1"}, "Access-Control-Request-Method": {"POST"}})
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode, "a preflight without CORS, as WCF answers it")
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, resp.Header.Get("Vary"))

	t.Run("paths compare without case, as IIS does", func(t *testing.T) {
		env := built(t, soap.AuthenticateUsernamePassword, soap.SOAP11)
		resp := post(t, s.URL+strings.ToLower(sitePath)+"/remote/services88/soprincipal.svc#", soap.Operation("x"), soapHeaders(soap.AuthenticateUsernamePassword), env)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, "below its mount only")
		req, _ := http.NewRequest(http.MethodPost, s.SiteURL+"/REMOTE/services88/SOPrincipal.svc", bytes.NewReader(env))
		req.Header = soapHeaders(soap.AuthenticateUsernamePassword)
		r2, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		r2.Body.Close()
		assert.Equal(t, http.StatusOK, r2.StatusCode)
	})
}

func TestCORS(t *testing.T) {
	cfg := Demo("", testPassword)
	cfg.CORSOrigins = []string{"https://portal.example.com"}
	s := newTestServer(t, cfg)
	user := s.SiteURL + "/Remote/Services88/User.svc"
	preflight := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, user, nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type,soapaction")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	resp := preflight("https://portal.example.com")
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Equal(t, "https://portal.example.com", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "POST", resp.Header.Get("Access-Control-Allow-Methods"))
	assert.Equal(t, "Content-Type, SOAPAction", resp.Header.Get("Access-Control-Allow-Headers"))
	assert.Equal(t, "Origin", resp.Header.Get("Vary"))

	for _, other := range []string{"https://evil.example.com", "https://portal.example.com.evil.net", "null", "http://portal.example.com"} {
		resp := preflight(other)
		assert.Equal(t, http.StatusInternalServerError, resp.StatusCode, other)
		assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"), other)
	}

	h := soapHeaders(soap.AuthenticateUsernamePassword)
	h.Set("Origin", "https://portal.example.com")
	r := post(t, s.SiteURL, soap.AuthenticateUsernamePassword, h, built(t, soap.AuthenticateUsernamePassword, soap.SOAP11))
	assert.Equal(t, "https://portal.example.com", r.Header.Get("Access-Control-Allow-Origin"), "the actual POST is allowed too")

	_, err := New(Config{CORSOrigins: []string{"*"}})
	assert.Error(t, err, "no wildcard")
}

func TestBodyLimits(t *testing.T) {
	s := demoServer(t)
	t.Run("413 for a declared oversized body", func(t *testing.T) {
		big := bytes.Repeat([]byte("a"), soap.MaxBody+1)
		resp := post(t, s.SiteURL, soap.Get, soapHeaders(soap.Get), big)
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	})
	t.Run("413 for a chunked oversized body", func(t *testing.T) {
		ns, err := New(Demo("", testPassword))
		require.NoError(t, err)
		req := httptest.NewRequest(http.MethodPost, "/x/Remote/Services88/User.svc", io.MultiReader(bytes.NewReader(make([]byte, soap.MaxBody)), strings.NewReader("more")))
		req.ContentLength = -1
		req.Header = soapHeaders(soap.Get)
		rec := httptest.NewRecorder()
		ns.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	})
	t.Run("a smaller configured cap", func(t *testing.T) {
		cfg := Demo("", testPassword)
		cfg.MaxBody = 100
		small := newTestServer(t, cfg)
		resp := post(t, small.SiteURL, soap.Get, soapHeaders(soap.Get), built(t, soap.Get, soap.SOAP11))
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	})
}

// stalledReader yields part of a body and then fails as a read deadline would.
type stalledReader struct{ part io.Reader }

func (r *stalledReader) Read(p []byte) (int, error) {
	if n, err := r.part.Read(p); err != io.EOF {
		return n, err
	}
	return 0, errors.New("i/o timeout")
}

func TestStalledBody(t *testing.T) {
	ns, err := New(Demo("", testPassword))
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, "/x/Remote/Services88/User.svc", &stalledReader{strings.NewReader("<soap:Env")})
	req.Header = soapHeaders(soap.Get)
	rec := httptest.NewRecorder()
	ns.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusRequestTimeout, rec.Code)
	assert.Equal(t, "close", rec.Header().Get("Connection"))
}
