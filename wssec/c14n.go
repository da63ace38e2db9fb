package wssec

import (
	"socred/internal/xmltree"

	"errors"
	"io"
	"strings"

	"socred/internal/minifmt"
)

// Algorithm URIs of XML-DSig and Exclusive XML Canonicalization.
const (
	// AlgExcC14N is Exclusive XML Canonicalization 1.0, without comments.
	AlgExcC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
	// AlgExcC14NWithComments is Exclusive XML Canonicalization 1.0 with comments.
	AlgExcC14NWithComments = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
)

// MaxCanonical bounds the canonical XML that one signature needs, its
// SignedInfo and every reference together: four times MaxBody, room for a
// 4 MiB envelope whose text is all escaped. Canonical XML can be far larger
// than the document it comes from (see excC14N), so a bound on the input
// alone bounds nothing.
const MaxCanonical = 4 * xmltree.MaxBody

// Canonicalisation sentinels.
var (
	// ErrUndeclaredPrefix is returned when a canonicalised element or
	// attribute uses a namespace prefix that no ancestor declares.
	ErrUndeclaredPrefix = errors.New("soap: undeclared namespace prefix")
	// ErrCanonicalTooLarge is returned when canonicalising would write more
	// than MaxCanonical bytes for one signature.
	ErrCanonicalTooLarge = errors.New("soap: canonical XML of the signature larger than 16 MiB")
)

const nsXML = "http://www.w3.org/XML/1998/namespace"

// excC14N returns the Exclusive XML Canonicalization 1.0 of the subtree
// rooted at el (el, its attributes and all its descendants, the namespace
// context coming from el's ancestors), as a reference to el by ID selects
// it. prefixes is the InclusiveNamespaces PrefixList ("#default" names the
// default namespace); comments says whether comments are kept.
//
// The rules (https://www.w3.org/TR/xml-exc-c14n/ §3, with Canonical XML 1.0
// §2.3 for the serialisation): a namespace declaration is written on an
// element when the element or one of its attributes uses the prefix (or the
// prefix is in the PrefixList and in scope) and the nearest output ancestor
// did not already write the same binding; declarations are sorted by prefix
// with the default first, attributes by namespace URI then local name; xml:*
// attributes are not inherited; empty elements get an end tag; text and
// attribute values are escaped as the recommendation says.
//
// Namespaces in scope are looked up through the elements' own declarations
// (at most MaxDepth levels) and what the output ancestors wrote is kept as
// one layer per element that wrote any, so the time is linear in the size
// of the output. The output, though, is not linear in the input: a
// namespace declared outside the subtree is written again on every element
// of it that uses the prefix and has no output ancestor that wrote it, so
// one 1 MB namespace URI used by 1,000 sibling elements is 1 GB of canonical
// text. budget is therefore the number of bytes the caller still allows
// (callers share one across a signature, starting at MaxCanonical); excC14N
// takes what it writes from it, failed or not, and stops with
// ErrCanonicalTooLarge, leaving nothing of the budget, before it would
// write more.
func excC14N(el *xmltree.Element, prefixes []string, comments bool, budget *int) ([]byte, error) {
	c := &canonicaliser{comments: comments, inclusive: map[string]bool{}, out: c14nOut{limit: *budget}}
	for _, p := range prefixes {
		if p == "#default" {
			p = ""
		}
		c.inclusive[p] = true
	}
	err := c.element(el, nil, true)
	// What was written is spent even when the element fails, and output
	// past the limit spends it all: a reference repeated many times over
	// an element that fails late must not cost the work again and again.
	*budget -= len(c.out.buf)
	if c.out.over {
		*budget = 0
	}
	if err != nil {
		return nil, err
	}
	return c.out.buf, nil
}

// c14nOut is the canonicaliser's output: it takes no more than limit bytes
// and grows by doubling up to the limit, never past it, so that refusing an
// oversized canonical form costs at most about twice the limit in memory.
// Once a write would pass the limit, over is set and nothing more is kept.
type c14nOut struct {
	buf   []byte
	limit int
	over  bool
}

func (o *c14nOut) room(n int) bool {
	if o.over || len(o.buf)+n > o.limit {
		o.over = true
		return false
	}
	if len(o.buf)+n > cap(o.buf) {
		c := max(2*cap(o.buf), len(o.buf)+n, 512)
		grown := make([]byte, len(o.buf), min(c, o.limit))
		copy(grown, o.buf)
		o.buf = grown
	}
	return true
}

// WriteString appends s, or sets over; it never fails otherwise.
func (o *c14nOut) WriteString(s string) (int, error) {
	if !o.room(len(s)) {
		return 0, ErrCanonicalTooLarge
	}
	o.buf = append(o.buf, s...)
	return len(s), nil
}

// WriteByte appends b, or sets over.
func (o *c14nOut) WriteByte(b byte) error {
	if !o.room(1) {
		return ErrCanonicalTooLarge
	}
	o.buf = append(o.buf, b)
	return nil
}

// tooLarge is the error for output past the limit, naming the element being
// written.
func tooLarge(el *xmltree.Element) error {
	return minifmt.Errorf("%w: stopped at element %s", ErrCanonicalTooLarge, el.QName())
}

// rendering is what the output ancestors of an element declared: one layer
// per element that declared anything, the nearest first.
type rendering struct {
	parent *rendering
	decls  map[string]string
}

func (r *rendering) lookup(prefix string) (string, bool) {
	for ; r != nil; r = r.parent {
		if uri, ok := r.decls[prefix]; ok {
			return uri, true
		}
	}
	return "", false
}

type canonicaliser struct {
	out       c14nOut
	comments  bool
	inclusive map[string]bool
}

type c14nAttr struct {
	uri, qname, local, value string
}

// element writes el. rendered holds the declarations its output ancestors
// wrote; apex says el is the root of the output.
func (c *canonicaliser) element(el *xmltree.Element, rendered *rendering, apex bool) error {
	// Prefixes that need a declaration here: the element's own, its
	// attributes', and the PrefixList's that are in scope. A PrefixList
	// prefix can only need one at the apex or where it is declared anew.
	need := map[string]bool{el.Name.Space: true}
	var attrs []c14nAttr
	for _, a := range el.Attr {
		if xmltree.IsNSDecl(a) {
			if p := xmltree.DeclaredPrefix(a); c.inclusive[p] && !apex {
				need[p] = true
			}
			continue
		}
		ca := c14nAttr{qname: xmltree.RawName(a.Name), local: a.Name.Local, value: a.Value}
		switch a.Name.Space {
		case "":
		case "xml":
			ca.uri = nsXML
		default:
			uri, ok := el.Lookup(a.Name.Space)
			if !ok {
				return minifmt.Errorf("%w %q on attribute %s", ErrUndeclaredPrefix, a.Name.Space, ca.qname)
			}
			ca.uri = uri
			need[a.Name.Space] = true
		}
		attrs = append(attrs, ca)
	}
	if apex {
		for p := range c.inclusive {
			if _, ok := el.Lookup(p); ok {
				need[p] = true
			}
		}
	}

	var decls []string
	var layer map[string]string
	for p := range need {
		if p == "xml" {
			continue
		}
		uri, ok := el.Lookup(p)
		if !ok && p != "" {
			return minifmt.Errorf("%w %q on element %s", ErrUndeclaredPrefix, p, el.QName())
		}
		if prev, done := rendered.lookup(p); (done || p == "") && prev == uri {
			continue
		}
		if layer == nil {
			layer = map[string]string{}
		}
		layer[p] = uri
		decls = append(decls, p)
	}
	if layer != nil {
		rendered = &rendering{parent: rendered, decls: layer}
	}
	heapSort(decls, compareStrings)
	heapSort(attrs, func(a, b c14nAttr) int {
		if d := strings.Compare(a.uri, b.uri); d != 0 {
			return d
		}
		return strings.Compare(a.local, b.local)
	})

	qname := el.QName()
	o := &c.out
	o.WriteByte('<')
	o.WriteString(qname)
	for _, p := range decls {
		if p == "" {
			o.WriteString(` xmlns="`)
		} else {
			o.WriteString(` xmlns:` + p + `="`)
		}
		escapeC14N(o, layer[p], true)
		o.WriteByte('"')
	}
	for _, a := range attrs {
		o.WriteString(" " + a.qname + `="`)
		escapeC14N(o, a.value, true)
		o.WriteByte('"')
	}
	o.WriteByte('>')
	if o.over {
		return tooLarge(el)
	}
	for _, t := range el.Content {
		switch t.Kind {
		case xmltree.ItemElement:
			if err := c.element(t.El, rendered, false); err != nil {
				return err
			}
		case xmltree.ItemText:
			escapeC14N(o, t.Text, false)
		case xmltree.ItemComment:
			if c.comments {
				o.WriteString("<!--" + t.Text + "-->")
			}
		case xmltree.ItemProcInst:
			o.WriteString("<?" + t.Text)
			if t.Inst != "" {
				o.WriteString(" " + t.Inst)
			}
			o.WriteString("?>")
		}
		if o.over {
			return tooLarge(el)
		}
	}
	o.WriteString("</" + qname + ">")
	if o.over {
		return tooLarge(el)
	}
	return nil
}

// escapeC14N escapes text or an attribute value as Canonical XML 1.0 §2.3
// says.
func escapeC14N(b io.StringWriter, s string, attr bool) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			if attr {
				continue
			}
			esc = "&gt;"
		case '"':
			if !attr {
				continue
			}
			esc = "&quot;"
		case '\t':
			if !attr {
				continue
			}
			esc = "&#x9;"
		case '\n':
			if !attr {
				continue
			}
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}
