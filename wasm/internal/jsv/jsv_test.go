//go:build js && wasm

package jsv

import (
	"errors"
	"syscall/js"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestErrorsNotPanics checks that what throws in JavaScript, or panics in
// syscall/js, comes back as an error, and that values cross as they did.
func TestErrorsNotPanics(t *testing.T) {
	_, err := Undefined().Get("x")
	assert.Error(t, err, "undefined.x throws")
	err = Null().Set("x", 1)
	assert.Error(t, err, "null.x = 1 throws")
	_, err = Undefined().Call("f")
	assert.Error(t, err)
	var je js.Error
	_, err = Global().Call("eval", "throw new TypeError('boom')")
	require.True(t, errors.As(err, &je), "a JavaScript exception is a js.Error: %v", err)
	assert.Contains(t, je.Error(), "boom")
	_, err = ValueOf(struct{}{})
	assert.Error(t, err, "js.ValueOf panics on a struct")
	_, err = Global().Get("Object")
	require.NoError(t, err)
	ok, err := Global().InstanceOf(Null())
	assert.False(t, ok)
	assert.ErrorIs(t, err, errNotConstructor)

	obj, err := ValueOf(map[string]any{"n": 2, "s": "é", "l": []any{true, Null()}})
	require.NoError(t, err)
	n, err := obj.Get("n")
	require.NoError(t, err)
	x, err := n.Int()
	require.NoError(t, err)
	assert.Equal(t, 2, x)
	s, _ := obj.Get("s")
	str, err := s.String()
	require.NoError(t, err)
	assert.Equal(t, "é", str)
	l, _ := obj.Get("l")
	length, err := l.Length()
	require.NoError(t, err)
	assert.Equal(t, 2, length)
	second, _ := l.Index(1)
	assert.True(t, second.IsNull(), "a Value inside []any crosses as itself")
	require.NoError(t, l.SetIndex(1, "x"))
	second, _ = l.Index(1)
	x2, _ := second.String()
	assert.Equal(t, "x", x2)
	require.NoError(t, obj.Delete("n"))
	n, _ = obj.Get("n")
	assert.True(t, n.IsUndefined(), "deleted")
	assert.Error(t, Undefined().Delete("n"))

	f, err := FuncOf(func(_ Value, args []Value) any {
		v, _ := args[0].Float()
		return v * 2
	})
	require.NoError(t, err)
	defer f.Release()
	out, err := f.Value().Invoke(21)
	require.NoError(t, err)
	got, _ := out.Float()
	assert.Equal(t, 42.0, got)

	buf := make([]byte, 3)
	u8, err := Global().Get("Uint8Array")
	require.NoError(t, err)
	arr, err := u8.New(3)
	require.NoError(t, err)
	_, err = CopyBytesToJS(arr, []byte{1, 2, 3})
	require.NoError(t, err)
	_, err = CopyBytesToGo(buf, arr)
	require.NoError(t, err)
	assert.Equal(t, []byte{1, 2, 3}, buf)
	_, err = CopyBytesToGo(buf, obj)
	assert.Error(t, err, "not a Uint8Array")
}
