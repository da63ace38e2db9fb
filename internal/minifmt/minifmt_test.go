//go:build !socred_vet

package minifmt

import (
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestLikeFmt checks that every verb and operand type minifmt takes comes
// out as fmt writes it.
func TestLikeFmt(t *testing.T) {
	cases := []struct {
		format string
		args   []any
	}{
		{"plain text", nil},
		{"%s and %s", []any{"a", []byte("b")}},
		{"%q", []any{"quote \"me\"\n\x00é"}},
		{"%d %d %d %d", []any{0, -42, int64(1) << 40, uint8(200)}},
		{"%v %v %v %v", []any{7, true, 2.5, nil}},
		{"%v", []any{1e21}},
		{"U+%04X \\%02X %X", []any{'é', byte(7), uint32(0xbeef)}},
		{"%s within %v", []any{"https://x", (1500 * time.Millisecond).String()}},
		{"%v: %s", []any{io.EOF, errors.New("e")}},
		{"100%% sure", nil},
		{"%d", []any{rune('A')}},
	}
	for _, c := range cases {
		assert.Equal(t, fmt.Sprintf(c.format, c.args...), Sprintf(c.format, c.args...), "%q", c.format)
	}
}

// TestErrorf checks the wrapping: one %w, several, and none.
func TestErrorf(t *testing.T) {
	a, b := errors.New("a"), errors.New("b")
	one := Errorf("%w: more %d", a, 3)
	assert.Equal(t, "a: more 3", one.Error())
	assert.ErrorIs(t, one, a)
	assert.Equal(t, a, errors.Unwrap(one))

	two := Errorf("%w: %w: x", a, b)
	assert.Equal(t, fmt.Errorf("%w: %w: x", a, b).Error(), two.Error())
	assert.ErrorIs(t, two, a)
	assert.ErrorIs(t, two, b)

	none := Errorf("soap: unknown operation %q", "X")
	assert.Equal(t, `soap: unknown operation "X"`, none.Error())
	assert.Nil(t, errors.Unwrap(none))

	var target *wrapError
	assert.ErrorAs(t, Errorf("%w", Errorf("%w: inner", a)), &target)
}

// TestUnsupported shows what an operand minifmt cannot format looks like.
func TestUnsupported(t *testing.T) {
	type named string
	assert.Equal(t, "x %!q(unsupported) %!d(MISSING)", Sprintf("x %q %d", named("n")))
	assert.Equal(t, "%!v(unsupported)", Sprintf("%v", time.Second), "a String method is not called")
}
