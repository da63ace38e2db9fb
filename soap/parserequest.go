package soap

import (
	"socred/internal/datetime"

	"socred/internal/xmltree"

	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"socred/internal/minifmt"
)

// Request-reading sentinels, wrapped by *RequestError.
var (
	ErrOutOfOrder     = errors.New("soap: element out of schema order")
	ErrUnexpected     = errors.New("soap: unexpected element")
	ErrBadValue       = errors.New("soap: value does not match its type")
	ErrMustUnderstand = errors.New("soap: mandatory header not understood")
	ErrMisplaced      = errors.New("soap: header outside Header")
)

// RequestError is a request envelope that does not follow the contract.
// Element names the element at fault, so a server can say which one.
type RequestError struct {
	Element string
	Reason  string
	Err     error
}

func (e *RequestError) Error() string {
	return "soap: " + e.Element + ": " + e.Reason
}

func (e *RequestError) Unwrap() error { return e.Err }

// ParseRequest reads a request envelope strictly, as the local NetServer
// must: body children out of schema order, in another namespace or unknown
// are errors that name the element, where WCF would silently skip them. It
// returns the request (with Version set) and, for a SOAP header it does not
// know, nothing: unknown headers are ignored unless they carry
// mustUnderstand="1" (SOAP 1.1) or "true" (SOAP 1.2).
//
// Parse errors wrap the same sentinels as Classify's (ErrNotXML, ErrDTD, …);
// contract errors are *RequestError.
func ParseRequest(body []byte) (*Request, error) {
	return ParseRequestUnderstanding(body)
}

// ParseRequestUnderstanding is ParseRequest for a server that understands
// the headers named (such as a wsse:Security header it verifies itself): a
// mustUnderstand on them is no error. Checking them is the caller's job.
func ParseRequestUnderstanding(body []byte, understood ...Name) (*Request, error) {
	root, err := xmltree.Parse(body)
	if err != nil {
		return nil, err
	}
	r := &Request{}
	switch {
	case root.Name.Space == NSEnvelope11 && root.Name.Local == "Envelope":
		r.Version = SOAP11
	case root.Name.Space == NSEnvelope12 && root.Name.Local == "Envelope":
		r.Version = SOAP12
	default:
		return nil, minifmt.Errorf("%w: root element is <%s> in %q", ErrNotSOAP, root.Name.Local, root.Name.Space)
	}
	env := r.Version.namespace()
	var header, bodyNode *xmltree.Node
	for _, c := range root.Children {
		switch {
		case c.Name.Space == env && c.Name.Local == "Header" && header == nil && bodyNode == nil:
			header = c
		case c.Name.Space == env && c.Name.Local == "Body" && bodyNode == nil:
			bodyNode = c
		case c.Name.Space == NS:
			return nil, &RequestError{c.Name.Local, "must be inside the SOAP Header, not directly under Envelope", ErrMisplaced}
		default:
			return nil, &RequestError{c.Name.Local, "is not allowed under Envelope", ErrUnexpected}
		}
	}
	if bodyNode == nil {
		return nil, minifmt.Errorf("%w: no Body", ErrNotSOAP)
	}
	if header != nil {
		if err := readRequestHeader(header, r, understood); err != nil {
			return nil, err
		}
	}
	if len(bodyNode.Children) != 1 {
		return nil, &RequestError{"Body", minifmt.Sprintf("must hold exactly one element, not %d", len(bodyNode.Children)), ErrUnexpected}
	}
	op := bodyNode.Children[0]
	if op.Name.Space != NS {
		return nil, &RequestError{op.Name.Local, "is not in the Services88 namespace " + NS, ErrUnexpected}
	}
	r.Operation, err = ParseOperation(op.Name.Local)
	if err != nil {
		return nil, &RequestError{op.Name.Local, "is not an operation of this service", ErrUnexpected}
	}
	if err := readBody(op, r); err != nil {
		return nil, err
	}
	return r, nil
}

func readRequestHeader(h *xmltree.Node, r *Request, understood []Name) error {
	mu := "1"
	env := r.Version.namespace()
	if r.Version == SOAP12 {
		mu = "true"
	}
	for _, c := range h.Children {
		if c.Name.Space == NS {
			switch c.Name.Local {
			case "ApplicationToken":
				if !c.IsNil() {
					r.ApplicationToken = c.Text
				}
				continue
			case "Credentials":
				err := sequence(c, []string{"Ticket"}, func(e *xmltree.Node) error {
					if !e.IsNil() {
						r.Ticket = e.Text
					}
					return nil
				})
				if err != nil {
					return err
				}
				continue
			case "TimeZone":
				if c.IsNil() {
					continue
				}
				r.TimeZone = &TimeZone{}
				err := sequence(c, []string{"SoTimeZoneId", "SoTimeZoneLocationCode"}, func(e *xmltree.Node) error {
					if e.Name.Local == "SoTimeZoneId" {
						id, err := parseInt32(e)
						r.TimeZone.ID = id
						return err
					}
					if !e.IsNil() {
						r.TimeZone.LocationCode = e.Text
					}
					return nil
				})
				if err != nil {
					return err
				}
				continue
			}
		}
		if slices.Contains(understood, c.Name) {
			continue
		}
		if v, _ := c.AttrValue(env, "mustUnderstand"); strings.TrimSpace(v) == mu || strings.TrimSpace(v) == "1" {
			return &RequestError{c.Name.Local, minifmt.Sprintf("the header %q from the namespace %q was not understood by the recipient of this message", c.Name.Local, c.Name.Space), ErrMustUnderstand}
		}
	}
	return nil
}

// bodyOrder is each operation's body children, in schema order.
var bodyOrder = map[Operation][]string{
	SaveForAssociate:             {"AssociateId", "Type", "Credentials"},
	GetForAssociate:              {"AssociateId", "Type"},
	RemoveForAssociate:           {"AssociateId", "Type", "PublicValue"},
	CreateDefault:                {},
	Save:                         {"Type", "Credentials"},
	Get:                          {"Type"},
	Remove:                       {"Type", "PublicValue"},
	AuthenticateUsernamePassword: {"UserName", "Password"},
	GetUser:                      {"UserId"},
	GetUserFromName:              {"UserName"},
}

var credentialsOrder = []string{"TableRight", "FieldProperties", "ValidFrom", "ValidTo", "Comment", "SecretValue", "PublicValue", "IsActive"}

func readBody(op *xmltree.Node, r *Request) error {
	return sequence(op, bodyOrder[r.Operation], func(e *xmltree.Node) error {
		var err error
		switch e.Name.Local {
		case "AssociateId", "UserId":
			var id int32
			id, err = parseInt32(e)
			r.AssociateID = int64(id)
		case "Type":
			r.Type = nillable(e)
		case "PublicValue":
			r.PublicValue = nillable(e)
		case "UserName":
			r.UserName = nillable(e)
		case "Password":
			r.Password = nillable(e)
		case "Credentials":
			if e.IsNil() {
				return nil
			}
			c := &r.Credentials
			err = sequence(e, credentialsOrder, func(f *xmltree.Node) error {
				var err error
				switch f.Name.Local {
				case "ValidFrom":
					c.ValidFrom, err = parseUTC(f)
				case "ValidTo":
					c.ValidTo, err = parseUTC(f)
				case "Comment":
					c.Comment = nillable(f)
				case "SecretValue":
					c.SecretValue = nillable(f)
				case "PublicValue":
					c.PublicValue = nillable(f)
				case "IsActive":
					c.IsActive, err = parseBool(f.Text)
					if err != nil {
						err = &RequestError{"IsActive", err.Error(), ErrBadValue}
					}
				}
				return err
			})
		}
		return err
	})
}

// sequence calls each for every child of n, checking that the children are
// in the Services88 namespace, known, not repeated and in the given order.
func sequence(n *xmltree.Node, order []string, each func(*xmltree.Node) error) error {
	next := 0
	for _, c := range n.Children {
		if c.Name.Space != NS {
			return &RequestError{c.Name.Local, "is not in the Services88 namespace " + NS + " (inside " + n.Name.Local + ")", ErrUnexpected}
		}
		i := indexOf(order, c.Name.Local)
		switch {
		case i < 0:
			return &RequestError{c.Name.Local, "is not a child of " + n.Name.Local + " (expected one of " + strings.Join(order, ", ") + ")", ErrUnexpected}
		case i == next-1:
			return &RequestError{c.Name.Local, "appears twice inside " + n.Name.Local, ErrUnexpected}
		case i < next:
			return &RequestError{c.Name.Local, "is out of order inside " + n.Name.Local + ": it must come before " + order[next-1], ErrOutOfOrder}
		}
		next = i + 1
		if err := each(c); err != nil {
			return err
		}
	}
	return nil
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func nillable(n *xmltree.Node) string {
	if n.IsNil() {
		return ""
	}
	return n.Text
}

func parseInt32(n *xmltree.Node) (int32, error) {
	v, err := strconv.ParseInt(strings.TrimSpace(n.Text), 10, 32)
	if err != nil {
		return 0, &RequestError{n.Name.Local, minifmt.Sprintf("%q is not an xs:int", n.Text), ErrBadValue}
	}
	return int32(v), nil
}

// parseUTC reads a request's xs:dateTime as the instant it names, in UTC.
// Any zone is accepted (Z, +00:00, +02:00, -05:30): WCF converts an offset
// to the server's local time, the same instant, so nothing is lost (zeep
// writes +00:00 for an aware UTC datetime). A value without a zone is
// refused: WCF reads it as "unspecified" and stores it as if it were the
// server's local time, which is silently wrong for every client elsewhere.
func parseUTC(n *xmltree.Node) (time.Time, error) {
	s := strings.TrimSpace(n.Text)
	t, zoned, ok := datetime.Parse(s)
	if ok && zoned {
		return t, nil
	}
	if ok {
		return time.Time{}, &RequestError{n.Name.Local, minifmt.Sprintf("%q has no time zone: WCF would read it as \"unspecified\" and store it as the server's local time; add Z for UTC or an offset such as +02:00", n.Text), ErrBadValue}
	}
	return time.Time{}, &RequestError{n.Name.Local, minifmt.Sprintf("%q is not an xs:dateTime (expected e.g. 2024-01-31T12:00:00Z)", n.Text), ErrBadValue}
}
