package netserver

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
	"socred/soap"
)

// TestUserLookups asks the demo directory who its associates are, by id
// and by user name, through socred's own client path.
func TestUserLookups(t *testing.T) {
	clk := &clock{time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	cfg := Demo("", testPassword)
	cfg.Now = clk.now
	cfg.TicketTTL = time.Hour
	s := newTestServer(t, cfg)
	demo := login(t, s.SiteURL, DemoUser, testPassword)
	viewer := login(t, s.SiteURL, ViewerUser, testPassword)
	guest := login(t, s.SiteURL, GuestUser, testPassword)

	byID := func(ticket string, id int64) soap.Request {
		return soap.Request{Operation: soap.GetUser, Ticket: ticket, AssociateID: id}
	}
	byName := func(ticket, name string) soap.Request {
		return soap.Request{Operation: soap.GetUserFromName, Ticket: ticket, UserName: name}
	}
	ola := &soap.User{AssociateID: 3, Name: "ON", UserName: "ola.nordmann", FullName: "Ola Nordmann", FirstName: "Ola", LastName: "Nordmann",
		Email: "ola.nordmann@example.no", Type: InternalAssociate}
	bjorn := &soap.User{AssociateID: 6, Name: "BÅ", UserName: "bjørn.ås", FullName: "Bjørn Ås", FirstName: "Bjørn", LastName: "Ås",
		Email: "bjorn.as@example.no", Type: InternalAssociate}
	for _, tc := range []struct {
		name string
		req  soap.Request
		want *soap.User // nil: NetServer knows no such associate
	}{
		{"a known id", byID(demo, 3), ola},
		{"the same associate by user name", byName(demo, "ola.nordmann"), ola},
		{"a user name with æøå", byName(demo, "bjørn.ås"), bjorn},
		{"a user name in another case, Unicode included", byName(demo, "BJØRN.ÅS"), bjorn},
		{"the demo administrator by its login name", byName(demo, "DEMO"), &soap.User{AssociateID: DemoAssociateID, Name: "DEMO", UserName: DemoUser,
			FullName: "Demo Administrator", FirstName: "Demo", LastName: "Administrator", Email: "demo@example.com", Type: InternalAssociate}},
		{"a deleted associate, Swedish letters", byID(demo, int64(DeletedAssociateID)), &soap.User{AssociateID: DeletedAssociateID, Name: "ÅB",
			UserName: "asa.backstrom", FullName: "Åsa Bäckström", FirstName: "Åsa", LastName: "Bäckström", Email: "asa.backstrom@example.se",
			Type: InternalAssociate, Deleted: true}},
		{"a retired person", byName(demo, "gunnar.odegard"), &soap.User{AssociateID: RetiredAssociateID, Name: "GØ", UserName: "gunnar.odegard",
			FullName: "Gunnar Ødegård", FirstName: "Gunnar", LastName: "Ødegård", Email: "gunnar.odegard@example.no", Type: InternalAssociate, Retired: true}},
		{"an external associate", byID(demo, 5), &soap.User{AssociateID: 5, Name: "SS", UserName: "sam.support", FullName: "Sam Support",
			FirstName: "Sam", LastName: "Support", Email: "sam.support@example.com", Type: ExternalAssociate}},
		{"the viewer may read users too", byID(viewer, 3), ola},
		{"an unknown id", byID(demo, 999), nil},
		{"id 0", byID(demo, 0), nil},
		{"an unknown user name", byName(demo, "nobody"), nil},
		{"a user name is not matched in part", byName(demo, "ola"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := call(t, s.SiteURL, tc.req)
			require.NoError(t, err)
			assert.Equal(t, tc.want, resp.User)
		})
	}

	for _, tc := range []struct {
		name     string
		req      soap.Request
		wantType string
		wantText string
	}{
		{"the guest may not read users", byID(guest, 3), TypeAccessDenied, "You do not have the right to read users."},
		{"nor look them up by name", byName(guest, "ola.nordmann"), TypeAccessDenied, "You do not have the right to read users."},
		{"nor itself", byID(guest, int64(GuestAssociateID)), TypeAccessDenied, "right to read users"},
		{"the locked associate by id", byID(demo, int64(MarkupAssociateID)), TypeLockedAssociate, "<b>Associate 666 is locked</b>"},
		{"the locked associate by name", byName(demo, "locked"), TypeLockedAssociate, "<b>Associate 666 is locked</b>"},
		{"an unknown ticket", byID("7T:bm90LWEtdGlja2V0", 3), TypeInvalidTicket, "not valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := call(t, s.SiteURL, tc.req)
			var exc *soap.ExceptionInfo
			require.ErrorAs(t, err, &exc)
			assert.Equal(t, tc.wantType, exc.ExceptionType)
			assert.Contains(t, exc.Text(), tc.wantText)
		})
	}

	t.Run("Lastlogin is the last ticket's time", func(t *testing.T) {
		env, err := soap.Build(byID(demo, int64(DemoAssociateID)))
		require.NoError(t, err)
		resp := post(t, s.SiteURL, soap.GetUser, soapHeaders(soap.GetUser), env.XML)
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Contains(t, string(b), "<Lastlogin>2025-06-01T12:00:00Z</Lastlogin>")
		env, err = soap.Build(byID(demo, 3))
		require.NoError(t, err)
		resp = post(t, s.SiteURL, soap.GetUser, soapHeaders(soap.GetUser), env.XML)
		b, err = io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Contains(t, string(b), "<Lastlogin>0001-01-01T00:00:00Z</Lastlogin>", "never logged in")
	})

	t.Run("an expired ticket", func(t *testing.T) {
		clk.t = clk.t.Add(time.Hour)
		_, err := call(t, s.SiteURL, byName(demo, "bjørn.ås"))
		var exc *soap.ExceptionInfo
		require.ErrorAs(t, err, &exc)
		assert.Equal(t, TypeExpiredTicket, exc.ExceptionType)
		assert.Contains(t, exc.Text(), "expired")
	})
}

// responseBody matches the Body's only child of the local NetServer's
// answers, which declares every namespace it uses itself.
var responseBody = regexp.MustCompile(`(?s)<s:Body>(.*)</s:Body>`)

// TestUserAnswerSchema validates the GetUser and GetUserFromName answers,
// the whole User carrier and its Person, and the nil Response for an
// unknown user, with xmllint against the schema derived from NetServer's
// WSDL. A carrier with two elements swapped must fail, or the check proves
// nothing.
func TestUserAnswerSchema(t *testing.T) {
	xmllint := testenv.Tool(t, "xmllint")
	schema := testenv.ReferenceFile(t, "Services88-User.WcfUser-8.8.schema1-Services88.derived.xsd")
	testenv.ReferenceFile(t, "Services88-User.WcfUser-8.8.schema3-Arrays.derived.xsd")
	s := demoServer(t)
	ticket := login(t, s.SiteURL, DemoUser, testPassword)

	dir := t.TempDir()
	answers := map[string]soap.Request{
		"by id":              {Operation: soap.GetUser, Ticket: ticket, AssociateID: 1},
		"deleted":            {Operation: soap.GetUser, Ticket: ticket, AssociateID: int64(DeletedAssociateID)},
		"by name, retired":   {Operation: soap.GetUserFromName, Ticket: ticket, UserName: "gunnar.odegard"},
		"by name with æøå":   {Operation: soap.GetUserFromName, Ticket: ticket, UserName: "bjørn.ås"},
		"unknown id":         {Operation: soap.GetUser, Ticket: ticket, AssociateID: 999},
		"unknown user name":  {Operation: soap.GetUserFromName, Ticket: ticket, UserName: "nobody"},
		"swapped, must fail": {Operation: soap.GetUser, Ticket: ticket, AssociateID: 3},
	}
	files := map[string]string{}
	for name, req := range answers {
		env, err := soap.Build(req)
		require.NoError(t, err)
		resp := post(t, s.SiteURL, req.Operation, soapHeaders(req.Operation), env.XML)
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		m := responseBody.FindSubmatch(b)
		require.NotNil(t, m, "no Body in %s", b)
		doc := m[1]
		if name == "swapped, must fail" {
			doc = bytes.Replace(doc, []byte("<Firstname>Ola</Firstname><Lastname>Nordmann</Lastname>"), []byte("<Lastname>Nordmann</Lastname><Firstname>Ola</Firstname>"), 1)
			require.NotEqual(t, m[1], doc, "the answer changed: nothing was swapped")
		}
		path := filepath.Join(dir, regexp.MustCompile(`\W+`).ReplaceAllString(name, "-")+".xml")
		require.NoError(t, os.WriteFile(path, doc, 0o644))
		files[name] = path
	}
	for name, path := range files {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, xmllint, "--noout", "--nonet", "--schema", schema, path)
			cmd.Dir = filepath.Dir(schema) // the schema imports the Arrays schema beside it
			out, err := cmd.CombinedOutput()
			if name == "swapped, must fail" {
				assert.Error(t, err, "xmllint accepted Lastname before Firstname:\n%s", out)
				return
			}
			doc, _ := os.ReadFile(path)
			assert.NoError(t, err, "xmllint --schema rejects the answer:\n%s\n%s", out, doc)
		})
	}
}
