package soap

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Validation sentinels: every *ValidationError wraps one of them.
var (
	ErrRequired     = errors.New("soap: required")
	ErrOutOfRange   = errors.New("soap: out of range")
	ErrTooLong      = errors.New("soap: too long")
	ErrInvalidText  = errors.New("soap: text XML cannot carry")
	ErrDateOrder    = errors.New("soap: ValidTo before ValidFrom")
	ErrUnknownOp    = errors.New("soap: unknown operation")
	ErrUnsupportedV = errors.New("soap: unsupported SOAP version")
)

// ValidationError is one problem with one field of a Request. Field is the
// SOAP element name (AssociateId, Type, ValidFrom, …), which is also the name
// of the page's form input.
type ValidationError struct {
	Field  string
	Reason string // a sentence fragment for people, e.g. "must be at most 70 characters"
	Err    error  // one of the sentinels above
}

func (e *ValidationError) Error() string {
	return "soap: " + e.Field + ": " + e.Reason
}

func (e *ValidationError) Unwrap() error { return e.Err }

// ValidationErrors is every problem Validate found, in form order.
type ValidationErrors []*ValidationError

func (es ValidationErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap lets errors.Is and errors.As look at each problem.
func (es ValidationErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Validate checks the request before anything is built. It returns nil or a
// ValidationErrors with one *ValidationError per problem.
func (r *Request) Validate() error {
	var v validator
	if _, err := ParseOperation(string(r.Operation)); err != nil {
		v.add("Operation", ErrUnknownOp, fmt.Sprintf("%q is not an operation socred knows", r.Operation))
		return v.errs
	}
	if r.Version != SOAP11 && r.Version != SOAP12 {
		v.add("soapVersion", ErrUnsupportedV, "must be SOAP 1.1 or 1.2")
	}
	v.text("ApplicationToken", r.ApplicationToken)
	if r.Operation.needsTicket() {
		v.required("Ticket", r.Ticket)
	}
	v.text("Ticket", r.Ticket)
	if tz := r.TimeZone; tz != nil {
		v.text("SoTimeZoneLocationCode", tz.LocationCode)
	}
	if r.Operation.ForAssociate() && (r.AssociateID < 0 || r.AssociateID > math.MaxInt32) {
		v.add("AssociateId", ErrOutOfRange, fmt.Sprintf("must be a whole number from 0 to %d", math.MaxInt32))
	}
	if r.Operation.needsType() {
		v.required("Type", r.Type)
		v.text("Type", r.Type)
	}
	if r.Operation.carriesCredentials() {
		c := &r.Credentials
		v.date("ValidFrom", c.ValidFrom)
		v.date("ValidTo", c.ValidTo)
		if !c.ValidFrom.IsZero() && !c.ValidTo.IsZero() && c.ValidTo.Before(c.ValidFrom) {
			v.add("ValidTo", ErrDateOrder, "must not be before ValidFrom")
		}
		v.limited("Comment", c.Comment, MaxComment)
		v.limited("SecretValue", c.SecretValue, MaxSecretValue)
		v.limited("PublicValue", c.PublicValue, MaxPublicValue)
	}
	if r.Operation.carriesPublicValue() {
		v.limited("PublicValue", r.PublicValue, MaxPublicValue)
	}
	if r.Operation == AuthenticateUsernamePassword {
		v.required("UserName", r.UserName)
		v.text("UserName", r.UserName)
		v.text("Password", r.Password)
	}
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

type validator struct{ errs ValidationErrors }

func (v *validator) add(field string, err error, reason string) {
	v.errs = append(v.errs, &ValidationError{Field: field, Reason: reason, Err: err})
}

func (v *validator) has(field string) bool {
	for _, e := range v.errs {
		if e.Field == field {
			return true
		}
	}
	return false
}

func (v *validator) required(field, s string) {
	if strings.TrimSpace(s) == "" {
		v.add(field, ErrRequired, "is required")
	}
}

func (v *validator) text(field, s string) {
	if v.has(field) {
		return
	}
	if reason := checkText(s); reason != "" {
		v.add(field, ErrInvalidText, reason)
	}
}

func (v *validator) limited(field, s string, max int) {
	v.text(field, s)
	if n := Len(s); n > max {
		v.add(field, ErrTooLong, fmt.Sprintf("must be at most %d characters (it has %d)", max, n))
	}
}

func (v *validator) date(field string, t time.Time) {
	switch {
	case t.IsZero():
		v.add(field, ErrRequired, "is required")
	case t.UTC().Year() < 1 || t.UTC().Year() > 9999:
		v.add(field, ErrOutOfRange, "must be a date between the years 1 and 9999")
	}
}

// Len is the length of s as NetServer and the browser count it: in UTF-16
// code units, so a character outside the Basic Multilingual Plane counts two.
func Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// checkText returns why XML 1.0 cannot carry s, or "" when it can.
func checkText(s string) string {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return fmt.Sprintf("is not valid UTF-8 (byte %d)", i)
		}
		if !isXMLChar(r) {
			return fmt.Sprintf("contains the control character U+%04X, which XML 1.0 cannot carry", r)
		}
		i += size
	}
	return ""
}

// isXMLChar reports whether r is in XML 1.0's Char production.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
