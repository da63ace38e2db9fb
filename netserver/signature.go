package netserver

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/beevik/etree"

	"socred/keys"
	"socred/soap"
	"socred/wssec"
)

// DefaultSignatureSkew is the clock difference a Timestamp may show when
// Config.SignatureSkew is zero.
const DefaultSignatureSkew = time.Minute

// The WS-Security 1.0 fault codes (SOAP Message Security 1.0 §12), QNames in
// the wsse namespace.
const (
	CodeInvalidSecurity      = "InvalidSecurity"
	CodeInvalidSecurityToken = "InvalidSecurityToken"
	CodeFailedCheck          = "FailedCheck"
	CodeMessageExpired       = "MessageExpired"
	CodeUnsupportedAlgorithm = "UnsupportedAlgorithm"
)

// ReadCertificatesPEM reads every CERTIFICATE block of PEM data as DER, for
// Config.TrustedSigners.
func ReadCertificatesPEM(data []byte) ([][]byte, error) {
	var out [][]byte
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		if _, err := x509.ParseCertificate(b.Bytes); err != nil {
			return nil, fmt.Errorf("netserver: trusted certificate: %w", err)
		}
		out = append(out, b.Bytes)
	}
	if len(out) == 0 {
		return nil, errors.New("netserver: no CERTIFICATE block in the PEM data")
	}
	return out, nil
}

// securityHeader is the name of the header a signature-requiring NetServer
// understands.
var securityHeader = soap.Name{Space: wssec.NSWSSE, Local: "Security"}

// signatureError is a refused signature: the WS-Security fault code and why.
type signatureError struct {
	code   string
	reason string
}

func refuse(code, format string, args ...any) *signatureError {
	return &signatureError{code: code, reason: fmt.Sprintf(format, args...)}
}

func (e *signatureError) fault() *fault {
	return &fault{
		Status: http.StatusInternalServerError, Space: wssec.NSWSSE, Code: e.code,
		Text: "The security of the message could not be verified: " + e.reason + ". (socred's local NetServer was started requiring WS-Security X.509 signatures from trusted certificates.)",
	}
}

// verifySignature checks that body, already read by soap.ParseRequest
// (well-formed, no DTD, within the size, depth and element limits), carries
// a WS-Security 1.0 X.509 signature as socred makes it, by a trusted
// certificate, covering the SOAP Body and the Timestamp where they must be,
// with the Timestamp current. It refuses anything else, signature wrapping
// included: the references a verifier relies on must point at the one
// Envelope/Body and the Timestamp of the one Security header, and every ID
// must be unique. The SignatureValue is checked before any reference is
// followed.
func (s *NetServer) verifySignature(body []byte, v soap.Version) *signatureError {
	env := soap.NSEnvelope11
	if v == soap.SOAP12 {
		env = soap.NSEnvelope12
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(body); err != nil {
		return refuse(CodeInvalidSecurity, "the message cannot be read: %v", err)
	}
	root := doc.Root()
	var headers, bodies []*etree.Element
	for _, c := range root.ChildElements() {
		switch {
		case c.NamespaceURI() == env && c.Tag == "Header":
			headers = append(headers, c)
		case c.NamespaceURI() == env && c.Tag == "Body":
			bodies = append(bodies, c)
		default:
			return refuse(CodeInvalidSecurity, "the Envelope holds an element %s besides Header and Body", c.FullTag())
		}
	}
	if len(headers) != 1 || len(bodies) != 1 {
		return refuse(CodeInvalidSecurity, "the Envelope must hold exactly one Header and one Body (found %d and %d)", len(headers), len(bodies))
	}
	var securities []*etree.Element
	for _, h := range headers[0].ChildElements() {
		if h.NamespaceURI() == wssec.NSWSSE && h.Tag == "Security" {
			securities = append(securities, h)
		}
	}
	switch len(securities) {
	case 0:
		return refuse(CodeInvalidSecurity, "the request is not signed: it has no wsse:Security header")
	case 1:
	default:
		return refuse(CodeInvalidSecurity, "the request has %d wsse:Security headers; exactly one is accepted", len(securities))
	}
	security := securities[0]
	if n := countNS(root, wssec.NSDSig, "Signature"); n != 1 {
		return refuse(CodeInvalidSecurity, "the message holds %d ds:Signature elements; exactly one, in the Security header, is accepted", n)
	}
	signature := onlyChild(security, wssec.NSDSig, "Signature")
	timestamp := onlyChild(security, wssec.NSWSU, "Timestamp")
	if signature == nil || timestamp == nil {
		return refuse(CodeInvalidSecurity, "the Security header must hold exactly one ds:Signature and one wsu:Timestamp")
	}

	// Only the algorithms socred signs with.
	signedInfo := onlyChild(signature, wssec.NSDSig, "SignedInfo")
	if signedInfo == nil {
		return refuse(CodeInvalidSecurity, "the signature has no SignedInfo")
	}
	if alg := algorithmOf(signedInfo, "CanonicalizationMethod"); alg != wssec.AlgExcC14N {
		return refuse(CodeUnsupportedAlgorithm, "CanonicalizationMethod %q is not accepted (only %s)", alg, wssec.AlgExcC14N)
	}
	method := algorithmOf(signedInfo, "SignatureMethod")
	if method != keys.AlgRSASHA256 && method != keys.AlgECDSASHA256 {
		return refuse(CodeUnsupportedAlgorithm, "SignatureMethod %q is not accepted (only rsa-sha256 and ecdsa-sha256)", method)
	}
	for _, ref := range signedInfo.ChildElements() {
		if ref.NamespaceURI() != wssec.NSDSig || ref.Tag != "Reference" {
			continue
		}
		uri := ref.SelectAttrValue("URI", "")
		if len(uri) < 2 || uri[0] != '#' || strings.ContainsAny(uri, "()'") {
			return refuse(CodeUnsupportedAlgorithm, "reference URI %q is not a same-document #id reference", uri)
		}
		transforms := onlyChild(ref, wssec.NSDSig, "Transforms")
		if transforms == nil || len(transforms.ChildElements()) != 1 || transforms.ChildElements()[0].SelectAttrValue("Algorithm", "") != wssec.AlgExcC14N {
			return refuse(CodeUnsupportedAlgorithm, "reference %s must have exactly one transform, Exclusive C14N", uri)
		}
		if alg := algorithmOf(ref, "DigestMethod"); alg != wssec.AlgSHA256 {
			return refuse(CodeUnsupportedAlgorithm, "DigestMethod %q of reference %s is not accepted (only sha256)", alg, uri)
		}
	}

	// The token, and trust in it.
	cert, serr := s.token(security, signature)
	if serr != nil {
		return serr
	}

	// The signature value, over the canonical SignedInfo, first: nothing
	// else is canonicalised for a sender who does not hold the key, since
	// canonical forms can be far larger than the message (wssec.MaxCanonical).
	stated, err := wssec.ExplainSignedInfo(body)
	if err != nil {
		return refuse(CodeInvalidSecurity, "the signature cannot be read: %v", err)
	}
	sv := onlyChild(signature, wssec.NSDSig, "SignatureValue")
	if sv == nil {
		return refuse(CodeInvalidSecurity, "the signature has no SignatureValue")
	}
	value, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(sv.Text()), ""))
	if err != nil {
		return refuse(CodeInvalidSecurity, "the SignatureValue is not base64")
	}
	if err := verifyValue(cert, method, stated.SignedInfo, value); err != nil {
		return refuse(CodeFailedCheck, "the SignatureValue does not verify with the certificate's key: %v", err)
	}

	// What the signature covers: every digest matches, and the Body and
	// the Timestamp are covered where they must be.
	ex, err := wssec.Explain(body)
	if err != nil {
		return refuse(CodeInvalidSecurity, "the signature cannot be read: %v", err)
	}
	bodyPath := []soap.Name{{Space: env, Local: "Envelope"}, {Space: env, Local: "Body"}}
	tsPath := []soap.Name{{Space: env, Local: "Envelope"}, {Space: env, Local: "Header"}, securityHeader, {Space: wssec.NSWSU, Local: "Timestamp"}}
	var coversBody, coversTimestamp int
	for _, r := range ex.References {
		if r.Err != nil {
			return refuse(CodeFailedCheck, "reference %s cannot be followed: %v", r.URI, strings.TrimPrefix(r.Err.Error(), "soap: "))
		}
		if !r.Match() {
			return refuse(CodeFailedCheck, "the digest of reference %s (%s) does not match its DigestValue: the signed part was changed", r.URI, r.Element)
		}
		switch {
		case slices.Equal(r.Path, bodyPath):
			coversBody++
		case slices.Equal(r.Path, tsPath):
			coversTimestamp++
		}
	}
	if coversBody != 1 || coversTimestamp != 1 {
		return refuse(CodeInvalidSecurity, "the signature must cover the SOAP Body (Envelope/Body) and the Timestamp of the Security header exactly once each (covers them %d and %d times)", coversBody, coversTimestamp)
	}

	// The Timestamp is current.
	return s.checkTimestamp(timestamp)
}

// token returns the certificate the signature's KeyInfo names: a
// BinarySecurityToken of the Security header, which must be trusted.
func (s *NetServer) token(security, signature *etree.Element) (*x509.Certificate, *signatureError) {
	var uri string
	if ki := onlyChild(signature, wssec.NSDSig, "KeyInfo"); ki != nil {
		if str := onlyChild(ki, wssec.NSWSSE, "SecurityTokenReference"); str != nil {
			if ref := onlyChild(str, wssec.NSWSSE, "Reference"); ref != nil {
				uri = ref.SelectAttrValue("URI", "")
			}
		}
	}
	if len(uri) < 2 || uri[0] != '#' {
		return nil, refuse(CodeInvalidSecurityToken, "the signature's KeyInfo must be a wsse:SecurityTokenReference to a BinarySecurityToken by #id")
	}
	var found []*etree.Element
	for _, c := range security.ChildElements() {
		if c.NamespaceURI() == wssec.NSWSSE && c.Tag == "BinarySecurityToken" && wsuID(c) == uri[1:] {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		return nil, refuse(CodeInvalidSecurityToken, "the Security header holds %d BinarySecurityTokens with the ID %s; exactly one is needed", len(found), uri[1:])
	}
	tok := found[0]
	if tok.SelectAttrValue("ValueType", "") != wssec.ValueTypeX509v3 {
		return nil, refuse(CodeInvalidSecurityToken, "the BinarySecurityToken is not an X.509 v3 certificate (ValueType %q)", tok.SelectAttrValue("ValueType", ""))
	}
	if et := tok.SelectAttrValue("EncodingType", wssec.EncodingBase64); et != wssec.EncodingBase64 {
		return nil, refuse(CodeInvalidSecurityToken, "the BinarySecurityToken's EncodingType %q is not Base64Binary", et)
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(tok.Text()), ""))
	if err != nil {
		return nil, refuse(CodeInvalidSecurityToken, "the BinarySecurityToken is not base64")
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, refuse(CodeInvalidSecurityToken, "the BinarySecurityToken is not a readable certificate: %v", err)
	}
	now := s.cfg.Now()
	if now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		return nil, refuse(CodeInvalidSecurityToken, "the certificate %q is valid from %s to %s, not now", cert.Subject, cert.NotBefore.UTC().Format(time.RFC3339), cert.NotAfter.UTC().Format(time.RFC3339))
	}
	for _, t := range s.cfg.TrustedSigners {
		if bytes.Equal(t, der) {
			return cert, nil
		}
	}
	roots := x509.NewCertPool()
	for _, t := range s.cfg.TrustedSigners {
		if c, err := x509.ParseCertificate(t); err == nil {
			roots.AddCert(c)
		}
	}
	if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
		return nil, refuse(CodeInvalidSecurityToken, "the certificate %q is not trusted here (neither one of the trusted certificates nor issued by one)", cert.Subject)
	}
	return cert, nil
}

// verifyValue checks an RSA PKCS#1 v1.5 or ECDSA P-256 (r||s) signature
// over SHA-256 of signedInfo, with the algorithm matching the key.
func verifyValue(cert *x509.Certificate, method string, signedInfo, value []byte) error {
	digest := sha256.Sum256(signedInfo)
	switch pub := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		if method != keys.AlgRSASHA256 {
			return errors.New("an RSA key, but SignatureMethod is not rsa-sha256")
		}
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], value)
	case *ecdsa.PublicKey:
		if method != keys.AlgECDSASHA256 || pub.Curve != elliptic.P256() {
			return errors.New("an EC key, but not P-256 with ecdsa-sha256")
		}
		if len(value) != 64 {
			return fmt.Errorf("an ECDSA P-256 value of %d bytes, not 64 (r||s)", len(value))
		}
		r, sv := new(big.Int).SetBytes(value[:32]), new(big.Int).SetBytes(value[32:])
		if !ecdsa.Verify(pub, digest[:], r, sv) {
			return errors.New("ECDSA verification failed")
		}
		return nil
	}
	return fmt.Errorf("a %T key, which is not accepted", cert.PublicKey)
}

// checkTimestamp accepts a Timestamp whose Created is not in the future and
// whose Expires has not passed, both within the allowed clock skew.
func (s *NetServer) checkTimestamp(ts *etree.Element) *signatureError {
	created := onlyChild(ts, wssec.NSWSU, "Created")
	expires := onlyChild(ts, wssec.NSWSU, "Expires")
	if created == nil || expires == nil {
		return refuse(CodeInvalidSecurity, "the Timestamp must hold one Created and one Expires")
	}
	c, err1 := time.Parse(time.RFC3339Nano, strings.TrimSpace(created.Text()))
	e, err2 := time.Parse(time.RFC3339Nano, strings.TrimSpace(expires.Text()))
	if err1 != nil || err2 != nil {
		return refuse(CodeInvalidSecurity, "the Timestamp's Created or Expires is not an xsd:dateTime")
	}
	if !e.After(c) {
		return refuse(CodeInvalidSecurity, "the Timestamp expires (%s) before it was created (%s)", e.UTC().Format(time.RFC3339), c.UTC().Format(time.RFC3339))
	}
	skew := s.cfg.SignatureSkew
	if skew <= 0 {
		skew = DefaultSignatureSkew
	}
	now := s.cfg.Now()
	switch {
	case now.After(e.Add(skew)):
		return refuse(CodeMessageExpired, "the message expired at %s (it is now %s)", e.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	case now.Add(skew).Before(c):
		return refuse(CodeInvalidSecurity, "the Timestamp was created in the future (%s; it is now %s): check the clocks", c.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}

// onlyChild returns el's one child element with the namespace and name, nil
// when there is none or more than one.
func onlyChild(el *etree.Element, ns, local string) *etree.Element {
	var found *etree.Element
	for _, c := range el.ChildElements() {
		if c.Tag == local && c.NamespaceURI() == ns {
			if found != nil {
				return nil
			}
			found = c
		}
	}
	return found
}

func algorithmOf(el *etree.Element, child string) string {
	if c := onlyChild(el, wssec.NSDSig, child); c != nil {
		return c.SelectAttrValue("Algorithm", "")
	}
	return ""
}

func countNS(el *etree.Element, ns, local string) int {
	n := 0
	if el.Tag == local && el.NamespaceURI() == ns {
		n++
	}
	for _, c := range el.ChildElements() {
		n += countNS(c, ns, local)
	}
	return n
}

// wsuID returns el's wsu:Id.
func wsuID(el *etree.Element) string {
	for _, a := range el.Attr {
		if a.Key == "Id" && a.Space != "" && a.NamespaceURI() == wssec.NSWSU {
			return a.Value
		}
	}
	return ""
}
