package soap

import "time"

// UntrustedCredentials is NetServer's record of one credential for an outside
// system. Its fields are in the schema's order, which is also the order on the
// wire. Carrier's TableRight and FieldProperties are not sent and are skipped
// when read.
type UntrustedCredentials struct {
	ValidFrom   time.Time
	ValidTo     time.Time
	Comment     string // at most 255 characters
	SecretValue string // stored encrypted; at most 70 characters
	PublicValue string // stored in clear; at most 238 characters
	IsActive    bool
}

// TimeZone is the optional TimeZone request and response header.
type TimeZone struct {
	ID           int32  // SoTimeZoneId
	LocationCode string // SoTimeZoneLocationCode
}

// KeyValue is one entry of NetServer's dictionaries (ExtraInfo, the
// Parameters of an ExceptionInfo), in the order the server sent them.
type KeyValue struct {
	Key   string
	Value string
}

// Field limits, in UTF-16 code units as .NET and the browser count them.
const (
	MaxComment     = 255
	MaxSecretValue = 70
	MaxPublicValue = 238
)

// User is what socred reads of NetServer's User carrier (the answer of
// GetUser and GetUserFromName on User.svc): who an associate is.
type User struct {
	AssociateID int32
	Name        string // the associate's short name (User.Name)
	UserName    string // the login name (User.UserName)
	FullName    string // Person.FullName
	FirstName   string // Person.Firstname
	LastName    string // Person.Lastname
	Email       string // Person.Email
	Type        string // UserType: InternalAssociate, ResourceAssociate, ExternalAssociate, AnonymousAssociate, SystemAssociate or Unknown
	Deleted     bool   // User.Deleted: the associate is deleted
	Retired     bool   // User.IsPersonRetired: the person has retired
}
