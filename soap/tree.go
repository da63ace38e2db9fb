package soap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits on what socred will read. They bound time and memory whatever the
// server (or anything in its place) sends.
const (
	MaxBody     = 4 << 20         // bytes of a response or request body
	MaxDepth    = 64              // element nesting
	MaxElements = 100_000         // elements in one document
	MaxTokens   = 4 * MaxElements // tokens (tags, text runs, comments, …) in one document
)

// Parsing sentinels, wrapped by the errors the parsers return.
var (
	ErrTooLarge   = errors.New("soap: body larger than 4 MiB")
	ErrDTD        = errors.New("soap: document type declarations are not accepted")
	ErrTooDeep    = errors.New("soap: elements nested too deeply")
	ErrTooMany    = errors.New("soap: too many elements or tokens")
	ErrNotXML     = errors.New("soap: not well-formed XML")
	ErrNotSOAP    = errors.New("soap: not a SOAP envelope")
	ErrMalformed  = errors.New("soap: response does not match the contract")
	ErrNoEnvelope = ErrNotSOAP
)

// node is one element of a parsed document. Only what the readers need is
// kept: the resolved name, attributes, the text directly inside, the
// children, and the namespace declarations in scope (to resolve QName values
// such as a fault code).
type node struct {
	Name     xml.Name
	Attr     []xml.Attr
	Text     string
	Children []*node
	parent   *node
	raw      xml.Name          // the name as written, to match the end tag
	at       int               // len(parent.Text) when this element began (mixed content order)
	text     strings.Builder   // Text while the element is open: appending to a string would be quadratic
	ns       map[string]string // prefix → URI declared on this element
}

// parseTree reads a whole document into nodes, refusing DTDs, documents
// nested deeper than MaxDepth, with more than MaxElements elements or larger
// than MaxBody bytes.
func parseTree(body []byte) (*node, error) {
	if len(body) > MaxBody {
		return nil, ErrTooLarge
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	d.CharsetReader = func(charset string, _ io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("encoding %q is not supported, only UTF-8", charset)
	}
	var root, cur *node
	count := 0
	tokens := 0
	depth := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotXML, err)
		}
		if tokens++; tokens > MaxTokens {
			return nil, ErrTooMany
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && cur == nil {
				return nil, fmt.Errorf("%w: more than one root element", ErrNotXML)
			}
			count++
			depth++
			if count > MaxElements {
				return nil, ErrTooMany
			}
			if depth > MaxDepth {
				return nil, ErrTooDeep
			}
			n := &node{parent: cur, raw: t.Name}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					n.declare(a.Name.Local, a.Value)
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					n.declare("", a.Value)
				}
			}
			n.Name = n.resolve(t.Name, true)
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue
				}
				n.Attr = append(n.Attr, xml.Attr{Name: n.resolve(a.Name, false), Value: a.Value})
			}
			if cur != nil {
				n.at = cur.text.Len()
				cur.Children = append(cur.Children, n)
			} else {
				root = n
			}
			cur = n
		case xml.EndElement:
			if cur == nil || cur.raw != t.Name {
				return nil, fmt.Errorf("%w: unexpected end tag </%s>", ErrNotXML, rawName(t.Name))
			}
			depth--
			cur.Text = cur.text.String()
			cur.text = strings.Builder{}
			cur = cur.parent
		case xml.CharData:
			if cur != nil {
				cur.text.Write(t)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, fmt.Errorf("%w: text outside the root element", ErrNotXML)
			}
		case xml.Directive:
			return nil, ErrDTD
		}
	}
	if root == nil {
		return nil, fmt.Errorf("%w: no root element", ErrNotXML)
	}
	if cur != nil {
		return nil, fmt.Errorf("%w: document ends inside <%s> (truncated?)", ErrNotXML, rawName(cur.raw))
	}
	return root, nil
}

func (n *node) declare(prefix, uri string) {
	if n.ns == nil {
		n.ns = map[string]string{}
	}
	n.ns[prefix] = uri
}

// lookup returns the namespace bound to prefix where n is.
func (n *node) lookup(prefix string) (string, bool) {
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
func (n *node) resolve(raw xml.Name, element bool) xml.Name {
	if raw.Space == "" && !element {
		return raw
	}
	if uri, ok := n.lookup(raw.Space); ok {
		return xml.Name{Space: uri, Local: raw.Local}
	}
	return xml.Name{Space: "undeclared:" + raw.Space, Local: raw.Local}
}

// QName resolves a QName value such as "a:ActionNotSupported" in n's scope.
func (n *node) QName(value string) xml.Name {
	value = strings.TrimSpace(value)
	prefix, local, ok := strings.Cut(value, ":")
	if !ok {
		prefix, local = "", value
	}
	uri, _ := n.lookup(prefix)
	return xml.Name{Space: uri, Local: local}
}

// child returns the first child in namespace space with the local name.
func (n *node) child(space, local string) *node {
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

// attr returns the value of the attribute in namespace space.
func (n *node) attr(space, local string) (string, bool) {
	for _, a := range n.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// isNil reports an xsi:nil="true" element.
func (n *node) isNil() bool {
	v, _ := n.attr(NSInstance, "nil")
	v = strings.TrimSpace(v)
	return v == "true" || v == "1"
}

// innerText is all the text inside n, in document order, white space folded:
// a fault's detail as people can read it.
func (n *node) innerText() string {
	var b strings.Builder
	var walk func(*node)
	walk = func(m *node) {
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

func rawName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}
