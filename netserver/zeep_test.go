package netserver

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
	"socred/soap"
)

// zeepReport is what testdata/zeep_client.py prints.
type zeepReport struct {
	Login struct {
		Succeeded, Authenticated bool
		AssociateID              int32 `json:"associateId"`
		Ticket                   string
	}
	Saves   []bool
	Listed  []zeepRecord
	Removed bool
	After   []zeepRecord
	Zones   struct {
		Sent map[string]zeepInstant
		Got  map[string]zeepInstant
	}
	Naive   string
	Unknown struct {
		Succeeded     bool
		ExceptionType string `json:"exceptionType"`
	}
	Lookups map[string]struct {
		Succeeded bool
		Nil       bool // the Response was xsi:nil (or missing)
		User      *zeepUser
	}
	Guest struct {
		Succeeded     bool
		ExceptionType string `json:"exceptionType"`
		FriendlyText  string `json:"friendlyText"`
	}
}

// zeepUser is what zeep parsed of a User: the fields socred reads. The
// Person's are nil when zeep found no Person.
type zeepUser struct {
	AssociateID int32   `json:"associateId"`
	Name        string  `json:"name"`
	UserName    string  `json:"userName"`
	FullName    *string `json:"fullName"`
	FirstName   *string `json:"firstName"`
	LastName    *string `json:"lastName"`
	Email       *string `json:"email"`
	Type        string  `json:"type"`
	Deleted     bool    `json:"deleted"`
	Retired     bool    `json:"retired"`
}

// zeepLookup is one user lookup both zeep and socred's own client make.
type zeepLookup struct {
	Key      string `json:"key"`
	UserID   *int32 `json:"userId,omitempty"`
	UserName string `json:"userName,omitempty"`
}

// zeepInstant is a record's dates as UTC instants, as zeep read them.
type zeepInstant struct {
	ValidFrom string `json:"validFrom"`
	ValidTo   string `json:"validTo"`
}

type zeepRecord struct {
	PublicValue string `json:"publicValue"`
	SecretValue string `json:"secretValue"`
	Comment     string
	ValidFrom   string `json:"validFrom"`
	ValidTo     string `json:"validTo"`
	IsActive    bool   `json:"isActive"`
}

// TestZeepClient has an independent SOAP stack, python3-zeep reading the
// vendor's WSDLs strictly, log in, save, list and remove against the local
// NetServer, and look users up, comparing what zeep parsed of each User with
// what socred's own client reads of the same answer.
func TestZeepClient(t *testing.T) {
	testenv.ReferenceFile(t, "Services88-User.WcfUser-8.8.wsdl")
	ref := testenv.ReferenceDir(t)
	python := testenv.PythonWith(t, "zeep")
	s := demoServer(t)
	id := func(n int32) *int32 { return &n }
	lookups := []zeepLookup{
		{Key: "known id", UserID: id(3)},
		{Key: "known user name", UserName: "kari.nordmann"},
		{Key: "user name with æøå", UserName: "bjørn.ås"},
		{Key: "user name in capitals", UserName: "BJØRN.ÅS"},
		{Key: "deleted", UserID: id(DeletedAssociateID)},
		{Key: "retired", UserName: "gunnar.odegard"},
		{Key: "unknown id", UserID: id(999)},
		{Key: "unknown user name", UserName: "nobody"},
	}
	lookupsJSON, err := json.Marshal(lookups)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, filepath.Join("testdata", "zeep_client.py"), ref, s.SiteURL, DemoUser, testPassword, GuestUser, string(lookupsJSON))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	require.NoError(t, err)
	var r zeepReport
	require.NoError(t, json.Unmarshal(out, &r), "%s", out)

	assert.True(t, r.Login.Succeeded)
	assert.True(t, r.Login.Authenticated)
	assert.Equal(t, DemoAssociateID, r.Login.AssociateID)
	assert.Regexp(t, `^7T:`, r.Login.Ticket)
	assert.Equal(t, []bool{true, true}, r.Saves)
	want := zeepRecord{PublicValue: "imap.example.com/zeep", SecretValue: "zeep & <secret>", Comment: "saved by zeep",
		ValidFrom: "2025-01-02T03:04:05+00:00", ValidTo: "2026-01-02T03:04:05+00:00", IsActive: true}
	second := want
	second.PublicValue, second.SecretValue = "smtp.example.com/zeep", "second"
	assert.Equal(t, []zeepRecord{want, second}, r.Listed)
	assert.True(t, r.Removed)
	assert.Equal(t, []zeepRecord{want}, r.After)
	require.Len(t, r.Zones.Sent, 3, "zeep saved one record per zone")
	assert.Equal(t, r.Zones.Sent, r.Zones.Got, "each aware datetime comes back as the instant it named")
	assert.Contains(t, r.Naive, "'ValidFrom'", "a date without a zone is refused, naming the element")
	assert.Contains(t, r.Naive, "no time zone", "and says why")
	stored := map[string]string{}
	for _, c := range s.NetServer.Credentials(4, "zones") {
		stored[c.PublicValue] = soap.FormatDateTime(c.ValidFrom)
		assert.Equal(t, time.UTC, c.ValidFrom.Location(), "%s is stored in UTC", c.PublicValue)
	}
	assert.Equal(t, map[string]string{"utc": "2025-06-01T12:30:15Z", "plus2": "2025-06-01T10:30:15Z", "minus530": "2025-06-01T18:00:15Z"}, stored,
		"the local NetServer stores each offset as its UTC instant")
	assert.False(t, r.Unknown.Succeeded)
	assert.Equal(t, TypeUnknownAssociate, r.Unknown.ExceptionType)

	got := s.NetServer.Credentials(3, "imap")
	require.Len(t, got, 1)
	assert.Equal(t, "zeep & <secret>", got[0].SecretValue)

	// The same lookups through socred's own client (soap.Build, HTTP,
	// soap.Classify): what socred reads must be what zeep parsed from the
	// WSDL, field by field, and what the demo directory holds.
	ticket := login(t, s.SiteURL, DemoUser, testPassword)
	expected := map[string]struct {
		id      int32
		deleted bool
		retired bool
	}{
		"known id": {3, false, false}, "known user name": {4, false, false},
		"user name with æøå": {6, false, false}, "user name in capitals": {6, false, false},
		"deleted": {DeletedAssociateID, true, false}, "retired": {RetiredAssociateID, false, true},
	}
	require.Len(t, r.Lookups, len(lookups), "zeep answered every lookup")
	for _, l := range lookups {
		t.Run("lookup "+l.Key, func(t *testing.T) {
			z, ok := r.Lookups[l.Key]
			require.True(t, ok, "zeep did not report %q", l.Key)
			assert.True(t, z.Succeeded)
			req := soap.Request{Operation: soap.GetUserFromName, Ticket: ticket, UserName: l.UserName}
			if l.UserID != nil {
				req = soap.Request{Operation: soap.GetUser, Ticket: ticket, AssociateID: int64(*l.UserID)}
			}
			resp, err := call(t, s.SiteURL, req)
			require.NoError(t, err)
			w, known := expected[l.Key]
			if !known {
				assert.True(t, z.Nil, "zeep saw a Response that is not nil")
				assert.Nil(t, z.User, "zeep found a user")
				assert.Nil(t, resp.User, "socred found a user")
				return
			}
			assert.False(t, z.Nil, "zeep saw a nil Response")
			require.NotNil(t, z.User, "zeep found nobody")
			require.NotNil(t, resp.User, "socred found nobody")
			u := resp.User
			assert.Equal(t, w.id, z.User.AssociateID, "the demo directory's associate")
			assert.Equal(t, w.deleted, z.User.Deleted, "Deleted")
			assert.Equal(t, w.retired, z.User.Retired, "IsPersonRetired")
			require.NotNil(t, z.User.FullName, "zeep found no Person")
			assert.Equal(t, zeepUser{
				AssociateID: u.AssociateID, Name: u.Name, UserName: u.UserName,
				FullName: &u.FullName, FirstName: &u.FirstName, LastName: &u.LastName, Email: &u.Email,
				Type: u.Type, Deleted: u.Deleted, Retired: u.Retired,
			}, *z.User, "socred's reader and zeep disagree")
		})
	}
	assert.False(t, r.Guest.Succeeded, "the guest may not read users")
	assert.Equal(t, TypeAccessDenied, r.Guest.ExceptionType)
	assert.Equal(t, "You do not have the right to read users.", r.Guest.FriendlyText)
}
