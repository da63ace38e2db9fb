package jsapi

import "errors"

// Type is the JavaScript type of a value (typeof, with null apart), in the
// order of syscall/js's Type, so that wasm converts one to the other.
type Type int

// The JavaScript types.
const (
	TypeUndefined Type = iota
	TypeNull
	TypeBoolean
	TypeNumber
	TypeString
	TypeSymbol
	TypeObject
	TypeFunction
)

// String is the type's name, as syscall/js's Type.String writes it.
func (t Type) String() string {
	switch t {
	case TypeUndefined:
		return "undefined"
	case TypeNull:
		return "null"
	case TypeBoolean:
		return "boolean"
	case TypeNumber:
		return "number"
	case TypeString:
		return "string"
	case TypeSymbol:
		return "symbol"
	case TypeObject:
		return "object"
	case TypeFunction:
		return "function"
	}
	return "unknown"
}

// Value is one JavaScript value as the request readers see it: a value of
// the JSON text the request was written as (ReadJSON), or the object
// itself, which package wasm wraps (ReadObject). The methods are those of
// syscall/js's Value, with errors instead of panics.
type Value interface {
	Type() Type
	// String is a string's value; for other types a placeholder.
	String() (string, error)
	Bool() (bool, error)
	Float() (float64, error)
	IsUndefined() bool
	IsNull() bool
	IsNaN() bool
	// Get is the property key of an object, undefined when it has none
	// or it cannot be read.
	Get(key string) Value
}

// A DateValue is a Value that may be a JavaScript Date.
type DateValue interface {
	Value
	// Date reports whether the value is a Date (instanceof Date) and its
	// time in milliseconds since 1970, NaN for an invalid Date.
	Date() (ms float64, isDate bool)
}

// A BytesValue is a Value that may hold bytes: a Uint8Array or an
// ArrayBuffer.
type BytesValue interface {
	Value
	// Bytes copies the bytes of a Uint8Array or an ArrayBuffer of at most
	// max bytes. It returns ErrNotBytes for anything else and
	// ErrBytesTooLarge past max.
	Bytes(max int) ([]byte, error)
}

// A Stringifier is a request object that can write itself as JSON, as
// JSON.stringify does (false when that throws).
type Stringifier interface {
	JSON() (string, bool)
}

// Errors of BytesValue.Bytes.
var (
	ErrNotBytes      = errors.New("jsapi: not a Uint8Array or an ArrayBuffer")
	ErrBytesTooLarge = errors.New("jsapi: too many bytes")
)

// absent reports whether v is undefined or null.
func absent(v Value) bool { return v.IsUndefined() || v.IsNull() }

// Absent reports whether v is undefined or null: what the API reads as a
// property not given.
func Absent(v Value) bool { return absent(v) }
