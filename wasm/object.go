//go:build js && wasm

package wasm

import (
	"math"
	"strings"
	"sync"
	"unsafe"

	"socred/jsapi"
	"socred/wasm/internal/jsv"
)

// A call crosses between JavaScript and Go once each way: the request is
// read as one JSON text (JSON.stringify) and the result is written as one
// (JSON.parse), instead of a property at a time. Every crossing costs a few
// microseconds — a string is encoded by a TextEncoder on the way in and
// decoded on the way out, and every object reference gets a finalizer — so
// reading a request field by field and building the result with js.ValueOf
// took most of a call's time (see docs/performance.md). encoding/json is
// not used: it would add reflect and fmt back to the module. The reader and
// the writer are package jsapi's; this file is what they need of
// JavaScript.

// object is a JavaScript value as package jsapi reads it: a jsapi.Value,
// and also a DateValue, BytesValue and Stringifier.
type object struct{ v jsv.Value }

var (
	_ jsapi.DateValue   = object{}
	_ jsapi.BytesValue  = object{}
	_ jsapi.Stringifier = object{}
)

func (o object) Type() jsapi.Type        { return jsapi.Type(o.v.Type()) }
func (o object) String() (string, error) { return o.v.String() }
func (o object) Bool() (bool, error)     { return o.v.Bool() }
func (o object) Float() (float64, error) { return o.v.Float() }
func (o object) IsUndefined() bool       { return o.v.IsUndefined() }
func (o object) IsNull() bool            { return o.v.IsNull() }
func (o object) IsNaN() bool             { return o.v.IsNaN() }
func (o object) Get(key string) jsapi.Value {
	v, err := o.v.Get(key)
	if err != nil {
		return object{jsv.Undefined()}
	}
	return object{v}
}

// Date reads a Date's getTime (NaN for an invalid Date).
//
// See https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Date/getTime
func (o object) Date() (float64, bool) {
	if ok, _ := o.v.InstanceOf(dateClass); !ok {
		return 0, false
	}
	ms, err := o.v.Call("getTime")
	if err != nil || ms.Type() != jsv.TypeNumber || ms.IsNaN() {
		return math.NaN(), true
	}
	x, _ := ms.Float()
	return x, true
}

// Bytes copies a Uint8Array or an ArrayBuffer of at most max bytes.
func (o object) Bytes(max int) ([]byte, error) {
	v := o.v
	if ok, _ := v.InstanceOf(arrayBufferClass); ok {
		var err error
		if v, err = uint8ArrayClass.New(v); err != nil {
			return nil, err
		}
	}
	if ok, _ := v.InstanceOf(uint8ArrayClass); !ok {
		return nil, jsapi.ErrNotBytes
	}
	n, err := v.Length()
	if err != nil {
		return nil, err
	}
	if n > max {
		return nil, jsapi.ErrBytesTooLarge
	}
	b := make([]byte, n)
	if _, err := jsv.CopyBytesToGo(b, v); err != nil {
		return nil, err
	}
	return b, nil
}

// JSON is JSON.stringify(o), false when it throws (a BigInt, a cycle, a
// getter that throws).
//
// See https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/JSON/stringify
func (o object) JSON() (string, bool) {
	s, err := jsonClass.Call("stringify", o.v)
	if err != nil || s.Type() != jsv.TypeString {
		return "", false
	}
	text, err := s.String()
	return text, err == nil
}

// absent reports whether v is undefined or null.
func absent(v jsv.Value) bool { return v.IsUndefined() || v.IsNull() }

var (
	jsonClass        = global("JSON")
	dateClass        = global("Date")
	urlClass         = global("URL")
	arrayBufferClass = global("ArrayBuffer")
	uint8ArrayClass  = global("Uint8Array")
)

// jsonBuffer is the writer's buffer, kept between calls: a result is a few
// kilobytes, and allocating them afresh for every call fed the collector.
// (A sync.Pool would add 7 KB of the runtime's pool machinery to the
// module; results are written one at a time.)
var jsonBuffer struct {
	sync.Mutex
	b []byte
}

// toJS converts a result to JavaScript in one crossing: its JSON text
// (jsapi.AppendJSON), parsed by JSON.parse; js.ValueOf (a crossing per
// property) for what JSON cannot carry exactly.
func toJS(v any) (jsv.Value, error) {
	jsonBuffer.Lock()
	defer jsonBuffer.Unlock()
	b, ok := jsapi.AppendJSON(jsonBuffer.b[:0], v)
	if cap(b) <= 64<<10 {
		jsonBuffer.b = b // a huge result's buffer is not kept
	}
	if !ok || len(b) == 0 {
		return jsv.ValueOf(v)
	}
	// The text is handed to JSON.parse without copying it into a string of
	// its own: JavaScript decodes it from Go's memory during the call, and
	// the buffer is not written again before the lock is released.
	return jsonClass.Call("parse", unsafe.String(&b[0], len(b)))
}

// parsedURLs remembers what the browser's URL made of each string, since a
// page sends every call to the same few endpoints and a parse costs nine
// crossings into JavaScript; URL parsing of an absolute URL depends on
// nothing but the string. It holds at most maxParsedURLs entries and is
// emptied when full. Only the JS event loop's goroutines use it, one at a
// time, but it is locked all the same.
var parsedURLs = struct {
	sync.Mutex
	m map[string]*jsapi.URL // nil: URL threw
}{m: map[string]*jsapi.URL{}}

const maxParsedURLs = 64

// parseURL parses s with the browser's URL, false when it throws: the
// jsapi.URLParser package jsapi reads endpoints with.
func parseURL(s string) (*jsapi.URL, bool) {
	parsedURLs.Lock()
	u, ok := parsedURLs.m[s]
	parsedURLs.Unlock()
	if !ok {
		u = parseURLNow(s)
		// A URL with a user name or password is refused, and not kept.
		if u == nil || u.Username == "" && u.Password == "" {
			parsedURLs.Lock()
			if len(parsedURLs.m) >= maxParsedURLs {
				clear(parsedURLs.m)
			}
			parsedURLs.m[strings.Clone(s)] = u // s may be read in place (export.go)
			parsedURLs.Unlock()
		}
	}
	return u, u != nil
}

// parseURLNow parses s with new URL(s).
//
// See https://developer.mozilla.org/docs/Web/API/URL/URL
func parseURLNow(s string) *jsapi.URL {
	u, err := urlClass.New(s)
	if err != nil {
		return nil
	}
	get := func(key string) string {
		v, err := u.Get(key)
		if err != nil {
			return ""
		}
		s, _ := v.String()
		return s
	}
	return &jsapi.URL{
		Href: get("href"), Protocol: get("protocol"), Username: get("username"), Password: get("password"),
		Host: get("host"), Hostname: get("hostname"), Pathname: get("pathname"), Origin: get("origin"),
	}
}
