package batch

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/soap"
)

var (
	jan1 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	jan2 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

func stored(public, secret, comment string, active bool) soap.UntrustedCredentials {
	return soap.UntrustedCredentials{ValidFrom: jan1, ValidTo: jan2, Comment: comment, SecretValue: secret, PublicValue: public, IsActive: active}
}

const planHeader = "AssociateId,UserName,Type,PublicValue,SecretValue,ValidFrom,ValidTo,Comment,IsActive\n"

// planFile is a file with one of each kind of step.
const planFile = planHeader +
	"3,,imap,same@example.com,pw,2025-01-01,2026-01-01 00:00,note,true\n" + // unchanged
	"3,,imap,changed@example.com,new,2025-01-01,2027-01-01 00:00,note,false\n" + // update: ValidTo, SecretValue, IsActive
	"3,,imap,new@example.com,pw,2025-01-01,2026-01-01 00:00,,true\n" + // create
	",kari.nordmann,imap,hidden@example.com,pw,2025-01-01,2026-01-01 00:00,note,true\n" + // update: secret replaced
	"99,,imap,a@example.com,pw,2025-01-01,2026-01-01 00:00,,true\n" + // unknown associate
	",nobody,imap,a@example.com,pw,2025-01-01,2026-01-01 00:00,,true\n" + // unknown user name
	"7,,imap,d@example.com,pw,2025-01-01,2026-01-01 00:00,,true\n" + // deleted
	"3,,smtp,twice@example.com,pw,2025-01-01,2026-01-01 00:00,,true\n" + // the same record as the next row
	",OLA.NORDMANN,smtp,twice@example.com,pw,2025-01-01,2026-01-01 00:00,,true\n" +
	"1,,imap,denied@example.com,pw,2025-01-01,2026-01-01 00:00,,true\n" // the server refuses the read

func planFake() *fakeClient {
	f := newFake()
	f.records[recordKey(3, "imap")] = []soap.UntrustedCredentials{
		stored("same@example.com", "pw", "note", true),
		stored("changed@example.com", "old", "note", true),
		stored("unlisted@example.com", "x", "", true),
	}
	f.records[recordKey(4, "imap")] = []soap.UntrustedCredentials{stored("hidden@example.com", "", "note", true)}
	f.hook = func(_ context.Context, call string) error {
		if call == "list 1/imap" {
			return &soap.ExceptionInfo{Message: "Access denied", FriendlyText: "You do not have the right to manage other users' credentials.", ExceptionType: "SuperOffice.CRM.Security.SoAccessDeniedException"}
		}
		return nil
	}
	return f
}

func plan(t *testing.T, c Client, checked *Checked, opt PlanOptions) *Plan {
	t.Helper()
	p, err := NewPlanner(c, checked, opt).Run(context.Background())
	require.NoError(t, err)
	return p
}

func describePlan(p *Plan) string {
	var b strings.Builder
	for _, s := range p.Steps {
		b.WriteString(s.String())
		b.WriteString("  [associate " + s.AssociateRefString() + ", " + s.Type + ", " + s.PublicValue)
		if s.Code != "" {
			b.WriteString(", " + s.Code + params(s.Params))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func TestPlan(t *testing.T) {
	f := planFake()
	p := plan(t, f, entriesOf(t, planFile), PlanOptions{})
	golden(t, "plan.txt", []byte(describePlan(p)))

	assert.Equal(t, map[Action]int{ActionCreate: 1, ActionUpdate: 2, ActionUnchanged: 1, ActionRefused: 6, ActionRemove: 0}, p.Counts())
	upd := p.Steps[1]
	assert.Equal(t, []string{"ValidTo", "SecretValue", "IsActive"}, upd.Changes)
	require.NotNil(t, upd.Stored)
	assert.Empty(t, upd.Stored.SecretValue, "the plan shows the stored record without its secret")
	assert.True(t, p.Steps[3].SecretReplaced, "an empty stored secret cannot be compared")
	assert.Equal(t, "Kari Nordmann", p.Steps[3].FullName, "the directory's full name")
	assert.Equal(t, int32(4), p.Steps[3].AssociateID, "the user name resolved")
	assert.Equal(t, "You do not have the right to manage other users' credentials.", p.Steps[9].Message, "the server's own words")
	assert.Equal(t, []*Step{p.Steps[2]}, p.Filter(ActionCreate))

	t.Run("each associate and each associate and Type is asked once", func(t *testing.T) {
		count := map[string]int{}
		for _, c := range f.calls() {
			count[c]++
		}
		for c, n := range count {
			assert.Equal(t, 1, n, "%s asked %d times", c, n)
		}
		assert.Contains(t, count, "list 3/smtp")
		assert.NotContains(t, count, "list 99/imap", "no read for an unknown associate")
		assert.NotContains(t, count, "list 7/imap", "no read for a deleted associate")
	})

	t.Run("a cache remembers the associates between plans", func(t *testing.T) {
		cache := NewCache()
		f := planFake()
		plan(t, f, entriesOf(t, planFile), PlanOptions{Cache: cache})
		before := len(f.calls())
		plan(t, f, entriesOf(t, planFile), PlanOptions{Cache: cache})
		var users []string
		for _, c := range f.calls()[before:] {
			if strings.HasPrefix(c, "user ") {
				users = append(users, c)
			}
		}
		assert.ElementsMatch(t, []string{"user 99", "user nobody"}, users, "only the associates not found are asked again")
	})
}

func TestPlanInvalidRows(t *testing.T) {
	file := planHeader + "3,,imap,a@example.com,pw,2025-01-01,2026-01-01 00:00,,true\n" + "3,,imap,b@example.com,pw,2025-02-01,2025-01-01,,true\n"
	t.Run("a file with invalid rows is not planned", func(t *testing.T) {
		f := newFake()
		_, err := NewPlanner(f, entriesOf(t, file), PlanOptions{}).Run(context.Background())
		require.ErrorIs(t, err, ErrInvalidRows)
		assert.Equal(t, "batch: 1 row is invalid; correct the file, or plan the valid rows only", err.Error())
		assert.Empty(t, f.calls(), "nothing is sent")
	})
	t.Run("with SkipInvalid the invalid rows are refused, with their problems", func(t *testing.T) {
		p := plan(t, newFake(), entriesOf(t, file), PlanOptions{SkipInvalid: true})
		require.Len(t, p.Steps, 2)
		assert.Equal(t, ActionCreate, p.Steps[0].Action)
		s := p.Steps[1]
		assert.Equal(t, ActionRefused, s.Action)
		assert.Equal(t, CodeInvalid, s.Code)
		assert.Equal(t, "Row 3, ValidTo: must not be before ValidFrom", s.Message)
		require.Len(t, s.Problems, 1)
	})
	t.Run("removing unlisted records needs a valid file", func(t *testing.T) {
		_, err := NewPlanner(newFake(), entriesOf(t, file), PlanOptions{SkipInvalid: true, RemoveUnlisted: true}).Run(context.Background())
		assert.ErrorIs(t, err, ErrRemoveNeedsValid)
	})
}

func TestPlanRemoveUnlisted(t *testing.T) {
	f := newFake()
	f.records[recordKey(3, "imap")] = []soap.UntrustedCredentials{stored("keep@example.com", "pw", "", true), stored("old@example.com", "pw", "", true)}
	f.records[recordKey(3, "smtp")] = []soap.UntrustedCredentials{stored("other-type@example.com", "pw", "", true)}
	f.records[recordKey(4, "imap")] = []soap.UntrustedCredentials{stored("other-associate@example.com", "pw", "", true)}
	file := planHeader + "3,,imap,keep@example.com,pw,2025-01-01,2026-01-01 00:00,,true\n"
	p := plan(t, f, entriesOf(t, file), PlanOptions{RemoveUnlisted: true})
	removals := p.Filter(ActionRemove)
	require.Len(t, removals, 1, "only the file's associate and Type: %s", describePlan(p))
	assert.Equal(t, "old@example.com", removals[0].PublicValue)
	assert.Equal(t, 0, removals[0].Row)
	assert.Empty(t, removals[0].Stored.SecretValue)
}

func TestPlanKeepSecret(t *testing.T) {
	noSecret := "AssociateId,Type,PublicValue,ValidFrom,ValidTo\n3,imap,a@example.com,2025-01-01,2027-01-01 00:00\n4,imap,b@example.com,2025-01-01,2027-01-01 00:00\n5,imap,c@example.com,2025-01-01,2027-01-01 00:00\n"
	f := newFake()
	f.users = append(f.users, &soap.User{AssociateID: 5, UserName: "sam"})
	f.records[recordKey(3, "imap")] = []soap.UntrustedCredentials{stored("a@example.com", "kept", "", true)}
	f.records[recordKey(4, "imap")] = []soap.UntrustedCredentials{stored("b@example.com", "", "", true)}
	p := plan(t, f, entriesOf(t, noSecret), PlanOptions{})

	assert.Equal(t, ActionUpdate, p.Steps[0].Action)
	assert.Equal(t, []string{"ValidTo"}, p.Steps[0].Changes, "the secret is kept, not a change")
	assert.Equal(t, "kept", p.Steps[0].credentials().SecretValue, "an update without a SecretValue column re-sends the stored secret")
	assert.Equal(t, ActionRefused, p.Steps[1].Action, "an unreadable secret would be erased")
	assert.Equal(t, CodeSecretUnknown, p.Steps[1].Code)
	assert.Equal(t, ActionCreate, p.Steps[2].Action)
	assert.Empty(t, p.Steps[2].credentials().SecretValue)
}

func TestPlanTicketPause(t *testing.T) {
	f := newFake()
	f.valid = "7T:new" // the file's ticket has expired
	checked := entriesOf(t, planHeader+"3,,imap,a@example.com,pw,2025-01-01,2026-01-01 00:00,,true\n")
	log := newProgressLog()
	pl := NewPlanner(f, checked, PlanOptions{JobOptions: JobOptions{OnProgress: log.add}})
	done := make(chan error, 1)
	var p *Plan
	go func() {
		var err error
		p, err = pl.Run(context.Background())
		done <- err
	}()
	got := log.await(t, "a pause for a new ticket", func(p Progress) bool { return p.State == StateNeedsTicket && p.InFlight == 0 })
	assert.True(t, TicketError(got.Err), "the progress carries the refusal: %v", got.Err)
	f.SetTicket("7T:new")
	pl.Resume()
	require.NoError(t, <-done)
	assert.Equal(t, ActionCreate, p.Steps[0].Action)
}

func TestPlanNoAnswer(t *testing.T) {
	f := newFake()
	f.hook = func(context.Context, string) error { return unavailable }
	s := &fakeSleep{}
	p := plan(t, f, entriesOf(t, planHeader+"3,,imap,a@example.com,pw,2025-01-01,2026-01-01 00:00,,true\n"),
		PlanOptions{JobOptions: JobOptions{Sleep: s.sleep}})
	assert.Equal(t, ActionRefused, p.Steps[0].Action)
	assert.Equal(t, CodeNoAnswer, p.Steps[0].Code)
	assert.Equal(t, "could not be planned: HTTP 503 Service Unavailable", p.Steps[0].Message)
	assert.Len(t, f.calls(), 1+len(DefaultRetries), "one lookup, repeated")
	assert.True(t, errors.Is(unavailable, soap.ErrNotSOAP))
}

// TestPlanMarks: each thing the single form asks about before saving marks
// the row that would do it, on creates and updates only, and the plan
// counts them.
func TestPlanMarks(t *testing.T) {
	f := newFake()
	f.users = append(f.users, &soap.User{AssociateID: 8, UserName: "old.timer", FullName: "Old Timer", Retired: true})
	f.records[recordKey(3, "imap")] = []soap.UntrustedCredentials{
		stored("secret@example.com", "pw", "note", true),
		stored("nosecret@example.com", "", "note", true),
		stored("same@example.com", "pw", "note", true),
	}
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	file := planHeader +
		"3,,imap,plain@example.com,pw,2025-01-01,2027-01-01,,true\n" + // row 2: no mark
		"8,,imap,retired@example.com,pw,2025-01-01,2027-01-01,,true\n" + // row 3: retired
		"3,,imap,inactive@example.com,pw,2025-01-01,2027-01-01,,false\n" + // row 4: inactive
		"3,,imap,secret@example.com,,2025-01-01,2026-01-01,note,true\n" + // row 5: empty secret over a stored one, expired
		"3,,imap,nosecret@example.com,,2025-01-01,2027-01-01,note,true\n" + // row 6: the stored secret unknown: no mark
		"4,,Imap,case@example.com,pw,2025-01-01,2027-01-01,,true\n" + // row 7: differs from row 2's Type (and a known one) in case
		"4,,SMTP,known@example.com,pw,2025-01-01,2027-01-01,,true\n" + // row 8: differs from a known Type in case
		"3,,imap,same@example.com,pw,2025-01-01,2026-01-01 00:00,note,true\n" + // row 9: unchanged, though expired: not sent, no mark (a ValidTo date alone would mean through that day)
		"8,,ldap,all@example.com,,2025-01-01,2026-01-01,,false\n" // row 10: retired, inactive, expired
	p := plan(t, f, entriesOf(t, file), PlanOptions{JobOptions: JobOptions{Now: func() time.Time { return now }}, KnownTypes: []string{"smtp", "imap"}})
	got := map[int][]string{}
	for _, s := range p.Steps {
		if len(s.Marks) > 0 {
			got[s.Row] = s.Marks
		}
	}
	assert.Equal(t, map[int][]string{
		3:  {MarkRetired},
		4:  {MarkInactive},
		5:  {MarkEmptySecret, MarkExpired},
		7:  {MarkTypeCase},
		8:  {MarkTypeCase},
		10: {MarkRetired, MarkInactive, MarkExpired},
	}, got, "%s", describePlan(p))
	assert.Equal(t, ActionUnchanged, p.Steps[7].Action)
	assert.Equal(t, map[string]int{MarkRetired: 2, MarkInactive: 2, MarkEmptySecret: 1, MarkExpired: 2, MarkTypeCase: 2}, p.MarkCounts())
}

// TestPlanKeyClash: rows that Check cannot tell apart (one names its
// associate by id, the other by name) but that give one Type and
// PublicValue to two associates are refused both once resolved, each
// naming the other; the same associate named both ways is the same record.
func TestPlanKeyClash(t *testing.T) {
	f := newFake()
	file := planHeader +
		"3,,imap,shared@example.com,pw,2025-01-01,2026-01-01,,true\n" + // row 2: Ola
		",kari.nordmann,IMAP,Shared@example.com,pw,2025-01-01,2026-01-01,,true\n" + // row 3: Kari: clashes with 2
		"4,,smtp,own@example.com,pw,2025-01-01,2026-01-01,,true\n" // row 4
	p := plan(t, f, entriesOf(t, file), PlanOptions{})
	require.Len(t, p.Steps, 3)
	for i, other := range []string{"3", "2"} {
		s := p.Steps[i]
		assert.Equal(t, ActionRefused, s.Action, "%s", describePlan(p))
		assert.Equal(t, CodeKeyClash, s.Code)
		assert.Equal(t, other, s.Params["row"])
	}
	assert.Equal(t, ActionCreate, p.Steps[2].Action)
}
