package netserver

import (
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// The demo directory that Demo builds. The ids are part of socred's public
// contract: the page's tests and the README use them.
const (
	// DemoUser is the default name of the demo administrator.
	DemoUser = "demo"
	// DemoAssociateID is the demo administrator's associate.
	DemoAssociateID int32 = 1
	// ViewerUser is a second demo user, without the right to manage other
	// associates' credentials. Its password is the demo password.
	ViewerUser = "viewer"
	// ViewerAssociateID is the viewer's associate.
	ViewerAssociateID int32 = 2
	// GuestUser is a demo user without the right to read users: GetUser and
	// GetUserFromName answer it access denied. Like the viewer, it manages
	// only its own credentials; its password is the demo password.
	GuestUser = "guest"
	// GuestAssociateID is the guest's associate.
	GuestAssociateID int32 = 9
	// DeletedAssociateID is a deleted associate (User.Deleted).
	DeletedAssociateID int32 = 7
	// RetiredAssociateID is an associate whose person has retired
	// (User.IsPersonRetired).
	RetiredAssociateID int32 = 8
	// MarkupAssociateID is an associate reserved for testing how clients
	// render errors: every operation on it answers an ExceptionInfo whose
	// FriendlyText holds HTML markup (MarkupFriendlyText).
	MarkupAssociateID int32 = 666
)

// The UserType values the demo directory uses (NetServer's UserType also
// has Unknown, ResourceAssociate, AnonymousAssociate and SystemAssociate).
const (
	InternalAssociate = "InternalAssociate"
	ExternalAssociate = "ExternalAssociate"
)

// MarkupFriendlyText is the FriendlyText of the error MarkupAssociateID
// gives. A client that renders it as HTML runs its onerror handler (which
// sets window.socredInjected) and shows the bold text as bold.
const MarkupFriendlyText = `<img src="x" onerror="window.socredInjected=true"><b>Associate 666 is locked</b> <script>window.socredInjected=true</script>`

// Associate is a person in the CRM whose credentials can be stored, and
// whom GetUser and GetUserFromName describe.
type Associate struct {
	ID        int32
	Name      string // the short name (User.Name)
	FullName  string // Person.FullName
	FirstName string // Person.Firstname
	LastName  string // Person.Lastname
	Email     string // Person.Email
	// UserName is the name GetUserFromName finds (without regard to case,
	// as NetServer's lookup); a User logs in with it.
	UserName string
	Type     string // UserType; InternalAssociate when empty
	Deleted  bool   // User.Deleted
	Retired  bool   // the person has retired: User.IsPersonRetired
}

// User is an associate who can log in through SoPrincipal.svc.
type User struct {
	Name        string // the login name, matched without regard to case
	Password    string
	AssociateID int32
	// Administrator may save, list and remove other associates' credentials
	// (the ForAssociate operations on another associate).
	Administrator bool
	// SystemUser reads other associates' SecretValue. NetServer's docs:
	// "SecretValue is only populated for authenticated user, and system users."
	SystemUser bool
	// CannotReadUsers takes away the right every other user has to read
	// users: GetUser and GetUserFromName answer it access denied.
	CannotReadUsers bool
}

// Demo returns a Config with the demo directory: user (an administrator and
// system user, associate 1), ViewerUser (associate 2, no rights over others,
// same password), GuestUser (associate 9, as the viewer and without the right
// to read users, same password), associates 3 to 6, DeletedAssociateID,
// RetiredAssociateID and MarkupAssociateID. Every associate has a first
// and last name, an e-mail address, a user name and a user type; some names
// are Norwegian or Swedish (æøå, åäö), one user name too (bjørn.ås).
func Demo(user, password string) Config {
	if user == "" {
		user = DemoUser
	}
	return Config{
		Users: []User{
			{Name: user, Password: password, AssociateID: DemoAssociateID, Administrator: true, SystemUser: true},
			{Name: ViewerUser, Password: password, AssociateID: ViewerAssociateID},
			{Name: GuestUser, Password: password, AssociateID: GuestAssociateID, CannotReadUsers: true},
		},
		Associates: []Associate{
			{ID: DemoAssociateID, Name: strings.ToUpper(user), FullName: "Demo Administrator", FirstName: "Demo", LastName: "Administrator",
				Email: "demo@example.com", UserName: user, Type: InternalAssociate},
			{ID: ViewerAssociateID, Name: "VIEWER", FullName: "Vera Viewer", FirstName: "Vera", LastName: "Viewer",
				Email: "vera.viewer@example.com", UserName: ViewerUser, Type: InternalAssociate},
			{ID: 3, Name: "ON", FullName: "Ola Nordmann", FirstName: "Ola", LastName: "Nordmann",
				Email: "ola.nordmann@example.no", UserName: "ola.nordmann", Type: InternalAssociate},
			{ID: 4, Name: "KN", FullName: "Kari Nordmann", FirstName: "Kari", LastName: "Nordmann",
				Email: "kari.nordmann@example.no", UserName: "kari.nordmann", Type: InternalAssociate},
			{ID: 5, Name: "SS", FullName: "Sam Support", FirstName: "Sam", LastName: "Support",
				Email: "sam.support@example.com", UserName: "sam.support", Type: ExternalAssociate},
			{ID: 6, Name: "BÅ", FullName: "Bjørn Ås", FirstName: "Bjørn", LastName: "Ås",
				Email: "bjorn.as@example.no", UserName: "bjørn.ås", Type: InternalAssociate},
			{ID: DeletedAssociateID, Name: "ÅB", FullName: "Åsa Bäckström", FirstName: "Åsa", LastName: "Bäckström",
				Email: "asa.backstrom@example.se", UserName: "asa.backstrom", Type: InternalAssociate, Deleted: true},
			{ID: RetiredAssociateID, Name: "GØ", FullName: "Gunnar Ødegård", FirstName: "Gunnar", LastName: "Ødegård",
				Email: "gunnar.odegard@example.no", UserName: "gunnar.odegard", Type: InternalAssociate, Retired: true},
			{ID: GuestAssociateID, Name: "GUEST", FullName: "Göran Gäst", FirstName: "Göran", LastName: "Gäst",
				Email: "goran.gast@example.se", UserName: GuestUser, Type: ExternalAssociate},
			{ID: MarkupAssociateID, Name: "LOCKED", FullName: "Locked Associate", FirstName: "Locked", LastName: "Associate",
				Email: "locked@example.com", UserName: "locked", Type: InternalAssociate},
		},
	}
}

// ticketPrefix starts every ticket, as NetServer's do.
const ticketPrefix = "7T:"

// maxSessions bounds the tickets kept at once; expired ones are swept first.
const maxSessions = 10_000

type session struct {
	user    *User
	expires time.Time
}

// directory is the users, associates and live tickets.
type directory struct {
	users      []User
	associates map[int32]Associate
	rand       io.Reader
	ttl        time.Duration

	mu        sync.Mutex
	sessions  map[string]session
	lastLogin map[int32]time.Time // by associate, for User.Lastlogin
}

func newDirectory(cfg *Config) *directory {
	d := &directory{
		users:      append([]User(nil), cfg.Users...),
		associates: map[int32]Associate{},
		rand:       cfg.Rand,
		ttl:        cfg.TicketTTL,
		sessions:   map[string]session{},
		lastLogin:  map[int32]time.Time{},
	}
	for _, a := range cfg.Associates {
		d.associates[a.ID] = a
	}
	for _, u := range d.users {
		if _, ok := d.associates[u.AssociateID]; !ok {
			d.associates[u.AssociateID] = Associate{ID: u.AssociateID, Name: strings.ToUpper(u.Name), FullName: u.Name, FirstName: u.Name, UserName: u.Name}
		}
	}
	return d
}

// byUserName returns the associate whose UserName is name, compared without
// regard to case; of several, the one with the lowest id.
func (d *directory) byUserName(name string) (Associate, bool) {
	var found Associate
	ok := false
	for _, a := range d.associates {
		if strings.EqualFold(a.UserName, name) && (!ok || a.ID < found.ID) {
			found, ok = a, true
		}
	}
	return found, ok
}

// administrator reports whether a user of the associate is an administrator.
func (d *directory) administrator(id int32) bool {
	for _, u := range d.users {
		if u.AssociateID == id && u.Administrator {
			return true
		}
	}
	return false
}

// lastLoginOf is when a user of the associate last got a ticket (zero if
// never).
func (d *directory) lastLoginOf(id int32) time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lastLogin[id]
}

// authenticate returns the user with this name and password, or nil; a user
// without a password never logs in. Every user's password is compared, so
// the time taken does not say which names exist.
func (d *directory) authenticate(name, password string) *User {
	var found *User
	for i := range d.users {
		u := &d.users[i]
		nameOK := strings.EqualFold(u.Name, name)
		pwOK := subtle.ConstantTimeCompare([]byte(u.Password), []byte(password)) == 1
		if nameOK && pwOK && u.Password != "" && found == nil {
			found = u
		}
	}
	return found
}

// issue makes a ticket for u that expires after the configured time.
func (d *directory) issue(u *User, now time.Time) (string, error) {
	b := make([]byte, 24)
	if _, err := io.ReadFull(d.rand, b); err != nil {
		return "", fmt.Errorf("netserver: ticket: %w", err)
	}
	t := ticketPrefix + base64.StdEncoding.EncodeToString(b)
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.sessions) >= maxSessions {
		for k, s := range d.sessions {
			if !now.Before(s.expires) {
				delete(d.sessions, k)
			}
		}
	}
	if len(d.sessions) >= maxSessions {
		return "", errTooManySessions
	}
	d.sessions[t] = session{user: u, expires: now.Add(d.ttl)}
	d.lastLogin[u.AssociateID] = now
	return t, nil
}

// ticketState is what a ticket turned out to be.
type ticketState int

const (
	ticketOK ticketState = iota
	ticketMissing
	ticketUnknown
	ticketExpired
)

// lookup returns the user a ticket belongs to.
func (d *directory) lookup(ticket string, now time.Time) (*User, ticketState) {
	if strings.TrimSpace(ticket) == "" {
		return nil, ticketMissing
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	s, ok := d.sessions[ticket]
	switch {
	case !ok:
		return nil, ticketUnknown
	case !now.Before(s.expires):
		delete(d.sessions, ticket)
		return nil, ticketExpired
	}
	return s.user, ticketOK
}
