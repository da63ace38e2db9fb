package jsapi

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The JSON a call crosses with, once each way (wasm/object.go says why):
// the request as JSON.stringify wrote it, read by jsonReader; the result
// written by AppendJSON for JSON.parse. encoding/json is not used: it would
// add reflect and fmt back to the module.

// jkind is the kind of a JSON value.
type jkind byte

const (
	jUndefined jkind = iota // absent
	jNull
	jBool
	jNumber
	jString
	jObject
	jArray
	// jOther is a number jsonReader does not convert (see number): it
	// reads as a number, but fields.get sends such a request to the object.
	jOther
)

// jval is one JSON value as jsonReader read it. It is a Value, so that a
// request can be read from its JSON text or, where JSON cannot tell
// (ReadCall), from the object itself by the same code.
type jval struct {
	kind jkind
	b    bool
	n    float64
	s    string
	keys []string // object keys, in order
	vals []jval   // object values (by keys) or array elements
}

var jundefined = jval{}

func (v jval) Type() Type {
	switch v.kind {
	case jNull:
		return TypeNull
	case jBool:
		return TypeBoolean
	case jNumber, jOther:
		return TypeNumber
	case jString:
		return TypeString
	case jObject, jArray:
		return TypeObject
	}
	return TypeUndefined
}

func (v jval) IsUndefined() bool { return v.kind == jUndefined }
func (v jval) IsNull() bool      { return v.kind == jNull }
func (v jval) IsNaN() bool       { return false } // JSON has no NaN

var errJSONType = errors.New("jsapi: wrong JSON type")

// String is the string's value, or, as js.Value.String does for other
// types, a placeholder; request.go reads it only for strings.
func (v jval) String() (string, error) {
	if v.kind == jString {
		return v.s, nil
	}
	return "<" + v.Type().String() + ">", nil
}

func (v jval) Bool() (bool, error) {
	if v.kind != jBool {
		return false, errJSONType
	}
	return v.b, nil
}

func (v jval) Float() (float64, error) {
	if v.kind != jNumber {
		return 0, errJSONType
	}
	return v.n, nil
}

// Get returns the object's property key, undefined when there is none.
// Only a *jval is a Value: a pointer into the parsed tree, where a jval
// would be copied to the heap on every read.
func (v *jval) Get(key string) Value { return v.ref(key) }

// field returns the object's property key, jundefined when there is none.
func (v jval) field(key string) jval { return *v.ref(key) }

// ref returns the object's property key, &jundefined when there is none.
func (v *jval) ref(key string) *jval {
	for i, k := range v.keys {
		if k == key {
			return &v.vals[i]
		}
	}
	return &jundefined
}

// errJSON is a text jsonReader cannot read.
var errJSON = errors.New("jsapi: malformed JSON")

// jsonReader reads the JSON that JSON.stringify writes (RFC 8259). Nothing
// else reaches it, so it aims at being small and exact, not forgiving.
// Where it is stricter than encoding/json, or reads differently
// (FuzzJSONReader checks the rest against encoding/json):
//   - it nests at most maxJSONDepth arrays and objects;
//   - a number is read only when it is an integer of up to 15 digits (see
//     number); any other number is a jOther, which the caller reads from
//     the object instead, and a malformed number after the digits (1.e,
//     1-2) is a jOther too, not an error: JSON.stringify writes none;
//   - an object keeps every member in order, a repeated key included;
//     field reads the first (encoding/json keeps the last);
//   - a lone surrogate escape (\ud800) becomes U+FFFD, as encoding/json
//     does; invalid UTF-8 in the text is kept as it is (encoding/json
//     replaces it), as JavaScript strings never hold it.
type jsonReader struct {
	s   string
	pos int
	// sawNull: JSON.stringify writes null for null, but also for NaN,
	// ±Infinity and invalid Dates, which the API words differently: the
	// caller reads such a request from the object instead.
	sawNull, sawArray bool
	// sawOther: a number that is not a short integer (see number).
	sawOther bool
	depth    int
}

// maxJSONDepth bounds nesting; requests nest two or three levels.
const maxJSONDepth = 16

func parseJSON(s string) (jval, error) {
	r := &jsonReader{s: s}
	v, err := r.value()
	if err == nil {
		r.space()
		if r.pos != len(r.s) {
			err = errJSON
		}
	}
	return v, err
}

func (r *jsonReader) space() {
	for r.pos < len(r.s) {
		switch r.s[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

func (r *jsonReader) value() (jval, error) {
	r.space()
	if r.pos >= len(r.s) {
		return jval{}, errJSON
	}
	switch c := r.s[r.pos]; {
	case c == '{':
		return r.object()
	case c == '[':
		return r.array()
	case c == '"':
		s, err := r.str()
		return jval{kind: jString, s: s}, err
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []struct {
			text string
			v    jval
		}{{"true", jval{kind: jBool, b: true}}, {"false", jval{kind: jBool}}, {"null", jval{kind: jNull}}} {
			if len(r.s)-r.pos >= len(lit.text) && r.s[r.pos:r.pos+len(lit.text)] == lit.text {
				r.pos += len(lit.text)
				return lit.v, nil
			}
		}
		return jval{}, errJSON
	default:
		return r.number()
	}
}

func (r *jsonReader) object() (jval, error) {
	if r.depth++; r.depth > maxJSONDepth {
		return jval{}, errJSON
	}
	defer func() { r.depth-- }()
	r.pos++ // {
	// A request's objects have up to a dozen members: room for 8 saves
	// the slices' growth (four copies each).
	v := jval{kind: jObject, keys: make([]string, 0, 8), vals: make([]jval, 0, 8)}
	r.space()
	if r.pos < len(r.s) && r.s[r.pos] == '}' {
		r.pos++
		return v, nil
	}
	for {
		r.space()
		if r.pos >= len(r.s) || r.s[r.pos] != '"' {
			return jval{}, errJSON
		}
		k, err := r.str()
		if err != nil {
			return jval{}, err
		}
		r.space()
		if r.pos >= len(r.s) || r.s[r.pos] != ':' {
			return jval{}, errJSON
		}
		r.pos++
		e, err := r.value()
		if err != nil {
			return jval{}, err
		}
		v.keys, v.vals = append(v.keys, k), append(v.vals, e)
		switch more, err := r.next('}'); {
		case err != nil:
			return jval{}, err
		case !more:
			return v, nil
		}
	}
}

// next reads what follows a member or an element: a comma (true) or the
// closing end (false); anything else is errJSON.
func (r *jsonReader) next(end byte) (bool, error) {
	r.space()
	if r.pos >= len(r.s) {
		return false, errJSON
	}
	r.pos++
	switch r.s[r.pos-1] {
	case ',':
		return true, nil
	case end:
		return false, nil
	}
	return false, errJSON
}

func (r *jsonReader) array() (jval, error) {
	if r.depth++; r.depth > maxJSONDepth {
		return jval{}, errJSON
	}
	defer func() { r.depth-- }()
	r.pos++ // [
	v := jval{kind: jArray}
	r.space()
	if r.pos < len(r.s) && r.s[r.pos] == ']' {
		r.pos++
		return v, nil
	}
	for {
		e, err := r.value()
		if err != nil {
			return jval{}, err
		}
		v.vals = append(v.vals, e)
		switch more, err := r.next(']'); {
		case err != nil:
			return jval{}, err
		case !more:
			return v, nil
		}
	}
}

// number reads an integer of up to 15 digits, exactly. Anything else
// (a fraction, an exponent, a longer integer) is a jOther, which the
// caller reads from the object, so that the module needs no float parser
// (strconv.ParseFloat's tables are 10 KB of it).
func (r *jsonReader) number() (jval, error) {
	start := r.pos
	if r.pos < len(r.s) && r.s[r.pos] == '-' {
		r.pos++
	}
	digits := r.pos
	n := 0.0
	for r.pos < len(r.s) && '0' <= r.s[r.pos] && r.s[r.pos] <= '9' {
		n = n*10 + float64(r.s[r.pos]-'0')
		r.pos++
	}
	if r.pos == digits {
		return jval{}, errJSON
	}
	kind := jNumber
	if r.pos-digits > 15 {
		kind = jOther
	}
	for r.pos < len(r.s) {
		c := r.s[r.pos]
		if !('0' <= c && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
			break
		}
		kind = jOther
		r.pos++
	}
	if r.s[start] == '-' {
		n = -n
	}
	return jval{kind: kind, n: n}, nil
}

// str reads a string, its escapes resolved. A lone surrogate (\ud800)
// becomes U+FFFD, as the TextEncoder that carries strings into Go makes it.
func (r *jsonReader) str() (string, error) {
	r.pos++ // "
	start := r.pos
	for r.pos < len(r.s) {
		c := r.s[r.pos]
		if c == '"' {
			s := r.s[start:r.pos]
			r.pos++
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", errJSON
		}
		r.pos++
	}
	buf := []byte(r.s[start:r.pos])
	for r.pos < len(r.s) {
		c := r.s[r.pos]
		switch {
		case c == '"':
			r.pos++
			return string(buf), nil
		case c < 0x20:
			return "", errJSON
		case c != '\\':
			buf = append(buf, c)
			r.pos++
			continue
		}
		if r.pos+1 >= len(r.s) {
			return "", errJSON
		}
		e := r.s[r.pos+1]
		r.pos += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			u, ok := r.hex4()
			if !ok {
				return "", errJSON
			}
			ru := rune(u)
			if utf16.IsSurrogate(ru) {
				ru = utf8.RuneError
				if u < 0xdc00 && r.pos+1 < len(r.s) && r.s[r.pos] == '\\' && r.s[r.pos+1] == 'u' {
					save := r.pos
					r.pos += 2
					if lo, ok := r.hex4(); ok && lo >= 0xdc00 && lo <= 0xdfff {
						ru = utf16.DecodeRune(rune(u), rune(lo))
					} else {
						r.pos = save
					}
				}
			}
			buf = utf8.AppendRune(buf, ru)
		default:
			return "", errJSON
		}
	}
	return "", errJSON
}

func (r *jsonReader) hex4() (uint16, bool) {
	if r.pos+4 > len(r.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(r.s[r.pos:r.pos+4], 16, 16)
	if err != nil {
		return 0, false
	}
	r.pos += 4
	return uint16(n), true
}

// RawJSON is a result already written as JSON text, which AppendJSON
// copies as it is.
type RawJSON []byte

// AppendJSON appends v, a result as this package makes them —
// map[string]any, []any, string, bool, int, int64, nil and RawJSON — to b as JSON
// text, its object keys sorted. It reports false for anything else (a
// float64 among them: the module has no float formatter), and for a string
// that is not UTF-8 (the TextDecoder js.ValueOf uses replaces bad bytes its
// own way), so that the caller can fall back to js.ValueOf and nothing
// changes; b then holds part of the text.
func AppendJSON(b []byte, v any) ([]byte, bool) {
	w := jsonWriter{b: b}
	ok := w.value(v)
	return w.b, ok
}

// jsonWriter is AppendJSON's state.
type jsonWriter struct {
	b []byte
}

func (w *jsonWriter) value(v any) bool {
	switch v := v.(type) {
	case nil:
		w.b = append(w.b, "null"...)
	case bool:
		w.b = strconv.AppendBool(w.b, v)
	case int:
		w.b = strconv.AppendInt(w.b, int64(v), 10)
	case int64:
		w.b = strconv.AppendInt(w.b, v, 10)
	case string:
		return w.str(v)
	case RawJSON:
		w.b = append(w.b, v...)
	case []any:
		w.b = append(w.b, '[')
		for i, e := range v {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			if !w.value(e) {
				return false
			}
		}
		w.b = append(w.b, ']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		// Sorted (insertion sort: a result object has a dozen keys at most,
		// and slices.Sort would add 19 KB of quicksort).
		for i := 1; i < len(keys); i++ {
			for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
				keys[j], keys[j-1] = keys[j-1], keys[j]
			}
		}
		w.b = append(w.b, '{')
		for i, k := range keys {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			if !w.str(k) {
				return false
			}
			w.b = append(w.b, ':')
			if !w.value(v[k]) {
				return false
			}
		}
		w.b = append(w.b, '}')
	default:
		return false
	}
	return true
}

// lit writes s, JSON text as it is.
//
//go:noinline
func (w *jsonWriter) lit(s string) { w.b = append(w.b, s...) }

// text writes lit, JSON text, then s as a JSON string.
//
//go:noinline
func (w *jsonWriter) text(lit, s string) bool {
	w.b = append(w.b, lit...)
	return w.str(s)
}

const hexDigits = "0123456789abcdef"

func (w *jsonWriter) str(s string) bool {
	w.b = append(w.b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			// UTF-8 checked where it is not ASCII, in the same pass.
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return false
			}
			i += size - 1
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		w.b = append(w.b, s[start:i]...)
		switch c {
		case '"', '\\':
			w.b = append(w.b, '\\', c)
		case '\n':
			w.b = append(w.b, '\\', 'n')
		case '\r':
			w.b = append(w.b, '\\', 'r')
		case '\t':
			w.b = append(w.b, '\\', 't')
		default:
			w.b = append(w.b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
		}
		start = i + 1
	}
	w.b = append(w.b, s[start:]...)
	w.b = append(w.b, '"')
	return true
}
