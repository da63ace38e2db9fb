package soap

import (
	"socred/internal/datetime"

	"bytes"
	"io"
	"strconv"
	"time"
)

// Envelope is a request ready to send: the exact bytes and the HTTP headers
// that must go with them.
type Envelope struct {
	XML         []byte
	ContentType string
	// SOAPAction is the quoted value of the SOAPAction HTTP header for SOAP
	// 1.1, and "" for SOAP 1.2, which carries the action in ContentType.
	SOAPAction string
	Version    Version
	Operation  Operation
}

// Headers returns the HTTP request headers that go with the envelope, in a
// fixed order (Content-Type first).
func (e *Envelope) Headers() []KeyValue {
	h := []KeyValue{{"Content-Type", e.ContentType}}
	if e.SOAPAction != "" {
		h = append(h, KeyValue{"SOAPAction", e.SOAPAction})
	}
	return h
}

// WriteTo writes the envelope's bytes to w.
func (e *Envelope) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(e.XML)
	return int64(n), err
}

// Build validates the request and returns its envelope. A request that fails
// validation yields a ValidationErrors and no envelope.
func Build(r Request) (*Envelope, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return marshal(&r), nil
}

// marshal writes the envelope without validating: Build's second half, also
// used by tests that reproduce the vendor's example (whose empty Type
// Validate refuses).
func marshal(r *Request) *Envelope {
	w := &writer{xsi: r.XSIType}
	// Room for the markup and the texts at once, instead of growing the
	// buffer from 64 bytes a doubling at a time.
	w.Grow(1280 + len(r.ApplicationToken) + len(r.Ticket) + len(r.Type) + len(r.UserName) + len(r.Password) +
		len(r.PublicValue) + len(r.Credentials.Comment) + len(r.Credentials.SecretValue) + len(r.Credentials.PublicValue))
	w.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	w.WriteString(`<soap:Envelope xmlns:soap="` + r.Version.namespace() + `" xmlns:ns="` + NS + `"`)
	if r.XSIType {
		w.WriteString(` xmlns:xsi="` + NSInstance + `" xmlns:xsd="` + NSSchema + `"`)
	}
	w.WriteString(">\n")
	w.open(1, "soap:Header", "")
	if r.ApplicationToken != "" {
		w.leaf(2, "ApplicationToken", "", r.ApplicationToken)
	}
	if r.Operation.needsTicket() {
		w.open(2, "ns:Credentials", "ns:SoCredentials")
		w.leaf(3, "Ticket", "xsd:string", r.Ticket)
		w.close(2, "ns:Credentials")
	}
	if tz := r.TimeZone; tz != nil {
		w.open(2, "ns:TimeZone", "ns:SoTimeZone")
		w.leaf(3, "SoTimeZoneId", "xsd:int", strconv.FormatInt(int64(tz.ID), 10))
		w.leaf(3, "SoTimeZoneLocationCode", "xsd:string", tz.LocationCode)
		w.close(2, "ns:TimeZone")
	}
	w.close(1, "soap:Header")
	w.open(1, "soap:Body", "")
	op := "ns:" + string(r.Operation)
	if len(bodyOrder[r.Operation]) == 0 {
		// The schema gives the element empty content: no white space either.
		w.indent(2)
		w.WriteString("<" + op + "/>\n")
	} else {
		w.open(2, op, "")
		w.body(r)
		w.close(2, op)
	}
	w.close(1, "soap:Body")
	w.WriteString("</soap:Envelope>\n")

	e := &Envelope{XML: w.Bytes(), Version: r.Version, Operation: r.Operation}
	if r.Version == SOAP12 {
		e.ContentType = `application/soap+xml; charset=utf-8; action="` + r.Operation.Action() + `"`
	} else {
		e.ContentType = "text/xml; charset=utf-8"
		e.SOAPAction = `"` + r.Operation.Action() + `"`
	}
	return e
}

// body writes the operation element's children in schema order.
func (w *writer) body(r *Request) {
	if r.Operation.ForAssociate() {
		w.leaf(3, "AssociateId", "xsd:int", strconv.FormatInt(r.AssociateID, 10))
	}
	if r.Operation.needsType() {
		w.leaf(3, "Type", "xsd:string", r.Type)
	}
	if r.Operation.carriesCredentials() {
		c := &r.Credentials
		w.open(3, "ns:Credentials", "ns:UntrustedCredentials")
		w.leaf(4, "ValidFrom", "xsd:dateTime", FormatDateTime(c.ValidFrom))
		w.leaf(4, "ValidTo", "xsd:dateTime", FormatDateTime(c.ValidTo))
		w.leaf(4, "Comment", "xsd:string", c.Comment)
		w.leaf(4, "SecretValue", "xsd:string", c.SecretValue)
		w.leaf(4, "PublicValue", "xsd:string", c.PublicValue)
		w.leaf(4, "IsActive", "xsd:boolean", strconv.FormatBool(c.IsActive))
		w.close(3, "ns:Credentials")
	}
	if r.Operation.carriesPublicValue() {
		w.leaf(3, "PublicValue", "xsd:string", r.PublicValue)
	}
	if r.Operation == AuthenticateUsernamePassword {
		w.leaf(3, "UserName", "xsd:string", r.UserName)
		w.leaf(3, "Password", "xsd:string", r.Password)
	}
	switch r.Operation {
	case GetUser:
		w.leaf(3, "UserId", "xsd:int", strconv.FormatInt(r.AssociateID, 10))
	case GetUserFromName:
		w.leaf(3, "UserName", "xsd:string", r.UserName)
	}
}

// FormatDateTime formats t as NetServer should receive it: UTC with a Z,
// whole seconds, or microseconds when t has a fraction of a second (finer
// fractions are truncated).
func FormatDateTime(t time.Time) string {
	t = t.UTC().Truncate(time.Microsecond)
	var buf [40]byte // room for any year: one allocation, the string's
	if t.Nanosecond() == 0 {
		return string(datetime.Append(buf[:0], t, 0))
	}
	return string(datetime.Append(buf[:0], t, 6))
}

// writer writes indented XML. Every element it writes is in the Services88
// namespace unless its name already has a prefix.
type writer struct {
	bytes.Buffer
	xsi bool
}

// indentation is the spaces indent writes a slice of (strings.Repeat made
// a string for every element).
const indentation = "                "

func (w *writer) indent(depth int) {
	for ; depth > len(indentation)/2; depth -= len(indentation) / 2 {
		w.WriteString(indentation)
	}
	w.WriteString(indentation[:2*depth])
}

// open, close, leaf and typeAttr write their pieces one after another:
// concatenating them first made a string for every element.
func (w *writer) open(depth int, name, xsiType string) {
	w.indent(depth)
	w.WriteByte('<')
	w.WriteString(name)
	w.typeAttr(xsiType)
	w.WriteString(">\n")
}

func (w *writer) close(depth int, name string) {
	w.indent(depth)
	w.WriteString("</")
	w.WriteString(name)
	w.WriteString(">\n")
}

// leaf writes <ns:name>text</ns:name>.
func (w *writer) leaf(depth int, name, xsiType, text string) {
	w.indent(depth)
	w.WriteString("<ns:")
	w.WriteString(name)
	w.typeAttr(xsiType)
	w.WriteByte('>')
	escapeText(&w.Buffer, text)
	w.WriteString("</ns:")
	w.WriteString(name)
	w.WriteString(">\n")
}

func (w *writer) typeAttr(xsiType string) {
	if w.xsi && xsiType != "" {
		w.WriteString(` xsi:type="`)
		w.WriteString(xsiType)
		w.WriteByte('"')
	}
}

// escapeText writes s as XML character data. Besides the five predefined
// entities it writes CR as &#xD; (as WCF does) so that a parser's line-end
// normalisation cannot turn it into LF. s must already satisfy checkText.
func escapeText(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		case '\'':
			esc = "&apos;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}
