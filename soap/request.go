package soap

// Version is the SOAP version of an envelope.
type Version int

// The SOAP versions. SOAP11 is the zero value and NetServer's binding.
const (
	SOAP11 Version = iota
	SOAP12
)

// String returns "1.1" or "1.2".
func (v Version) String() string {
	if v == SOAP12 {
		return "1.2"
	}
	return "1.1"
}

func (v Version) namespace() string {
	if v == SOAP12 {
		return NSEnvelope12
	}
	return NSEnvelope11
}

// Request is everything one call carries. Which fields are sent depends on
// Operation: Build leaves out what the operation does not take.
type Request struct {
	Operation Operation

	// Headers. Ticket goes in the Credentials header of User.svc calls;
	// ApplicationToken (checked only in SuperOffice Online) is sent when set.
	ApplicationToken string
	Ticket           string
	TimeZone         *TimeZone

	// Body.
	AssociateID int64  // ForAssociate operations, and GetUser's UserId; a non-negative 32-bit integer
	Type        string // the outside system, e.g. "imap" or "smtp"
	Credentials UntrustedCredentials
	PublicValue string // Remove: the key of the record to remove
	UserName    string // AuthenticateUsernamePassword; GetUserFromName: the user name to look up
	Password    string // AuthenticateUsernamePassword

	// Version is the SOAP version; SOAP11 matches NetServer's binding.
	Version Version
	// XSIType adds xsi:type annotations as the vendor's documentation shows them.
	XSIType bool
}
