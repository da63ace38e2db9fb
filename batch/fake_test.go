package batch

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"socred/soap"
)

// fakeClient is an in-memory NetServer for the Job, Planner and Runner
// tests: upserts as NetServer does, a ticket it checks, a log of the calls
// made, and a hook that can fail, hold or watch each call.
type fakeClient struct {
	mu       sync.Mutex
	users    []*soap.User
	records  map[string][]soap.UntrustedCredentials // by associate id and Type
	ticket   string                                 // the ticket the calls carry
	valid    string                                 // the ticket the server takes
	log      []string
	inflight int
	peak     int // the most calls in flight at once
	// hook, if set, runs before each call takes effect (with the lock
	// released); an error it returns is the call's.
	hook func(ctx context.Context, call string) error
}

func newFake() *fakeClient {
	return &fakeClient{
		users: []*soap.User{
			{AssociateID: 1, UserName: "demo", FullName: "Demo Administrator"},
			{AssociateID: 3, UserName: "ola.nordmann", FullName: "Ola Nordmann"},
			{AssociateID: 4, UserName: "kari.nordmann", FullName: "Kari Nordmann"},
			{AssociateID: 7, UserName: "gone", FullName: "Gone Away", Deleted: true},
		},
		records: map[string][]soap.UntrustedCredentials{},
		ticket:  "7T:good", valid: "7T:good",
	}
}

func recordKey(id int32, typ string) string { return strconv.Itoa(int(id)) + "/" + typ }

// SetTicket is what the page does before Resume.
func (f *fakeClient) SetTicket(t string) {
	f.mu.Lock()
	f.ticket = t
	f.mu.Unlock()
}

func (f *fakeClient) enter(ctx context.Context, call string) error {
	f.mu.Lock()
	f.inflight++
	f.peak = max(f.peak, f.inflight)
	f.log = append(f.log, call)
	ticketOK := f.ticket == f.valid
	hook := f.hook
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight--
		f.mu.Unlock()
	}()
	if hook != nil {
		if err := hook(ctx, call); err != nil {
			return err
		}
	}
	if !ticketOK {
		return &soap.ExceptionInfo{Message: "Ticket has expired", ExceptionType: "SuperOffice.CRM.Security.SoTicketExpiredException"}
	}
	return nil
}

func (f *fakeClient) User(ctx context.Context, ref AssociateRef) (*soap.User, error) {
	if err := f.enter(ctx, "user "+ref.String()); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, u := range f.users {
		if ref.UserName == "" && u.AssociateID == ref.ID || ref.UserName != "" && strings.EqualFold(u.UserName, ref.UserName) {
			c := *u
			return &c, nil
		}
	}
	return nil, nil
}

func (f *fakeClient) List(ctx context.Context, id int32, typ string) ([]soap.UntrustedCredentials, error) {
	if err := f.enter(ctx, "list "+recordKey(id, typ)); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.records[recordKey(id, typ)]), nil
}

func (f *fakeClient) Save(ctx context.Context, id int32, typ string, c soap.UntrustedCredentials) error {
	if err := f.enter(ctx, "save "+recordKey(id, typ)+" "+c.PublicValue); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	k := recordKey(id, typ)
	for i := range f.records[k] {
		if f.records[k][i].PublicValue == c.PublicValue {
			f.records[k][i] = c
			return nil
		}
	}
	f.records[k] = append(f.records[k], c)
	return nil
}

func (f *fakeClient) Remove(ctx context.Context, id int32, typ, public string) error {
	if err := f.enter(ctx, "remove "+recordKey(id, typ)+" "+public); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	k := recordKey(id, typ)
	f.records[k] = slices.DeleteFunc(f.records[k], func(c soap.UntrustedCredentials) bool { return c.PublicValue == public })
	return nil
}

func (f *fakeClient) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.log)
}

func (f *fakeClient) stored(id int32, typ string) []soap.UntrustedCredentials {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.records[recordKey(id, typ)])
}

// fakeSleep records the waits asked of it and returns at once, unless
// hold is set: then it waits for a release or for ctx.
type fakeSleep struct {
	mu    sync.Mutex
	waits []time.Duration
	hold  chan struct{}
	// waiting gets a value each time a wait starts, when hold is set.
	waiting chan time.Duration
}

func (s *fakeSleep) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	hold, waiting := s.hold, s.waiting
	s.mu.Unlock()
	if hold == nil {
		return ctx.Err()
	}
	if waiting != nil {
		waiting <- d
	}
	select {
	case <-hold:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *fakeSleep) recorded() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.waits)
}

// progressLog keeps every snapshot OnProgress was given, and signals each.
type progressLog struct {
	mu   sync.Mutex
	all  []Progress
	seen chan Progress
}

func newProgressLog() *progressLog { return &progressLog{seen: make(chan Progress, 10_000)} }

func (l *progressLog) add(p Progress) {
	l.mu.Lock()
	l.all = append(l.all, p)
	l.mu.Unlock()
	select {
	case l.seen <- p:
	default:
	}
}

// await waits for a snapshot that cond accepts.
func (l *progressLog) await(t *testing.T, what string, cond func(Progress) bool) Progress {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case p := <-l.seen:
			if cond(p) {
				return p
			}
		case <-timeout:
			t.Fatalf("no progress snapshot showed %s", what)
		}
	}
}

// entriesOf reads and checks a small CSV written in the test.
func entriesOf(t *testing.T, csv string) *Checked {
	t.Helper()
	f, err := Read([]byte(csv), Options{Location: time.UTC})
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	c := Check(f, Options{Location: time.UTC})
	return c
}
