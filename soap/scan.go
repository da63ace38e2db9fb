package soap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// Limits on what socred will read. They bound time and memory whatever the
// server (or anything in its place) sends.
const (
	MaxBody     = 4 << 20         // bytes of a response or request body
	MaxDepth    = 64              // element nesting
	MaxElements = 100_000         // elements in one document
	MaxTokens   = 4 * MaxElements // tokens (tags, text runs, comments, …) in one document
	// MaxNamespaceURI bounds the length of a namespace URI a document
	// declares. Real ones are well under 200 bytes; a long one is only good
	// for multiplying the canonical form (see excC14N).
	MaxNamespaceURI = 4 << 10
)

// Parsing sentinels, wrapped by the errors the parsers return.
var (
	ErrTooLarge      = errors.New("soap: body larger than 4 MiB")
	ErrDTD           = errors.New("soap: document type declarations are not accepted")
	ErrTooDeep       = errors.New("soap: elements nested too deeply")
	ErrTooMany       = errors.New("soap: too many elements or tokens")
	ErrLongNamespace = errors.New("soap: namespace URI longer than 4 KiB")
	ErrNotXML        = errors.New("soap: not well-formed XML")
	ErrNotSOAP       = errors.New("soap: not a SOAP envelope")
	ErrMalformed     = errors.New("soap: response does not match the contract")
)

// xmlHandlers receive what scanXML reads inside the root element. end and
// text are called only while an element is open; nil handlers are skipped.
type xmlHandlers struct {
	start func(t xml.StartElement, begin, end int) // begin/end: the start tag's byte offsets
	end   func()
	text  func(xml.CharData)
	other func(xml.Token) // comments and processing instructions inside the root
}

// scanXML reads a whole document token by token within the package's
// limits: at most MaxBody bytes, UTF-8 only, no DTD, MaxDepth levels,
// MaxElements elements and MaxTokens tokens, namespace URIs of at most
// MaxNamespaceURI bytes, one root, matching end tags, no attribute twice on
// one element (XML forbids it and encoding/xml does
// not check: two readers that each took another value could disagree about
// what was signed). Both of the package's trees (tree.go, xmldoc.go) are
// built on it, so they refuse the same documents.
func scanXML(body []byte, h xmlHandlers) error {
	if len(body) > MaxBody {
		return ErrTooLarge
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	d.CharsetReader = func(charset string, _ io.Reader) (io.Reader, error) {
		return nil, fmt.Errorf("encoding %q is not supported, only UTF-8", charset)
	}
	var open []xml.Name // the raw names of the open elements
	sawRoot := false
	count, tokens := 0, 0
	for {
		begin := int(d.InputOffset())
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrNotXML, err)
		}
		if tokens++; tokens > MaxTokens {
			return ErrTooMany
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if sawRoot && len(open) == 0 {
				return fmt.Errorf("%w: more than one root element", ErrNotXML)
			}
			if count++; count > MaxElements {
				return ErrTooMany
			}
			if len(open) >= MaxDepth {
				return ErrTooDeep
			}
			for _, a := range t.Attr {
				if isNSDecl(a) && len(a.Value) > MaxNamespaceURI {
					return fmt.Errorf("%w: <%s> declares %s with %d bytes", ErrLongNamespace, rawName(t.Name), rawName(a.Name), len(a.Value))
				}
			}
			if dup, ok := duplicateAttr(t.Attr); ok {
				return fmt.Errorf("%w: attribute %s appears twice in <%s>", ErrNotXML, rawName(dup), rawName(t.Name))
			}
			sawRoot = true
			open = append(open, t.Name)
			if h.start != nil {
				h.start(t, begin, int(d.InputOffset()))
			}
		case xml.EndElement:
			if len(open) == 0 || open[len(open)-1] != t.Name {
				return fmt.Errorf("%w: unexpected end tag </%s>", ErrNotXML, rawName(t.Name))
			}
			open = open[:len(open)-1]
			if h.end != nil {
				h.end()
			}
		case xml.CharData:
			switch {
			case len(open) > 0:
				if h.text != nil {
					h.text(t)
				}
			case len(bytes.TrimSpace(t)) > 0:
				return fmt.Errorf("%w: text outside the root element", ErrNotXML)
			}
		case xml.Comment, xml.ProcInst:
			if len(open) > 0 && h.other != nil {
				h.other(t)
			}
		case xml.Directive:
			return ErrDTD
		}
	}
	if !sawRoot {
		return fmt.Errorf("%w: no root element", ErrNotXML)
	}
	if len(open) > 0 {
		return fmt.Errorf("%w: document ends inside <%s> (truncated?)", ErrNotXML, rawName(open[len(open)-1]))
	}
	return nil
}

// duplicateAttr returns a name that attrs hold twice.
func duplicateAttr(attrs []xml.Attr) (xml.Name, bool) {
	if len(attrs) > 16 {
		seen := make(map[xml.Name]bool, len(attrs))
		for _, a := range attrs {
			if seen[a.Name] {
				return a.Name, true
			}
			seen[a.Name] = true
		}
		return xml.Name{}, false
	}
	for i, a := range attrs {
		for _, b := range attrs[:i] {
			if a.Name == b.Name {
				return a.Name, true
			}
		}
	}
	return xml.Name{}, false
}

func rawName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}
