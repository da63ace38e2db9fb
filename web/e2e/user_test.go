package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// userResult is what socred.user resolves to.
type userResult struct {
	OK        bool           `json:"ok"`
	Operation string         `json:"operation"`
	User      *lookedUp      `json:"user"`
	HasUser   bool           `json:"hasUser"` // the result has a user property, null or not
	Error     map[string]any `json:"error"`
}

type lookedUp struct {
	AssociateID int    `json:"associateId"`
	UserName    string `json:"userName"`
	Name        string `json:"name"`
	FullName    string `json:"fullName"`
	FirstName   string `json:"firstName"`
	LastName    string `json:"lastName"`
	Email       string `json:"email"`
	Type        string `json:"type"`
	Deleted     bool   `json:"deleted"`
	Retired     bool   `json:"retired"`
}

// TestUserLookup calls socred.user in the real page, served by the socred
// server, against its local NetServer's demo directory: by id, by a user
// name with æøå, an unknown id and name, a deleted associate, a retired
// person, and as the guest, who has no right to read users.
func TestUserLookup(t *testing.T) {
	srv := startServer(t)
	var console []string
	ctx := browser(t, &console)
	run(t, ctx, chromedp.Navigate(srv.Page))
	waitFor(t, ctx, `document.body.dataset.ready === "true"`)

	login := func(t *testing.T, user string) string {
		t.Helper()
		var out struct {
			OK     bool           `json:"ok"`
			Ticket string         `json:"ticket"`
			Error  map[string]any `json:"error"`
		}
		run(t, ctx, chromedp.Evaluate(`socred.login({endpoint: `+quote(srv.Site)+`, userName: `+quote(user)+`, password: `+quote(srv.Password)+`})`,
			&out, awaitPromise))
		require.True(t, out.OK, "login as %s failed: %v", user, out.Error)
		return out.Ticket
	}
	ticket := login(t, srv.User)
	lookup := func(t *testing.T, ticket, who string) userResult {
		t.Helper()
		var out userResult
		run(t, ctx, chromedp.Evaluate(`socred.user({endpoint: `+quote(srv.Site)+`, ticket: `+quote(ticket)+`, `+who+`})
			.then(r => ({...r, hasUser: "user" in r}))`, &out, awaitPromise))
		return out
	}
	found := func(t *testing.T, r userResult) lookedUp {
		t.Helper()
		require.True(t, r.OK, "socred.user failed: %v", r.Error)
		require.NotNil(t, r.User, "no user in the result: %+v", r)
		return *r.User
	}

	t.Run("a known associate id", func(t *testing.T) {
		r := lookup(t, ticket, `associateId: 3`)
		assert.Equal(t, "GetUser", r.Operation)
		assert.Equal(t, lookedUp{AssociateID: 3, UserName: "ola.nordmann", Name: "ON", FullName: "Ola Nordmann", FirstName: "Ola",
			LastName: "Nordmann", Email: "ola.nordmann@example.no", Type: "InternalAssociate"}, found(t, r))
	})
	t.Run("a user name with æøå", func(t *testing.T) {
		r := lookup(t, ticket, `userName: "bjørn.ås"`)
		assert.Equal(t, "GetUserFromName", r.Operation)
		assert.Equal(t, lookedUp{AssociateID: 6, UserName: "bjørn.ås", Name: "BÅ", FullName: "Bjørn Ås", FirstName: "Bjørn",
			LastName: "Ås", Email: "bjorn.as@example.no", Type: "InternalAssociate"}, found(t, r))
	})
	t.Run("an unknown id and an unknown user name", func(t *testing.T) {
		for _, who := range []string{`associateId: "999"`, `userName: "nobody"`} {
			r := lookup(t, ticket, who)
			require.True(t, r.OK, "%s: socred.user failed: %v", who, r.Error)
			assert.True(t, r.HasUser, "%s: the result has user: null", who)
			assert.Nil(t, r.User, "%s", who)
		}
	})
	t.Run("a deleted associate", func(t *testing.T) {
		u := found(t, lookup(t, ticket, `associateId: 7`))
		assert.Equal(t, "Åsa Bäckström", u.FullName)
		assert.True(t, u.Deleted, "deleted")
		assert.False(t, u.Retired, "retired")
	})
	t.Run("a retired person", func(t *testing.T) {
		u := found(t, lookup(t, ticket, `userName: "GUNNAR.ODEGARD"`))
		assert.Equal(t, 8, u.AssociateID)
		assert.Equal(t, "Gunnar Ødegård", u.FullName)
		assert.True(t, u.Retired, "retired")
		assert.False(t, u.Deleted, "deleted")
	})
	t.Run("the guest, without the right to read users", func(t *testing.T) {
		r := lookup(t, login(t, "guest"), `associateId: 3`)
		require.False(t, r.OK, "the guest read a user: %+v", r.User)
		assert.Equal(t, "exception", r.Error["kind"], "%v", r.Error)
		assert.Equal(t, "You do not have the right to read users.", r.Error["message"], "%v", r.Error)
	})
	t.Run("a ticket the server does not know", func(t *testing.T) {
		r := lookup(t, "7T:bm90LWEtdGlja2V0", `associateId: 3`)
		require.False(t, r.OK, "an unknown ticket read a user: %+v", r.User)
		assert.Equal(t, "exception", r.Error["kind"], "%v", r.Error)
		assert.Contains(t, r.Error["message"], "not valid", "%v", r.Error)
	})
	t.Run("both an id and a name", func(t *testing.T) {
		r := lookup(t, ticket, `associateId: 3, userName: "ola.nordmann"`)
		require.False(t, r.OK, "a lookup with both was sent: %+v", r.User)
		assert.Equal(t, "validation", r.Error["kind"], "%v", r.Error)
		assert.Equal(t, "AssociateId", r.Error["field"], "%v", r.Error)
	})
	assert.Empty(t, console, "the page logged to the console")
}
