//go:build !js && !wasip1

// Interop tests: socred's envelopes checked by independent implementations,
// python3-zeep reading NetServer's own WSDL and xmllint reading the schema
// derived from it (interop_schema_test.go). They need processes, so they
// do not build for the browser.

package soap_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
	"socred/soap"
)

// interopCase is one request of the interop table.
type interopCase struct {
	name string
	req  soap.Request
}

// interopRequests is the table of requests both checkers see: every
// operation, both SOAP versions, with and without xsi:type and the optional
// headers, and values chosen to break a careless serialiser: Unicode
// (astral and right-to-left), the characters XML escapes, CR/LF/tab, empty
// and maximal strings, boundary dates and integers.
func interopRequests() []interopCase {
	utc := func(y int, m time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, m, d, h, mi, s, ns, time.UTC)
	}
	creds := soap.UntrustedCredentials{
		ValidFrom: utc(2024, 3, 1, 8, 30, 0, 0), ValidTo: utc(2025, 3, 1, 8, 30, 0, 0),
		Comment: "Mailbox for invoices", SecretValue: "s3cr3t", PublicValue: "imap.example.com;invoices", IsActive: true,
	}
	with := func(f func(*soap.UntrustedCredentials)) soap.UntrustedCredentials {
		c := creds
		f(&c)
		return c
	}
	const (
		token  = "1234567-1234-9876"
		ticket = "7T:1234abcxyzExample=="
		escape = `< & > " ' ]]> &amp; &#x41; <!-- x --> <![CDATA[y]]>`
		rtl    = "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u202eevil.exe\u202c \u200f"
		astral = "\U0001F600\U0001F389\U0001D11E\U00020000"
		spaces = "  line one\r\nline two\rline three\n\ttabbed  "
	)
	// Maximal strings, in UTF-16 code units as NetServer counts them.
	maxComment := strings.Repeat("\U0001F600", 127) + "é"     // 254 + 1 = 255
	maxSecret := strings.Repeat("<&", 35)                     // 70, every one escaped
	maxPublic := strings.Repeat("\u05d0\U0001D11E", 79) + "a" // 79*3 + 1 = 238
	save := func(id int64, c soap.UntrustedCredentials) soap.Request {
		return soap.Request{Operation: soap.SaveForAssociate, ApplicationToken: token, Ticket: ticket, AssociateID: id, Type: "imap", Credentials: c}
	}
	cases := []interopCase{
		{"save plain", save(12, creds)},
		{"save unicode", save(12, with(func(c *soap.UntrustedCredentials) {
			c.Comment = "Grüße, 日本語, " + astral
			c.SecretValue = "пароль" + astral
			c.PublicValue = "user@пример.рф;" + rtl
		}))},
		{"save escapes", soap.Request{Operation: soap.SaveForAssociate, ApplicationToken: escape, Ticket: "7T:" + escape,
			AssociateID: 1, Type: escape, Credentials: with(func(c *soap.UntrustedCredentials) {
				c.Comment, c.SecretValue, c.PublicValue = escape, `"'<>&`, "]]>"
			})}},
		{"save white space", save(1, with(func(c *soap.UntrustedCredentials) {
			c.Comment, c.SecretValue, c.PublicValue = spaces, "\t", "\r\n"
		}))},
		{"save empty strings", save(1, with(func(c *soap.UntrustedCredentials) {
			c.Comment, c.SecretValue, c.PublicValue = "", "", ""
		}))},
		{"save maximal strings", save(1, with(func(c *soap.UntrustedCredentials) {
			c.Comment, c.SecretValue, c.PublicValue = maxComment, maxSecret, maxPublic
		}))},
		// 0001-01-01T00:00:00Z is Go's zero time, which Validate reads as
		// "not set"; the earliest date socred can send is one second later.
		{"save earliest and latest dates", save(0, with(func(c *soap.UntrustedCredentials) {
			c.ValidFrom, c.ValidTo = utc(1, 1, 1, 0, 0, 1, 0), utc(9999, 12, 31, 23, 59, 59, 0)
		}))},
		{"save fractional seconds", save(2147483647, with(func(c *soap.UntrustedCredentials) {
			c.ValidFrom, c.ValidTo = utc(2024, 2, 29, 12, 34, 56, 500_000_000), utc(9999, 12, 31, 23, 59, 59, 999_999_000)
		}))},
		{"save equal dates in another zone", save(7, with(func(c *soap.UntrustedCredentials) {
			oslo := time.FixedZone("CET", 3600)
			c.ValidFrom = time.Date(2024, 1, 1, 0, 0, 0, 123_456_000, oslo)
			c.ValidTo = c.ValidFrom
		}))},
		{"save inactive without application token", soap.Request{Operation: soap.SaveForAssociate, Ticket: ticket, AssociateID: 3, Type: "smtp",
			Credentials: with(func(c *soap.UntrustedCredentials) { c.IsActive = false })}},
		{"save with time zone", soap.Request{Operation: soap.SaveForAssociate, Ticket: ticket, AssociateID: 3, Type: "smtp", Credentials: creds,
			TimeZone: &soap.TimeZone{ID: -2147483648, LocationCode: "NO " + escape}}},
		{"save soap12", func() soap.Request { r := save(2147483647, creds); r.Version = soap.SOAP12; return r }()},
		{"save soap12 unicode time zone", soap.Request{Operation: soap.SaveForAssociate, ApplicationToken: rtl, Ticket: ticket, AssociateID: 0, Type: astral,
			Credentials: creds, TimeZone: &soap.TimeZone{ID: 2147483647, LocationCode: rtl}, Version: soap.SOAP12}},
		{"save xsi:type", func() soap.Request { r := save(12, creds); r.XSIType = true; return r }()},
		{"save soap12 xsi:type", func() soap.Request { r := save(12, creds); r.XSIType, r.Version = true, soap.SOAP12; return r }()},
		{"get for associate", soap.Request{Operation: soap.GetForAssociate, ApplicationToken: token, Ticket: ticket, AssociateID: 0, Type: "imap"}},
		{"get for associate max id soap12", soap.Request{Operation: soap.GetForAssociate, Ticket: ticket, AssociateID: 2147483647, Type: spaces, Version: soap.SOAP12}},
		{"get for associate xsi:type", soap.Request{Operation: soap.GetForAssociate, Ticket: ticket, AssociateID: 5, Type: "imap", XSIType: true}},
		{"remove for associate", soap.Request{Operation: soap.RemoveForAssociate, ApplicationToken: token, Ticket: ticket, AssociateID: 12, Type: "imap", PublicValue: maxPublic}},
		{"remove for associate empty key", soap.Request{Operation: soap.RemoveForAssociate, Ticket: ticket, AssociateID: 12, Type: "imap", PublicValue: "",
			TimeZone: &soap.TimeZone{ID: 0, LocationCode: ""}}},
		{"remove for associate xsi:type soap12", soap.Request{Operation: soap.RemoveForAssociate, Ticket: ticket, AssociateID: 12, Type: "imap", PublicValue: escape, XSIType: true, Version: soap.SOAP12}},
		{"create default", soap.Request{Operation: soap.CreateDefault, ApplicationToken: token, Ticket: ticket}},
		{"create default soap12 time zone", soap.Request{Operation: soap.CreateDefault, Ticket: ticket, TimeZone: &soap.TimeZone{ID: 107, LocationCode: "NO"}, Version: soap.SOAP12}},
		{"create default xsi:type", soap.Request{Operation: soap.CreateDefault, Ticket: ticket, XSIType: true}},
		{"save current user", soap.Request{Operation: soap.Save, Ticket: ticket, Type: "smtp", Credentials: with(func(c *soap.UntrustedCredentials) { c.Comment = escape + astral })}},
		{"save current user xsi:type", soap.Request{Operation: soap.Save, Ticket: ticket, Type: "smtp", Credentials: creds, XSIType: true}},
		{"get current user", soap.Request{Operation: soap.Get, ApplicationToken: token, Ticket: ticket, Type: rtl}},
		{"get current user soap12 xsi:type", soap.Request{Operation: soap.Get, Ticket: ticket, Type: "imap", XSIType: true, Version: soap.SOAP12}},
		{"remove current user", soap.Request{Operation: soap.Remove, Ticket: ticket, Type: "smtp", PublicValue: spaces}},
		{"remove current user xsi:type", soap.Request{Operation: soap.Remove, Ticket: ticket, Type: "smtp", PublicValue: "x", XSIType: true}},
		{"authenticate", soap.Request{Operation: soap.AuthenticateUsernamePassword, ApplicationToken: token, UserName: "admin", Password: escape}},
		{"authenticate unicode empty password", soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: rtl + astral, Password: ""}},
		{"authenticate soap12 white space", soap.Request{Operation: soap.AuthenticateUsernamePassword, ApplicationToken: spaces, UserName: "a\tb", Password: spaces, Version: soap.SOAP12}},
		{"authenticate xsi:type", soap.Request{Operation: soap.AuthenticateUsernamePassword, UserName: "admin", Password: "x", XSIType: true}},
		{"authenticate soap12 xsi:type", soap.Request{Operation: soap.AuthenticateUsernamePassword, ApplicationToken: token, UserName: "admin", Password: "x", XSIType: true, Version: soap.SOAP12}},
		{"get user", soap.Request{Operation: soap.GetUser, ApplicationToken: token, Ticket: ticket, AssociateID: 12}},
		{"get user id 0 with time zone", soap.Request{Operation: soap.GetUser, Ticket: ticket, AssociateID: 0, TimeZone: &soap.TimeZone{ID: 107, LocationCode: "NO"}}},
		{"get user max id soap12", soap.Request{Operation: soap.GetUser, Ticket: ticket, AssociateID: 2147483647, Version: soap.SOAP12}},
		{"get user xsi:type", soap.Request{Operation: soap.GetUser, Ticket: ticket, AssociateID: 6, XSIType: true}},
		{"get user soap12 xsi:type", soap.Request{Operation: soap.GetUser, ApplicationToken: token, Ticket: ticket, AssociateID: 6, XSIType: true, Version: soap.SOAP12}},
		{"get user from name norwegian", soap.Request{Operation: soap.GetUserFromName, ApplicationToken: token, Ticket: ticket, UserName: "bjørn.ås"}},
		{"get user from name swedish soap12", soap.Request{Operation: soap.GetUserFromName, Ticket: ticket, UserName: "Åsa.Bäckström", Version: soap.SOAP12}},
		{"get user from name escapes", soap.Request{Operation: soap.GetUserFromName, Ticket: ticket, UserName: escape}},
		{"get user from name white space, rtl and astral", soap.Request{Operation: soap.GetUserFromName, Ticket: ticket, UserName: spaces + rtl + astral}},
		{"get user from name xsi:type", soap.Request{Operation: soap.GetUserFromName, Ticket: ticket, UserName: "ola.nordmann", XSIType: true}},
		{"get user from name soap12 xsi:type", soap.Request{Operation: soap.GetUserFromName, Ticket: ticket, UserName: "kari.nordmann", XSIType: true, Version: soap.SOAP12}},
	}
	return cases
}

// TestInteropTableCoversEveryOperation keeps the table honest: every
// operation in both SOAP versions, with and without xsi:type, and the
// maximal strings really at the limits.
func TestInteropTableCoversEveryOperation(t *testing.T) {
	type key struct {
		op  soap.Operation
		v   soap.Version
		xsi bool
	}
	seen := map[key]bool{}
	maxima := map[string]bool{}
	for _, c := range interopRequests() {
		seen[key{c.req.Operation, c.req.Version, c.req.XSIType}] = true
		cr := c.req.Credentials
		maxima["Comment"] = maxima["Comment"] || soap.Len(cr.Comment) == soap.MaxComment
		maxima["SecretValue"] = maxima["SecretValue"] || soap.Len(cr.SecretValue) == soap.MaxSecretValue
		maxima["PublicValue"] = maxima["PublicValue"] || soap.Len(cr.PublicValue) == soap.MaxPublicValue
	}
	for _, op := range soap.Operations {
		assert.True(t, seen[key{op, soap.SOAP11, false}] || seen[key{op, soap.SOAP12, false}], "%s without xsi:type", op)
		assert.True(t, seen[key{op, soap.SOAP11, true}] || seen[key{op, soap.SOAP12, true}], "%s with xsi:type", op)
	}
	for _, v := range []soap.Version{soap.SOAP11, soap.SOAP12} {
		n := 0
		for k := range seen {
			if k.v == v {
				n++
			}
		}
		assert.Positive(t, n, "no case in SOAP %s", v)
	}
	assert.Equal(t, map[string]bool{"Comment": true, "SecretValue": true, "PublicValue": true}, maxima, "maximal strings")
}

// buildAll builds every case of the table; a refusal is a test failure.
func buildAll(t *testing.T, cases []interopCase) map[string]*soap.Envelope {
	t.Helper()
	out := make(map[string]*soap.Envelope, len(cases))
	for _, c := range cases {
		env, err := soap.Build(c.req)
		require.NoError(t, err, "soap.Build(%s)", c.name)
		out[c.name] = env
	}
	return out
}

// ---- zeep ----------------------------------------------------------------

// zeepCase is one line of zeep_envelope.py's input.
type zeepCase struct {
	ID        string         `json:"id"`
	Kind      string         `json:"kind"` // "request" or "response"
	Service   string         `json:"service"`
	SOAP      string         `json:"soap"`
	Operation string         `json:"operation"`
	Headers   map[string]any `json:"headers,omitempty"`
	Body      map[string]any `json:"body,omitempty"`
}

// zeepResult is one line of its output.
type zeepResult struct {
	ID          string            `json:"id"`
	XML         string            `json:"xml"`
	HTTPHeaders map[string]string `json:"http_headers"`
	Error       string            `json:"error"`
}

// runZeep runs zeep_envelope.py once for the whole table and returns its
// results by case id.
func runZeep(t *testing.T, cases []zeepCase) map[string]zeepResult {
	t.Helper()
	python := testenv.PythonWith(t, "zeep")
	ref := testenv.ReferenceDir(t)
	testenv.ReferenceFile(t, "Services88-User.WcfUser-8.8.wsdl")
	testenv.ReferenceFile(t, "Services88-SoPrincipal.WcfSoPrincipal-8.8.wsdl")
	in, err := json.Marshal(map[string]any{"cases": cases})
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, filepath.Join("testdata", "interop", "zeep_envelope.py"), ref)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	require.NoError(t, cmd.Run(), "zeep_envelope.py: %s", stderr.String())
	t.Logf("zeep built %d envelopes in %v", len(cases), time.Since(start).Round(time.Millisecond))

	var out struct {
		Results []zeepResult `json:"results"`
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &out))
	require.Len(t, out.Results, len(cases))
	byID := make(map[string]zeepResult, len(cases))
	for _, r := range out.Results {
		byID[r.ID] = r
	}
	return byID
}

// zeepDate is the JSON form of a date for zeep_envelope.py: UTC parts with
// microseconds, which is what Python's datetime holds.
func zeepDate(tm time.Time) map[string]any {
	tm = tm.UTC()
	return map[string]any{"$dateTime": []int{tm.Year(), int(tm.Month()), tm.Day(), tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond() / 1000}}
}

func zeepCredentials(c soap.UntrustedCredentials) map[string]any {
	return map[string]any{
		"ValidFrom": zeepDate(c.ValidFrom), "ValidTo": zeepDate(c.ValidTo),
		"Comment": c.Comment, "SecretValue": c.SecretValue, "PublicValue": c.PublicValue,
		"IsActive": c.IsActive,
	}
}

func soapVersion(v soap.Version) string { return v.String() }

// zeepRequest says to zeep what r says to soap.Build, in the WSDL's terms:
// which message parts each operation has is written out here from the WSDL,
// not taken from socred.
func zeepRequest(id string, r soap.Request) zeepCase {
	zc := zeepCase{ID: id, Kind: "request", Service: "User", SOAP: soapVersion(r.Version), Operation: string(r.Operation),
		Headers: map[string]any{}, Body: map[string]any{}}
	if r.ApplicationToken != "" {
		zc.Headers["ApplicationToken"] = r.ApplicationToken
	}
	if r.Operation == soap.AuthenticateUsernamePassword {
		zc.Service = "SoPrincipal"
		zc.Body["UserName"] = r.UserName
		zc.Body["Password"] = r.Password
		return zc
	}
	zc.Headers["Credentials"] = map[string]any{"Ticket": r.Ticket}
	if r.TimeZone != nil {
		zc.Headers["TimeZone"] = map[string]any{"SoTimeZoneId": r.TimeZone.ID, "SoTimeZoneLocationCode": r.TimeZone.LocationCode}
	}
	switch r.Operation {
	case soap.SaveForAssociate, soap.GetForAssociate, soap.RemoveForAssociate:
		zc.Body["AssociateId"] = r.AssociateID
	case soap.GetUser:
		zc.Body["UserId"] = r.AssociateID
	case soap.GetUserFromName:
		zc.Body["UserName"] = r.UserName
	}
	switch r.Operation {
	case soap.CreateDefault, soap.GetUser, soap.GetUserFromName:
	default:
		zc.Body["Type"] = r.Type
	}
	switch r.Operation {
	case soap.SaveForAssociate, soap.Save:
		zc.Body["Credentials"] = zeepCredentials(r.Credentials)
	case soap.RemoveForAssociate, soap.Remove:
		zc.Body["PublicValue"] = r.PublicValue
	}
	return zc
}

// TestInteropZeepRequests builds each request of the table (without
// xsi:type, which zeep does not write) with socred and with zeep from the
// real WSDL, and compares the two envelopes after canonicalisation, and the
// HTTP headers zeep would send with socred's.
func TestInteropZeepRequests(t *testing.T) {
	var cases []interopCase
	for _, c := range interopRequests() {
		if !c.req.XSIType {
			cases = append(cases, c)
		}
	}
	ours := buildAll(t, cases)
	zcs := make([]zeepCase, len(cases))
	for i, c := range cases {
		zcs[i] = zeepRequest(c.name, c.req)
	}
	theirs := runZeep(t, zcs)

	allowed := 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			z := theirs[c.name]
			require.Empty(t, z.Error, "zeep could not build the envelope")
			env := ours[c.name]
			diffs, ok := compareEnvelopes(t, env.XML, []byte(z.XML))
			allowed += ok
			if len(diffs) > 0 {
				t.Errorf("socred and zeep differ:\n  %s\nsocred:\n%s\nzeep:\n%s", strings.Join(diffs, "\n  "), env.XML, z.XML)
			}
			assert.Equal(t, z.HTTPHeaders["Content-Type"], env.ContentType, "Content-Type")
			if c.req.Version == soap.SOAP11 {
				assert.Equal(t, z.HTTPHeaders["SOAPAction"], env.SOAPAction, "SOAPAction")
			}
		})
	}
	t.Logf("%d dateTime values differ only in zeep's notation (+00:00 for Z, padded fractions), same instant", allowed)
}

// TestInteropZeepComparisonCanFail proves the comparison is not vacuous: a
// changed value, a changed order, a renamed element, a moved namespace or a
// changed date each make socred's envelope differ from zeep's.
func TestInteropZeepComparisonCanFail(t *testing.T) {
	base := soap.Request{Operation: soap.SaveForAssociate, ApplicationToken: "tok", Ticket: "7T:t", AssociateID: 5, Type: "imap",
		Credentials: soap.UntrustedCredentials{
			ValidFrom: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), ValidTo: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC),
			Comment: "c", SecretValue: "s", PublicValue: "p", IsActive: true,
		}}
	z := runZeep(t, []zeepCase{zeepRequest("base", base)})["base"]
	require.Empty(t, z.Error)
	env, err := soap.Build(base)
	require.NoError(t, err)
	diffs, _ := compareEnvelopes(t, env.XML, []byte(z.XML))
	require.Empty(t, diffs, "the unchanged request must match, or the cases below prove nothing")

	changed := func(f func(*soap.Request)) []byte {
		r := base
		f(&r)
		e, err := soap.Build(r)
		require.NoError(t, err)
		return e.XML
	}
	mutations := map[string][]byte{
		"value":     changed(func(r *soap.Request) { r.Credentials.Comment = "c2" }),
		"int":       changed(func(r *soap.Request) { r.AssociateID = 6 }),
		"bool":      changed(func(r *soap.Request) { r.Credentials.IsActive = false }),
		"date":      changed(func(r *soap.Request) { r.Credentials.ValidTo = r.Credentials.ValidTo.Add(time.Second) }),
		"header":    changed(func(r *soap.Request) { r.Ticket = "7T:u" }),
		"no header": changed(func(r *soap.Request) { r.ApplicationToken = "" }),
		"extra":     changed(func(r *soap.Request) { r.TimeZone = &soap.TimeZone{} }),
		"white space": changed(func(r *soap.Request) {
			r.Credentials.Comment = " c"
		}),
		// Type moved before AssociateId: same elements, wrong order.
		"order":   regexp.MustCompile(`(<ns:AssociateId>5</ns:AssociateId>)(\s*)(<ns:Type>imap</ns:Type>)`).ReplaceAll(env.XML, []byte("$3$2$1")),
		"renamed": bytes.ReplaceAll(env.XML, []byte("ns:Comment>"), []byte("ns:Remark>")),
		"namespace": bytes.Replace(env.XML, []byte(`<ns:IsActive>true</ns:IsActive>`),
			[]byte(`<IsActive xmlns="urn:other">true</IsActive>`), 1),
		"version": bytes.Replace(env.XML, []byte(soap.NSEnvelope11), []byte(soap.NSEnvelope12), 1),
	}
	for name, xmlBytes := range mutations {
		t.Run(name, func(t *testing.T) {
			require.NotEqual(t, env.XML, xmlBytes, "the mutation changed nothing")
			diffs, _ := compareEnvelopes(t, xmlBytes, []byte(z.XML))
			assert.NotEmpty(t, diffs, "a changed envelope compared equal to zeep's:\n%s", xmlBytes)
		})
	}
}

// ---- canonical comparison -------------------------------------------------

// xnode is an element reduced to what the receiver sees: its expanded name,
// its attributes (namespace declarations removed), its text, and its
// children in order. Prefixes and where namespaces are declared are gone.
type xnode struct {
	name     xml.Name
	attrs    []xml.Attr
	text     string
	children []*xnode
}

// parseCanonical reads a document into xnodes. Text between child elements
// that is only white space is dropped (indentation); any other text, and
// all text of leaf elements, is kept exactly.
func parseCanonical(b []byte) (*xnode, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	var stack []*xnode
	var root *xnode
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: tk.Name}
			for _, a := range tk.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue
				}
				n.attrs = append(n.attrs, a)
			}
			slices.SortFunc(n.attrs, func(a, b xml.Attr) int {
				return strings.Compare(a.Name.Space+" "+a.Name.Local, b.Name.Space+" "+b.Name.Local)
			})
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			n := stack[len(stack)-1]
			if strings.TrimSpace(n.text) == "" && (len(n.children) > 0 || elementOnly(n.name)) {
				n.text = ""
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tk)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// elementOnly reports whether the schema gives the element element-only
// content, where white space is indentation even when no child follows (an
// empty Header). Leaf values are never element-only: their white space is
// data. Nor is CreateDefaultUntrustedCredentials, whose content type is
// empty (xs:sequence with no particle): XML Schema allows it no character
// children at all, white space included.
func elementOnly(n xml.Name) bool {
	switch n.Space {
	case soap.NSEnvelope11, soap.NSEnvelope12:
		return true
	case soap.NS:
		if op, err := soap.ParseOperation(n.Local); err == nil {
			return op != soap.CreateDefault
		}
		return n.Local == "Credentials" || n.Local == "TimeZone"
	}
	return false
}

// wsAddressing are the namespaces of the WS-Addressing headers zeep adds
// because the WSDL's policy mentions addressing; socred does not send them
// and NetServer's BasicHttpBinding ignores them.
var wsAddressing = []string{
	"http://www.w3.org/2005/08/addressing",
	"http://schemas.xmlsoap.org/ws/2004/08/addressing",
}

// dateTimeElements are the xs:dateTime elements of the contract, whose text
// may differ in notation (zeep writes +00:00 where socred writes Z) as long
// as it is the same instant.
var dateTimeElements = map[string]bool{"ValidFrom": true, "ValidTo": true}

// compareEnvelopes compares two envelopes after canonicalisation and
// returns the differences, and how many dateTime values differed only in
// notation.
func compareEnvelopes(t *testing.T, ours, theirs []byte) (diffs []string, notation int) {
	t.Helper()
	a, err := parseCanonical(ours)
	require.NoError(t, err, "socred's envelope")
	b, err := parseCanonical(theirs)
	require.NoError(t, err, "zeep's envelope")
	for _, n := range []*xnode{a, b} {
		for _, c := range n.children {
			if c.name.Local == "Header" {
				c.children = slices.DeleteFunc(c.children, func(h *xnode) bool { return slices.Contains(wsAddressing, h.name.Space) })
			}
		}
	}
	var walk func(path string, x, y *xnode)
	walk = func(path string, x, y *xnode) {
		path += "/{" + x.name.Space + "}" + x.name.Local
		if x.name != y.name {
			diffs = append(diffs, fmt.Sprintf("%s: element {%s}%s where zeep has {%s}%s", path, x.name.Space, x.name.Local, y.name.Space, y.name.Local))
			return
		}
		if !slices.Equal(x.attrs, y.attrs) {
			diffs = append(diffs, fmt.Sprintf("%s: attributes %v where zeep has %v", path, x.attrs, y.attrs))
		}
		if x.text != y.text {
			if sameInstant(x, y) {
				notation++
			} else {
				diffs = append(diffs, fmt.Sprintf("%s: text %q where zeep has %q", path, x.text, y.text))
			}
		}
		for i := 0; i < max(len(x.children), len(y.children)); i++ {
			switch {
			case i >= len(x.children):
				diffs = append(diffs, fmt.Sprintf("%s: zeep has an extra child {%s}%s", path, y.children[i].name.Space, y.children[i].name.Local))
			case i >= len(y.children):
				diffs = append(diffs, fmt.Sprintf("%s: socred has an extra child {%s}%s", path, x.children[i].name.Space, x.children[i].name.Local))
			default:
				walk(path, x.children[i], y.children[i])
			}
		}
	}
	walk("", a, b)
	return diffs, notation
}

// sameInstant reports whether two dateTime elements' texts name the same
// instant (both with a zone, so no "unspecified" value slips through).
func sameInstant(x, y *xnode) bool {
	if !dateTimeElements[x.name.Local] || x.name.Space != soap.NS {
		return false
	}
	tx, err1 := time.Parse(time.RFC3339Nano, x.text)
	ty, err2 := time.Parse(time.RFC3339Nano, y.text)
	return err1 == nil && err2 == nil && tx.Equal(ty)
}
