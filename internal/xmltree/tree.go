package xmltree

import (
	"strings"
)

// Node is one element of a parsed document. Only what the readers need is
// kept: the resolved name, attributes, the text directly inside, the
// children, and the namespace declarations in scope (to resolve QName values
// such as a fault code).
type Node struct {
	Name     Name
	Attr     []Attr
	Text     string
	Children []*Node
	parent   *Node
	at       int               // len(parent.Text) when this element began (mixed content order)
	text     strings.Builder   // Text while the element is open: appending to a string would be quadratic
	ns       map[string]string // prefix → URI declared on this element
}

// Parse reads a whole document into nodes, within scanXML's limits.
func Parse(body []byte) (*Node, error) {
	var root, cur *Node
	err := scanXML(body, xmlHandlers{
		start: func(name Name, attr []Attr, _, _ int) {
			n := &Node{parent: cur}
			for _, a := range attr {
				if IsNSDecl(a) {
					n.declare(DeclaredPrefix(a), a.Value)
				}
			}
			n.Name = n.resolve(name, true)
			for _, a := range attr {
				if !IsNSDecl(a) {
					n.Attr = append(n.Attr, Attr{Name: n.resolve(a.Name, false), Value: a.Value})
				}
			}
			if cur != nil {
				n.at = cur.text.Len()
				cur.Children = append(cur.Children, n)
			} else {
				root = n
			}
			cur = n
		},
		end: func() {
			cur.Text = cur.text.String()
			cur.text = strings.Builder{}
			cur = cur.parent
		},
		text: func(t []byte) { cur.text.Write(t) },
	})
	if err != nil {
		return nil, err
	}
	return root, nil
}

func (n *Node) declare(prefix, uri string) {
	if n.ns == nil {
		n.ns = map[string]string{}
	}
	n.ns[prefix] = uri
}

// lookup returns the namespace bound to prefix where n is.
func (n *Node) lookup(prefix string) (string, bool) {
	switch prefix {
	case "xml":
		return "http://www.w3.org/XML/1998/namespace", true
	case "xmlns":
		return "http://www.w3.org/2000/xmlns/", true
	}
	for m := n; m != nil; m = m.parent {
		if uri, ok := m.ns[prefix]; ok {
			return uri, true
		}
	}
	return "", prefix == ""
}

// resolve turns a raw (prefix, local) name into (namespace, local). Unprefixed
// attributes are in no namespace; an undeclared prefix is kept as is, which
// later matching treats as "not ours".
func (n *Node) resolve(raw Name, element bool) Name {
	if raw.Space == "" && !element {
		return raw
	}
	if uri, ok := n.lookup(raw.Space); ok {
		return Name{Space: uri, Local: raw.Local}
	}
	return Name{Space: "undeclared:" + raw.Space, Local: raw.Local}
}

// QName resolves a QName value such as "a:ActionNotSupported" in n's scope.
func (n *Node) QName(value string) Name {
	value = strings.TrimSpace(value)
	prefix, local, ok := strings.Cut(value, ":")
	if !ok {
		prefix, local = "", value
	}
	uri, _ := n.lookup(prefix)
	return Name{Space: uri, Local: local}
}

// Child returns the first Child in namespace space with the local name.
//
//go:noinline
func (n *Node) Child(space, local string) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Name.Local == local && c.Name.Space == space {
			return c
		}
	}
	return nil
}

// AttrValue returns the value of the attribute in namespace space.
func (n *Node) AttrValue(space, local string) (string, bool) {
	for _, a := range n.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// nsInstance is the XML Schema instance namespace (xsi:nil).
const nsInstance = "http://www.w3.org/2001/XMLSchema-instance"

// IsNil reports an xsi:nil="true" element.
func (n *Node) IsNil() bool {
	v, _ := n.AttrValue(nsInstance, "nil")
	v = strings.TrimSpace(v)
	return v == "true" || v == "1"
}

// InnerText is all the text inside n, in document order, white space folded:
// a fault's detail as people can read it.
func (n *Node) InnerText() string {
	var b strings.Builder
	var walk func(*Node)
	walk = func(m *Node) {
		last := 0
		for _, c := range m.Children {
			b.WriteString(m.Text[last:c.at])
			b.WriteByte(' ')
			last = c.at
			walk(c)
		}
		b.WriteString(m.Text[last:])
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
