//go:build js && wasm

// Package jsv is syscall/js with errors instead of panics: every call that
// can throw in JavaScript (or panic in syscall/js) returns an error, as
// github.com/hack-pad/safejs does, whose API this is a subset of. socred
// used safejs; this package replaces it because safejs's error wrapping
// (fmt, and a stack trace captured for every error) links fmt and reflect
// into the module and costs time on every failed call. With minifmt it
// saved 8 KB of the compressed module while encoding/xml still brought fmt
// in; fmt and reflect left for good with encoding/xml, 94 KB in all
// (docs/performance.md measures each step, in the order it was made).
//
// A recovered panic becomes an error as it is when it is one (js.Error for a
// JavaScript exception), else an error carrying its text.
package jsv

import (
	"errors"
	"syscall/js"
)

// Type is the JavaScript type of a value (typeof, with null apart).
type Type = js.Type

// The JavaScript types.
const (
	TypeUndefined = js.TypeUndefined
	TypeNull      = js.TypeNull
	TypeBoolean   = js.TypeBoolean
	TypeNumber    = js.TypeNumber
	TypeString    = js.TypeString
	TypeSymbol    = js.TypeSymbol
	TypeObject    = js.TypeObject
	TypeFunction  = js.TypeFunction
)

// Value is a JavaScript value whose methods return errors instead of
// panicking.
type Value struct {
	v js.Value
}

// Safe wraps a js.Value.
func Safe(v js.Value) Value { return Value{v} }

// Unsafe returns the js.Value inside v.
func Unsafe(v Value) js.Value { return v.v }

// Global is globalThis.
func Global() Value { return Value{js.Global()} }

// Undefined is undefined.
func Undefined() Value { return Value{js.Undefined()} }

// Null is null.
func Null() Value { return Value{js.Null()} }

// errPanic is a recovered panic whose value was neither an error nor text.
var errPanic = errors.New("jsv: panic in syscall/js")

func recovered(r any) error {
	switch r := r.(type) {
	case error:
		return r
	case js.Value:
		return js.Error{Value: r}
	case string:
		return errors.New(r)
	}
	return errPanic
}

func try[T any](fn func() T) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = recovered(r)
		}
	}()
	return fn(), nil
}

// unwrap turns Values and Funcs, also inside []any and map[string]any, into
// what syscall/js converts.
func unwrap(x any) any {
	switch x := x.(type) {
	case Value:
		return x.v
	case Func:
		return x.fn
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = unwrap(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = unwrap(e)
		}
		return out
	}
	return x
}

func unwrapAll(args []any) []any {
	for i, a := range args {
		switch a.(type) {
		case Value, Func, []any, map[string]any:
			args[i] = unwrap(a)
		}
	}
	return args
}

// ValueOf converts a Go value as js.ValueOf does.
func ValueOf(x any) (Value, error) {
	x = unwrap(x)
	return try(func() Value { return Value{js.ValueOf(x)} })
}

// Type is v's JavaScript type.
func (v Value) Type() Type { return v.v.Type() }

// IsUndefined reports whether v is undefined.
func (v Value) IsUndefined() bool { return v.v.IsUndefined() }

// IsNull reports whether v is null.
func (v Value) IsNull() bool { return v.v.IsNull() }

// IsNaN reports whether v is NaN.
func (v Value) IsNaN() bool { return v.v.IsNaN() }

// Equal reports whether v and w are ===.
func (v Value) Equal(w Value) bool { return v.v.Equal(w.v) }

// Get returns v[key].
func (v Value) Get(key string) (Value, error) {
	return try(func() Value { return Value{v.v.Get(key)} })
}

// Set sets v[key] = x.
func (v Value) Set(key string, x any) error {
	x = unwrap(x)
	_, err := try(func() bool { v.v.Set(key, x); return true })
	return err
}

// Delete deletes v[key].
func (v Value) Delete(key string) error {
	_, err := try(func() bool { v.v.Delete(key); return true })
	return err
}

// SetIndex sets v[i] = x.
func (v Value) SetIndex(i int, x any) error {
	x = unwrap(x)
	_, err := try(func() bool { v.v.SetIndex(i, x); return true })
	return err
}

// Index returns v[i].
func (v Value) Index(i int) (Value, error) {
	return try(func() Value { return Value{v.v.Index(i)} })
}

// Call calls the method m of v.
func (v Value) Call(m string, args ...any) (Value, error) {
	args = unwrapAll(args)
	return try(func() Value { return Value{v.v.Call(m, args...)} })
}

// Invoke calls v.
func (v Value) Invoke(args ...any) (Value, error) {
	args = unwrapAll(args)
	return try(func() Value { return Value{v.v.Invoke(args...)} })
}

// New calls v as a constructor.
func (v Value) New(args ...any) (Value, error) {
	args = unwrapAll(args)
	return try(func() Value { return Value{v.v.New(args...)} })
}

// String returns a string's value ("<object>" and the like for others, as
// js.Value.String does).
func (v Value) String() (string, error) { return try(v.v.String) }

// Bool returns a boolean's value.
func (v Value) Bool() (bool, error) { return try(v.v.Bool) }

// Float returns a number's value.
func (v Value) Float() (float64, error) { return try(v.v.Float) }

// Int returns a number's value, truncated.
func (v Value) Int() (int, error) { return try(v.v.Int) }

// Truthy reports whether v is truthy.
func (v Value) Truthy() (bool, error) { return try(v.v.Truthy) }

// Length returns v.length.
func (v Value) Length() (int, error) { return try(v.v.Length) }

// errNotConstructor is InstanceOf given something that is not a function.
var errNotConstructor = errors.New("jsv: instanceof needs a constructor")

// InstanceOf reports whether v instanceof t.
func (v Value) InstanceOf(t Value) (bool, error) {
	if t.Type() != TypeFunction {
		return false, errNotConstructor
	}
	return try(func() bool { return v.v.InstanceOf(t.v) })
}

// Func is a Go function JavaScript can call.
type Func struct {
	fn js.Func
}

// FuncOf wraps fn as a JavaScript function; Release it when it is no
// longer called. A panic in fn is not recovered: fn must recover its own.
func FuncOf(fn func(this Value, args []Value) any) (Func, error) {
	f, err := try(func() js.Func {
		return js.FuncOf(func(this js.Value, args []js.Value) any {
			vs := make([]Value, len(args))
			for i, a := range args {
				vs[i] = Value{a}
			}
			return unwrap(fn(Value{this}, vs))
		})
	})
	return Func{f}, err
}

// Release frees the function's resources; calling it afterwards throws.
func (f Func) Release() { f.fn.Release() }

// Value is the function as a JavaScript value.
func (f Func) Value() Value { return Value{f.fn.Value} }

// CopyBytesToGo copies from a Uint8Array into dst.
func CopyBytesToGo(dst []byte, src Value) (int, error) {
	return try(func() int { return js.CopyBytesToGo(dst, src.v) })
}

// CopyBytesToJS copies src into a Uint8Array.
func CopyBytesToJS(dst Value, src []byte) (int, error) {
	return try(func() int { return js.CopyBytesToJS(dst.v, src) })
}
