package soap

import "socred/internal/minifmt"

// Namespaces used on the wire.
const (
	// NS is the Services88 namespace of every header and body element.
	NS = "http://www.superoffice.net/ws/crm/NetServer/Services88"
	// NSEnvelope11 is the SOAP 1.1 envelope namespace.
	NSEnvelope11 = "http://schemas.xmlsoap.org/soap/envelope/"
	// NSEnvelope12 is the SOAP 1.2 envelope namespace.
	NSEnvelope12 = "http://www.w3.org/2003/05/soap-envelope"
	// NSInstance is the XML Schema instance namespace (xsi:type, xsi:nil).
	NSInstance = "http://www.w3.org/2001/XMLSchema-instance"
	// NSSchema is the XML Schema namespace (the xsd: in xsi:type values).
	NSSchema = "http://www.w3.org/2001/XMLSchema"
)

// Operation names one NetServer operation socred knows how to call. Its value
// is the operation's name in the WSDL.
type Operation string

// The operations, in the order of DESIGN.md §1.
const (
	SaveForAssociate             Operation = "SaveUntrustedCredentialsForAssociate"
	GetForAssociate              Operation = "GetUntrustedCredentialsForAssociate"
	RemoveForAssociate           Operation = "RemoveUntrustedCredentialsForAssociate"
	CreateDefault                Operation = "CreateDefaultUntrustedCredentials"
	Save                         Operation = "SaveUntrustedCredentials"
	Get                          Operation = "GetUntrustedCredentials"
	Remove                       Operation = "RemoveUntrustedCredentials"
	AuthenticateUsernamePassword Operation = "AuthenticateUsernamePassword"
	// GetUser looks an associate up by id (its body's UserId is the
	// associate id); GetUserFromName by user name. Both answer a User, or
	// a nil Response when NetServer knows no such associate.
	GetUser         Operation = "GetUser"
	GetUserFromName Operation = "GetUserFromName"
)

// Operations lists every operation socred supports. New ones go at the end,
// so an index into it (the fuzz seeds use them) keeps its meaning.
var Operations = []Operation{
	SaveForAssociate, GetForAssociate, RemoveForAssociate, CreateDefault,
	Save, Get, Remove, AuthenticateUsernamePassword, GetUser, GetUserFromName,
}

// ParseOperation returns the operation with the given WSDL name.
func ParseOperation(name string) (Operation, error) {
	for _, op := range Operations {
		if string(op) == name {
			return op, nil
		}
	}
	return "", minifmt.Errorf("soap: unknown operation %q", name)
}

// Service is the NetServer service the operation belongs to: "User" or
// "SoPrincipal".
func (op Operation) Service() string {
	if op == AuthenticateUsernamePassword {
		return "SoPrincipal"
	}
	return "User"
}

// Path is the service's path below the site URL, without a leading slash,
// e.g. "Remote/Services88/User.svc".
func (op Operation) Path() string {
	return "Remote/Services88/" + op.Service() + ".svc"
}

// Action is the operation's SOAPAction URI as the WSDL binding gives it.
func (op Operation) Action() string {
	return NS + "/" + op.Service() + "/" + string(op)
}

// ResponseElement is the local name of the Body child the server answers with.
func (op Operation) ResponseElement() string {
	if op == AuthenticateUsernamePassword {
		return "AuthenticateResponse"
	}
	return string(op) + "Response"
}

// ForAssociate reports whether the operation names an associate in its body.
func (op Operation) ForAssociate() bool {
	switch op {
	case SaveForAssociate, GetForAssociate, RemoveForAssociate:
		return true
	}
	return false
}

// LooksUpUser reports whether the operation asks who an associate is
// (GetUser, GetUserFromName): its answer is Response.User.
func (op Operation) LooksUpUser() bool {
	return op == GetUser || op == GetUserFromName
}

// needsType reports whether the body carries Type.
func (op Operation) needsType() bool {
	switch op {
	case SaveForAssociate, GetForAssociate, RemoveForAssociate, Save, Get, Remove:
		return true
	}
	return false
}

// carriesCredentials reports whether the body carries an UntrustedCredentials.
func (op Operation) carriesCredentials() bool {
	return op == SaveForAssociate || op == Save
}

// carriesPublicValue reports whether the body carries PublicValue as the key
// of the record to remove.
func (op Operation) carriesPublicValue() bool {
	return op == RemoveForAssociate || op == Remove
}

// needsTicket reports whether the request carries the Credentials header.
func (op Operation) needsTicket() bool {
	return op.Service() == "User"
}
