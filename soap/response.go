package soap

import (
	"socred/internal/datetime"

	"socred/internal/xmltree"

	"errors"
	"strconv"
	"strings"
	"time"

	"socred/internal/minifmt"
)

// ErrAuthenticationFailed is returned by Classify for a login the server
// answered with AuthenticationSucceeded=false and no ExceptionInfo.
var ErrAuthenticationFailed = errors.New("soap: user name or password not accepted")

// Response is what a successful call brought back. Which body field is set
// depends on the operation: Credentials for Get, Default for CreateDefault,
// Authentication for AuthenticateUsernamePassword, User for GetUser and
// GetUserFromName; Save and Remove answer with an empty body.
type Response struct {
	Operation Operation
	Version   Version

	// Headers NetServer sends with every answer.
	Succeeded bool
	ExtraInfo []KeyValue
	TimeZone  *TimeZone

	Credentials    []UntrustedCredentials
	Default        *UntrustedCredentials
	Authentication *Authentication
	// User is who GetUser or GetUserFromName found: nil when NetServer
	// answered Succeeded with a nil Response, as it does for an associate
	// id or user name it does not know.
	User *User
}

// Authentication is the useful part of an AuthenticateResponse.
type Authentication struct {
	Succeeded   bool
	Ticket      string
	AssociateID int32
	Associate   string // the user name
	FullName    string
}

// Classify turns a transport outcome into a Response or a typed error:
//   - *Fault for a SOAP fault (either version);
//   - *ExceptionInfo for a business error (Succeeded=false or ExceptionInfo);
//   - *HTTPError for a body that is not a readable SOAP envelope, or a SOAP
//     envelope without a fault under a non-2xx status;
//   - an error wrapping ErrMalformed for an envelope whose body does not
//     match the operation; ErrTooLarge, ErrDTD, ErrTooDeep, ErrTooMany,
//     ErrLongNamespace wrapped in an *HTTPError for hostile bodies.
//
// Unknown elements are skipped, so newer servers' additions do no harm.
func Classify(op Operation, status int, contentType string, body []byte) (*Response, error) {
	httpErr := func(err error) error {
		return &HTTPError{Status: status, ContentType: contentType, Excerpt: excerpt(body), Err: err}
	}
	root, err := xmltree.Parse(body)
	if err != nil {
		if len(body) > MaxBody {
			return nil, &HTTPError{Status: status, ContentType: contentType, Excerpt: excerpt(body[:excerptLen*4]), Err: err}
		}
		return nil, httpErr(err)
	}
	var v Version
	switch {
	case root.Name.Space == NSEnvelope11 && root.Name.Local == "Envelope":
		v = SOAP11
	case root.Name.Space == NSEnvelope12 && root.Name.Local == "Envelope":
		v = SOAP12
	default:
		return nil, httpErr(minifmt.Errorf("%w: root element is <%s>", ErrNotSOAP, root.Name.Local))
	}
	env := v.namespace()
	bodyNode := root.Child(env, "Body")
	if bodyNode == nil {
		return nil, httpErr(minifmt.Errorf("%w: no Body", ErrNotSOAP))
	}
	if f := bodyNode.Child(env, "Fault"); f != nil {
		return nil, readFault(f, v, status)
	}
	if status < 200 || status > 299 {
		return nil, httpErr(minifmt.Errorf("%w: status %d without a fault", ErrNotSOAP, status))
	}

	resp := &Response{Operation: op, Version: v, Succeeded: true}
	var exc *ExceptionInfo
	if h := root.Child(env, "Header"); h != nil {
		for _, c := range h.Children {
			if c.Name.Space != NS {
				continue
			}
			switch c.Name.Local {
			case "Succeeded":
				b, err := parseBool(c.Text)
				if err != nil {
					return nil, minifmt.Errorf("%w: Succeeded: %v", ErrMalformed, err)
				}
				resp.Succeeded = b
			case "ExceptionInfo":
				exc = readExceptionInfo(c)
			case "ExtraInfo":
				resp.ExtraInfo = readDictionary(c)
			case "TimeZone":
				if !c.IsNil() {
					tz, err := readTimeZone(c)
					if err != nil {
						return nil, err
					}
					resp.TimeZone = tz
				}
			}
		}
	}
	if exc != nil {
		return nil, exc
	}
	if !resp.Succeeded {
		return nil, &ExceptionInfo{Message: "NetServer answered Succeeded=false without an ExceptionInfo"}
	}

	out := bodyNode.Child(NS, op.ResponseElement())
	if out == nil {
		return nil, minifmt.Errorf("%w: Body has no %s", ErrMalformed, op.ResponseElement())
	}
	switch op {
	case GetForAssociate, Get:
		if r := out.Child(NS, "Response"); r != nil && !r.IsNil() {
			for _, c := range r.Children {
				if c.Name.Space != NS || c.Name.Local != "UntrustedCredentials" || c.IsNil() {
					continue
				}
				uc, err := readCredentials(c)
				if err != nil {
					return nil, err
				}
				resp.Credentials = append(resp.Credentials, uc)
			}
		}
	case CreateDefault:
		if r := out.Child(NS, "Response"); r != nil && !r.IsNil() {
			uc, err := readCredentials(r)
			if err != nil {
				return nil, err
			}
			resp.Default = &uc
		}
	case GetUser, GetUserFromName:
		if r := out.Child(NS, "Response"); r != nil && !r.IsNil() {
			u, err := readUser(r)
			if err != nil {
				return nil, err
			}
			resp.User = u
		}
	case AuthenticateUsernamePassword:
		a, err := readAuthentication(out)
		if err != nil {
			return nil, err
		}
		resp.Authentication = a
		if !a.Succeeded || a.Ticket == "" {
			return nil, ErrAuthenticationFailed
		}
	}
	return resp, nil
}

func readCredentials(n *xmltree.Node) (UntrustedCredentials, error) {
	var uc UntrustedCredentials
	var err error
	for _, c := range n.Children {
		if c.Name.Space != NS {
			continue
		}
		switch c.Name.Local {
		case "ValidFrom":
			uc.ValidFrom, err = ParseDateTime(c.Text)
		case "ValidTo":
			uc.ValidTo, err = ParseDateTime(c.Text)
		case "Comment":
			uc.Comment = c.Text
		case "SecretValue":
			uc.SecretValue = c.Text
		case "PublicValue":
			uc.PublicValue = c.Text
		case "IsActive":
			uc.IsActive, err = parseBool(c.Text)
		}
		if err != nil {
			return uc, minifmt.Errorf("%w: %s: %v", ErrMalformed, c.Name.Local, err)
		}
	}
	return uc, nil
}

// readUser reads what socred uses of a User carrier: its own AssociateId,
// Name, Deleted, Type, IsPersonRetired and UserName, and its Person's
// names and e-mail. Everything else (Carrier's TableRight, the groups,
// licences, dates, …) and unknown elements are skipped. What is read is read
// strictly: an xs:int or xs:boolean that is not one is ErrMalformed. An
// xsi:nil element reads as its zero value.
func readUser(n *xmltree.Node) (*User, error) {
	u := &User{}
	for _, c := range n.Children {
		if c.Name.Space != NS || c.IsNil() {
			continue
		}
		var err error
		switch c.Name.Local {
		case "AssociateId":
			u.AssociateID, err = readInt32(c)
		case "Name":
			u.Name = c.Text
		case "Person":
			readPerson(c, u)
		case "Deleted":
			u.Deleted, err = parseBool(c.Text)
		case "Type":
			u.Type = strings.TrimSpace(c.Text)
		case "IsPersonRetired":
			u.Retired, err = parseBool(c.Text)
		case "UserName":
			u.UserName = c.Text
		}
		if err != nil {
			return nil, minifmt.Errorf("%w: User/%s: %v", ErrMalformed, c.Name.Local, err)
		}
	}
	return u, nil
}

// readPerson reads the Person of a User: Firstname, Lastname, FullName and
// Email. Its other fields (phones, the contact, Retired as an xs:short, …)
// are not socred's concern.
func readPerson(p *xmltree.Node, u *User) {
	for _, c := range p.Children {
		if c.Name.Space != NS || c.IsNil() {
			continue
		}
		switch c.Name.Local {
		case "Firstname":
			u.FirstName = c.Text
		case "Lastname":
			u.LastName = c.Text
		case "FullName":
			u.FullName = c.Text
		case "Email":
			u.Email = c.Text
		}
	}
}

// readInt32 reads an xs:int (white space around it allowed, as the schema's
// whiteSpace="collapse" says).
func readInt32(n *xmltree.Node) (int32, error) {
	v, err := strconv.ParseInt(strings.TrimSpace(n.Text), 10, 32)
	if err != nil {
		return 0, minifmt.Errorf("%q is not an xs:int", n.Text)
	}
	return int32(v), nil
}

func readAuthentication(n *xmltree.Node) (*Authentication, error) {
	a := &Authentication{}
	if c := n.Child(NS, "AuthenticationSucceeded"); c != nil {
		b, err := parseBool(c.Text)
		if err != nil {
			return nil, minifmt.Errorf("%w: AuthenticationSucceeded: %v", ErrMalformed, err)
		}
		a.Succeeded = b
	}
	if t := n.Child(NS, "Credentials").Child(NS, "Ticket"); t != nil {
		a.Ticket = strings.TrimSpace(t.Text)
	}
	if p := n.Child(NS, "Response"); p != nil {
		if c := p.Child(NS, "AssociateId"); c != nil {
			id, err := strconv.ParseInt(strings.TrimSpace(c.Text), 10, 32)
			if err != nil {
				return nil, minifmt.Errorf("%w: AssociateId: %v", ErrMalformed, err)
			}
			a.AssociateID = int32(id)
		}
		if c := p.Child(NS, "Associate"); c != nil {
			a.Associate = c.Text
		}
		if c := p.Child(NS, "FullName"); c != nil {
			a.FullName = c.Text
		}
	}
	return a, nil
}

func readTimeZone(n *xmltree.Node) (*TimeZone, error) {
	tz := &TimeZone{}
	if c := n.Child(NS, "SoTimeZoneId"); c != nil {
		id, err := strconv.ParseInt(strings.TrimSpace(c.Text), 10, 32)
		if err != nil {
			return nil, minifmt.Errorf("%w: SoTimeZoneId: %v", ErrMalformed, err)
		}
		tz.ID = int32(id)
	}
	if c := n.Child(NS, "SoTimeZoneLocationCode"); c != nil {
		tz.LocationCode = c.Text
	}
	return tz, nil
}

// parseBool reads xs:boolean: true, false, 1, 0 (surrounding white space
// allowed, as the schema's whiteSpace="collapse" says).
func parseBool(s string) (bool, error) {
	switch strings.TrimSpace(s) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, minifmt.Errorf("%q is not an xs:boolean", s)
}

// ParseDateTime reads an xs:dateTime as NetServer writes it. A value with a
// zone (Z or ±hh:mm) is returned in UTC; one without a zone ("unspecified"
// in .NET) is taken as UTC too, since NetServer keeps UTC.
func ParseDateTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, _, ok := datetime.Parse(s); ok {
		return t, nil
	}
	return time.Time{}, minifmt.Errorf("%q is not an xs:dateTime", s)
}

// ParseZonedDateTime reads an xs:dateTime that must say its zone (Z or
// ±hh:mm), in UTC; zoned is false, with an error, for a date and time
// without one.
func ParseZonedDateTime(s string) (t time.Time, zoned bool, err error) {
	t, zoned, ok := datetime.Parse(s)
	switch {
	case !ok:
		return time.Time{}, false, minifmt.Errorf("%q is not an xs:dateTime", s)
	case !zoned:
		return time.Time{}, false, minifmt.Errorf("%q has no time zone", s)
	}
	return t, true, nil
}
