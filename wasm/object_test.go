//go:build js && wasm

package wasm

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"socred/jsapi"
	"socred/wasm/internal/jsv"
)

// TestObjectTypes checks that jsapi's Type is syscall/js's, value for
// value and name for name: object.Type converts one to the other.
func TestObjectTypes(t *testing.T) {
	for _, pair := range []struct {
		js  jsv.Type
		api jsapi.Type
	}{
		{jsv.TypeUndefined, jsapi.TypeUndefined}, {jsv.TypeNull, jsapi.TypeNull}, {jsv.TypeBoolean, jsapi.TypeBoolean},
		{jsv.TypeNumber, jsapi.TypeNumber}, {jsv.TypeString, jsapi.TypeString}, {jsv.TypeSymbol, jsapi.TypeSymbol},
		{jsv.TypeObject, jsapi.TypeObject}, {jsv.TypeFunction, jsapi.TypeFunction},
	} {
		assert.Equal(t, pair.api, jsapi.Type(pair.js), pair.js.String())
		assert.Equal(t, pair.js.String(), pair.api.String())
	}
	for expr, want := range map[string]jsapi.Type{
		`undefined`: jsapi.TypeUndefined, `null`: jsapi.TypeNull, `true`: jsapi.TypeBoolean, `1`: jsapi.TypeNumber,
		`"s"`: jsapi.TypeString, `Symbol()`: jsapi.TypeSymbol, `({})`: jsapi.TypeObject, `(() => 1)`: jsapi.TypeFunction,
	} {
		assert.Equal(t, want, object{jsEval(t, expr)}.Type(), expr)
	}
}

// TestObjectBytes copies a Uint8Array or an ArrayBuffer, and says why it
// cannot for anything else.
func TestObjectBytes(t *testing.T) {
	b, err := object{jsEval(t, `new Uint8Array([1, 2, 3])`)}.Bytes(3)
	assert.NoError(t, err)
	assert.Equal(t, []byte{1, 2, 3}, b)
	b, err = object{jsEval(t, `new Uint8Array([4, 5]).buffer`)}.Bytes(3)
	assert.NoError(t, err)
	assert.Equal(t, []byte{4, 5}, b)
	_, err = object{jsEval(t, `new Uint8Array(4)`)}.Bytes(3)
	assert.ErrorIs(t, err, jsapi.ErrBytesTooLarge)
	_, err = object{jsEval(t, `[1, 2]`)}.Bytes(3)
	assert.ErrorIs(t, err, jsapi.ErrNotBytes)
}
