//go:build !js

package batch

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/netserver"
	"socred/netserver/netservertest"
	"socred/soap"
)

const netPassword = "correct horse"

// httpSender is socred's client path natively: soap.Build, an HTTP POST to
// the operation's service below site, soap.Classify. A call without an
// answer wraps ErrNetwork.
func httpSender(client *http.Client, site string) Sender {
	return func(ctx context.Context, r soap.Request) (*soap.Response, error) {
		env, err := soap.Build(r)
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, site+"/"+r.Operation.Path(), bytes.NewReader(env.XML))
		if err != nil {
			return nil, err
		}
		for _, kv := range env.Headers() {
			req.Header.Set(kv.Key, kv.Value)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNetwork, err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, soap.MaxBody+1))
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNetwork, err)
		}
		return soap.Classify(r.Operation, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}

// netFixture is a local NetServer, a login, and the Remote that talks to
// it, with a log of the answered saves.
type netFixture struct {
	srv    *netservertest.Server
	cfg    netserver.Config
	remote *Remote
	clock  *netClock

	mu    sync.Mutex
	saved map[string]int // successful saves per PublicValue
	sent  int            // calls sent
}

type netClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *netClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *netClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newNetClock() *netClock            { return &netClock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)} }

func newNetFixture(t *testing.T, user string, tweak func(*netserver.Config)) *netFixture {
	t.Helper()
	cfg := netserver.Demo("", netPassword)
	cfg.Users = append(cfg.Users, netserver.User{Name: "admin2", Password: netPassword, AssociateID: 5, Administrator: true})
	fx := &netFixture{cfg: cfg, clock: newNetClock(), saved: map[string]int{}}
	fx.cfg.Now = fx.clock.now
	if tweak != nil {
		tweak(&fx.cfg)
	}
	srv, err := netservertest.NewServer(fx.cfg)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	fx.srv = srv
	ticket, err := srv.NetServer.Ticket(user, netPassword)
	require.NoError(t, err)
	send := httpSender(srv.Client(), srv.SiteURL)
	fx.remote = NewRemote(func(ctx context.Context, r soap.Request) (*soap.Response, error) {
		fx.mu.Lock()
		fx.sent++
		fx.mu.Unlock()
		resp, err := send(ctx, r)
		if err == nil && r.Operation == soap.SaveForAssociate {
			fx.mu.Lock()
			fx.saved[r.Credentials.PublicValue]++
			fx.mu.Unlock()
		}
		return resp, err
	}, ticket)
	return fx
}

func (fx *netFixture) calls() int { fx.mu.Lock(); defer fx.mu.Unlock(); return fx.sent }

// netFile is rows for the demo associates, each with its own secret.
func netFile(validTo string, rows ...string) string {
	var b strings.Builder
	b.WriteString("AssociateId;UserName;Type;PublicValue;SecretValue;ValidFrom;ValidTo;Comment;IsActive\n")
	for i, r := range rows {
		id, name, typ, public := r, "", "imap", r+"@example.com"
		if parts := strings.Split(r, "/"); len(parts) == 3 {
			id, typ, public = parts[0], parts[1], parts[2]
		}
		if id[0] < '0' || id[0] > '9' {
			id, name = "", id
		}
		fmt.Fprintf(&b, "%s;%s;%s;%s;S3cr3t-%d;2025-01-01;%s;Row %d, æøå;ja\n", id, name, typ, public, i, validTo, i)
	}
	return b.String()
}

func check(t *testing.T, file string) *Checked {
	t.Helper()
	f, err := Read([]byte(file), Options{})
	require.NoError(t, err)
	c := Check(f, Options{Location: oslo(t)})
	require.NoError(t, c.Err())
	return c
}

// instant are JobOptions whose backoff waits return at once, with enough
// repeats that FailRate's 503s never exhaust them. With six, the audit
// below lost a record in 1 run in 9: the seeded draws are the same every
// run, the audit's stretch of them holds a dense run of failures, and which
// call gets them depends only on the goroutines' order; its last read is
// made alone, so every draw goes to it. 24 repeats passed 1,000 runs in a
// row (go test -count=1000 -run TestNetServerRoundTrip ./batch/).
func instant(concurrency int) JobOptions {
	retries := make([]time.Duration, 24)
	for i := range retries {
		retries[i] = 1
	}
	return JobOptions{Concurrency: concurrency, Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
		Retries: retries}
}

// TestNetServerKeyClash: a row whose Type and PublicValue are stored for
// another associate fails alone, with words that say so; the other rows
// are saved.
func TestNetServerKeyClash(t *testing.T) {
	fx := newNetFixture(t, netserver.DemoUser, nil)
	ctx := context.Background()
	p := plan(t, fx.remote, check(t, netFile("2026-01-01", "3/imap/imap.example.com")), PlanOptions{JobOptions: instant(2)})
	require.NoError(t, NewRunner(fx.remote, p, RunOptions{JobOptions: instant(2)}).Run(ctx))

	p = plan(t, fx.remote, check(t, netFile("2026-01-01", "4/imap/own.example.com", "5/IMAP/Imap.Example.com")),
		PlanOptions{JobOptions: instant(2)})
	require.Equal(t, 2, p.Count(ActionCreate), "%s", describePlan(p))
	runner := NewRunner(fx.remote, p, RunOptions{JobOptions: instant(2)})
	require.NoError(t, runner.Run(ctx))
	res := runner.Results()
	assert.Equal(t, OutcomeCreated, res[0].Outcome, "%+v", res[0])
	assert.Equal(t, OutcomeFailed, res[1].Outcome, "%+v", res[1])
	assert.True(t, strings.HasPrefix(res[1].Message, "another associate already has a record of Type IMAP with public value Imap.Example.com: "+
		"a Type and public value belong to one associate only (NetServer: Cannot insert duplicate key row"), res[1].Message)
	var exc *soap.ExceptionInfo
	require.ErrorAs(t, res[1].Err, &exc)
	assert.Equal(t, netserver.TypeDuplicateKey, exc.ExceptionType)
	assert.Empty(t, fx.srv.NetServer.Credentials(5, "IMAP"), "nothing stored for the clashing row")
	assert.Equal(t, 1, runner.Counts()[OutcomeFailed])
}

func TestNetServerRoundTrip(t *testing.T) {
	fx := newNetFixture(t, netserver.DemoUser, func(c *netserver.Config) {
		c.FailRate, c.Rand = 0.25, rand.NewChaCha8([32]byte{'b', 'a', 't', 'c', 'h'})
		c.Latency = 2 * time.Millisecond
	})
	ctx := context.Background()
	rows := []string{"3", "4", "5", "demo", "viewer", "3/smtp/ola-smtp", "4/smtp/kari-smtp", "5/imap/second"}
	file := netFile("2026-01-01 00:00", rows...)

	var runner *Runner
	t.Run("a new file creates every row, through 503s", func(t *testing.T) {
		p := plan(t, fx.remote, check(t, file), PlanOptions{JobOptions: instant(4)})
		require.Equal(t, len(rows), p.Count(ActionCreate), "%s", describePlan(p))
		runner = NewRunner(fx.remote, p, RunOptions{JobOptions: instant(4)})
		require.NoError(t, runner.Run(ctx))
		assert.Equal(t, len(rows), runner.Counts()[OutcomeCreated], "%+v", runner.Results())
		assert.Positive(t, runner.Progress().Retries, "at FailRate 0.25 some calls were repeated")
		stored := fx.srv.NetServer.Credentials(3, "imap")
		require.Len(t, stored, 1)
		assert.Equal(t, "S3cr3t-0", stored[0].SecretValue)
		assert.Equal(t, time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC), stored[0].ValidTo, "2026-01-01 in Oslo")
		assert.Equal(t, "Row 0, æøå", stored[0].Comment)
		assert.True(t, stored[0].IsActive)
		for pv, n := range fx.saved {
			assert.Equal(t, 1, n, "%s saved %d times", pv, n)
		}
	})

	t.Run("the report has every row and no secret", func(t *testing.T) {
		var b bytes.Buffer
		require.NoError(t, WriteReport(&b, runner.Results(), ';'))
		assert.NotContains(t, b.String(), "S3cr3t")
		assert.Equal(t, 1+len(rows), strings.Count(b.String(), "\r\n"))
		assert.Contains(t, b.String(), "\r\n3;4;kari.nordmann;Kari Nordmann;imap;4@example.com;created;\r\n")
		checkSpreadsheetSafe(t, b.Bytes(), ';', len(ReportHeader))
	})

	t.Run("sending the file again changes nothing", func(t *testing.T) {
		p := plan(t, fx.remote, check(t, file), PlanOptions{JobOptions: instant(4)})
		assert.Equal(t, len(rows), p.Count(ActionUnchanged), "%s", describePlan(p))
		before := fx.calls()
		require.NoError(t, NewRunner(fx.remote, p, RunOptions{JobOptions: instant(4)}).Run(ctx))
		assert.Equal(t, before, fx.calls(), "nothing sent for unchanged rows")
	})

	t.Run("a changed file updates what changed", func(t *testing.T) {
		changed := strings.Replace(netFile("2027-01-01", rows...), "S3cr3t-1;", "N3w-1;", 1)
		p := plan(t, fx.remote, check(t, changed), PlanOptions{JobOptions: instant(4)})
		assert.Equal(t, []string{"ValidTo"}, p.Steps[0].Changes)
		assert.Equal(t, []string{"ValidTo", "SecretValue"}, p.Steps[1].Changes)
		require.NoError(t, NewRunner(fx.remote, p, RunOptions{JobOptions: instant(4)}).Run(ctx))
		assert.Equal(t, "N3w-1", fx.srv.NetServer.Credentials(4, "imap")[0].SecretValue)
	})

	t.Run("unlisted records are removed once confirmed", func(t *testing.T) {
		fewer := netFile("2027-01-01", "3", "5") // 5/imap/second is no longer listed
		p := plan(t, fx.remote, check(t, fewer), PlanOptions{JobOptions: instant(4), RemoveUnlisted: true})
		removals := p.Filter(ActionRemove)
		require.Len(t, removals, 1, "%s", describePlan(p))
		assert.Equal(t, "second", removals[0].PublicValue)
		require.NoError(t, NewRunner(fx.remote, p, RunOptions{JobOptions: instant(4), ConfirmRemovals: true}).Run(ctx))
		stored := fx.srv.NetServer.Credentials(5, "imap")
		require.Len(t, stored, 1)
		assert.Equal(t, "5@example.com", stored[0].PublicValue)
	})

	t.Run("the audit reads every record, without secrets", func(t *testing.T) {
		refs, err := ParseAssociates("3-5, demo, viewer")
		require.NoError(t, err)
		// The file's records are valid until 2027-01-01: audited on a fixed
		// day well before it, each is active whatever today is.
		jo := instant(4)
		jo.Now = func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }
		a, err := NewAuditor(fx.remote, refs, []string{"imap", "smtp"}, AuditOptions{JobOptions: jo}).Run(ctx)
		require.NoError(t, err)
		assert.Len(t, a.Records, 7)
		assert.Empty(t, a.Failed)
		for _, r := range a.Records {
			assert.True(t, r.HasSecret, "%d %s %s", r.AssociateID, r.Type, r.Credentials.PublicValue)
			assert.Equal(t, StatusActive, r.Status.Kind)
		}
		var b bytes.Buffer
		require.NoError(t, WriteAudit(&b, a.Records, ','))
		assert.NotContains(t, b.String(), "S3cr3t")
		assert.NotContains(t, b.String(), "N3w")
	})
}

func TestNetServerRefusals(t *testing.T) {
	ctx := context.Background()
	t.Run("an administrator who cannot read secrets: every update replaces the secret", func(t *testing.T) {
		fx := newNetFixture(t, "admin2", nil)
		file := netFile("2026-01-01 00:00", "3")
		p := plan(t, fx.remote, check(t, file), PlanOptions{})
		require.NoError(t, NewRunner(fx.remote, p, RunOptions{}).Run(ctx))
		again := plan(t, fx.remote, check(t, file), PlanOptions{})
		require.Equal(t, ActionUpdate, again.Steps[0].Action, "%s", describePlan(again))
		assert.True(t, again.Steps[0].SecretReplaced)
		assert.Empty(t, again.Steps[0].Changes)
	})
	t.Run("a user without the right: refused with the server's words", func(t *testing.T) {
		fx := newNetFixture(t, netserver.ViewerUser, nil)
		p := plan(t, fx.remote, check(t, netFile("2026-01-01 00:00", "3", "viewer")), PlanOptions{})
		assert.Equal(t, ActionRefused, p.Steps[0].Action)
		assert.Equal(t, CodeServerRefused, p.Steps[0].Code)
		assert.Equal(t, "You do not have the right to manage other users' credentials.", p.Steps[0].Message)
		assert.Equal(t, ActionCreate, p.Steps[1].Action, "the viewer's own credentials")
	})
	t.Run("a locked associate: the markup comes back as text", func(t *testing.T) {
		fx := newNetFixture(t, netserver.DemoUser, func(c *netserver.Config) {
			c.Associates = append(c.Associates, netserver.Associate{ID: netserver.MarkupAssociateID, Name: "LOCKED", FullName: "Locked Associate"})
		})
		p := plan(t, fx.remote, check(t, netFile("2026-01-01 00:00", "666")), PlanOptions{})
		assert.Equal(t, netserver.MarkupFriendlyText, p.Steps[0].Message)
	})
	t.Run("HTTP 503 on every call: the rows fail after the retries, and Retry sends only those", func(t *testing.T) {
		var failing sync.Mutex
		fail := true
		fx := newNetFixture(t, netserver.DemoUser, func(c *netserver.Config) {
			c.FailRate = 0.5 // with draws of all zeros (fail) or all ones (pass)
			c.Rand = readerFunc(func(p []byte) (int, error) {
				failing.Lock()
				defer failing.Unlock()
				v := byte(0x00)
				if !fail {
					v = 0xFF
				}
				for i := range p {
					p[i] = v
				}
				return len(p), nil
			})
		})
		failing.Lock()
		fail = false
		failing.Unlock()
		p := plan(t, fx.remote, check(t, netFile("2026-01-01 00:00", "3", "4")), PlanOptions{})
		require.Equal(t, 2, p.Count(ActionCreate))
		failing.Lock()
		fail = true
		failing.Unlock()
		s := &fakeSleep{}
		r := NewRunner(fx.remote, p, RunOptions{JobOptions: JobOptions{Sleep: s.sleep}})
		require.NoError(t, r.Run(ctx))
		res := r.Results()
		assert.Equal(t, OutcomeFailed, res[0].Outcome)
		assert.Equal(t, "HTTP 503 Service Unavailable", res[0].Message)
		assert.Len(t, s.recorded(), 2*len(DefaultRetries), "three repeats of each row")
		assert.Empty(t, fx.srv.NetServer.Credentials(3, "imap"), "a refused call stores nothing")

		failing.Lock()
		fail = false
		failing.Unlock()
		require.NoError(t, r.Retry(ctx))
		assert.Equal(t, 2, r.Counts()[OutcomeCreated])
		assert.Len(t, fx.srv.NetServer.Credentials(4, "imap"), 1)
	})
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// TestNetServerTicketExpires lets the ticket expire in the middle of a run:
// the run pauses for a new one, resumes with the row that failed, and
// saves every row once.
func TestNetServerTicketExpires(t *testing.T) {
	fx := newNetFixture(t, netserver.DemoUser, func(c *netserver.Config) { c.TicketTTL = time.Hour })
	var rows []string
	for i := range 30 {
		rows = append(rows, fmt.Sprintf("%d/imap/row%02d", 3+i%3, i))
	}
	p := plan(t, fx.remote, check(t, netFile("2026-01-01 00:00", rows...)), PlanOptions{})
	require.Equal(t, 30, p.Count(ActionCreate))

	log := newProgressLog()
	opt := instant(4)
	var expire sync.Once
	opt.OnProgress = func(pr Progress) {
		log.add(pr)
		if pr.Done == 10 {
			expire.Do(func() { fx.clock.add(2 * time.Hour) }) // the ticket is past its TTL from now on
		}
	}
	r := NewRunner(fx.remote, p, RunOptions{JobOptions: opt})
	done := make(chan error, 1)
	go func() { done <- r.Run(context.Background()) }()
	paused := log.await(t, "a pause for a new ticket, nothing in flight", func(p Progress) bool { return p.State == StateNeedsTicket && p.InFlight == 0 })
	var exc *soap.ExceptionInfo
	require.ErrorAs(t, paused.Err, &exc)
	// The first call after the TTL finds the ticket expired (and the
	// server forgets it); calls in flight beside it find it unknown.
	assert.Contains(t, []string{netserver.TypeExpiredTicket, netserver.TypeInvalidTicket}, exc.ExceptionType)
	assert.Less(t, paused.Done, 30)

	ticket, err := fx.srv.NetServer.Ticket(netserver.DemoUser, netPassword)
	require.NoError(t, err)
	fx.remote.SetTicket(ticket)
	r.Resume()
	require.NoError(t, <-done)
	assert.Equal(t, 30, r.Counts()[OutcomeCreated])
	assert.Len(t, fx.saved, 30, "nothing lost")
	for pv, n := range fx.saved {
		assert.Equal(t, 1, n, "%s saved %d times", pv, n)
	}
	assert.Len(t, fx.srv.NetServer.Credentials(3, "imap"), 10)
}

// TestTicketExceptionTypes keeps TicketError in step with the local
// NetServer's names for a refused ticket.
func TestTicketExceptionTypes(t *testing.T) {
	for _, typ := range []string{netserver.TypeNoTicket, netserver.TypeInvalidTicket, netserver.TypeExpiredTicket} {
		assert.True(t, TicketError(&soap.ExceptionInfo{ExceptionType: typ}), typ)
	}
	for _, typ := range []string{netserver.TypeAccessDenied, netserver.TypeUnknownAssociate, netserver.TypeApplicationToken} {
		assert.False(t, TicketError(&soap.ExceptionInfo{ExceptionType: typ}), typ)
	}
	assert.True(t, Transient(&soap.ExceptionInfo{ExceptionType: netserver.TypeServiceUnavailable}))
	assert.True(t, TicketError(fmt.Errorf("wrapped: %w", &soap.ExceptionInfo{InnerException: &soap.ExceptionInfo{ExceptionType: netserver.TypeExpiredTicket}})))
}
