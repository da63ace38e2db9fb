package wssec

import (
	"socred/soap"

	"socred/internal/xmltree"

	"bytes"
	"encoding/base64"
	"errors"
	"strings"

	"socred/internal/minifmt"
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
	Path         []soap.Name
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
//
// The canonical SignedInfo and every reference's canonical bytes together
// may come to at most MaxCanonical bytes: Explain fails with
// ErrCanonicalTooLarge when the SignedInfo passes it, and a reference that
// would pass it gets that as its Err (as do the ones after it).
func Explain(signed []byte) (*Explanation, error) {
	return explain(signed, true)
}

// ExplainSignedInfo is Explain without following the references: it
// canonicalises only the SignedInfo, and each reference holds what the
// message states (URI, Transforms, PrefixList, DigestMethod, DigestValue)
// with Element, Path, Canonical and Digest left empty. A verifier checks
// the SignatureValue over SignedInfo first and calls Explain only for a
// message whose signature verifies, so that a sender without the key cannot
// make it canonicalise anything but the SignedInfo.
func ExplainSignedInfo(signed []byte) (*Explanation, error) {
	return explain(signed, false)
}

func explain(signed []byte, follow bool) (*Explanation, error) {
	root, err := xmltree.ParseRaw(signed)
	if err != nil {
		return nil, err
	}
	sig := root.Find(NSDSig, "Signature")
	if sig == nil {
		return nil, ErrNoSignature
	}
	si := sig.Child(NSDSig, "SignedInfo")
	if si == nil {
		return nil, minifmt.Errorf("%w: ds:Signature without ds:SignedInfo", ErrNoSignature)
	}
	ex := &Explanation{}
	if m := si.Child(NSDSig, "SignatureMethod"); m != nil {
		ex.SignatureMethod = m.AttrValue("Algorithm")
	}
	cm := si.Child(NSDSig, "CanonicalizationMethod")
	if cm == nil {
		return nil, minifmt.Errorf("%w: no CanonicalizationMethod", ErrUnsupported)
	}
	comments, ok := excAlgorithm(cm.AttrValue("Algorithm"))
	if !ok {
		return nil, minifmt.Errorf("%w: CanonicalizationMethod %q", ErrUnsupported, cm.AttrValue("Algorithm"))
	}
	budget := MaxCanonical
	if ex.SignedInfo, err = excC14N(si, prefixList(cm), comments, &budget); err != nil {
		return nil, err
	}
	var ids map[string][]*xmltree.Element
	if follow {
		ids = indexIDs(root)
	}
	for _, ref := range si.Children() {
		if !ref.Is(NSDSig, "Reference") {
			continue
		}
		r := statedReference(ref)
		if follow && r.Err == nil {
			followReference(&r, ref, ids, &budget)
		}
		ex.References = append(ex.References, r)
	}
	return ex, nil
}

// statedReference returns what a Reference states, with Err set when its
// DigestValue is not base64.
func statedReference(ref *xmltree.Element) ReferenceDigest {
	r := ReferenceDigest{URI: ref.AttrValue("URI")}
	if dm := ref.Child(NSDSig, "DigestMethod"); dm != nil {
		r.DigestMethod = dm.AttrValue("Algorithm")
	}
	if transforms := ref.Child(NSDSig, "Transforms"); transforms != nil {
		for _, t := range transforms.Children() {
			r.Transforms = append(r.Transforms, t.AttrValue("Algorithm"))
		}
	}
	r.PrefixList = strings.Join(referencePrefixes(ref), " ")
	if dv := ref.Child(NSDSig, "DigestValue"); dv != nil {
		v, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(dv.Text()), ""))
		if err != nil {
			r.Err = minifmt.Errorf("%w: %v", ErrDigestFormat, err)
			return r
		}
		r.DigestValue = v
	}
	return r
}

// followReference resolves r's URI among ids, applies its transforms and
// digests the result, taking the canonical bytes from budget; a problem is
// left in r.Err.
func followReference(r *ReferenceDigest, ref *xmltree.Element, ids map[string][]*xmltree.Element, budget *int) {
	id, keepComments := r.URI, false
	switch {
	case strings.HasPrefix(id, "#xpointer(id('") && strings.HasSuffix(id, "'))"):
		id, keepComments = strings.TrimSuffix(strings.TrimPrefix(id, "#xpointer(id('"), "'))"), true
	case strings.HasPrefix(id, "#") && len(id) > 1:
		id = id[1:]
	default:
		r.Err = minifmt.Errorf("%w: URI %q is not a same-document ID reference", ErrReference, r.URI)
		return
	}
	targets := ids[id]
	if len(targets) != 1 {
		r.Err = minifmt.Errorf("%w: %d elements have the ID %q", ErrReference, len(targets), id)
		return
	}
	target := targets[0]
	r.Element = target.QName()
	for e := target; e != nil; e = e.Parent {
		r.Path = append([]soap.Name{{Space: e.NS(), Local: e.Name.Local}}, r.Path...)
	}

	comments := false
	if len(r.Transforms) == 0 {
		r.Err = minifmt.Errorf("%w: no transform (socred expects Exclusive C14N)", ErrUnsupported)
		return
	}
	for _, alg := range r.Transforms {
		c, ok := excAlgorithm(alg)
		if !ok {
			r.Err = minifmt.Errorf("%w: transform %q", ErrUnsupported, alg)
			return
		}
		comments = c && keepComments
	}
	c14n, err := excC14N(target, referencePrefixes(ref), comments, budget)
	if err != nil {
		r.Err = err
		return
	}
	r.Canonical = c14n
	if r.DigestMethod == AlgSHA256 {
		sum := sha256Sum(c14n)
		r.Digest = sum[:]
	}
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
func referencePrefixes(ref *xmltree.Element) []string {
	var list []string
	if ts := ref.Child(NSDSig, "Transforms"); ts != nil {
		for _, t := range ts.Children() {
			list = prefixList(t)
		}
	}
	return list
}

// prefixList returns the PrefixList of the InclusiveNamespaces child of a
// Transform or CanonicalizationMethod.
func prefixList(method *xmltree.Element) []string {
	if in := method.Child(NSExcNS, "InclusiveNamespaces"); in != nil {
		return strings.Fields(in.AttrValue("PrefixList"))
	}
	return nil
}

// indexIDs maps each Id or wsu:Id value in the document to the elements
// that carry it. More than one element per ID is kept, so that a
// reference to a duplicated ID (the trace of a wrapping attack) fails.
func indexIDs(root *xmltree.Element) map[string][]*xmltree.Element {
	ids := map[string][]*xmltree.Element{}
	root.Walk(func(e *xmltree.Element) {
		for _, a := range e.Attr {
			if a.Name.Local == "Id" && (a.Name.Space == "" || e.Namespace(a.Name.Space) == NSWSU) {
				ids[a.Value] = append(ids[a.Value], e)
			}
		}
	})
	return ids
}
