package batch

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/soap"
)

// rowsFile is n rows for associate 3, each its own PublicValue.
func rowsFile(n int) string {
	var b strings.Builder
	b.WriteString(planHeader)
	for i := range n {
		b.WriteString("3,,imap,row" + itoa(i+2) + "@example.com,secret" + itoa(i+2) + ",2025-01-01,2026-01-01 00:00,,true\n")
	}
	return b.String()
}

func itoa(i int) string { return AssociateRef{ID: int32(i)}.String() }

// saves counts the successful saves of each PublicValue in the fake.
func saves(f *fakeClient) map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for _, recs := range f.records {
		for _, c := range recs {
			out[c.PublicValue]++
		}
	}
	return out
}

func TestRun(t *testing.T) {
	f := planFake()
	checked := entriesOf(t, planFile)
	p := plan(t, f, checked, PlanOptions{})
	r := NewRunner(f, p, RunOptions{})
	require.NoError(t, r.Run(context.Background()))

	assert.Equal(t, map[Outcome]int{OutcomeCreated: 1, OutcomeUpdated: 2, OutcomeUnchanged: 1, OutcomeRemoved: 0, OutcomeFailed: 0, OutcomeNotSent: 6}, r.Counts())
	res := r.Results()
	assert.Equal(t, OutcomeUnchanged, res[0].Outcome)
	assert.Equal(t, OutcomeUpdated, res[1].Outcome)
	assert.Equal(t, OutcomeCreated, res[2].Outcome)
	assert.Equal(t, OutcomeNotSent, res[4].Outcome)
	assert.Equal(t, "no associate has the id 99", res[4].Message, "a refused row says why")
	assert.Equal(t, "Ola Nordmann", res[2].FullName)

	got := f.stored(3, "imap")
	require.Len(t, got, 4)
	assert.Equal(t, "new", got[1].SecretValue, "the update sent the file's secret")
	assert.False(t, got[1].IsActive)

	p2 := r.Progress()
	assert.Equal(t, 3, p2.Done)
	assert.Equal(t, 7, p2.Skipped, "unchanged and refused")
	assert.Equal(t, 10, p2.Total)

	t.Run("the secrets of the rows sent are dropped", func(t *testing.T) {
		for _, e := range checked.Entries[1:4] {
			assert.Empty(t, e.Credentials.SecretValue, "row %d", e.Row)
		}
	})
}

func TestRunTicketPause(t *testing.T) {
	for _, concurrency := range []int{1, 4} {
		t.Run("at concurrency "+itoa(concurrency), func(t *testing.T) {
			f := newFake()
			var mu sync.Mutex
			sent := 0
			f.hook = func(_ context.Context, call string) error {
				if !strings.HasPrefix(call, "save ") {
					return nil
				}
				mu.Lock()
				defer mu.Unlock()
				if sent++; sent == 5 {
					f.mu.Lock()
					f.valid = "7T:renewed" // the ticket expires after four saves
					f.mu.Unlock()
				}
				return nil
			}
			p := plan(t, f, entriesOf(t, rowsFile(20)), PlanOptions{})
			log := newProgressLog()
			r := NewRunner(f, p, RunOptions{JobOptions: JobOptions{Concurrency: concurrency, OnProgress: log.add}})
			done := make(chan error, 1)
			go func() { done <- r.Run(context.Background()) }()

			paused := log.await(t, "a pause for a new ticket, nothing in flight", func(p Progress) bool { return p.State == StateNeedsTicket && p.InFlight == 0 })
			assert.True(t, TicketError(paused.Err))
			callsAtPause := len(f.calls())
			firstRefused := paused.Done + 2 // rows start at 2
			f.SetTicket("7T:renewed")
			r.Resume()
			require.NoError(t, <-done)

			for pv, n := range saves(f) {
				assert.Equal(t, 1, n, "%s stored %d times", pv, n)
			}
			assert.Len(t, saves(f), 20, "nothing lost")
			assert.Equal(t, 20, r.Progress().Done)
			if concurrency == 1 {
				after := f.calls()[callsAtPause]
				assert.Equal(t, "save 3/imap row"+itoa(firstRefused)+"@example.com", after, "the run resumes with the row that failed")
			}
		})
	}
}

func TestRunRetryFailedRows(t *testing.T) {
	f := newFake()
	var mu sync.Mutex
	fixed := false
	f.hook = func(_ context.Context, call string) error {
		mu.Lock()
		defer mu.Unlock()
		if !fixed && (strings.HasSuffix(call, "row4@example.com") || strings.HasSuffix(call, "row7@example.com")) {
			return &soap.ExceptionInfo{Message: "Associate 3 is locked", ExceptionType: "SuperOffice.CRM.Security.SoLockedException"}
		}
		return nil
	}
	p := plan(t, f, entriesOf(t, rowsFile(8)), PlanOptions{})
	r := NewRunner(f, p, RunOptions{})
	require.NoError(t, r.Run(context.Background()))
	res := r.Results()
	assert.Equal(t, OutcomeFailed, res[2].Outcome)
	assert.Equal(t, "Associate 3 is locked", res[2].Message)
	assert.Equal(t, OutcomeFailed, res[5].Outcome)
	assert.Equal(t, 2, r.Progress().Failed)

	t.Run("a failed row keeps its data for Retry, and Retry sends only those", func(t *testing.T) {
		mu.Lock()
		fixed = true
		mu.Unlock()
		before := len(f.calls())
		require.NoError(t, r.Retry(context.Background()))
		assert.ElementsMatch(t, []string{"save 3/imap row4@example.com", "save 3/imap row7@example.com"}, f.calls()[before:])
		res := r.Results()
		assert.Equal(t, OutcomeCreated, res[2].Outcome)
		assert.Empty(t, res[2].Message)
		for _, c := range f.stored(3, "imap") {
			if c.PublicValue == "row4@example.com" {
				assert.Equal(t, "secret4", c.SecretValue, "the retried row's secret was kept until it was sent")
			}
		}
	})
}

func TestRunCancel(t *testing.T) {
	f := newFake()
	gate := make(chan struct{})
	f.hook = func(_ context.Context, call string) error {
		if strings.HasPrefix(call, "save ") {
			<-gate
		}
		return nil
	}
	p := plan(t, f, entriesOf(t, rowsFile(10)), PlanOptions{})
	log := newProgressLog()
	r := NewRunner(f, p, RunOptions{JobOptions: JobOptions{Concurrency: 2, OnProgress: log.add}})
	done := make(chan error, 1)
	go func() { done <- r.Run(context.Background()) }()
	log.await(t, "two saves in flight", func(p Progress) bool { return p.InFlight == 2 })
	r.Cancel()
	close(gate)
	require.ErrorIs(t, <-done, ErrCanceled)
	c := r.Counts()
	assert.Equal(t, 2, c[OutcomeCreated], "the calls in flight finish")
	assert.Equal(t, 8, c[OutcomeNotSent])
	assert.Equal(t, "cancelled before it was sent", r.Results()[9].Message)
}

func TestRunForget(t *testing.T) {
	f := newFake()
	f.hook = func(_ context.Context, call string) error {
		if strings.HasSuffix(call, "row3@example.com") {
			return &soap.ExceptionInfo{Message: "locked"}
		}
		return nil
	}
	checked := entriesOf(t, rowsFile(3))
	p := plan(t, f, checked, PlanOptions{})
	r := NewRunner(f, p, RunOptions{})
	require.NoError(t, r.Run(context.Background()))
	assert.Equal(t, "secret3", checked.Entries[1].Credentials.SecretValue, "a failed row keeps its secret for Retry")
	r.Forget()
	for _, e := range checked.Entries {
		assert.Empty(t, e.Credentials.SecretValue, "row %d", e.Row)
	}
	assert.Nil(t, checked.File.Rows, "the file's rows, secrets and all")
	assert.ErrorIs(t, r.Retry(context.Background()), ErrForgotten)
	assert.Equal(t, OutcomeFailed, r.Results()[1].Outcome, "the results stay")
}

func TestRunRemovals(t *testing.T) {
	f := newFake()
	f.records[recordKey(3, "imap")] = []soap.UntrustedCredentials{stored("old@example.com", "pw", "", true)}
	p := plan(t, f, entriesOf(t, rowsFile(1)), PlanOptions{RemoveUnlisted: true})
	require.Equal(t, 1, p.Count(ActionRemove))

	assert.ErrorIs(t, NewRunner(f, p, RunOptions{}).Run(context.Background()), ErrNotConfirmed)
	assert.Len(t, f.stored(3, "imap"), 1, "nothing removed without the confirmation")

	r := NewRunner(f, p, RunOptions{ConfirmRemovals: true})
	require.NoError(t, r.Run(context.Background()))
	got := f.stored(3, "imap")
	require.Len(t, got, 1)
	assert.Equal(t, "row2@example.com", got[0].PublicValue)
	assert.Equal(t, OutcomeRemoved, r.Results()[1].Outcome)
}

// TestRunResumeWithOldCallsInFlight resumes while a call sent with the old
// ticket is still out: its refusal does not pause the run again.
func TestRunResumeWithOldCallsInFlight(t *testing.T) {
	f := newFake()
	f.valid = "7T:new"
	gate := make(chan struct{})
	f.hook = func(_ context.Context, call string) error {
		if call == "save 3/imap row3@example.com" {
			<-gate
		}
		return nil
	}
	f.SetTicket("7T:new") // the plan reads with a good ticket
	p := plan(t, f, entriesOf(t, rowsFile(4)), PlanOptions{})
	f.SetTicket("7T:old")

	log := newProgressLog()
	var resumed atomic.Bool
	again := make(chan struct{}, 1)
	opt := JobOptions{Concurrency: 2, OnProgress: func(p Progress) {
		log.add(p)
		if resumed.Load() && p.State == StateNeedsTicket {
			select {
			case again <- struct{}{}:
			default:
			}
		}
	}}
	r := NewRunner(f, p, RunOptions{JobOptions: opt})
	done := make(chan error, 1)
	go func() { done <- r.Run(context.Background()) }()
	log.await(t, "a pause for a ticket with the held call still out", func(p Progress) bool { return p.State == StateNeedsTicket && p.InFlight == 1 })

	f.SetTicket("7T:new")
	resumed.Store(true)
	r.Resume()
	close(gate)
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-again:
		t.Fatal("paused again for the refusal of a call sent before the new ticket")
	}
	assert.Len(t, saves(f), 4)
}
