package wssec

import (
	"socred/soap"

	"socred/keys"

	"socred/internal/datetime"

	"socred/internal/xmltree"

	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	"socred/internal/minifmt"
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
	// means crypto/rand.Reader (in the browser, crypto.getRandomValues).
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
func Sign(env *soap.Envelope, s Signer, o SignOptions) (*soap.Envelope, error) {
	if env == nil || s == nil {
		return nil, minifmt.Errorf("%w: nil envelope or signer", ErrSignOptions)
	}
	alg := s.Algorithm()
	if alg != keys.AlgRSASHA256 && alg != keys.AlgECDSASHA256 {
		return nil, minifmt.Errorf("%w: unsupported signature algorithm %q", ErrSignOptions, alg)
	}
	cert := s.Certificate()
	if len(cert) == 0 {
		return nil, minifmt.Errorf("%w: signer has no certificate", ErrSignOptions)
	}
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	ids, err := o.ids()
	if err != nil {
		return nil, err
	}

	// The envelope is read only to find where the header goes; its bytes
	// are kept as they are and the signature is spliced in, so that what
	// Build wrote (its escaping and indentation) is what is sent.
	root, err := xmltree.ParseRaw(env.XML)
	if err != nil {
		return nil, err
	}
	var version soap.Version
	switch {
	case root.Name.Local != "Envelope":
		return nil, soap.ErrNotSOAP
	case root.NS() == soap.NSEnvelope11:
		version = soap.SOAP11
	case root.NS() == soap.NSEnvelope12:
		version = soap.SOAP12
	default:
		return nil, soap.ErrNotSOAP
	}
	header, body := soapChild(root, "Header"), soapChild(root, "Body")
	if body == nil {
		return nil, minifmt.Errorf("%w: no Body", soap.ErrNotSOAP)
	}
	if header != nil {
		for _, h := range header.Children() {
			if h.Is(NSWSSE, "Security") {
				return nil, ErrAlreadySigned
			}
		}
	}
	bodyID, bodyAttrs, err := markBody(body, ids["Body"])
	if err != nil {
		return nil, err
	}

	// Where the Security header goes: first in the Header, indented as the
	// Header's first child is. Without a Header, one is made before the
	// Body, indented as the Body is.
	indent := "\n"
	var open, close string // around the Security header
	at, to := 0, 0         // the bytes of env.XML it replaces (none: at == to)
	switch {
	case header == nil:
		ws := ""
		if i := slices.IndexFunc(root.Content, func(c xmltree.Item) bool { return c.El == body }); i > 0 && root.Content[i-1].Kind == xmltree.ItemText {
			ws = root.Content[i-1].Text
		}
		if strings.TrimSpace(ws) != "" || !strings.Contains(ws, "\n") {
			ws = ""
		} else {
			indent = ws + "  "
		}
		name := "Header"
		if root.Name.Space != "" {
			name = root.Name.Space + ":Header"
		}
		open, close = "<"+name+">", ws+"</"+name+">"+ws
		at, to = body.Start, body.Start
	case env.XML[header.TagEnd-2] == '/':
		// <soap:Header/> becomes <soap:Header>…</soap:Header>.
		open, close = ">", "</"+header.QName()+">"
		at, to = header.TagEnd-2, header.TagEnd
	default:
		if len(header.Content) > 0 && header.Content[0].Kind == xmltree.ItemText && strings.TrimSpace(header.Content[0].Text) == "" {
			indent = header.Content[0].Text
		}
		at, to = header.TagEnd, header.TagEnd
	}
	// Body's new attributes go at the end of its start tag.
	bodyAt := body.TagEnd - 1
	if env.XML[bodyAt-1] == '/' {
		bodyAt--
	}
	for bodyAt > body.Start && strings.IndexByte(" \t\r\n", env.XML[bodyAt-1]) >= 0 {
		bodyAt--
	}
	assemble := func(security string) []byte {
		splices := []struct {
			at, to int
			text   string
		}{{at, to, open + indent + security + close}, {bodyAt, bodyAt, bodyAttrs}}
		if splices[0].at > splices[1].at {
			splices[0], splices[1] = splices[1], splices[0]
		}
		out := make([]byte, 0, len(env.XML)+len(security)+len(open)+len(close)+len(indent)+len(bodyAttrs))
		last := 0
		for _, s := range splices {
			out = append(out, env.XML[last:s.at]...)
			out = append(out, s.text...)
			last = s.to
		}
		return append(out, env.XML[last:]...)
	}

	// The header is written as text: nothing in it comes from the caller
	// except checked IDs, escaped values, base64 and fixed URIs.
	created := o.Now().UTC()
	mu := map[bool]string{false: "0", true: "1"}
	if version == soap.SOAP12 {
		mu = map[bool]string{false: "false", true: "true"}
	}
	envPrefix := root.Name.Space
	muAttr := envPrefix + ":mustUnderstand"
	if envPrefix == "" {
		// A default-namespace envelope: the attribute needs a prefix.
		muAttr = `xmlns:soapenv="` + escapeAttr(root.NS()) + `" soapenv:mustUnderstand`
	}
	refs := []struct{ id, prefixes string }{
		{ids["TS"], ""},
		{bodyID, qnamePrefixes(body)},
	}
	security := func(digests []string, value string) string {
		var b strings.Builder
		line := func(depth int, s string) { writeLine(&b, indent, depth, s) }
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
		for i, r := range refs {
			line(3, `<ds:Reference URI="#`+escapeAttr(r.id)+`">`)
			line(4, `<ds:Transforms>`)
			if r.prefixes == "" {
				line(5, `<ds:Transform Algorithm="`+AlgExcC14N+`"/>`)
			} else {
				line(5, `<ds:Transform Algorithm="`+AlgExcC14N+`">`)
				line(6, `<ec:InclusiveNamespaces xmlns:ec="`+NSExcNS+`" PrefixList="`+escapeAttr(r.prefixes)+`"/>`)
				line(5, `</ds:Transform>`)
			}
			line(4, `</ds:Transforms>`)
			line(4, `<ds:DigestMethod Algorithm="`+AlgSHA256+`"/>`)
			digest := ""
			if i < len(digests) {
				digest = digests[i]
			}
			line(4, `<ds:DigestValue>`+digest+`</ds:DigestValue>`)
			line(3, `</ds:Reference>`)
		}
		line(2, `</ds:SignedInfo>`)
		line(2, `<ds:SignatureValue>`+value+`</ds:SignatureValue>`)
		line(2, `<ds:KeyInfo>`)
		line(3, `<wsse:SecurityTokenReference>`)
		line(4, `<wsse:Reference URI="#`+ids["X509"]+`" ValueType="`+ValueTypeX509v3+`"/>`)
		line(3, `</wsse:SecurityTokenReference>`)
		line(2, `</ds:KeyInfo>`)
		line(1, `</ds:Signature>`)
		line(0, `</wsse:Security>`)
		return b.String()
	}

	// Read the envelope with the header in place, digest each reference as
	// a verifier will find it, then sign the SignedInfo that holds them.
	draft, err := xmltree.ParseRaw(assemble(security(nil, "")))
	if err != nil {
		return nil, minifmt.Errorf("soap: building the Security header: %w", err)
	}
	var sec, timestamp, signedInfo *xmltree.Element
	if h := soapChild(draft, "Header"); h != nil && len(h.Children()) > 0 {
		sec = h.Children()[0]
		timestamp = sec.Child(NSWSU, "Timestamp")
		if sig := sec.Child(NSDSig, "Signature"); sig != nil {
			signedInfo = sig.Child(NSDSig, "SignedInfo")
		}
	}
	if timestamp == nil || signedInfo == nil {
		return nil, minifmt.Errorf("%w: the Security header is not where it was put", soap.ErrNotSOAP)
	}
	targets := []*xmltree.Element{timestamp, soapChild(draft, "Body")}
	var digests []string
	i := 0
	budget := MaxCanonical
	for _, ref := range signedInfo.Children() {
		dv := ref.Child(NSDSig, "DigestValue")
		if !ref.Is(NSDSig, "Reference") || dv == nil {
			continue
		}
		c14n, err := excC14N(targets[i], strings.Fields(refs[i].prefixes), false, &budget)
		if err != nil {
			return nil, err
		}
		sum := sha256Sum(c14n)
		digests = append(digests, base64.StdEncoding.EncodeToString(sum[:]))
		dv.Content = []xmltree.Item{{Kind: xmltree.ItemText, Text: digests[i]}}
		i++
	}
	c14n, err := excC14N(signedInfo, nil, false, &budget)
	if err != nil {
		return nil, err
	}
	value, err := s.Sign(o.Rand, c14n)
	if err != nil {
		return nil, minifmt.Errorf("soap: signing: %w", err)
	}
	if alg == keys.AlgECDSASHA256 && len(value) != 64 {
		return nil, minifmt.Errorf("%w: ECDSA P-256 value of %d bytes, want 64 (r||s, not DER)", ErrSignatureValue, len(value))
	}
	if len(value) == 0 {
		return nil, minifmt.Errorf("%w: empty", ErrSignatureValue)
	}

	signed := *env
	signed.XML = assemble(security(digests, base64.StdEncoding.EncodeToString(value)))
	return &signed, nil
}

func (o SignOptions) withDefaults() (SignOptions, error) {
	if o.Lifetime < 0 {
		return o, minifmt.Errorf("%w: negative lifetime %v", ErrSignOptions, o.Lifetime.String())
	}
	if o.Lifetime == 0 {
		o.Lifetime = DefaultLifetime
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = randomReader()
	}
	if o.ID == nil {
		r := o.Rand
		o.ID = func(part string) string {
			var b [16]byte
			if _, err := io.ReadFull(r, b[:]); err != nil {
				return ""
			}
			return part + "-" + hexString(b[:])
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
			return nil, minifmt.Errorf("%w: ID %q for %s is not a distinct NCName", ErrSignOptions, id, part)
		}
		seen[id] = true
		ids[part] = id
	}
	return ids, nil
}

// soapChild returns root's first child with the local name in root's
// namespace.
func soapChild(root *xmltree.Element, local string) *xmltree.Element {
	return root.Child(root.NS(), local)
}

// markBody returns body's wsu:Id and the attributes that give it one: none
// when it has one, else wsu:Id, with a declaration of wsu unless one is in
// scope.
func markBody(body *xmltree.Element, id string) (bodyID, attrs string, err error) {
	for _, a := range body.Attr {
		if a.Name.Local == "Id" && a.Name.Space != "" && body.Namespace(a.Name.Space) == NSWSU {
			return a.Value, "", nil
		}
	}
	switch uri, ok := body.Lookup("wsu"); {
	case !ok:
		attrs = ` xmlns:wsu="` + NSWSU + `"`
	case uri != NSWSU:
		return "", "", minifmt.Errorf("%w: the prefix wsu is bound to %q", ErrSignOptions, uri)
	}
	return id, attrs + ` wsu:Id="` + id + `"`, nil
}

// qnamePrefixes returns the prefixes that xsi:type values inside el use, as
// an InclusiveNamespaces PrefixList: Exclusive C14N leaves out declarations
// that only attribute values use, so without it the digest would not cover
// what "xsd:string" means.
func qnamePrefixes(el *xmltree.Element) string {
	set := map[string]bool{}
	el.Walk(func(e *xmltree.Element) {
		for _, a := range e.Attr {
			if a.Name.Local == "type" && a.Name.Space != "" && e.Namespace(a.Name.Space) == soap.NSInstance {
				if p, _, ok := strings.Cut(strings.TrimSpace(a.Value), ":"); ok {
					set[p] = true
				}
			}
		}
	})
	var list []string
	for p := range set {
		list = append(list, p)
	}
	heapSort(list, compareStrings)
	return strings.Join(list, " ")
}

// escapeAttr escapes s for an attribute value in double quotes.
func escapeAttr(s string) string {
	var b bytes.Buffer
	escapeC14N(&b, s, true)
	return b.String()
}

// formatTimestamp writes a WS-Security timestamp: UTC, milliseconds, Z.
func formatTimestamp(t time.Time) string {
	return string(datetime.Append(nil, t, 3))
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

// hexString is b in lowercase hexadecimal (encoding/hex would link fmt
// into the browser module).
func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}

// writeLine writes s on a new line, indented depth levels below indent.
// It is kept out of line: inlined into each of the Security header's
// lines, it made Sign 20 KB of the module's code.
//
//go:noinline
func writeLine(b *strings.Builder, indent string, depth int, s string) {
	b.WriteString(indent)
	for range depth {
		b.WriteString("  ")
	}
	b.WriteString(s)
}
