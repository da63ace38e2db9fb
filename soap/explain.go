package soap

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"

	"github.com/beevik/etree"
)

// Explaining sentinels, wrapped by the errors Explain returns or records.
var (
	ErrNoSignature  = errors.New("soap: no ds:Signature in the document")
	ErrReference    = errors.New("soap: signature reference does not resolve to exactly one element")
	ErrUnsupported  = errors.New("soap: unsupported signature algorithm or transform")
	ErrDigestFormat = errors.New("soap: DigestValue is not base64")
)

// Explanation shows what a signature covers, computed as a verifier
// computes it: for each reference, the canonical bytes and their digest next
// to the digest the message states. A gateway's "digest mismatch" is traced
// by comparing these bytes with the ones the gateway logs.
type Explanation struct {
	// SignatureMethod is the SignatureMethod URI, e.g. AlgRSASHA256.
	SignatureMethod string
	// SignedInfo is the canonical ds:SignedInfo: the bytes the
	// SignatureValue signs.
	SignedInfo []byte
	// References are the ds:Reference elements, in order.
	References []ReferenceDigest
}

// ReferenceDigest is one ds:Reference, explained.
type ReferenceDigest struct {
	URI     string // as written, e.g. "#Body-1"
	Element string // the referenced element's name as written, e.g. "soap:Body"
	// Path locates the referenced element: the resolved names of the root
	// and each element down to it. A verifier checks it to refuse signature
	// wrapping (a signed Body moved aside, a forged one in its place): the
	// reference it relies on must point at {soap}Envelope/{soap}Body itself.
	Path         []xml.Name
	Transforms   []string
	PrefixList   string // the InclusiveNamespaces PrefixList, if any
	DigestMethod string
	// Canonical holds the bytes that are digested: the referenced element
	// after the transforms.
	Canonical []byte
	// Digest is the SHA-256 of Canonical; nil when DigestMethod is another
	// algorithm (Canonical is still filled).
	Digest []byte
	// DigestValue is the digest the message states.
	DigestValue []byte
	// Err says why the reference could not be followed; the other fields
	// hold what was found before.
	Err error
}

// Match reports whether the computed digest equals the stated one.
func (r *ReferenceDigest) Match() bool {
	return r.Err == nil && r.Digest != nil && bytes.Equal(r.Digest, r.DigestValue)
}

// Explain finds the first ds:Signature in a signed document (an envelope
// from Sign, or one signed by anything else) and explains its references. A
// reference it cannot follow gets its Err set; Explain itself fails only
// when there is no signature to explain or its SignedInfo cannot be
// canonicalised. Explain does not check the SignatureValue.
//
// Same-document references are followed: "#id" (an element whose Id or
// wsu:Id attribute is id; comments are dropped) and "#xpointer(id('id'))"
// (comments kept with the WithComments transform). Transforms supported:
// Exclusive C14N with and without comments.
func Explain(signed []byte) (*Explanation, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(signed); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotXML, err)
	}
	sig := findNS(&doc.Element, NSDSig, "Signature")
	if sig == nil {
		return nil, ErrNoSignature
	}
	si := childNS(sig, NSDSig, "SignedInfo")
	if si == nil {
		return nil, fmt.Errorf("%w: ds:Signature without ds:SignedInfo", ErrNoSignature)
	}
	ex := &Explanation{}
	if m := childNS(si, NSDSig, "SignatureMethod"); m != nil {
		ex.SignatureMethod = m.SelectAttrValue("Algorithm", "")
	}
	cm := childNS(si, NSDSig, "CanonicalizationMethod")
	if cm == nil {
		return nil, fmt.Errorf("%w: no CanonicalizationMethod", ErrUnsupported)
	}
	comments, ok := excAlgorithm(cm.SelectAttrValue("Algorithm", ""))
	if !ok {
		return nil, fmt.Errorf("%w: CanonicalizationMethod %q", ErrUnsupported, cm.SelectAttrValue("Algorithm", ""))
	}
	var err error
	if ex.SignedInfo, err = excC14N(si, prefixList(cm), comments); err != nil {
		return nil, err
	}
	ids := indexIDs(&doc.Element)
	for _, ref := range si.ChildElements() {
		if ref.Tag != "Reference" || ref.NamespaceURI() != NSDSig {
			continue
		}
		ex.References = append(ex.References, explainReference(ref, ids))
	}
	return ex, nil
}

func explainReference(ref *etree.Element, ids map[string][]*etree.Element) ReferenceDigest {
	r := ReferenceDigest{URI: ref.SelectAttrValue("URI", "")}
	if dm := childNS(ref, NSDSig, "DigestMethod"); dm != nil {
		r.DigestMethod = dm.SelectAttrValue("Algorithm", "")
	}
	if dv := childNS(ref, NSDSig, "DigestValue"); dv != nil {
		v, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(dv.Text()), ""))
		if err != nil {
			r.Err = fmt.Errorf("%w: %v", ErrDigestFormat, err)
			return r
		}
		r.DigestValue = v
	}

	id, keepComments := r.URI, false
	switch {
	case strings.HasPrefix(id, "#xpointer(id('") && strings.HasSuffix(id, "'))"):
		id, keepComments = strings.TrimSuffix(strings.TrimPrefix(id, "#xpointer(id('"), "'))"), true
	case strings.HasPrefix(id, "#") && len(id) > 1:
		id = id[1:]
	default:
		r.Err = fmt.Errorf("%w: URI %q is not a same-document ID reference", ErrReference, r.URI)
		return r
	}
	targets := ids[id]
	if len(targets) != 1 {
		r.Err = fmt.Errorf("%w: %d elements have the ID %q", ErrReference, len(targets), id)
		return r
	}
	target := targets[0]
	r.Element = target.FullTag()
	for e := target; e != nil && e.Tag != ""; e = e.Parent() {
		r.Path = append([]xml.Name{{Space: e.NamespaceURI(), Local: e.Tag}}, r.Path...)
	}

	comments := false
	var transforms *etree.Element
	if transforms = childNS(ref, NSDSig, "Transforms"); transforms == nil || len(transforms.ChildElements()) == 0 {
		r.Err = fmt.Errorf("%w: no transform (socred expects Exclusive C14N)", ErrUnsupported)
		return r
	}
	for _, t := range transforms.ChildElements() {
		alg := t.SelectAttrValue("Algorithm", "")
		r.Transforms = append(r.Transforms, alg)
		c, ok := excAlgorithm(alg)
		if !ok {
			r.Err = fmt.Errorf("%w: transform %q", ErrUnsupported, alg)
			return r
		}
		comments = c && keepComments
	}
	r.PrefixList = strings.Join(referencePrefixes(ref), " ")
	c14n, err := excC14N(target, referencePrefixes(ref), comments)
	if err != nil {
		r.Err = err
		return r
	}
	r.Canonical = c14n
	if r.DigestMethod == AlgSHA256 {
		sum := sha256.Sum256(c14n)
		r.Digest = sum[:]
	}
	return r
}

// excAlgorithm reports whether alg is Exclusive C14N and whether it keeps
// comments.
func excAlgorithm(alg string) (comments, ok bool) {
	switch alg {
	case AlgExcC14N:
		return false, true
	case AlgExcC14NWithComments:
		return true, true
	}
	return false, false
}

// referencePrefixes returns the PrefixList of a Reference's last Exclusive
// C14N transform.
func referencePrefixes(ref *etree.Element) []string {
	var list []string
	if ts := childNS(ref, NSDSig, "Transforms"); ts != nil {
		for _, t := range ts.ChildElements() {
			list = prefixList(t)
		}
	}
	return list
}

// prefixList returns the PrefixList of the InclusiveNamespaces child of a
// Transform or CanonicalizationMethod.
func prefixList(method *etree.Element) []string {
	if in := childNS(method, NSExcNS, "InclusiveNamespaces"); in != nil {
		return strings.Fields(in.SelectAttrValue("PrefixList", ""))
	}
	return nil
}

// indexIDs maps each Id or wsu:Id value in the document to the elements
// that carry it. More than one element per ID is kept, so that a
// reference to a duplicated ID (the trace of a wrapping attack) fails.
func indexIDs(root *etree.Element) map[string][]*etree.Element {
	ids := map[string][]*etree.Element{}
	var walk func(*etree.Element)
	walk = func(e *etree.Element) {
		for _, a := range e.Attr {
			if a.Key == "Id" && (a.Space == "" || a.NamespaceURI() == NSWSU) {
				ids[a.Value] = append(ids[a.Value], e)
			}
		}
		for _, c := range e.ChildElements() {
			walk(c)
		}
	}
	walk(root)
	return ids
}

// childNS returns el's first child element with the namespace and name.
func childNS(el *etree.Element, ns, local string) *etree.Element {
	for _, c := range el.ChildElements() {
		if c.Tag == local && c.NamespaceURI() == ns {
			return c
		}
	}
	return nil
}

// findNS returns the first element at or below el, in document order, with
// the namespace and name.
func findNS(el *etree.Element, ns, local string) *etree.Element {
	if el.Tag == local && el.NamespaceURI() == ns {
		return el
	}
	for _, c := range el.ChildElements() {
		if f := findNS(c, ns, local); f != nil {
			return f
		}
	}
	return nil
}
