//go:build !js

package wssec_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
	"socred/soap"
	"socred/wssec"
)

// xmlsec1Verify checks a signed envelope with xmlsec1 (see testenv.XMLSec1Verify).
func xmlsec1Verify(t *testing.T, xml []byte, certPEM string, v soap.Version) (string, error) {
	t.Helper()
	envNS := soap.NSEnvelope11
	if v == soap.SOAP12 {
		envNS = soap.NSEnvelope12
	}
	return testenv.XMLSec1Verify(t, xml, certPEM, envNS)
}

func TestSignVerifiesWithXMLSec1(t *testing.T) {
	for _, kind := range []string{"rsa", "ec"} {
		for _, form := range []string{"pem", "p12"} {
			for _, v := range []soap.Version{soap.SOAP11, soap.SOAP12} {
				for _, xsi := range []bool{false, true} {
					name := kind + " " + form + " SOAP " + v.String()
					if xsi {
						name += " xsi:type"
					}
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						s := testSigner(t, kind, form)
						cert := filepath.Join("..", "keys", "testdata", kind+".crt.pem")
						env := signedEnvelope(t, s, v, xsi, wssec.SignOptions{})
						out, err := xmlsec1Verify(t, env.XML, cert, v)
						require.NoError(t, err, "xmlsec1 refused a fresh signature:\n%s\n%s", out, env.XML)
						assert.Contains(t, out, "SignedInfo References (ok/all): 2/2")

						// Another certificate's key must not verify it.
						out, err = xmlsec1Verify(t, env.XML, filepath.Join("..", "keys", "testdata", "other.crt.pem"), v)
						assert.Error(t, err, "verified with the wrong certificate:\n%s", out)

						// One character changed in any signed part breaks it.
						xml := string(env.XML)
						created := between(t, xml, "<wsu:Created>", "</wsu:Created>")
						signedInfo := between(t, xml, "<ds:SignedInfo>", "</ds:SignedInfo>")
						sigValue := between(t, xml, "<ds:SignatureValue>", "</ds:SignatureValue>")
						for what, tampered := range map[string]string{
							"Body text":         replaceOnce(t, xml, "imap.example.com", "imap.example.con"),
							"Body attribute":    replaceOnce(t, xml, `wsu:Id="Body-`, `wsu:Id="Body_`),
							"Timestamp Created": replaceOnce(t, xml, created, flipDigit(created)),
							"SignedInfo":        replaceOnce(t, xml, signedInfo, strings.Replace(signedInfo, "\n ", "\n\t", 1)),
							"SignatureValue":    replaceOnce(t, xml, sigValue, flipBase64(sigValue)),
						} {
							out, err := xmlsec1Verify(t, []byte(tampered), cert, v)
							assert.Error(t, err, "xmlsec1 accepted a changed %s:\n%s", what, out)
						}
					})
				}
			}
		}
	}
}

func TestGoldenVerifiesWithXMLSec1(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			out, err := xmlsec1Verify(t, testFile(t, c.name), filepath.Join("..", "keys", "testdata", "rsa.crt.pem"), c.version)
			assert.NoError(t, err, out)
		})
	}
}

// TestSignShapesVerifyWithXMLSec1: envelopes Build does not write (no
// Header, an empty one, a default namespace, a Body with its own wsu:Id…)
// are signed by splicing too, and xmlsec1 verifies each.
func TestSignShapesVerifyWithXMLSec1(t *testing.T) {
	s := testSigner(t, "ec", "pem")
	cert := filepath.Join("..", "keys", "testdata", "ec.crt.pem")
	for _, c := range signShapes {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			signed, err := wssec.Sign(&soap.Envelope{XML: []byte(c.xml)}, s, wssec.SignOptions{})
			require.NoError(t, err)
			out, err := xmlsec1Verify(t, signed.XML, cert, c.version)
			require.NoError(t, err, "xmlsec1 refused:\n%s\n%s", out, signed.XML)
			assert.Contains(t, out, "SignedInfo References (ok/all): 2/2")
		})
	}
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	require.Equal(t, 1, strings.Count(s, old), "%q occurs once", old)
	require.NotEqual(t, old, new)
	return strings.Replace(s, old, new, 1)
}

// flipDigit changes the last digit of s.
func flipDigit(s string) string {
	i := strings.LastIndexAny(s, "0123456789")
	d := byte('0' + (s[i]-'0'+1)%10)
	return s[:i] + string(d) + s[i+1:]
}

// flipBase64 changes the first character of a base64 value.
func flipBase64(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}
