package soap

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// Namespaces of OASIS Web Services Security 1.0 and XML-DSig.
const (
	NSWSSE  = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	NSWSU   = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	NSDSig  = "http://www.w3.org/2000/09/xmldsig#"
	NSExcNS = "http://www.w3.org/2001/10/xml-exc-c14n#"

	// ValueTypeX509v3 is the BinarySecurityToken ValueType of an X.509 v3
	// certificate (X.509 Token Profile 1.0 §3.1).
	ValueTypeX509v3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
	// EncodingBase64 is the BinarySecurityToken EncodingType (SOAP Message
	// Security 1.0 §6.3).
	EncodingBase64 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)

// DefaultLifetime is the time between a Timestamp's Created and Expires
// when SignOptions.Lifetime is zero.
const DefaultLifetime = 5 * time.Minute

// Signing sentinels, wrapped by the errors Sign returns.
var (
	ErrAlreadySigned  = errors.New("soap: envelope already has a wsse:Security header")
	ErrSignOptions    = errors.New("soap: invalid signing options")
	ErrSignatureValue = errors.New("soap: signer returned a malformed signature value")
)

// SignOptions says how Sign signs. The zero value signs as socred does by
// default: a five-minute Timestamp, mustUnderstand "0", the wall clock and
// random IDs.
type SignOptions struct {
	// Lifetime is Expires minus Created; zero means DefaultLifetime.
	Lifetime time.Duration

	// MustUnderstand marks the Security header mustUnderstand="1" ("true" in
	// SOAP 1.2); by default it is "0" ("false"). Leave it off for NetServer
	// itself: its WCF BasicHttpBinding has no WS-Security and answers a
	// mustUnderstand Security header with an s:MustUnderstand fault ("The
	// header 'Security' from the namespace '…' was not understood by the
	// recipient of this message"). Turn it on for a gateway that requires it.
	MustUnderstand bool

	// Now returns the signing time (the Timestamp's Created); nil means
	// time.Now.
	Now func() time.Time

	// ID returns the ID of one part of the signature: part is "TS" (the
	// Timestamp), "X509" (the BinarySecurityToken), "Body" or "SIG" (the
	// ds:Signature), asked in that order. IDs must be distinct XML NCNames.
	// nil means the part, a dash and 32 random hexadecimal digits.
	ID func(part string) string

	// Rand is the randomness for the Signer (ECDSA) and the default IDs; nil
	// means crypto/rand.Reader.
	Rand io.Reader
}

// Sign returns a copy of env with a WS-Security 1.0 X.509 signature: a
// wsse:Security header first in the SOAP Header, holding a wsu:Timestamp, a
// wsse:BinarySecurityToken with s's certificate, and a ds:Signature whose
// references cover the Timestamp and the Body by wsu:Id (Exclusive C14N,
// SHA-256), signed with s (RSA-SHA256 or ECDSA-SHA256), its KeyInfo a
// wsse:SecurityTokenReference to the token. env is not changed.
//
// With a fixed Now, ID and an RSA signer the result is byte-for-byte
// reproducible. Signing is the last step: the returned XML must be sent as
// it is, never re-indented or re-serialised.
func Sign(env *Envelope, s Signer, o SignOptions) (*Envelope, error) {
	if env == nil || s == nil {
		return nil, fmt.Errorf("%w: nil envelope or signer", ErrSignOptions)
	}
	alg := s.Algorithm()
	if alg != AlgRSASHA256 && alg != AlgECDSASHA256 {
		return nil, fmt.Errorf("%w: unsupported signature algorithm %q", ErrSignOptions, alg)
	}
	cert := s.Certificate()
	if len(cert) == 0 {
		return nil, fmt.Errorf("%w: signer has no certificate", ErrSignOptions)
	}
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	ids, err := o.ids()
	if err != nil {
		return nil, err
	}

	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(env.XML); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotXML, err)
	}
	root := doc.Root()
	var version Version
	switch {
	case root == nil || root.Tag != "Envelope":
		return nil, ErrNotSOAP
	case root.NamespaceURI() == NSEnvelope11:
		version = SOAP11
	case root.NamespaceURI() == NSEnvelope12:
		version = SOAP12
	default:
		return nil, ErrNotSOAP
	}
	header, body := soapChild(root, "Header"), soapChild(root, "Body")
	if body == nil {
		return nil, fmt.Errorf("%w: no Body", ErrNotSOAP)
	}
	if header == nil {
		header = etree.NewElement(root.Space + ":Header")
		if root.Space == "" {
			header = etree.NewElement("Header")
		}
		root.InsertChildAt(body.Index(), header)
	}
	for _, h := range header.ChildElements() {
		if h.Tag == "Security" && h.NamespaceURI() == NSWSSE {
			return nil, ErrAlreadySigned
		}
	}

	bodyID, err := markBody(body, ids["Body"])
	if err != nil {
		return nil, err
	}

	// The header is written as text, parsed, and put in place: its
	// indentation follows the Header's own, and nothing in it comes from
	// the caller except checked IDs, base64 and fixed URIs.
	indent := "\n"
	if len(header.Child) > 0 {
		if cd, ok := header.Child[0].(*etree.CharData); ok && strings.TrimSpace(cd.Data) == "" {
			indent = cd.Data
		}
	}
	created := o.Now().UTC()
	mu := map[bool]string{false: "0", true: "1"}
	if version == SOAP12 {
		mu = map[bool]string{false: "false", true: "true"}
	}
	envPrefix := root.Space
	muAttr := envPrefix + ":mustUnderstand"
	if envPrefix == "" {
		// A default-namespace envelope: the attribute needs a prefix.
		muAttr = `xmlns:soapenv="` + root.NamespaceURI() + `" soapenv:mustUnderstand`
	}
	refs := []struct{ id, prefixes string }{
		{ids["TS"], ""},
		{bodyID, qnamePrefixes(body)},
	}
	var b strings.Builder
	line := func(depth int, s string) {
		b.WriteString(indent + strings.Repeat("  ", depth) + s)
	}
	b.WriteString(`<wsse:Security xmlns:wsse="` + NSWSSE + `" xmlns:wsu="` + NSWSU + `" ` + muAttr + `="` + mu[o.MustUnderstand] + `">`)
	line(1, `<wsu:Timestamp wsu:Id="`+ids["TS"]+`">`)
	line(2, `<wsu:Created>`+formatTimestamp(created)+`</wsu:Created>`)
	line(2, `<wsu:Expires>`+formatTimestamp(created.Add(o.Lifetime))+`</wsu:Expires>`)
	line(1, `</wsu:Timestamp>`)
	line(1, `<wsse:BinarySecurityToken EncodingType="`+EncodingBase64+`" ValueType="`+ValueTypeX509v3+`" wsu:Id="`+ids["X509"]+`">`+base64.StdEncoding.EncodeToString(cert)+`</wsse:BinarySecurityToken>`)
	line(1, `<ds:Signature xmlns:ds="`+NSDSig+`" Id="`+ids["SIG"]+`">`)
	line(2, `<ds:SignedInfo>`)
	line(3, `<ds:CanonicalizationMethod Algorithm="`+AlgExcC14N+`"/>`)
	line(3, `<ds:SignatureMethod Algorithm="`+alg+`"/>`)
	for _, r := range refs {
		line(3, `<ds:Reference URI="#`+r.id+`">`)
		line(4, `<ds:Transforms>`)
		if r.prefixes == "" {
			line(5, `<ds:Transform Algorithm="`+AlgExcC14N+`"/>`)
		} else {
			line(5, `<ds:Transform Algorithm="`+AlgExcC14N+`">`)
			line(6, `<ec:InclusiveNamespaces xmlns:ec="`+NSExcNS+`" PrefixList="`+r.prefixes+`"/>`)
			line(5, `</ds:Transform>`)
		}
		line(4, `</ds:Transforms>`)
		line(4, `<ds:DigestMethod Algorithm="`+AlgSHA256+`"/>`)
		line(4, `<ds:DigestValue></ds:DigestValue>`)
		line(3, `</ds:Reference>`)
	}
	line(2, `</ds:SignedInfo>`)
	line(2, `<ds:SignatureValue></ds:SignatureValue>`)
	line(2, `<ds:KeyInfo>`)
	line(3, `<wsse:SecurityTokenReference>`)
	line(4, `<wsse:Reference URI="#`+ids["X509"]+`" ValueType="`+ValueTypeX509v3+`"/>`)
	line(3, `</wsse:SecurityTokenReference>`)
	line(2, `</ds:KeyInfo>`)
	line(1, `</ds:Signature>`)
	line(0, `</wsse:Security>`)

	frag := etree.NewDocument()
	if err := frag.ReadFromString(b.String()); err != nil {
		return nil, fmt.Errorf("soap: building the Security header: %w", err)
	}
	security := frag.Root()
	header.InsertChildAt(0, security)
	header.InsertChildAt(0, etree.NewCharData(indent))

	// Digest each reference, then sign the SignedInfo that holds them.
	signature := security.SelectElement("ds:Signature")
	signedInfo := signature.SelectElement("ds:SignedInfo")
	targets := map[string]*etree.Element{ids["TS"]: security.SelectElement("wsu:Timestamp"), bodyID: body}
	for _, ref := range signedInfo.SelectElements("ds:Reference") {
		target := targets[strings.TrimPrefix(ref.SelectAttrValue("URI", ""), "#")]
		c14n, err := excC14N(target, referencePrefixes(ref), false)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(c14n)
		ref.SelectElement("ds:DigestValue").SetText(base64.StdEncoding.EncodeToString(sum[:]))
	}
	c14n, err := excC14N(signedInfo, nil, false)
	if err != nil {
		return nil, err
	}
	value, err := s.Sign(o.Rand, c14n)
	if err != nil {
		return nil, fmt.Errorf("soap: signing: %w", err)
	}
	if alg == AlgECDSASHA256 && len(value) != 64 {
		return nil, fmt.Errorf("%w: ECDSA P-256 value of %d bytes, want 64 (r||s, not DER)", ErrSignatureValue, len(value))
	}
	if len(value) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrSignatureValue)
	}
	signature.SelectElement("ds:SignatureValue").SetText(base64.StdEncoding.EncodeToString(value))

	// Canonical text and attribute escaping write every character as a
	// parser will read it back (CR as &#xD;, tabs and newlines in
	// attributes as references), so the bytes verify as they were signed.
	doc.WriteSettings = etree.WriteSettings{CanonicalText: true, CanonicalAttrVal: true}
	xml, err := doc.WriteToBytes()
	if err != nil {
		return nil, fmt.Errorf("soap: writing the signed envelope: %w", err)
	}
	signed := *env
	signed.XML = xml
	return &signed, nil
}

func (o SignOptions) withDefaults() (SignOptions, error) {
	if o.Lifetime < 0 {
		return o, fmt.Errorf("%w: negative lifetime %v", ErrSignOptions, o.Lifetime)
	}
	if o.Lifetime == 0 {
		o.Lifetime = DefaultLifetime
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.ID == nil {
		r := o.Rand
		o.ID = func(part string) string {
			var b [16]byte
			if _, err := io.ReadFull(r, b[:]); err != nil {
				return ""
			}
			return part + "-" + hex.EncodeToString(b[:])
		}
	}
	return o, nil
}

// ids asks o.ID for each part's ID, in the documented order, and checks them.
func (o SignOptions) ids() (map[string]string, error) {
	ids := map[string]string{}
	seen := map[string]bool{}
	for _, part := range []string{"TS", "X509", "Body", "SIG"} {
		id := o.ID(part)
		if !isNCName(id) || seen[id] {
			return nil, fmt.Errorf("%w: ID %q for %s is not a distinct NCName", ErrSignOptions, id, part)
		}
		seen[id] = true
		ids[part] = id
	}
	return ids, nil
}

// soapChild returns root's child with the local name in root's namespace.
func soapChild(root *etree.Element, local string) *etree.Element {
	for _, c := range root.ChildElements() {
		if c.Tag == local && c.NamespaceURI() == root.NamespaceURI() {
			return c
		}
	}
	return nil
}

// markBody gives body a wsu:Id (keeping one it already has) and returns it.
func markBody(body *etree.Element, id string) (string, error) {
	for _, a := range body.Attr {
		if a.Key == "Id" && a.Space != "" && a.NamespaceURI() == NSWSU {
			return a.Value, nil
		}
	}
	scope := map[string]string{}
	var chain []*etree.Element
	for p := body; p != nil; p = p.Parent() {
		chain = append(chain, p)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		declare(scope, chain[i])
	}
	switch uri, ok := scope["wsu"]; {
	case !ok:
		body.CreateAttr("xmlns:wsu", NSWSU)
	case uri != NSWSU:
		return "", fmt.Errorf("%w: the prefix wsu is bound to %q", ErrSignOptions, uri)
	}
	body.CreateAttr("wsu:Id", id)
	return id, nil
}

// qnamePrefixes returns the prefixes that xsi:type values inside el use, as
// an InclusiveNamespaces PrefixList: Exclusive C14N leaves out declarations
// that only attribute values use, so without it the digest would not cover
// what "xsd:string" means.
func qnamePrefixes(el *etree.Element) string {
	set := map[string]bool{}
	var walk func(*etree.Element)
	walk = func(e *etree.Element) {
		for _, a := range e.Attr {
			if a.Key == "type" && a.NamespaceURI() == NSInstance {
				if p, _, ok := strings.Cut(strings.TrimSpace(a.Value), ":"); ok {
					set[p] = true
				}
			}
		}
		for _, c := range e.ChildElements() {
			walk(c)
		}
	}
	walk(el)
	var list []string
	for p := range set {
		list = append(list, p)
	}
	slices.Sort(list)
	return strings.Join(list, " ")
}

// formatTimestamp writes a WS-Security timestamp: UTC, milliseconds, Z.
func formatTimestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// isNCName reports whether s is a plausible XML NCName made of ASCII
// letters, digits, '-', '_' and '.', starting with a letter or '_'.
func isNCName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_':
		case i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return true
}
