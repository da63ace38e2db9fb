//go:build !socred_vet

// Package minifmt is the part of fmt that socred's error messages use —
// Errorf and Sprintf with %w, %v, %s, %d, %q, %X (and widths such as %02X),
// %% — without reflection, so that the browser module links neither fmt
// nor reflect: fmt alone was 8 KB of the compressed module while
// encoding/xml still brought it in, and fmt, reflect and os left with
// encoding/xml, 94 KB in all (docs/performance.md). Its output is fmt's for every
// argument type it takes; this package's tests check that against fmt.
//
// Arguments are strings, byte slices, booleans, integers, float64s, errors
// and nil. Named types other than errors must be converted first (string(…),
// or a String method called by the caller): minifmt does not look for
// String methods, since one dynamic call of String() makes the linker keep
// every String method of every type used as an interface — time.Time's
// brings time's whole formatter. Anything else prints as %!v(unsupported),
// which a test would notice.
//
// Its calls are checked like fmt's: make test runs go vet with
// -tags=socred_vet, under which Errorf and Sprintf are fmt's (vet.go), and
// TestCallsInTheTree checks every call's format against what minifmt takes.
// Neither sees an operand of a named type (which fmt prints and minifmt
// does not): converting it stays the caller's care.
package minifmt

import (
	"strconv"
	"strings"
)

// Errorf formats like fmt.Errorf: each %w operand is wrapped (errors.Is and
// errors.As see it), and the error's text is the formatted message.
func Errorf(format string, args ...any) error {
	var wrapped []error
	msg := format
	if strings.IndexByte(format, '%') >= 0 {
		msg = sprint(format, args, &wrapped)
	}
	switch len(wrapped) {
	case 0:
		return &plainError{msg}
	case 1:
		return &wrapError{msg, wrapped[0]}
	}
	return &wrapErrors{msg, wrapped}
}

// Sprintf formats like fmt.Sprintf.
func Sprintf(format string, args ...any) string {
	return sprint(format, args, nil)
}

type plainError struct{ msg string }

func (e *plainError) Error() string { return e.msg }

type wrapError struct {
	msg string
	err error
}

func (e *wrapError) Error() string { return e.msg }
func (e *wrapError) Unwrap() error { return e.err }

type wrapErrors struct {
	msg  string
	errs []error
}

func (e *wrapErrors) Error() string   { return e.msg }
func (e *wrapErrors) Unwrap() []error { return e.errs }

func sprint(format string, args []any, wrapped *[]error) string {
	var b strings.Builder
	b.Grow(len(format) + 16*len(args))
	next := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(format) {
			b.WriteString("%!(NOVERB)")
			break
		}
		zero, width := false, 0
		if format[i] == '0' {
			zero = true
			i++
		}
		for i < len(format) && format[i] >= '0' && format[i] <= '9' {
			width = width*10 + int(format[i]-'0')
			i++
		}
		if i >= len(format) {
			b.WriteString("%!(NOVERB)")
			break
		}
		verb := format[i]
		if verb == '%' {
			b.WriteByte('%')
			continue
		}
		if next >= len(args) {
			b.WriteString("%!" + string(verb) + "(MISSING)")
			continue
		}
		arg := args[next]
		next++
		if verb == 'w' {
			if err, ok := arg.(error); ok && wrapped != nil {
				*wrapped = append(*wrapped, err)
			}
			verb = 'v'
		}
		s := format1(verb, arg)
		if pad := width - len(s); pad > 0 {
			fill := " "
			if zero {
				fill = "0"
			}
			s = strings.Repeat(fill, pad) + s
		}
		b.WriteString(s)
	}
	return b.String()
}

// format1 formats one operand.
func format1(verb byte, arg any) string {
	switch verb {
	case 'd':
		if n, ok := integer(arg); ok {
			return n
		}
	case 'X':
		if u, ok := unsigned(arg); ok {
			return strings.ToUpper(strconv.FormatUint(u, 16))
		}
	case 'q':
		if s, ok := text(arg); ok {
			return strconv.Quote(s)
		}
	case 'v', 's':
		if s, ok := text(arg); ok {
			return s
		}
		if verb == 'v' {
			if n, ok := integer(arg); ok {
				return n
			}
			switch x := arg.(type) {
			case bool:
				return strconv.FormatBool(x)
			case float64:
				return strconv.FormatFloat(x, 'g', -1, 64)
			case nil:
				return "<nil>"
			}
		}
	}
	return "%!" + string(verb) + "(unsupported)"
}

// text is a string operand: a string, an error's text or a String method's.
func text(arg any) (string, bool) {
	switch x := arg.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	case error:
		return x.Error(), true
	}
	return "", false
}

func integer(arg any) (string, bool) {
	switch x := arg.(type) {
	case int:
		return strconv.Itoa(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case int32:
		return strconv.FormatInt(int64(x), 10), true
	case int16:
		return strconv.FormatInt(int64(x), 10), true
	case int8:
		return strconv.FormatInt(int64(x), 10), true
	}
	if u, ok := unsigned(arg); ok {
		return strconv.FormatUint(u, 10), true
	}
	return "", false
}

func unsigned(arg any) (uint64, bool) {
	switch x := arg.(type) {
	case uint:
		return uint64(x), true
	case uint64:
		return x, true
	case uint32:
		return uint64(x), true
	case uint16:
		return uint64(x), true
	case uint8:
		return uint64(x), true
	case int:
		if x >= 0 {
			return uint64(x), true
		}
	case int32: // a rune
		if x >= 0 {
			return uint64(x), true
		}
	}
	return 0, false
}
