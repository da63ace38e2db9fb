package soap

import (
	"strings"
)

// xelem is one element of a document read for signing and explaining
// signatures. Unlike node (tree.go), it keeps the document as written:
// names with their prefixes, every attribute including namespace
// declarations in their order, text, comments and processing instructions
// in order, and where the start tag lies in the bytes, so that Sign can
// splice into the bytes and the canonicaliser can see everything Exclusive
// C14N needs.
type xelem struct {
	name    Name   // as written: Space is the prefix
	attr    []Attr // as written (Name.Space is the prefix), declarations included
	content []xitem
	parent  *xelem
	decls   map[string]string // prefix ("" the default) → namespace declared here; nil when none
	start   int               // offset of the start tag's '<'
	tagEnd  int               // offset just past the start tag's '>'
}

// xitem is one piece of an element's content: a child element, text (with
// character and entity references resolved), a comment or a processing
// instruction.
type xitem struct {
	kind byte // one of the item* constants
	el   *xelem
	text string // the text, the comment, or the PI's target
	inst string // the PI's instruction
}

const (
	itemElement = iota
	itemText
	itemComment
	itemProcInst
)

// readXML reads a whole document as xelems, within scanXML's limits.
func readXML(body []byte) (*xelem, error) {
	var root, cur *xelem
	err := scanXML(body, xmlHandlers{
		start: func(name Name, attr []Attr, begin, end int) {
			e := &xelem{name: name, attr: attr, parent: cur, start: begin, tagEnd: end}
			for _, a := range attr {
				if isNSDecl(a) {
					if e.decls == nil {
						e.decls = map[string]string{}
					}
					e.decls[declaredPrefix(a)] = a.Value
				}
			}
			if cur != nil {
				cur.content = append(cur.content, xitem{kind: itemElement, el: e})
			} else {
				root = e
			}
			cur = e
		},
		end: func() { cur = cur.parent },
		text: func(t []byte) {
			cur.content = append(cur.content, xitem{kind: itemText, text: string(t)})
		},
		other: func(kind byte, text, inst string) {
			cur.content = append(cur.content, xitem{kind: kind, text: text, inst: inst})
		},
	})
	if err != nil {
		return nil, err
	}
	return root, nil
}

// isNSDecl reports whether a is a namespace declaration (xmlns or xmlns:p).
func isNSDecl(a Attr) bool {
	return a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns")
}

// declaredPrefix returns the prefix a namespace declaration binds, "" for
// the default namespace.
func declaredPrefix(a Attr) string {
	if a.Name.Space == "xmlns" {
		return a.Name.Local
	}
	return ""
}

// declared returns the namespace e itself declares for prefix ("" is the
// default namespace).
//
//go:noinline
func (e *xelem) declared(prefix string) (string, bool) {
	uri, ok := e.decls[prefix]
	return uri, ok
}

// lookup returns the namespace bound to prefix where e is, and whether a
// declaration binds it (no prefix is predeclared).
//
//go:noinline
func (e *xelem) lookup(prefix string) (string, bool) {
	for m := e; m != nil; m = m.parent {
		if uri, ok := m.declared(prefix); ok {
			return uri, true
		}
	}
	return "", false
}

// namespace returns the namespace bound to prefix where e is, "" when none
// is (as etree's NamespaceURI does).
//
//go:noinline
func (e *xelem) namespace(prefix string) string {
	uri, _ := e.lookup(prefix)
	return uri
}

// ns returns e's namespace.
func (e *xelem) ns() string { return e.namespace(e.name.Space) }

// is reports whether e is the element local in namespace ns.
func (e *xelem) is(ns, local string) bool { return e.name.Local == local && e.ns() == ns }

// qname returns e's name as written, e.g. "soap:Body".
func (e *xelem) qname() string { return rawName(e.name) }

// children returns e's child elements.
//
//go:noinline
func (e *xelem) children() []*xelem {
	var list []*xelem
	for _, c := range e.content {
		if c.kind == itemElement {
			list = append(list, c.el)
		}
	}
	return list
}

// child returns e's first child element local in namespace ns.
func (e *xelem) child(ns, local string) *xelem {
	for _, c := range e.content {
		if c.kind == itemElement && c.el.is(ns, local) {
			return c.el
		}
	}
	return nil
}

// attrValue returns the value of e's unprefixed attribute local, "" when
// there is none.
//
//go:noinline
func (e *xelem) attrValue(local string) string {
	for _, a := range e.attr {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// text returns the text at the start of e's content, up to its first child
// element or processing instruction (comments are skipped), as etree's
// Element.Text does.
func (e *xelem) text() string {
	var b strings.Builder
	for _, c := range e.content {
		switch c.kind {
		case itemText:
			b.WriteString(c.text)
		case itemComment:
		default:
			return b.String()
		}
	}
	return b.String()
}

// find returns the first element at or below e, in document order, local in
// namespace ns.
func (e *xelem) find(ns, local string) *xelem {
	if e.is(ns, local) {
		return e
	}
	for _, c := range e.content {
		if c.kind == itemElement {
			if f := c.el.find(ns, local); f != nil {
				return f
			}
		}
	}
	return nil
}

// walk calls f for e and every element below it, in document order.
func (e *xelem) walk(f func(*xelem)) {
	f(e)
	for _, c := range e.content {
		if c.kind == itemElement {
			c.el.walk(f)
		}
	}
}
