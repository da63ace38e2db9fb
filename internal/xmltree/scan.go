package xmltree

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"socred/internal/minifmt"
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
	// for multiplying the canonical form (see package socred/wssec).
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
)

// xmlHandlers receive what scanXML reads inside the root element. end,
// text and other are called only while an element is open; nil handlers
// are skipped. Names are as written (Space is the prefix), text has its
// character and entity references resolved.
type xmlHandlers struct {
	start func(name Name, attr []Attr, begin, end int) // begin/end: the start tag's byte offsets
	end   func()
	text  func([]byte)
	other func(kind byte, text, inst string) // itemComment (text) or itemProcInst (target, instruction)
}

// scanXML reads a whole document token by token within the package's
// limits: at most MaxBody bytes, UTF-8 only, no DTD, MaxDepth levels,
// MaxElements elements and MaxTokens tokens, namespace URIs of at most
// MaxNamespaceURI bytes, one root, matching end tags, no attribute twice on
// one element (XML forbids it: two readers that each took another value
// could disagree about what was signed). Both of the package's trees
// (tree.go, xmldoc.go) are built on it, so they refuse the same documents.
//
// The tokenizer is its own (xmlScanner), so that the browser module links
// neither encoding/xml nor, through it, fmt, reflect and os (94 KB of the
// compressed module when socred dropped them: docs/performance.md). It
// reads as encoding/xml's Decoder does with Strict set and RawToken — the
// same tokens, the same syntax errors, the same offsets — with two
// exceptions: names outside ASCII are checked against XML 1.0's fifth
// edition (encoding/xml has the fourth's tables),
// and any <!…> other than a comment or CDATA section is refused as a DTD
// at once, complete or not. scan_test.go compares the two natively.
func scanXML(body []byte, h xmlHandlers) error {
	if len(body) > MaxBody {
		return ErrTooLarge
	}
	s := &xmlScanner{b: body}
	var open []Name // the raw names of the open elements
	sawRoot := false
	count, tokens := 0, 0
	for s.pos < len(s.b) {
		if tokens++; tokens > MaxTokens {
			return ErrTooMany
		}
		begin := s.pos
		if s.b[s.pos] != '<' {
			text, err := s.text(-1, false)
			if err != nil {
				return err
			}
			switch {
			case len(open) > 0:
				if h.text != nil {
					h.text(text)
				}
			case len(bytes.TrimSpace(text)) > 0:
				return minifmt.Errorf("%w: text outside the root element", ErrNotXML)
			}
			continue
		}
		s.pos++
		b, err := s.mustGet()
		if err != nil {
			return err
		}
		switch b {
		case '/':
			name, ok, err := s.nsName()
			if err != nil {
				return err
			}
			if !ok {
				return s.syntax("expected element name after </")
			}
			s.space()
			if b, err = s.mustGet(); err != nil {
				return err
			}
			if b != '>' {
				return s.syntax("invalid characters between </" + name.Local + " and >")
			}
			if len(open) == 0 || open[len(open)-1] != name {
				return minifmt.Errorf("%w: unexpected end tag </%s>", ErrNotXML, RawName(name))
			}
			open = open[:len(open)-1]
			if h.end != nil {
				h.end()
			}
		case '?':
			target, inst, err := s.procInst()
			if err != nil {
				return err
			}
			if len(open) > 0 && h.other != nil {
				h.other(ItemProcInst, target, inst)
			}
		case '!':
			text, cdata, err := s.bang()
			if err != nil {
				return err
			}
			switch {
			case cdata && len(open) > 0:
				if h.text != nil {
					h.text(text)
				}
			case cdata:
				if len(bytes.TrimSpace(text)) > 0 {
					return minifmt.Errorf("%w: text outside the root element", ErrNotXML)
				}
			case len(open) > 0 && h.other != nil:
				h.other(ItemComment, string(text), "")
			}
		default:
			s.pos = begin
			name, attr, empty, err := s.startTag()
			if err != nil {
				return err
			}
			if sawRoot && len(open) == 0 {
				return minifmt.Errorf("%w: more than one root element", ErrNotXML)
			}
			if count++; count > MaxElements {
				return ErrTooMany
			}
			if len(open) >= MaxDepth {
				return ErrTooDeep
			}
			for _, a := range attr {
				if IsNSDecl(a) && len(a.Value) > MaxNamespaceURI {
					return minifmt.Errorf("%w: <%s> declares %s with %d bytes", ErrLongNamespace, RawName(name), RawName(a.Name), len(a.Value))
				}
			}
			if dup, ok := duplicateAttr(attr); ok {
				return minifmt.Errorf("%w: attribute %s appears twice in <%s>", ErrNotXML, RawName(dup), RawName(name))
			}
			sawRoot = true
			open = append(open, name)
			if h.start != nil {
				h.start(name, attr, begin, s.pos)
			}
			if empty {
				// encoding/xml returns the end of <a/> as a token of its own.
				if tokens++; tokens > MaxTokens {
					return ErrTooMany
				}
				open = open[:len(open)-1]
				if h.end != nil {
					h.end()
				}
			}
		}
	}
	if !sawRoot {
		return minifmt.Errorf("%w: no root element", ErrNotXML)
	}
	if len(open) > 0 {
		return minifmt.Errorf("%w: document ends inside <%s> (truncated?)", ErrNotXML, RawName(open[len(open)-1]))
	}
	return nil
}

// xmlScanner reads XML tokens from b, at pos.
type xmlScanner struct {
	b   []byte
	pos int
	buf []byte // text being decoded
}

// syntax is a syntax error at the current position, worded as
// encoding/xml's *SyntaxError.
func (s *xmlScanner) syntax(msg string) error {
	line := 1 + bytes.Count(s.b[:min(s.pos, len(s.b))], []byte{'\n'})
	return minifmt.Errorf("%w: XML syntax error on line %d: %s", ErrNotXML, line, msg)
}

func (s *xmlScanner) mustGet() (byte, error) {
	if s.pos >= len(s.b) {
		return 0, s.syntax("unexpected EOF")
	}
	s.pos++
	return s.b[s.pos-1], nil
}

// space skips white space.
func (s *xmlScanner) space() {
	for s.pos < len(s.b) {
		switch s.b[s.pos] {
		case ' ', '\r', '\n', '\t':
			s.pos++
		default:
			return
		}
	}
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// readName reads the bytes a name may consist of (any byte outside ASCII
// among them, checked by isXMLName); false when there is none.
func (s *xmlScanner) readName() ([]byte, bool, error) {
	start := s.pos
	for {
		if s.pos >= len(s.b) {
			return nil, false, s.syntax("unexpected EOF")
		}
		if c := s.b[s.pos]; c < utf8.RuneSelf && !isNameByte(c) {
			break
		}
		s.pos++
	}
	return s.b[start:s.pos], s.pos > start, nil
}

// name reads a name: false when there is none, an error when it is not one.
func (s *xmlScanner) name() (string, bool, error) {
	b, ok, err := s.readName()
	if err != nil || !ok {
		return "", false, err
	}
	if !isXMLName(b) {
		return "", false, s.syntax("invalid XML name: " + string(b))
	}
	return string(b), true, nil
}

// nsName reads a name and splits it at its colon: Space is the prefix.
// A name with two colons is none.
func (s *xmlScanner) nsName() (Name, bool, error) {
	n, ok, err := s.name()
	if err != nil || !ok || strings.Count(n, ":") > 1 {
		return Name{}, false, err
	}
	if space, local, ok := strings.Cut(n, ":"); ok && space != "" && local != "" {
		return Name{Space: space, Local: local}, true, nil
	}
	return Name{Local: n}, true, nil
}

// isXMLName reports whether b is an XML name (XML 1.0 fifth edition,
// productions 4 and 5).
func isXMLName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || !isNameRune(r, i == 0) {
			return false
		}
		i += n
	}
	return true
}

func isNameRune(r rune, first bool) bool {
	switch {
	case 'A' <= r && r <= 'Z', 'a' <= r && r <= 'z', r == '_', r == ':',
		0xC0 <= r && r <= 0xD6, 0xD8 <= r && r <= 0xF6, 0xF8 <= r && r <= 0x2FF,
		0x370 <= r && r <= 0x37D, 0x37F <= r && r <= 0x1FFF, 0x200C <= r && r <= 0x200D,
		0x2070 <= r && r <= 0x218F, 0x2C00 <= r && r <= 0x2FEF, 0x3001 <= r && r <= 0xD7FF,
		0xF900 <= r && r <= 0xFDCF, 0xFDF0 <= r && r <= 0xFFFD, 0x10000 <= r && r <= 0xEFFFF:
		return true
	}
	return !first && ('0' <= r && r <= '9' || r == '-' || r == '.' || r == 0xB7 ||
		0x300 <= r && r <= 0x36F || 0x203F <= r && r <= 0x2040)
}

// startTag reads <name attr="value" …> or …/>, from its '<'.
func (s *xmlScanner) startTag() (name Name, attr []Attr, empty bool, err error) {
	s.pos++ // '<'
	var ok bool
	if name, ok, err = s.nsName(); err != nil || !ok {
		if err == nil {
			err = s.syntax("expected element name after <")
		}
		return
	}
	for {
		s.space()
		var b byte
		if b, err = s.mustGet(); err != nil {
			return
		}
		if b == '/' {
			if b, err = s.mustGet(); err != nil {
				return
			}
			if b != '>' {
				err = s.syntax("expected /> in element")
			}
			return name, attr, true, err
		}
		if b == '>' {
			return name, attr, false, nil
		}
		s.pos--
		var a Attr
		if a.Name, ok, err = s.nsName(); err != nil || !ok {
			if err == nil {
				err = s.syntax("expected attribute name in element")
			}
			return
		}
		s.space()
		if b, err = s.mustGet(); err != nil {
			return
		}
		if b != '=' {
			err = s.syntax("attribute name without = in element")
			return
		}
		s.space()
		if b, err = s.mustGet(); err != nil {
			return
		}
		if b != '"' && b != '\'' {
			err = s.syntax("unquoted or missing attribute value in element")
			return
		}
		var v []byte
		if v, err = s.text(int(b), false); err != nil {
			return
		}
		a.Value = string(v)
		attr = append(attr, a)
	}
}

// procInst reads <?target instruction?>, from after "<?". The XML
// declaration must say version 1.0, if anything, and UTF-8, if anything.
func (s *xmlScanner) procInst() (target, inst string, err error) {
	var ok bool
	if target, ok, err = s.name(); err != nil || !ok {
		if err == nil {
			err = s.syntax("expected target name after <?")
		}
		return
	}
	s.space()
	start := s.pos
	var b0 byte
	for {
		var b byte
		if b, err = s.mustGet(); err != nil {
			return
		}
		if b0 == '?' && b == '>' {
			break
		}
		b0 = b
	}
	inst = string(s.b[start : s.pos-2])
	if target == "xml" {
		if ver := procInstParam("version", inst); ver != "" && ver != "1.0" {
			return "", "", minifmt.Errorf("%w: xml: unsupported version %q; only version 1.0 is supported", ErrNotXML, ver)
		}
		if enc := procInstParam("encoding", inst); enc != "" && !strings.EqualFold(enc, "utf-8") {
			return "", "", minifmt.Errorf("%w: xml: opening charset %q: encoding %q is not supported, only UTF-8", ErrNotXML, enc, enc)
		}
	}
	return target, inst, nil
}

// procInstParam returns param's value in a processing instruction's text,
// read as encoding/xml's procInst reads it.
func procInstParam(param, s string) string {
	param += "="
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || len(param)+k >= len(sub) {
			return ""
		}
		i += len(param) + k + 1
		if c := sub[len(param)+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// bang reads what follows "<!": a comment (its text), a CDATA section (its
// text, cdata true), or else a DTD, which is refused.
func (s *xmlScanner) bang() (text []byte, cdata bool, err error) {
	b, err := s.mustGet()
	if err != nil {
		return nil, false, err
	}
	switch b {
	case '-':
		if b, err = s.mustGet(); err != nil {
			return nil, false, err
		}
		if b != '-' {
			return nil, false, s.syntax("invalid sequence <!- not part of <!--")
		}
		start := s.pos
		var b0, b1 byte
		for {
			if b, err = s.mustGet(); err != nil {
				return nil, false, err
			}
			if b0 == '-' && b1 == '-' {
				if b != '>' {
					return nil, false, s.syntax(`invalid sequence "--" not allowed in comments`)
				}
				return s.b[start : s.pos-3], false, nil
			}
			b0, b1 = b1, b
		}
	case '[':
		for i := range 6 {
			if b, err = s.mustGet(); err != nil {
				return nil, false, err
			}
			if b != "CDATA["[i] {
				return nil, false, s.syntax("invalid <![ sequence")
			}
		}
		text, err = s.text(-1, true)
		return text, true, err
	}
	return nil, false, ErrDTD
}

// xmlEntity is XML's predefined entities.
var xmlEntity = map[string]byte{"lt": '<', "gt": '>', "amp": '&', "apos": '\'', "quot": '"'}

// text reads character data up to the next '<' (quote < 0), an attribute
// value up to its closing quote (quote), or a CDATA section's content up
// to "]]>" (cdata), as encoding/xml's Decoder.text does: references
// resolved (none in CDATA), line ends normalised to \n, then checked to be
// UTF-8 of XML characters.
func (s *xmlScanner) text(quote int, cdata bool) ([]byte, error) {
	var b0, b1 byte
	trunc := 0
	s.buf = s.buf[:0]
	for {
		if s.pos >= len(s.b) {
			if cdata {
				return nil, s.syntax("unexpected EOF in CDATA section")
			}
			break
		}
		b := s.b[s.pos]
		s.pos++
		if quote < 0 && b0 == ']' && b1 == ']' && b == '>' {
			if cdata {
				trunc = 2
				break
			}
			return nil, s.syntax("unescaped ]]> not in CDATA section")
		}
		if b == '<' && !cdata {
			if quote >= 0 {
				return nil, s.syntax("unescaped < inside quoted string")
			}
			s.pos--
			break
		}
		if quote >= 0 && b == byte(quote) {
			break
		}
		if b == '&' && !cdata {
			if err := s.reference(); err != nil {
				return nil, err
			}
			b0, b1 = 0, 0
			continue
		}
		switch {
		case b == '\r':
			s.buf = append(s.buf, '\n')
		case b1 == '\r' && b == '\n':
		default:
			s.buf = append(s.buf, b)
		}
		b0, b1 = b1, b
	}
	data := s.buf[:len(s.buf)-trunc]
	for buf := data; len(buf) > 0; {
		r, size := utf8.DecodeRune(buf)
		if r == utf8.RuneError && size == 1 {
			return nil, s.syntax("invalid UTF-8")
		}
		buf = buf[size:]
		if !IsChar(r) {
			return nil, s.syntax(minifmt.Sprintf("illegal character code U+%04X", r))
		}
	}
	return data, nil
}

// reference reads a character or entity reference after its '&' and
// appends what it stands for to s.buf.
func (s *xmlScanner) reference() error {
	ref := []byte{'&'}
	b, err := s.mustGet()
	if err != nil {
		return err
	}
	if b == '#' {
		ref = append(ref, b)
		if b, err = s.mustGet(); err != nil {
			return err
		}
		base := 10
		if b == 'x' {
			base = 16
			ref = append(ref, b)
			if b, err = s.mustGet(); err != nil {
				return err
			}
		}
		start := len(ref)
		for '0' <= b && b <= '9' || base == 16 && ('a' <= b && b <= 'f' || 'A' <= b && b <= 'F') {
			ref = append(ref, b)
			if b, err = s.mustGet(); err != nil {
				return err
			}
		}
		if b != ';' {
			s.pos--
		} else {
			digits := string(ref[start:])
			ref = append(ref, ';')
			if n, err := strconv.ParseUint(digits, base, 64); err == nil && n <= utf8.MaxRune {
				s.buf = utf8.AppendRune(s.buf, rune(n))
				return nil
			}
		}
	} else {
		s.pos--
		name, _, err := s.readName()
		if err != nil {
			return err
		}
		ref = append(ref, name...)
		if b, err = s.mustGet(); err != nil {
			return err
		}
		if b != ';' {
			s.pos--
		} else {
			ref = append(ref, ';')
			if c, ok := xmlEntity[string(name)]; ok {
				s.buf = append(s.buf, c)
				return nil
			}
		}
	}
	ent := string(ref)
	if ent[len(ent)-1] != ';' {
		ent += " (no semicolon)"
	}
	return s.syntax("invalid character entity " + ent)
}

// duplicateAttr returns a name that attrs hold twice.
func duplicateAttr(attrs []Attr) (Name, bool) {
	if len(attrs) > 16 {
		seen := make(map[Name]bool, len(attrs))
		for _, a := range attrs {
			if seen[a.Name] {
				return a.Name, true
			}
			seen[a.Name] = true
		}
		return Name{}, false
	}
	for i, a := range attrs {
		for _, b := range attrs[:i] {
			if a.Name == b.Name {
				return a.Name, true
			}
		}
	}
	return Name{}, false
}

//go:noinline
func RawName(n Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// IsChar reports whether r is in XML 1.0's Char production.
func IsChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
