package wssec_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"embed"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/keys/gokeys"
	testkeys "socred/keys/testdata"
	"socred/soap"
	"socred/wssec"
)

// updateSigned rewrites the golden signed envelopes: go test ./wssec -run
// TestSignGolden -update-signed.
var updateSigned = flag.Bool("update-signed", false, "rewrite wssec/testdata/signed-*.xml")

// Golden files are embedded, and the test keys are (package testkeys), so
// that the same tests run in the browser (GOOS=js), which has no file
// system.
//
//go:embed testdata/signed-*.xml
var signTestdata embed.FS

const testPassword = testkeys.Password

// signingTime is the fixed clock of the deterministic tests: the test
// certificates are valid from 2024 to 2099.
var signingTime = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func testFile(t testing.TB, name string) []byte {
	t.Helper()
	var b []byte
	var err error
	if key, ok := strings.CutPrefix(name, "keys/"); ok {
		b, err = testkeys.FS.ReadFile(key)
	} else {
		b, err = signTestdata.ReadFile("testdata/" + name)
	}
	require.NoError(t, err)
	return b
}

// testSigner loads one of the test keys: kind is "rsa" or "ec", form "pem"
// or "p12".
func testSigner(t testing.TB, kind, form string) *gokeys.Signer {
	t.Helper()
	var s *gokeys.Signer
	var err error
	if form == "p12" {
		s, err = gokeys.ParsePKCS12(testFile(t, "keys/"+kind+".p12"), testPassword, signingTime)
	} else {
		s, err = gokeys.ParsePEM(testFile(t, "keys/"+kind+".key.pem"), testFile(t, "keys/"+kind+".crt.pem"), signingTime)
	}
	require.NoError(t, err)
	return s
}

// fixedOptions gives IDs such as "TS-1" and the fixed clock.
func fixedOptions() wssec.SignOptions {
	return wssec.SignOptions{
		Now: func() time.Time { return signingTime },
		ID:  func(part string) string { return part + "-1" },
	}
}

// signRequest is a Save with every field filled, including characters that
// need escaping in text (& < > " ' and a carriage return).
func signRequest(v soap.Version, xsiType bool) soap.Request {
	return soap.Request{
		Operation:        soap.SaveForAssociate,
		ApplicationToken: "app-token",
		Ticket:           "7T:abc123",
		AssociateID:      42,
		Type:             "imap",
		Credentials: soap.UntrustedCredentials{
			ValidFrom:   time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			ValidTo:     time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
			Comment:     "line one\r\nline two <&> \"quoted\" 'single'",
			SecretValue: "s3cr&t<>",
			PublicValue: "imap.example.com:993 user@example.com",
			IsActive:    true,
		},
		Version: v,
		XSIType: xsiType,
	}
}

func signedEnvelope(t testing.TB, s wssec.Signer, v soap.Version, xsiType bool, o wssec.SignOptions) *soap.Envelope {
	t.Helper()
	env, err := soap.Build(signRequest(v, xsiType))
	require.NoError(t, err)
	signed, err := wssec.Sign(env, s, o)
	require.NoError(t, err)
	return signed
}

// goldenCases are the byte-exact signed envelopes: RSA PKCS#1 v1.5 is
// deterministic, so with fixedOptions the output never changes.
var goldenCases = []struct {
	name    string
	version soap.Version
	xsiType bool
}{
	{"signed-rsa-soap11.xml", soap.SOAP11, false},
	{"signed-rsa-soap12.xml", soap.SOAP12, false},
	{"signed-rsa-soap11-xsitype.xml", soap.SOAP11, true},
}

func TestSignGolden(t *testing.T) {
	s := testSigner(t, "rsa", "pem")
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			got := signedEnvelope(t, s, c.version, c.xsiType, fixedOptions()).XML
			if *updateSigned {
				require.NoError(t, os.WriteFile(filepath.Join("testdata", c.name), got, 0o644))
				return // the embedded copy is the old one until the next build
			}
			assert.Equal(t, string(testFile(t, c.name)), string(got))
			// Idempotence: signing the same input again gives the same bytes.
			assert.Equal(t, string(got), string(signedEnvelope(t, s, c.version, c.xsiType, fixedOptions()).XML))
		})
	}
}

// TestSignStructure checks what a gateway looks for, independently of the
// golden bytes: the header's place and attributes, the Timestamp's dates,
// the token, the references and the signature value's form.
func TestSignStructure(t *testing.T) {
	for _, kind := range []string{"rsa", "ec"} {
		for _, v := range []soap.Version{soap.SOAP11, soap.SOAP12} {
			t.Run(kind+" SOAP "+v.String(), func(t *testing.T) {
				s := testSigner(t, kind, "pem")
				o := fixedOptions()
				o.Lifetime = 90 * time.Second
				env := signedEnvelope(t, s, v, false, o)
				doc := etree.NewDocument()
				require.NoError(t, doc.ReadFromBytes(env.XML))

				header := doc.FindElement("/soap:Envelope/soap:Header")
				require.NotNil(t, header)
				sec := header.ChildElements()[0]
				require.Equal(t, "Security", sec.Tag, "Security is the first header")
				assert.Equal(t, wssec.NSWSSE, sec.NamespaceURI())
				mu := sec.SelectAttr("soap:mustUnderstand")
				require.NotNil(t, mu)
				assert.Equal(t, map[soap.Version]string{soap.SOAP11: "0", soap.SOAP12: "false"}[v], mu.Value)

				assert.Equal(t, "2026-11-28T12:00:00.000Z", sec.FindElement("wsu:Timestamp/wsu:Created").Text())
				assert.Equal(t, "2026-11-28T12:01:30.000Z", sec.FindElement("wsu:Timestamp/wsu:Expires").Text())

				bst := sec.SelectElement("wsse:BinarySecurityToken")
				require.NotNil(t, bst)
				der, err := base64.StdEncoding.DecodeString(bst.Text())
				require.NoError(t, err)
				assert.Equal(t, s.Certificate(), der)
				assert.Equal(t, wssec.ValueTypeX509v3, bst.SelectAttrValue("ValueType", ""))
				assert.Equal(t, wssec.EncodingBase64, bst.SelectAttrValue("EncodingType", ""))

				assert.Equal(t, "Body-1", doc.FindElement("/soap:Envelope/soap:Body").SelectAttrValue("wsu:Id", ""))
				assert.Equal(t, "#X509-1", sec.FindElement("ds:Signature/ds:KeyInfo/wsse:SecurityTokenReference/wsse:Reference").SelectAttrValue("URI", ""))

				ex, err := wssec.Explain(env.XML)
				require.NoError(t, err)
				assert.Equal(t, s.Algorithm(), ex.SignatureMethod)
				require.Len(t, ex.References, 2)
				assert.Equal(t, "wsu:Timestamp", ex.References[0].Element)
				assert.Equal(t, "soap:Body", ex.References[1].Element)
				envNS := map[soap.Version]string{soap.SOAP11: soap.NSEnvelope11, soap.SOAP12: soap.NSEnvelope12}[v]
				assert.Equal(t, []soap.Name{{Space: envNS, Local: "Envelope"}, {Space: envNS, Local: "Header"},
					{Space: wssec.NSWSSE, Local: "Security"}, {Space: wssec.NSWSU, Local: "Timestamp"}}, ex.References[0].Path)
				assert.Equal(t, []soap.Name{{Space: envNS, Local: "Envelope"}, {Space: envNS, Local: "Body"}}, ex.References[1].Path)
				for _, r := range ex.References {
					assert.True(t, r.Match(), "reference %s digest", r.URI)
				}
				sv, err := base64.StdEncoding.DecodeString(sec.FindElement("ds:Signature/ds:SignatureValue").Text())
				require.NoError(t, err)
				want := map[string]int{"rsa": 256, "ec": 64}[kind]
				assert.Len(t, sv, want, "RSA-2048 values are 256 bytes, ECDSA P-256 r||s 64")
			})
		}
	}
}

// TestSignCanonicalFormMatchesGoxmldsig compares socred's canonicaliser with
// goxmldsig's on every signed part of real envelopes.
func TestSignCanonicalFormMatchesGoxmldsig(t *testing.T) {
	s := testSigner(t, "rsa", "pem")
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			env := signedEnvelope(t, s, c.version, c.xsiType, fixedOptions())
			ex, err := wssec.Explain(env.XML)
			require.NoError(t, err)
			doc := etree.NewDocument()
			require.NoError(t, doc.ReadFromBytes(env.XML))
			parts := map[string]*etree.Element{
				"SignedInfo": doc.FindElement("//ds:SignedInfo"),
				"#TS-1":      doc.FindElement("//wsu:Timestamp"),
				"#Body-1":    doc.FindElement("/soap:Envelope/soap:Body"),
			}
			ours := map[string][]byte{"SignedInfo": ex.SignedInfo}
			prefixes := map[string]string{}
			for _, r := range ex.References {
				ours[r.URI] = r.Canonical
				prefixes[r.URI] = r.PrefixList
			}
			for name, el := range parts {
				require.NotNil(t, el, name)
				// As goxmldsig's own validator does: detach the element with
				// the namespaces in scope, then canonicalise.
				ctx, err := etreeutils.NSBuildParentContext(el)
				require.NoError(t, err)
				detached, err := etreeutils.NSDetatch(ctx, el)
				require.NoError(t, err)
				theirs, err := dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList(prefixes[name]).Canonicalize(detached)
				require.NoError(t, err)
				assert.Equal(t, string(theirs), string(ours[name]), name)
			}
		})
	}
}

func TestSignErrors(t *testing.T) {
	rsa := testSigner(t, "rsa", "pem")
	env, err := soap.Build(signRequest(soap.SOAP11, false))
	require.NoError(t, err)
	signed, err := wssec.Sign(env, rsa, fixedOptions())
	require.NoError(t, err)

	tests := []struct {
		name string
		env  *soap.Envelope
		s    wssec.Signer
		o    wssec.SignOptions
		want error
	}{
		{"already signed", signed, rsa, fixedOptions(), wssec.ErrAlreadySigned},
		{"negative lifetime", env, rsa, wssec.SignOptions{Lifetime: -time.Second}, wssec.ErrSignOptions},
		{"duplicate IDs", env, rsa, wssec.SignOptions{ID: func(string) string { return "same" }}, wssec.ErrSignOptions},
		{"ID not an NCName", env, rsa, wssec.SignOptions{ID: func(p string) string { return "1" + p }}, wssec.ErrSignOptions},
		{"not SOAP", &soap.Envelope{XML: []byte("<a/>")}, rsa, fixedOptions(), soap.ErrNotSOAP},
		{"not XML", &soap.Envelope{XML: []byte("<a>")}, rsa, fixedOptions(), soap.ErrNotXML},
		{"ECDSA value in DER", env, derSigner{testSigner(t, "ec", "pem")}, fixedOptions(), wssec.ErrSignatureValue},
		{"signer fails", env, failingSigner{rsa}, fixedOptions(), errSignerFailed},
		{"unknown algorithm", env, otherAlgorithm{rsa}, fixedOptions(), wssec.ErrSignOptions},
		{"canonical Body over MaxCanonical", &soap.Envelope{XML: []byte(`<soap:Envelope xmlns:soap="` + soap.NSEnvelope11 + `" xmlns:x="urn:` +
			strings.Repeat("x", soap.MaxNamespaceURI-4) + `"><soap:Body>` + strings.Repeat("<x:a/>", 5000) + `</soap:Body></soap:Envelope>`)},
			rsa, fixedOptions(), wssec.ErrCanonicalTooLarge},
		{"namespace URI over MaxNamespaceURI", &soap.Envelope{XML: []byte(`<soap:Envelope xmlns:soap="` + soap.NSEnvelope11 + `" xmlns:x="urn:` +
			strings.Repeat("x", soap.MaxNamespaceURI) + `"><soap:Body/></soap:Envelope>`)},
			rsa, fixedOptions(), soap.ErrLongNamespace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := wssec.Sign(tt.env, tt.s, tt.o)
			assert.ErrorIs(t, err, tt.want)
			assert.Nil(t, got)
		})
	}
}

func TestSignOptions(t *testing.T) {
	s := testSigner(t, "rsa", "pem")
	t.Run("mustUnderstand", func(t *testing.T) {
		o := fixedOptions()
		o.MustUnderstand = true
		assert.Contains(t, string(signedEnvelope(t, s, soap.SOAP11, false, o).XML), `soap:mustUnderstand="1"`)
		assert.Contains(t, string(signedEnvelope(t, s, soap.SOAP12, false, o).XML), `soap:mustUnderstand="true"`)
	})
	t.Run("default lifetime and random IDs", func(t *testing.T) {
		before := time.Now().UTC().Truncate(time.Millisecond)
		a := signedEnvelope(t, s, soap.SOAP11, false, wssec.SignOptions{})
		b := signedEnvelope(t, s, soap.SOAP11, false, wssec.SignOptions{})
		assert.NotEqual(t, a.XML, b.XML, "random IDs differ")
		doc := etree.NewDocument()
		require.NoError(t, doc.ReadFromBytes(a.XML))
		created, err := time.Parse(time.RFC3339, doc.FindElement("//wsu:Created").Text())
		require.NoError(t, err)
		expires, err := time.Parse(time.RFC3339, doc.FindElement("//wsu:Expires").Text())
		require.NoError(t, err)
		assert.False(t, created.Before(before))
		assert.Equal(t, wssec.DefaultLifetime, expires.Sub(created))
		assert.Regexp(t, `^Body-[0-9a-f]{32}$`, doc.FindElement("//soap:Body").SelectAttrValue("wsu:Id", ""))
	})
	t.Run("envelope unchanged", func(t *testing.T) {
		env, err := soap.Build(signRequest(soap.SOAP11, false))
		require.NoError(t, err)
		before := bytes.Clone(env.XML)
		signed, err := wssec.Sign(env, s, fixedOptions())
		require.NoError(t, err)
		assert.Equal(t, before, env.XML)
		assert.Equal(t, env.ContentType, signed.ContentType)
		assert.Equal(t, env.SOAPAction, signed.SOAPAction)
	})
}

// TestExplainFindsTampering: Explain shows which reference no longer
// matches after a change, and refuses a wrapped (duplicated) ID.
func TestExplainFindsTampering(t *testing.T) {
	env := signedEnvelope(t, testSigner(t, "rsa", "pem"), soap.SOAP11, false, fixedOptions())
	body := strings.Replace(string(env.XML), "imap.example.com", "imap.example.org", 1)
	ex, err := wssec.Explain([]byte(body))
	require.NoError(t, err)
	assert.True(t, ex.References[0].Match(), "Timestamp untouched")
	assert.False(t, ex.References[1].Match(), "Body changed")

	wrapped := strings.Replace(string(env.XML), "<soap:Header>", `<soap:Header><Wrapper xmlns:wsu="`+wssec.NSWSU+`" wsu:Id="Body-1"/>`, 1)
	ex, err = wssec.Explain([]byte(wrapped))
	require.NoError(t, err)
	assert.ErrorIs(t, ex.References[1].Err, wssec.ErrReference)

	// The classic wrapping attack: the signed Body moves into a header,
	// a forged Body without the ID takes its place. The digest still
	// matches; the Path is what gives it away.
	xmlText := string(env.XML)
	signedBody := "<soap:Body" + between(t, xmlText, "<soap:Body", "</soap:Body>") + "</soap:Body>"
	forged := strings.Replace(signedBody, "imap.example.com", "evil.example.com", 1)
	forged = strings.Replace(forged, ` wsu:Id="Body-1"`, "", 1)
	attack := strings.Replace(xmlText, signedBody, forged, 1)
	attack = strings.Replace(attack, "</soap:Header>", "<Wrapper>"+signedBody+"</Wrapper></soap:Header>", 1)
	ex, err = wssec.Explain([]byte(attack))
	require.NoError(t, err)
	assert.True(t, ex.References[1].Match(), "the moved Body still digests")
	assert.Equal(t, []string{"Envelope", "Header", "Wrapper", "Body"}, locals(ex.References[1].Path))

	_, err = wssec.Explain([]byte("<a/>"))
	assert.ErrorIs(t, err, wssec.ErrNoSignature)
}

func locals(path []soap.Name) []string {
	var l []string
	for _, n := range path {
		l = append(l, n.Local)
	}
	return l
}

func between(t *testing.T, s, start, end string) string {
	t.Helper()
	_, rest, ok := strings.Cut(s, start)
	require.True(t, ok, start)
	in, _, ok := strings.Cut(rest, end)
	require.True(t, ok, end)
	return in
}

func ExampleSign() {
	env, err := soap.Build(soap.Request{Operation: soap.CreateDefault, Ticket: "7T:abc"})
	if err != nil {
		panic(err)
	}
	signer, err := gokeys.ParsePEM(mustRead("ec.key.pem"), mustRead("ec.crt.pem"), signingTime)
	if err != nil {
		panic(err)
	}
	signed, err := wssec.Sign(env, signer, wssec.SignOptions{Now: func() time.Time { return signingTime }})
	if err != nil {
		panic(err)
	}
	ex, err := wssec.Explain(signed.XML)
	if err != nil {
		panic(err)
	}
	for _, r := range ex.References {
		fmt.Println(r.Element, r.Match())
	}
	// Output:
	// wsu:Timestamp true
	// soap:Body true
}

func mustRead(name string) []byte {
	b, err := testkeys.FS.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}

func BenchmarkSign(b *testing.B) {
	for _, kind := range []string{"rsa", "ec"} {
		b.Run(kind, func(b *testing.B) {
			s := testSigner(b, kind, "pem")
			env, err := soap.Build(signRequest(soap.SOAP11, false))
			require.NoError(b, err)
			o := fixedOptions()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := wssec.Sign(env, s, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var errSignerFailed = errors.New("test signer failed")

// derSigner returns what a careless ECDSA signer would: ASN.1 DER.
type derSigner struct{ wssec.Signer }

func (d derSigner) Sign(rand io.Reader, m []byte) ([]byte, error) {
	v, err := d.Signer.Sign(rand, m)
	return append([]byte{0x30, byte(len(v) + 4)}, v...), err
}

type failingSigner struct{ wssec.Signer }

func (failingSigner) Sign(io.Reader, []byte) ([]byte, error) { return nil, errSignerFailed }

type otherAlgorithm struct{ wssec.Signer }

func (otherAlgorithm) Algorithm() string { return "http://www.w3.org/2000/09/xmldsig#rsa-sha1" }

// TestSignKeepsBuildBytes: outside the Security header and the Body's two
// attributes, a signed envelope is Build's bytes exactly, for every
// operation, both SOAP versions, with and without xsi:type.
func TestSignKeepsBuildBytes(t *testing.T) {
	s := testSigner(t, "ec", "pem")
	for _, op := range soap.Operations {
		for _, v := range []soap.Version{soap.SOAP11, soap.SOAP12} {
			for _, xsi := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s SOAP %s xsi:type %v", op, v, xsi), func(t *testing.T) {
					r := signRequest(v, xsi)
					r.Operation = op
					r.UserName, r.Password, r.PublicValue = "admin", "p<w>&d", "imap.example.com"
					env, err := soap.Build(r)
					require.NoError(t, err)
					signed, err := wssec.Sign(env, s, fixedOptions())
					require.NoError(t, err)
					xml := string(signed.XML)
					start, end := strings.Index(xml, "<wsse:Security "), strings.Index(xml, "</wsse:Security>")
					require.True(t, start > 0 && end > start)
					start = strings.LastIndex(xml[:start], "\n")
					stripped := xml[:start] + xml[end+len("</wsse:Security>"):]
					bodyAttrs := ` xmlns:wsu="` + wssec.NSWSU + `" wsu:Id="Body-1"`
					require.Equal(t, 1, strings.Count(stripped, bodyAttrs))
					stripped = strings.Replace(stripped, bodyAttrs, "", 1)
					assert.Equal(t, string(env.XML), stripped)
					assertSignatureHolds(t, signed.XML, s)
				})
			}
		}
	}
}

// signShapes are envelopes Build does not write, which Sign must still sign
// by splicing: no Header, an empty one, a default-namespace envelope, a Body
// that already has a wsu:Id, a start tag with white space before its '>'.
var signShapes = []struct {
	name, xml string
	version   soap.Version
}{
	{"no Header", "<?xml version=\"1.0\"?>\n<soap:Envelope xmlns:soap=\"" + soap.NSEnvelope11 + "\">\n  <soap:Body>\n    <m xmlns=\"urn:m\">x</m>\n  </soap:Body>\n</soap:Envelope>\n", soap.SOAP11},
	{"no Header, no white space", `<s:Envelope xmlns:s="` + soap.NSEnvelope12 + `"><s:Body><m xmlns="urn:m"/></s:Body></s:Envelope>`, soap.SOAP12},
	{"empty Header", `<s:Envelope xmlns:s="` + soap.NSEnvelope11 + `"><s:Header/><s:Body><m xmlns="urn:m">&lt;x&gt;</m></s:Body></s:Envelope>`, soap.SOAP11},
	{"Header without children", `<s:Envelope xmlns:s="` + soap.NSEnvelope11 + `"><s:Header></s:Header><s:Body/></s:Envelope>`, soap.SOAP11},
	{"default namespace", `<Envelope xmlns="` + soap.NSEnvelope12 + `"><Header><T xmlns="urn:m">t</T></Header><Body><m xmlns="urn:m"><!-- c --><![CDATA[a<b]]></m></Body></Envelope>`, soap.SOAP12},
	{"Body with an ID", `<s:Envelope xmlns:s="` + soap.NSEnvelope11 + `" xmlns:u="` + wssec.NSWSU + `"><s:Header/><s:Body u:Id="mine"><m xmlns="urn:m"/></s:Body></s:Envelope>`, soap.SOAP11},
	{"white space in tags", "<s:Envelope xmlns:s=\"" + soap.NSEnvelope11 + "\" ><s:Header\n ><t xmlns=\"urn:m\"/></s:Header ><s:Body\tx=\"1\"\n/></s:Envelope>", soap.SOAP11},
}

func TestSignShapes(t *testing.T) {
	s := testSigner(t, "rsa", "pem")
	for _, c := range signShapes {
		t.Run(c.name, func(t *testing.T) {
			signed, err := wssec.Sign(&soap.Envelope{XML: []byte(c.xml)}, s, fixedOptions())
			require.NoError(t, err)
			assertSignatureHolds(t, signed.XML, s)
			ex, err := wssec.Explain(signed.XML)
			require.NoError(t, err)
			envNS := map[soap.Version]string{soap.SOAP11: soap.NSEnvelope11, soap.SOAP12: soap.NSEnvelope12}[c.version]
			assert.Equal(t, []soap.Name{{Space: envNS, Local: "Envelope"}, {Space: envNS, Local: "Body"}}, ex.References[1].Path)
		})
	}
	t.Run("wsu bound elsewhere", func(t *testing.T) {
		env := &soap.Envelope{XML: []byte(`<s:Envelope xmlns:s="` + soap.NSEnvelope11 + `" xmlns:wsu="urn:other"><s:Body/></s:Envelope>`)}
		_, err := wssec.Sign(env, s, fixedOptions())
		assert.ErrorIs(t, err, wssec.ErrSignOptions)
	})
}

// assertSignatureHolds checks a signed envelope as a verifier would,
// independently of Sign's internals: it is well-formed for etree, every
// reference's digest matches, and the SignatureValue verifies over the
// canonical SignedInfo with the signer's certificate.
func assertSignatureHolds(t *testing.T, signed []byte, s wssec.Signer) {
	t.Helper()
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromBytes(signed), "%s", signed)
	ex, err := wssec.Explain(signed)
	require.NoError(t, err)
	require.Len(t, ex.References, 2)
	for _, r := range ex.References {
		assert.True(t, r.Match(), "reference %s: %v\n%s", r.URI, r.Err, signed)
	}
	sv := doc.FindElement("//ds:SignatureValue")
	require.NotNil(t, sv)
	value, err := base64.StdEncoding.DecodeString(sv.Text())
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(s.Certificate())
	require.NoError(t, err)
	digest := sha256.Sum256(ex.SignedInfo)
	switch pub := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		assert.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], value))
	case *ecdsa.PublicKey:
		require.Len(t, value, 64)
		assert.True(t, ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(value[:32]), new(big.Int).SetBytes(value[32:])))
	default:
		t.Fatalf("unexpected key %T", pub)
	}
}

// FuzzSign's aim: for any bytes, Sign either fails or returns an envelope
// whose signature holds (every digest matches, the SignatureValue verifies);
// it never panics or produces XML it cannot read back.
func FuzzSign(f *testing.F) {
	for _, c := range signShapes {
		f.Add([]byte(c.xml))
	}
	env, err := soap.Build(signRequest(soap.SOAP11, true))
	require.NoError(f, err)
	f.Add(env.XML)
	s := testSigner(f, "ec", "pem")
	f.Fuzz(func(t *testing.T, doc []byte) {
		signed, err := wssec.Sign(&soap.Envelope{XML: doc}, s, fixedOptions())
		if err != nil {
			return
		}
		assertSignatureHolds(t, signed.XML, s)
	})
}
