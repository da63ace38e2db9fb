package soap

import (
	"socred/internal/xmltree"

	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"socred/internal/minifmt"
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
//
// Code and Params say the same as Reason for programs and message
// catalogues: Code names the problem ("required", "too-long", …, see
// Codes), Params hold the values its message needs ({"max": "70",
// "length": "75"}); a field named in a message (the other date of
// "date-order") is a Param too. The page words the problem from its
// catalogue, in the administrator's language; Reason is the English.
type ValidationError struct {
	Field  string
	Reason string // a sentence fragment for people, e.g. "must be at most 70 characters"
	Err    error  // one of the sentinels above
	Code   string
	Params map[string]string
}

// The codes of the problems Validate finds (ValidationError.Code), with
// their Params.
const (
	CodeRequired    = "required"          // —
	CodeInvalidUTF8 = "invalid-utf8"      // byte: the offset of the bad byte
	CodeControlChar = "control-char"      // char: U+0001
	CodeTooLong     = "too-long"          // max, length
	CodeOutOfRange  = "out-of-range"      // min, max
	CodeYearRange   = "year-range"        // min, max
	CodeDateOrder   = "date-order"        // other: the field it must not be before
	CodeUnknownOp   = "unknown-operation" // name
	CodeSOAPVersion = "soap-version"      // —
)

// NewValidationError is a *ValidationError with params given as key,
// value pairs.
//
//go:noinline
func NewValidationError(field string, err error, code, reason string, params ...string) *ValidationError {
	e := &ValidationError{Field: field, Reason: reason, Err: err, Code: code}
	if len(params) > 0 {
		e.Params = make(map[string]string, len(params)/2)
		for i := 0; i+1 < len(params); i += 2 {
			e.Params[params[i]] = params[i+1]
		}
	}
	return e
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
		v.add("Operation", ErrUnknownOp, CodeUnknownOp, minifmt.Sprintf("%q is not an operation socred knows", string(r.Operation)), "name", string(r.Operation))
		return v.errs
	}
	if r.Version != SOAP11 && r.Version != SOAP12 {
		v.add("soapVersion", ErrUnsupportedV, CodeSOAPVersion, "must be SOAP 1.1 or 1.2")
	}
	v.text("ApplicationToken", r.ApplicationToken)
	if r.Operation.needsTicket() {
		v.required("Ticket", r.Ticket)
	}
	v.text("Ticket", r.Ticket)
	if tz := r.TimeZone; tz != nil {
		v.text("SoTimeZoneLocationCode", tz.LocationCode)
	}
	if r.Operation.ForAssociate() {
		v.associateID("AssociateId", r.AssociateID)
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
			v.add("ValidTo", ErrDateOrder, CodeDateOrder, "must not be before ValidFrom", "other", "ValidFrom")
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
	switch r.Operation {
	case GetUser:
		v.associateID("UserId", r.AssociateID)
	case GetUserFromName:
		v.required("UserName", r.UserName)
		v.text("UserName", r.UserName)
	}
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

type validator struct{ errs ValidationErrors }

//go:noinline
func (v *validator) add(field string, err error, code, reason string, params ...string) {
	v.errs = append(v.errs, NewValidationError(field, err, code, reason, params...))
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
		v.add(field, ErrRequired, CodeRequired, "is required")
	}
}

func (v *validator) text(field, s string) {
	if v.has(field) {
		return
	}
	if e := checkText(field, s); e != nil {
		v.errs = append(v.errs, e)
	}
}

// associateID checks an associate id: a whole number from 0 to MaxInt32.
func (v *validator) associateID(field string, id int64) {
	if id < 0 || id > math.MaxInt32 {
		v.add(field, ErrOutOfRange, CodeOutOfRange, minifmt.Sprintf("must be a whole number from 0 to %d", math.MaxInt32),
			"min", "0", "max", strconv.Itoa(math.MaxInt32))
	}
}

func (v *validator) limited(field, s string, max int) {
	v.text(field, s)
	if n := Len(s); n > max {
		v.add(field, ErrTooLong, CodeTooLong, minifmt.Sprintf("must be at most %d characters (it has %d)", max, n),
			"max", strconv.Itoa(max), "length", strconv.Itoa(n))
	}
}

func (v *validator) date(field string, t time.Time) {
	switch {
	case t.IsZero():
		v.add(field, ErrRequired, CodeRequired, "is required")
	case t.UTC().Year() < 1 || t.UTC().Year() > 9999:
		v.add(field, ErrOutOfRange, CodeYearRange, "must be a date between the years 1 and 9999", "min", "1", "max", "9999")
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

// checkText says why XML 1.0 cannot carry s, as a problem of field, or
// returns nil when it can.
func checkText(field, s string) *ValidationError {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return NewValidationError(field, ErrInvalidText, CodeInvalidUTF8, minifmt.Sprintf("is not valid UTF-8 (byte %d)", i), "byte", strconv.Itoa(i))
		}
		if !xmltree.IsChar(r) {
			char := minifmt.Sprintf("U+%04X", r)
			return NewValidationError(field, ErrInvalidText, CodeControlChar, "contains the control character "+char+", which XML 1.0 cannot carry", "char", char)
		}
		i += size
	}
	return nil
}
