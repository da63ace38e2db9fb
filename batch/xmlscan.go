package batch

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// xmlScanner walks the XML of a workbook part as a stream of tokens:
// enough XML 1.0 for what spreadsheet programs write (elements,
// attributes, text, the five named entities and character references,
// CDATA; comments, processing instructions and a DOCTYPE are skipped,
// entities a DOCTYPE declares are not expanded). Names are local: a
// prefix (x:row, r:id) is dropped. It is a small stand-in for
// encoding/xml, which would bring reflection into the batch module.
type xmlScanner struct {
	data []byte
	pos  int
	err  string // why the XML is broken, once it is

	selfClosing bool // the start tag just read was <name/>: its end comes next

	// The token: kind, the element's local name, its attributes (local
	// name, value) and, for text, the unescaped text.
	kind  tokenKind
	name  string
	attrs []xmlAttr
	text  []byte
}

type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokStart
	tokEnd // also after the tokStart of an empty element (<v/>)
	tokText
)

// xmlAttr is an attribute: its local name (a slice of the scanned data:
// no string to build per attribute) and its value, unescaped (a slice of
// the scanned data itself when it has no reference in it).
type xmlAttr struct {
	name  []byte
	value []byte
}

// attr returns the value of the start tag's attribute with the local name.
func (s *xmlScanner) attr(name string) string {
	for _, a := range s.attrs {
		if string(a.name) == name {
			return string(a.value)
		}
	}
	return ""
}

// attrBytes is attr without a copy: valid until the next token.
func (s *xmlScanner) attrBytes(name string) []byte {
	for _, a := range s.attrs {
		if string(a.name) == name {
			return a.value
		}
	}
	return nil
}

// localName drops a namespace prefix. The names a worksheet repeats for
// every row and cell are constants, so that reading them allocates
// nothing.
func localName(b []byte) string {
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		b = b[i+1:]
	}
	switch string(b) {
	case "row":
		return "row"
	case "c":
		return "c"
	case "v":
		return "v"
	case "f":
		return "f"
	case "is":
		return "is"
	case "t":
		return "t"
	case "r":
		return "r"
	case "s":
		return "s"
	case "si":
		return "si"
	case "rPh":
		return "rPh"
	case "spans":
		return "spans"
	}
	return string(b)
}

// next reads the next token; false at the end or on an error (s.err).
func (s *xmlScanner) next() bool {
	if s.kind == tokStart && s.pendingEnd() {
		return true
	}
	for s.pos < len(s.data) && s.err == "" {
		d := s.data[s.pos:]
		if d[0] != '<' {
			end := bytes.IndexByte(d, '<')
			if end < 0 {
				end = len(d)
			}
			s.pos += end
			s.kind = tokText
			s.text = s.unescape(s.text[:0], d[:end])
			return s.err == ""
		}
		var c1 byte // what follows the <: a start tag's name most often
		if len(d) > 1 {
			c1 = d[1]
		}
		switch {
		case c1 != '?' && c1 != '!' && c1 != '/':
			return s.startTag()
		case c1 == '?':
			s.skipPast("?>")
		case bytes.HasPrefix(d, []byte("<!--")):
			s.skipPast("-->")
		case bytes.HasPrefix(d, []byte("<![CDATA[")):
			end := bytes.Index(d, []byte("]]>"))
			if end < 0 {
				s.err = "a CDATA section is not closed"
				return false
			}
			s.pos += end + 3
			s.kind = tokText
			s.text = appendLines(s.text[:0], d[9:end])
			return true
		case bytes.HasPrefix(d, []byte("<!")):
			s.skipPast(">")
		case c1 == '/':
			end := bytes.IndexByte(d, '>')
			if end < 0 {
				s.err = "an end tag is not closed"
				return false
			}
			s.pos += end + 1
			name := bytes.TrimSpace(d[2:end])
			if !isName(name) {
				s.err = "an end tag is badly formed"
				return false
			}
			s.kind, s.name = tokEnd, localName(name)
			return true
		}
	}
	s.kind = tokEOF
	return false
}

// pendingEnd turns the token after a self-closing start tag into its end.
func (s *xmlScanner) pendingEnd() bool {
	if !s.selfClosing {
		return false
	}
	s.selfClosing = false
	s.kind = tokEnd
	return true
}

func (s *xmlScanner) skipPast(end string) {
	i := bytes.Index(s.data[s.pos:], []byte(end))
	if i < 0 {
		s.err = "a markup declaration is not closed"
		return
	}
	s.pos += i + len(end)
}

// startTag reads <name attr="value" …> or <name …/>.
func (s *xmlScanner) startTag() bool {
	d := s.data[s.pos+1:]
	i := 0
	for i < len(d) && !isXMLSpace(d[i]) && d[i] != '>' && d[i] != '/' {
		i++
	}
	if !isName(d[:i]) {
		s.err = "a start tag is badly formed"
		return false
	}
	s.kind, s.name, s.attrs = tokStart, localName(d[:i]), s.attrs[:0]
	for {
		for i < len(d) && isXMLSpace(d[i]) {
			i++
		}
		if i >= len(d) {
			s.err = "a start tag is not closed"
			return false
		}
		switch d[i] {
		case '>':
			s.pos += 1 + i + 1
			return true
		case '/':
			if i+1 >= len(d) || d[i+1] != '>' {
				s.err = "a start tag is badly formed"
				return false
			}
			s.pos += 1 + i + 2
			s.selfClosing = true
			return true
		}
		eq := bytes.IndexByte(d[i:], '=')
		if eq < 0 {
			s.err = "an attribute has no value"
			return false
		}
		raw := bytes.TrimSpace(d[i : i+eq])
		if !isName(raw) {
			s.err = "an attribute name is badly formed"
			return false
		}
		name := raw
		if i := bytes.IndexByte(raw, ':'); i >= 0 {
			name = raw[i+1:]
		}
		i += eq + 1
		for i < len(d) && isXMLSpace(d[i]) {
			i++
		}
		if i >= len(d) || d[i] != '"' && d[i] != '\'' {
			s.err = "an attribute value is not quoted"
			return false
		}
		q := d[i]
		end := bytes.IndexByte(d[i+1:], q)
		if end < 0 {
			s.err = "an attribute value is not closed"
			return false
		}
		v := d[i+1 : i+1+end]
		if bytes.IndexByte(v, '&') >= 0 || bytes.IndexByte(v, '\r') >= 0 {
			v = s.unescape(nil, v)
		}
		s.attrs = append(s.attrs, xmlAttr{name, v})
		i += end + 2
	}
}

// isName reports whether b can be an XML name: not empty, without
// markup characters or white space (the name rules, loosely).
func isName(b []byte) bool {
	for _, c := range b {
		if notInName[c] {
			return false
		}
	}
	return len(b) > 0
}

// notInName holds the characters isName refuses.
var notInName = [256]bool{'<': true, '>': true, '&': true, '"': true, '\'': true, '=': true, ' ': true, '\t': true, '\r': true, '\n': true, '/': true}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// unescape appends raw to dst with its entity and character references
// replaced.
// Line ends are normalised first, as XML 1.0 §2.11 says: CR LF and a
// lone CR become LF (a CR written as &#13; stays).
func (s *xmlScanner) unescape(dst, raw []byte) []byte {
	for {
		i := bytes.IndexByte(raw, '&')
		if i < 0 {
			return appendLines(dst, raw)
		}
		dst = appendLines(dst, raw[:i])
		raw = raw[i:]
		end := bytes.IndexByte(raw, ';')
		if end < 0 {
			s.err = "an & is not a reference"
			return dst
		}
		ref := string(raw[1:end])
		raw = raw[end+1:]
		switch ref {
		case "amp":
			dst = append(dst, '&')
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			var n uint64
			var err error
			switch {
			case strings.HasPrefix(ref, "#x"):
				n, err = strconv.ParseUint(ref[2:], 16, 32)
			case strings.HasPrefix(ref, "#"):
				n, err = strconv.ParseUint(ref[1:], 10, 32)
			default:
				err = strconv.ErrSyntax
			}
			if err != nil || !utf8.ValidRune(rune(n)) {
				s.err = "&" + ref + "; is not a reference XML knows"
				return dst
			}
			dst = utf8.AppendRune(dst, rune(n))
		}
	}
}

// appendLines appends raw with its line ends normalised.
func appendLines(dst, raw []byte) []byte {
	for {
		i := bytes.IndexByte(raw, '\r')
		if i < 0 {
			return append(dst, raw...)
		}
		dst = append(append(dst, raw[:i]...), '\n')
		raw = raw[i+1:]
		if len(raw) > 0 && raw[0] == '\n' {
			raw = raw[1:]
		}
	}
}

// skipElement skips the rest of the element whose start tag was just
// read, its children included.
func (s *xmlScanner) skipElement() {
	depth := 1
	for depth > 0 && s.next() {
		switch s.kind {
		case tokStart:
			depth++
		case tokEnd:
			depth--
		}
	}
}

// textOf reads the text of the element whose start tag was just read,
// children's text included except in the elements named in skip (a
// shared string's phonetic runs, rPh).
func (s *xmlScanner) textOf(dst []byte, skip string) []byte {
	depth := 1
	for depth > 0 && s.next() {
		switch s.kind {
		case tokStart:
			if s.name == skip {
				s.skipElement()
				continue
			}
			depth++
		case tokEnd:
			depth--
		case tokText:
			dst = append(dst, s.text...)
		}
	}
	return dst
}
