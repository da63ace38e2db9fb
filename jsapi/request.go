package jsapi

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"socred/internal/minifmt"
	"socred/soap"
)

// Request sentinels: the *soap.ValidationError values this file adds wrap
// one of them (or one of soap's own).
var (
	ErrWrongType = errors.New("wrong JavaScript type")
	ErrFormat    = errors.New("badly formed value")
	ErrInsecure  = errors.New("secret over plain http")
	ErrIDAndName = errors.New("both an associate id and a user name")
)

// The codes of the problems this file finds (soap.ValidationError.Code),
// besides soap's own (soap.CodeRequired, …).
const (
	CodeNotText      = "not-text"
	CodeNotBoolean   = "not-boolean"
	CodeNotObject    = "not-object"
	CodeNotDate      = "not-date" // example
	CodeNoZone       = "no-zone"  // example
	CodeWholeNumber  = "whole-number"
	CodeNotURL       = "not-url"
	CodeURLScheme    = "url-scheme"
	CodeURLHost      = "url-host"
	CodeURLUserInfo  = "url-userinfo"
	CodeURLQuery     = "url-query"
	CodeURLService   = "url-service-path"
	CodeInsecureHTTP = "insecure-http"
	// CodeIDOrName is a user lookup given both an associate id and a user
	// name: it takes one or the other.
	CodeIDOrName = "id-or-name"
	// CodeAPI is a request the page never makes: the JS API called with the
	// wrong shape (detail: what is wrong, in English, for developers).
	CodeAPI = "api"
)

// DefaultTimeout is how long a call may take when the request gives no
// timeoutMs.
const DefaultTimeout = 30 * time.Second

// MaxTimeout bounds timeoutMs.
const MaxTimeout = 10 * time.Minute

// Call is one API call as read from its JavaScript request object: the Go
// request type between the JS object and package soap.
type Call struct {
	Request soap.Request
	// Endpoint is the NetServer site URL as given (trimmed), URL the service
	// URL the envelope goes to; both are "" when no endpoint was given
	// (allowed only for buildEnvelope).
	Endpoint string
	URL      string
	Timeout  time.Duration
	// MaskSecrets asks buildEnvelope for placeholders instead of the secrets.
	MaskSecrets bool
	// Signature, when set, asks for a WS-Security signature (signature.go).
	Signature *SignatureSpec
}

// methodOperation is the operation each sending method performs. "user"
// is GetUser or GetUserFromName, by what the request names (userLookup).
var methodOperation = map[string]soap.Operation{
	"save":   soap.SaveForAssociate,
	"list":   soap.GetForAssociate,
	"remove": soap.RemoveForAssociate,
	"login":  soap.AuthenticateUsernamePassword,
	"user":   soap.GetUser,
}

// fieldOrder is the order of the page's form, in which problems are listed.
var fieldOrder = []string{
	"Operation", "Endpoint", "ApplicationToken", "Ticket", "UserName", "Password",
	"AssociateId", "Type", "ValidFrom", "ValidTo", "Comment", "SecretValue",
	"PublicValue", "IsActive", "soapVersion", "timeoutMs", "signature",
}

func fieldRank(f string) int {
	for i, g := range fieldOrder {
		if g == f {
			return i
		}
	}
	return len(fieldOrder)
}

// ReadCall reads the request object req of method. A value that is not an
// object at all is an *ArgumentError; problems with fields are returned as
// soap.ValidationErrors (together with soap's own Validate, in form order,
// one entry per field), and no call. parse is the browser's URL parser.
//
// The request is read from its JSON text (Stringifier: one crossing
// instead of one or more per field) unless that text cannot say what a
// property it reads holds: a null (which JSON.stringify also writes for
// NaN, Infinity and an invalid Date), an array, a number other than a
// short integer, a text field that looks like a Date's JSON, a date beyond
// year 9999; or the request has a signature (key bytes, a PEM key). Then,
// and when stringify throws, it is read from the object itself, property
// by property, by the same code (ReadObject). What JSON.stringify leaves
// out without a trace (a function or symbol as a value) reads as absent,
// and a String or Number object as its value; the API takes neither.
//
// See https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/JSON/stringify
func ReadCall(method string, req Value, parse URLParser) (*Call, error) {
	if req.Type() != TypeObject {
		return nil, &ArgumentError{Method: method, Reason: "the argument must be a request object, not " + req.Type().String()}
	}
	// A signature's key material is read from the object itself, never
	// copied into a JSON text. An allow-list of keys would keep the text
	// to what the API reads, but makes stringify ten times slower; what
	// else a request holds is parsed and ignored.
	if s, ok := req.(Stringifier); ok && absent(req.Get("signature")) {
		if text, ok := s.JSON(); ok {
			if c, complete, err := ReadJSON(method, text, parse); complete {
				return c, err
			}
		}
	}
	return ReadObject(method, req, parse)
}

// ReadJSON reads the request of method from its JSON text (as
// JSON.stringify wrote it). complete is false when the text cannot say
// what the request holds (see ReadCall) or is not a JSON object: the
// request must then be read from the object itself.
func ReadJSON(method, text string, parse URLParser) (c *Call, complete bool, err error) {
	j, err := parseJSON(text)
	if err != nil || j.kind != jObject {
		return nil, false, nil
	}
	slow := false
	c, err = readFields(method, &fields{obj: &j, slow: &slow}, parse)
	if slow {
		return nil, false, nil
	}
	return c, true, err
}

// ReadObject reads the request of method from the object itself, property
// by property.
func ReadObject(method string, req Value, parse URLParser) (*Call, error) {
	return readFields(method, &fields{obj: req}, parse)
}

// requestKey reports whether readFields reads key from JSON, at any depth
// (fields.get checks it). A switch, not a map: it runs for every field of
// every call, and hashing a string costs more in WebAssembly than the few
// comparisons of equal length a switch makes.
func requestKey(key string) bool {
	switch key {
	case "operation", "maskSecrets", "applicationToken", "ticket", "soapVersion", "xsiType", "timeoutMs",
		"signature", "associateId", "userName", "type", "credentials", "publicValue", "password", "endpoint",
		"validFrom", "validTo", "comment", "secretValue", "isActive":
		return true
	}
	return false
}

// readFields reads a call from f (the request object, or its JSON).
func readFields(method string, f *fields, parse URLParser) (*Call, error) {
	c := &Call{}
	r := &c.Request

	lookup := method == "user" // GetUser or GetUserFromName, as the request says
	if op, ok := methodOperation[method]; ok {
		r.Operation = op
	} else {
		r.Operation = soap.SaveForAssociate
		if name := f.str("operation", "Operation"); name != "" {
			if op, ok := methodOperation[name]; ok {
				r.Operation, lookup = op, name == "user"
			} else if op, err := soap.ParseOperation(name); err == nil {
				r.Operation = op
			} else {
				f.add("Operation", soap.ErrUnknownOp, soap.CodeUnknownOp, minifmt.Sprintf("%q is not an operation socred knows", name), "name", name)
			}
		}
		c.MaskSecrets = f.boolean("maskSecrets", "maskSecrets")
	}

	r.ApplicationToken = f.str("applicationToken", "ApplicationToken")
	r.Ticket = strings.TrimSpace(f.str("ticket", "Ticket"))
	r.Version = f.version()
	r.XSIType = f.boolean("xsiType", "xsiType")
	c.Timeout = f.timeout()
	c.Signature = f.signature()

	switch {
	case lookup:
		r.Operation = f.userLookup(r)
	case r.Operation.ForAssociate() || r.Operation == soap.GetUser:
		r.AssociateID = f.associateID()
	}
	r.Type = strings.TrimSpace(f.str("type", "Type"))
	if cv := f.get("credentials"); cv.Type() == TypeObject {
		sub := &fields{obj: cv, errs: f.errs, slow: f.slow}
		r.Credentials = sub.credentials()
		f.errs = sub.errs
	} else if !cv.IsUndefined() && !cv.IsNull() {
		f.add("credentials", ErrWrongType, CodeNotObject, "must be an object")
	}
	r.PublicValue = f.str("publicValue", "PublicValue")
	if r.PublicValue == "" {
		r.PublicValue = r.Credentials.PublicValue
	}
	if !lookup {
		r.UserName = strings.TrimSpace(f.str("userName", "UserName"))
	}
	r.Password = f.str("password", "Password")

	c.Endpoint = strings.TrimSpace(f.str("endpoint", "Endpoint"))
	_, sends := methodOperation[method]
	switch {
	case c.Endpoint != "":
		u, code, reason := ServiceURL(c.Endpoint, r.Operation, parse)
		if reason != "" {
			f.add("Endpoint", ErrFormat, code, reason)
		} else {
			c.URL = u.Href
			if sends && u.Protocol == "http:" && !IsLoopback(u.Hostname) && carriesSecret(r) {
				f.add("Endpoint", ErrInsecure, CodeInsecureHTTP, "uses plain http:// to a host other than this computer, "+
					"so the ticket, token, password or secret would travel unencrypted: use https://")
			}
		}
	case sends:
		f.add("Endpoint", soap.ErrRequired, soap.CodeRequired, "is required")
	}

	errs := f.errs
	if err := r.Validate(); err != nil {
		var ves soap.ValidationErrors
		if As(err, &ves) {
			for _, e := range ves {
				if lookup && (e.Field == "UserId" || e.Field == "UserName") {
					// The page has one input for either: AssociateId.
					moved := *e
					moved.Field = "AssociateId"
					e = &moved
				}
				if !errs.has(e.Field) {
					errs = append(errs, e)
				}
			}
		} else {
			return nil, err
		}
	}
	if len(errs) > 0 {
		if c.Signature != nil {
			c.Signature.Zero()
		}
		// In form order, stably: an insertion sort of the few fields a
		// request has (sort.SliceStable would add reflection's swapper).
		for i := 1; i < len(errs); i++ {
			for j := i; j > 0 && fieldRank(errs[j].Field) < fieldRank(errs[j-1].Field); j-- {
				errs[j], errs[j-1] = errs[j-1], errs[j]
			}
		}
		return nil, soap.ValidationErrors(errs)
	}
	return c, nil
}

// userLookup reads whom socred.user asks about: exactly one of associateId
// (GetUser) and userName (GetUserFromName, trimmed), and returns which
// operation that is. Every problem, both or neither given included, is
// reported on AssociateId, the page's one input for an id or a name.
func (f *fields) userLookup(r *soap.Request) soap.Operation {
	const field = "AssociateId"
	given := func(key string) bool {
		v := f.get(key)
		if v.Type() == TypeString {
			s, _ := v.String()
			return strings.TrimSpace(s) != ""
		}
		return !absent(v)
	}
	id, name := given("associateId"), given("userName")
	switch {
	case id && name:
		f.add(field, ErrIDAndName, CodeIDOrName, "must be an associate id or a user name, not both")
	case name:
		r.UserName = strings.TrimSpace(f.str("userName", field))
		return soap.GetUserFromName
	case id:
		r.AssociateID = f.associateID()
	default:
		f.add(field, soap.ErrRequired, soap.CodeRequired, "is required: an associate id or a user name")
	}
	return soap.GetUser
}

// credentials reads a credentials object {validFrom, validTo, comment,
// secretValue, publicValue, isActive}.
func (f *fields) credentials() soap.UntrustedCredentials {
	return soap.UntrustedCredentials{
		ValidFrom:   f.date("validFrom", "ValidFrom"),
		ValidTo:     f.date("validTo", "ValidTo"),
		Comment:     f.str("comment", "Comment"),
		SecretValue: f.str("secretValue", "SecretValue"),
		PublicValue: f.str("publicValue", "PublicValue"),
		IsActive:    f.boolean("isActive", "IsActive"),
	}
}

// carriesSecret reports whether the request would carry anything secret.
func carriesSecret(r *soap.Request) bool {
	return r.Ticket != "" || r.ApplicationToken != "" || r.Password != "" ||
		(r.Operation == soap.SaveForAssociate || r.Operation == soap.Save) && r.Credentials.SecretValue != ""
}

// errorList is a list of field problems in the order found.
type errorList []*soap.ValidationError

func (l errorList) has(field string) bool {
	for _, e := range l {
		if e.Field == field {
			return true
		}
	}
	return false
}

// fields reads typed properties of one JavaScript object (or its JSON
// text), collecting one problem per field instead of stopping at the first.
type fields struct {
	obj  Value
	errs errorList
	// slow is set, when obj is JSON, if a property needs the object itself
	// to be read exactly (readCall then reads it again from the object).
	slow *bool
}

// needObject says that what is read cannot be decided from the JSON text.
func (f *fields) needObject() {
	if f.slow != nil {
		*f.slow = true
	}
}

// fromJSON reports whether f reads a JSON text.
func (f *fields) fromJSON() bool {
	_, ok := f.obj.(*jval)
	return ok
}

//go:noinline
func (f *fields) add(field string, err error, code, reason string, params ...string) {
	if !f.errs.has(field) {
		f.errs = append(f.errs, soap.NewValidationError(field, err, code, reason, params...))
	}
}

// api adds a problem of a request shaped against the JS API (the page
// never makes one): code CodeAPI, its English reason as the detail.
//
//go:noinline
func (f *fields) api(field string, err error, reason string) {
	f.add(field, err, CodeAPI, reason, "detail", reason)
}

// get returns the property, undefined when it cannot be read.
func (f *fields) get(key string) Value {
	v := f.obj.Get(key)
	if j, ok := v.(*jval); ok {
		switch {
		case !requestKey(key):
			f.needObject() // a key readFields does not list: read it from the object
		case j.kind == jNull, j.kind == jArray, j.kind == jOther:
			// JSON.stringify writes null for null but also for NaN, ±Infinity
			// and an invalid Date, which the API words differently; an array
			// loses its other properties; jOther is not converted here.
			f.needObject()
		}
	}
	return v
}

// looksLikeDateJSON reports whether s is what a Date's toJSON writes
// (2025-01-31T08:00:00.000Z, or with a six-digit signed year).
func looksLikeDateJSON(s string) bool {
	n := len(s)
	return n >= 24 && s[n-1] == 'Z' && s[n-5] == '.' && s[n-8] == ':' && s[n-11] == ':' && s[n-14] == 'T' && s[n-17] == '-' && s[n-20] == '-'
}

// str reads a string property; absent is "".
func (f *fields) str(key, field string) string {
	v := f.get(key)
	if absent(v) {
		return ""
	}
	if v.Type() != TypeString {
		f.add(field, ErrWrongType, CodeNotText, "must be text")
		return ""
	}
	s, err := v.String()
	if err != nil {
		f.add(field, ErrWrongType, CodeNotText, "must be text")
	}
	if f.fromJSON() && looksLikeDateJSON(s) {
		f.needObject() // a Date where text belongs would be "must be text"
	}
	return s
}

// boolean reads a boolean property; absent is false.
func (f *fields) boolean(key, field string) bool {
	v := f.get(key)
	if absent(v) {
		return false
	}
	if v.Type() != TypeBoolean {
		f.add(field, ErrWrongType, CodeNotBoolean, "must be true or false")
		return false
	}
	b, _ := v.Bool()
	return b
}

// date reads a Date or an ISO 8601 string with a zone (Z or ±hh:mm); absent
// or "" is the zero time, which soap's validation reports as required.
func (f *fields) date(key, field string) time.Time {
	v := f.get(key)
	if absent(v) {
		return time.Time{}
	}
	switch v.Type() {
	case TypeString:
		s, _ := v.String()
		s = strings.TrimSpace(s)
		if s == "" {
			return time.Time{}
		}
		if f.fromJSON() && (s[0] == '+' || s[0] == '-') {
			f.needObject() // a Date beyond year 9999 (or before 0) in its JSON form
		}
		t, _, err := soap.ParseZonedDateTime(s)
		if err != nil {
			// A date and time to the minute, then anything but a zone.
			if _, _, lerr := soap.ParseZonedDateTime(s[:min(len(s), 16)] + ":00Z"); lerr == nil && len(s) >= 16 {
				f.add(field, ErrFormat, CodeNoZone, "must say its time zone, e.g. 2025-01-31T08:00:00Z", "example", "2025-01-31T08:00:00Z")
			} else {
				f.add(field, ErrFormat, CodeNotDate, "must be a date and time such as 2025-01-31T08:00:00Z", "example", "2025-01-31T08:00:00Z")
			}
			return time.Time{}
		}
		return t.UTC()
	case TypeObject:
		d, ok := v.(DateValue)
		if !ok {
			break // an object in JSON is no Date: its JSON is a string
		}
		if ms, isDate := d.Date(); isDate {
			if !math.IsNaN(ms) {
				return time.UnixMilli(int64(ms)).UTC()
			}
			f.add(field, ErrFormat, CodeNotDate, "is an invalid Date", "example", "2025-01-31T08:00:00Z")
			return time.Time{}
		}
	}
	f.add(field, ErrWrongType, CodeNotDate, "must be a Date or an ISO 8601 string", "example", "2025-01-31T08:00:00Z")
	return time.Time{}
}

// associateID reads associateId: a whole number or a string of digits.
func (f *fields) associateID() int64 {
	const field = "AssociateId"
	v := f.get("associateId")
	if absent(v) {
		f.add(field, soap.ErrRequired, soap.CodeRequired, "is required")
		return 0
	}
	var x float64
	switch v.Type() {
	case TypeNumber:
		x, _ = v.Float()
	case TypeString:
		s, _ := v.String()
		s = strings.TrimSpace(s)
		if s == "" {
			f.add(field, soap.ErrRequired, soap.CodeRequired, "is required")
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			f.add(field, ErrFormat, CodeWholeNumber, "must be a whole number")
			return 0
		}
		x = float64(n)
	default:
		f.add(field, ErrWrongType, CodeWholeNumber, "must be a number")
		return 0
	}
	if x != math.Trunc(x) || math.IsNaN(x) {
		f.add(field, ErrFormat, CodeWholeNumber, "must be a whole number")
		return 0
	}
	if x < 0 || x > math.MaxInt32 {
		f.add(field, soap.ErrOutOfRange, soap.CodeOutOfRange, minifmt.Sprintf("must be a whole number from 0 to %d", math.MaxInt32),
			"min", "0", "max", strconv.Itoa(math.MaxInt32))
		return 0
	}
	return int64(x)
}

// version reads soapVersion: "1.1" (the default) or "1.2", as a string or
// number.
func (f *fields) version() soap.Version {
	v := f.get("soapVersion")
	if absent(v) {
		return soap.SOAP11
	}
	var s string
	switch v.Type() {
	case TypeString:
		s, _ = v.String()
	case TypeNumber:
		x, _ := v.Float()
		s = strconv.FormatFloat(x, 'f', 1, 64)
	}
	switch strings.TrimSpace(s) {
	case "1.1", "":
		return soap.SOAP11
	case "1.2":
		return soap.SOAP12
	}
	f.add("soapVersion", soap.ErrUnsupportedV, soap.CodeSOAPVersion, `must be "1.1" or "1.2"`)
	return soap.SOAP11
}

// timeout reads timeoutMs, a positive number of milliseconds.
func (f *fields) timeout() time.Duration {
	v := f.get("timeoutMs")
	if absent(v) {
		return DefaultTimeout
	}
	x, err := v.Float()
	if v.Type() != TypeNumber || err != nil || math.IsNaN(x) || x <= 0 || x > float64(MaxTimeout/time.Millisecond) {
		max := strconv.FormatInt(int64(MaxTimeout/time.Millisecond), 10)
		f.add("timeoutMs", soap.ErrOutOfRange, soap.CodeOutOfRange, "must be a number of milliseconds from 1 to "+max, "min", "1", "max", max)
		return DefaultTimeout
	}
	return time.Duration(x * float64(time.Millisecond))
}
