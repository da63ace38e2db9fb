package xmltree

import (
	"strings"
)

// Element is one element of a document read for signing and explaining
// signatures. Unlike node (tree.go), it keeps the document as written:
// names with their prefixes, every attribute including namespace
// declarations in their order, text, comments and processing instructions
// in order, and where the start tag lies in the bytes, so that Sign can
// splice into the bytes and the canonicaliser can see everything Exclusive
// C14N needs.
type Element struct {
	Name    Name   // as written: Space is the prefix
	Attr    []Attr // as written (Name.Space is the prefix), declarations included
	Content []Item
	Parent  *Element
	decls   map[string]string // prefix ("" the default) → namespace declared here; nil when none
	Start   int               // offset of the start tag's '<'
	TagEnd  int               // offset just past the start tag's '>'
}

// Item is one piece of an element's content: a child element, text (with
// character and entity references resolved), a comment or a processing
// instruction.
type Item struct {
	Kind byte // one of the Item* constants
	El   *Element
	Text string // the text, the comment, or the PI's target
	Inst string // the PI's instruction
}

const (
	ItemElement = iota
	ItemText
	ItemComment
	ItemProcInst
)

// ParseRaw reads a whole document as Elements, within scanXML's limits.
func ParseRaw(body []byte) (*Element, error) {
	var root, cur *Element
	err := scanXML(body, xmlHandlers{
		start: func(name Name, attr []Attr, begin, end int) {
			e := &Element{Name: name, Attr: attr, Parent: cur, Start: begin, TagEnd: end}
			for _, a := range attr {
				if IsNSDecl(a) {
					if e.decls == nil {
						e.decls = map[string]string{}
					}
					e.decls[DeclaredPrefix(a)] = a.Value
				}
			}
			if cur != nil {
				cur.Content = append(cur.Content, Item{Kind: ItemElement, El: e})
			} else {
				root = e
			}
			cur = e
		},
		end: func() { cur = cur.Parent },
		text: func(t []byte) {
			cur.Content = append(cur.Content, Item{Kind: ItemText, Text: string(t)})
		},
		other: func(kind byte, text, inst string) {
			cur.Content = append(cur.Content, Item{Kind: kind, Text: text, Inst: inst})
		},
	})
	if err != nil {
		return nil, err
	}
	return root, nil
}

// IsNSDecl reports whether a is a namespace declaration (xmlns or xmlns:p).
func IsNSDecl(a Attr) bool {
	return a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns")
}

// DeclaredPrefix returns the prefix a namespace declaration binds, "" for
// the default namespace.
func DeclaredPrefix(a Attr) string {
	if a.Name.Space == "xmlns" {
		return a.Name.Local
	}
	return ""
}

// Declared returns the namespace e itself declares for prefix ("" is the
// default namespace).
//
//go:noinline
func (e *Element) Declared(prefix string) (string, bool) {
	uri, ok := e.decls[prefix]
	return uri, ok
}

// Lookup returns the namespace bound to prefix where e is, and whether a
// declaration binds it (no prefix is predeclared).
//
//go:noinline
func (e *Element) Lookup(prefix string) (string, bool) {
	for m := e; m != nil; m = m.Parent {
		if uri, ok := m.Declared(prefix); ok {
			return uri, true
		}
	}
	return "", false
}

// Namespace returns the Namespace bound to prefix where e is, "" when none
// is (as etree's NamespaceURI does).
//
//go:noinline
func (e *Element) Namespace(prefix string) string {
	uri, _ := e.Lookup(prefix)
	return uri
}

// NS returns e's namespace.
func (e *Element) NS() string { return e.Namespace(e.Name.Space) }

// Is reports whether e Is the element local in namespace ns.
func (e *Element) Is(ns, local string) bool { return e.Name.Local == local && e.NS() == ns }

// QName returns e's name as written, e.g. "soap:Body".
func (e *Element) QName() string { return RawName(e.Name) }

// Children returns e's child elements.
//
//go:noinline
func (e *Element) Children() []*Element {
	var list []*Element
	for _, c := range e.Content {
		if c.Kind == ItemElement {
			list = append(list, c.El)
		}
	}
	return list
}

// Child returns e's first Child element local in namespace ns.
func (e *Element) Child(ns, local string) *Element {
	for _, c := range e.Content {
		if c.Kind == ItemElement && c.El.Is(ns, local) {
			return c.El
		}
	}
	return nil
}

// AttrValue returns the value of e's unprefixed attribute local, "" when
// there is none.
//
//go:noinline
func (e *Element) AttrValue(local string) string {
	for _, a := range e.Attr {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// Text returns the Text at the start of e's content, up to its first child
// element or processing instruction (comments are skipped), as etree's
// Element.Text does.
func (e *Element) Text() string {
	var b strings.Builder
	for _, c := range e.Content {
		switch c.Kind {
		case ItemText:
			b.WriteString(c.Text)
		case ItemComment:
		default:
			return b.String()
		}
	}
	return b.String()
}

// Find returns the first element at or below e, in document order, local in
// namespace ns.
func (e *Element) Find(ns, local string) *Element {
	if e.Is(ns, local) {
		return e
	}
	for _, c := range e.Content {
		if c.Kind == ItemElement {
			if f := c.El.Find(ns, local); f != nil {
				return f
			}
		}
	}
	return nil
}

// Walk calls f for e and every element below it, in document order.
func (e *Element) Walk(f func(*Element)) {
	f(e)
	for _, c := range e.Content {
		if c.Kind == ItemElement {
			c.El.Walk(f)
		}
	}
}
