package batch

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/soap"
)

// tasks is 0, 1, …, n-1.
func tasks(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// newTestJob is a Job with the fake sleep and a progress log.
func newTestJob(opt JobOptions) (*Job, *fakeSleep, *progressLog) {
	s, l := &fakeSleep{}, newProgressLog()
	opt.Sleep, opt.OnProgress = s.sleep, l.add
	j := &Job{}
	j.init(opt)
	return j, s, l
}

// outcomes collects finish's verdicts.
type outcomes struct {
	mu   sync.Mutex
	errs map[int]error
	n    map[int]int
}

func newOutcomes() *outcomes { return &outcomes{errs: map[int]error{}, n: map[int]int{}} }

func (o *outcomes) finish(i int, err error) ([]int, int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.errs[i] = err
	o.n[i]++
	return nil, 0
}

var unavailable = &soap.HTTPError{Status: 503, Err: soap.ErrNotSOAP}

func TestJobConcurrency(t *testing.T) {
	for name, tc := range map[string]struct{ asked, want int }{
		"the default":                  {0, DefaultConcurrency},
		"one at a time":                {1, 1},
		"three":                        {3, 3},
		"sixteen, the most":            {16, 16},
		"more than the most is capped": {20, MaxConcurrency},
	} {
		t.Run(name, func(t *testing.T) {
			j, _, _ := newTestJob(JobOptions{Concurrency: tc.asked})
			var inflight, peak atomic.Int32
			entered := make(chan struct{}, 40)
			gate := make(chan struct{})
			o := newOutcomes()
			done := make(chan error, 1)
			go func() {
				done <- j.execute(context.Background(), run{total: 40, tasks: tasks(40), finish: o.finish,
					do: func(ctx context.Context, i int) error {
						n := inflight.Add(1)
						for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
						}
						entered <- struct{}{}
						<-gate
						inflight.Add(-1)
						return nil
					}})
			}()
			// The limit's worth of calls come in before any is answered;
			// then each answer lets one more in.
			for range tc.want {
				<-entered
			}
			for range 40 {
				gate <- struct{}{}
			}
			require.NoError(t, <-done)
			assert.Equal(t, int32(tc.want), peak.Load(), "calls in flight at once")
			for i := range 40 {
				assert.Equal(t, 1, o.n[i], "task %d finished %d times", i, o.n[i])
				assert.NoError(t, o.errs[i])
			}
			p := j.Progress()
			assert.Equal(t, StateDone, p.State)
			assert.Equal(t, 40, p.Done)
			assert.Zero(t, p.Remaining())
		})
	}
}

func TestJobRetries(t *testing.T) {
	failing := func(n int, err error) func(context.Context, int) error {
		var calls atomic.Int32
		return func(context.Context, int) error {
			if int(calls.Add(1)) <= n {
				return err
			}
			return nil
		}
	}
	t.Run("a transient failure is repeated after the backoff waits", func(t *testing.T) {
		j, s, _ := newTestJob(JobOptions{})
		o := newOutcomes()
		require.NoError(t, j.execute(context.Background(), run{total: 1, tasks: []int{0}, finish: o.finish, do: failing(2, unavailable)}))
		assert.NoError(t, o.errs[0])
		assert.Equal(t, DefaultRetries[:2], s.recorded())
		assert.Equal(t, 2, j.Progress().Retries)
	})
	t.Run("after three repeats the call fails with its last error", func(t *testing.T) {
		j, s, _ := newTestJob(JobOptions{})
		o := newOutcomes()
		require.NoError(t, j.execute(context.Background(), run{total: 1, tasks: []int{0}, finish: o.finish, do: failing(10, unavailable)}))
		assert.ErrorIs(t, o.errs[0], soap.ErrNotSOAP)
		assert.Equal(t, DefaultRetries, s.recorded())
		assert.Equal(t, 1, j.Progress().Failed)
	})
	t.Run("a business error fails at once", func(t *testing.T) {
		j, s, _ := newTestJob(JobOptions{})
		o := newOutcomes()
		denied := &soap.ExceptionInfo{Message: "Access denied", ExceptionType: "SuperOffice.CRM.Security.SoAccessDeniedException"}
		require.NoError(t, j.execute(context.Background(), run{total: 1, tasks: []int{0}, finish: o.finish, do: failing(1, denied)}))
		assert.ErrorIs(t, o.errs[0], denied)
		assert.Empty(t, s.recorded())
	})
	t.Run("a call that runs out of time is a network failure, repeated", func(t *testing.T) {
		j, s, _ := newTestJob(JobOptions{CallTimeout: 5 * time.Millisecond, Retries: []time.Duration{time.Second}})
		o := newOutcomes()
		require.NoError(t, j.execute(context.Background(), run{total: 1, tasks: []int{0}, finish: o.finish,
			do: func(ctx context.Context, _ int) error { <-ctx.Done(); return ctx.Err() }}))
		assert.ErrorIs(t, o.errs[0], ErrNetwork)
		assert.ErrorIs(t, o.errs[0], context.DeadlineExceeded)
		assert.Equal(t, []time.Duration{time.Second}, s.recorded())
	})
}

func TestJobPauseResume(t *testing.T) {
	j, _, l := newTestJob(JobOptions{Concurrency: 2})
	var started atomic.Int32
	gate := make(chan struct{})
	o := newOutcomes()
	done := make(chan error, 1)
	go func() {
		done <- j.execute(context.Background(), run{total: 10, tasks: tasks(10), finish: o.finish,
			do: func(context.Context, int) error { started.Add(1); <-gate; return nil }})
	}()
	l.await(t, "two calls in flight", func(p Progress) bool { return p.InFlight == 2 })
	j.Pause()
	gate <- struct{}{}
	gate <- struct{}{}
	p := l.await(t, "paused with nothing in flight", func(p Progress) bool { return p.State == StatePaused && p.InFlight == 0 })
	assert.Equal(t, 2, p.Done)
	assert.Equal(t, int32(2), started.Load(), "calls started while paused")

	j.Resume()
	for range 8 {
		gate <- struct{}{}
	}
	require.NoError(t, <-done)
	assert.Equal(t, 10, j.Progress().Done)
}

func TestJobCancel(t *testing.T) {
	j, _, l := newTestJob(JobOptions{Concurrency: 2})
	gate := make(chan struct{})
	o := newOutcomes()
	done := make(chan error, 1)
	go func() {
		done <- j.execute(context.Background(), run{total: 10, tasks: tasks(10), finish: o.finish,
			do: func(context.Context, int) error { <-gate; return nil }})
	}()
	l.await(t, "two calls in flight", func(p Progress) bool { return p.InFlight == 2 })
	j.Cancel()
	gate <- struct{}{}
	gate <- struct{}{}
	require.ErrorIs(t, <-done, ErrCanceled)
	p := j.Progress()
	assert.Equal(t, StateCancelled, p.State)
	assert.Equal(t, 2, p.Done, "the calls in flight finish")
	assert.Equal(t, 8, p.NotSent)
	for i := 2; i < 10; i++ {
		assert.ErrorIs(t, o.errs[i], errNotSent, "task %d", i)
	}
}

func TestJobContextEnds(t *testing.T) {
	j, _, l := newTestJob(JobOptions{Concurrency: 1})
	ctx, cancel := context.WithCancel(context.Background())
	o := newOutcomes()
	done := make(chan error, 1)
	go func() {
		done <- j.execute(ctx, run{total: 5, tasks: tasks(5), finish: o.finish,
			do: func(ctx context.Context, _ int) error { <-ctx.Done(); return ctx.Err() }})
	}()
	l.await(t, "a call in flight", func(p Progress) bool { return p.InFlight == 1 })
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	assert.Equal(t, 4, j.Progress().NotSent)
}

func TestJobPauseDuringBackoff(t *testing.T) {
	j, s, l := newTestJob(JobOptions{Concurrency: 1})
	s.hold, s.waiting = make(chan struct{}), make(chan time.Duration, 1)
	var calls atomic.Int32
	o := newOutcomes()
	done := make(chan error, 1)
	go func() {
		done <- j.execute(context.Background(), run{total: 1, tasks: []int{0}, finish: o.finish,
			do: func(context.Context, int) error {
				if calls.Add(1) == 1 {
					return unavailable
				}
				return nil
			}})
	}()
	<-s.waiting
	j.Pause()
	l.await(t, "paused, the repeat put back", func(p Progress) bool { return p.State == StatePaused && p.InFlight == 0 })
	assert.Equal(t, int32(1), calls.Load(), "no repeat while paused")
	s.mu.Lock()
	s.hold = nil // the next wait returns at once
	s.mu.Unlock()
	j.Resume()
	require.NoError(t, <-done)
	assert.NoError(t, o.errs[0])
	assert.Equal(t, int32(2), calls.Load())
}

func TestJobProgressTimes(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	j, _, l := newTestJob(JobOptions{Concurrency: 1, Now: clock})
	gate := make(chan struct{})
	o := newOutcomes()
	done := make(chan error, 1)
	go func() {
		done <- j.execute(context.Background(), run{total: 10, tasks: tasks(10), finish: o.finish,
			do: func(context.Context, int) error { <-gate; advance(100 * time.Millisecond); return nil }})
	}()
	for range 5 {
		gate <- struct{}{}
	}
	l.await(t, "five done, the sixth in flight", func(p Progress) bool { return p.Done == 5 && p.InFlight == 1 })
	j.Pause()
	gate <- struct{}{}
	l.await(t, "paused", func(p Progress) bool { return p.State == StatePaused && p.InFlight == 0 })
	advance(time.Hour) // a pause is not running time
	p := j.Progress()
	assert.Equal(t, 600*time.Millisecond, p.Elapsed, "six calls of 100 ms")
	j.Resume()
	for range 4 {
		gate <- struct{}{}
	}
	require.NoError(t, <-done)
	p = j.Progress()
	assert.Equal(t, time.Second, p.Elapsed)
	assert.InDelta(t, 10.0, p.Rate, 1e-9, "calls per second")
	assert.Zero(t, p.ETA, "nothing left")

	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.all {
		if s.State == StateRunning && s.Done == 5 && s.InFlight == 1 {
			assert.Equal(t, 500*time.Millisecond, s.Elapsed)
			assert.Equal(t, 500*time.Millisecond, s.ETA, "five calls left at 10 per second")
			return
		}
	}
	t.Error("no snapshot at five done with the sixth in flight")
}

func TestJobBusy(t *testing.T) {
	j, _, l := newTestJob(JobOptions{})
	gate := make(chan struct{})
	o := newOutcomes()
	done := make(chan error, 1)
	go func() {
		done <- j.execute(context.Background(), run{total: 1, tasks: []int{0}, finish: o.finish,
			do: func(context.Context, int) error { <-gate; return nil }})
	}()
	l.await(t, "a call in flight", func(p Progress) bool { return p.InFlight == 1 })
	err := j.execute(context.Background(), run{total: 1, tasks: []int{0}, finish: o.finish, do: func(context.Context, int) error { return nil }})
	assert.ErrorIs(t, err, ErrBusy)
	close(gate)
	require.NoError(t, <-done)
	assert.False(t, errors.Is(j.execute(context.Background(), run{finish: o.finish}), ErrBusy), "a finished job runs again")
}

// rateClock is a clock that only sleeping moves: Sleep(d) brings it to
// the sleeper's now+d (never back).
type rateClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *rateClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *rateClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	if to := c.t.Add(d); to.After(c.t) {
		c.t = to
	}
	c.mu.Unlock()
	return ctx.Err()
}

// maxPerSecond is the most starts any one-second window [s, s+1 s) holds,
// s being each start.
func maxPerSecond(starts []time.Time) int {
	most := 0
	for _, s := range starts {
		n := 0
		for _, x := range starts {
			if !x.Before(s) && x.Before(s.Add(time.Second)) {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// TestCallsPerSecond: a run of 50 saves at 10 calls a second starts no
// more than 10 in any second of the injected clock, and takes about 5 s of
// it; the plan's reads and the audit's are paced too; no limit is no wait.
func TestCallsPerSecond(t *testing.T) {
	var b strings.Builder
	b.WriteString("AssociateId,Type,PublicValue,SecretValue,ValidFrom,ValidTo\n")
	for i := range 50 {
		b.WriteString("3,imap,row-" + strconv.Itoa(i) + "@example.com,s,2025-01-01,2026-01-01\n")
	}
	for _, tc := range []struct {
		name    string
		rate    float64
		most    int
		minSpan time.Duration
	}{{"10 a second", 10, 10, 4900 * time.Millisecond}, {"no limit", 0, 50, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &rateClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			f := newFake()
			var mu sync.Mutex
			var starts []time.Time
			f.hook = func(_ context.Context, call string) error {
				if strings.HasPrefix(call, "save ") {
					mu.Lock()
					starts = append(starts, clk.now())
					mu.Unlock()
				}
				return nil
			}
			opt := JobOptions{Concurrency: 1, CallsPerSecond: tc.rate, Now: clk.now, Sleep: clk.sleep}
			p := plan(t, f, entriesOf(t, b.String()), PlanOptions{JobOptions: opt})
			require.Equal(t, 50, p.Count(ActionCreate))
			r := NewRunner(f, p, RunOptions{JobOptions: opt})
			require.NoError(t, r.Run(context.Background()))
			require.Len(t, starts, 50)
			assert.LessOrEqual(t, maxPerSecond(starts), tc.most, "starts: %v", starts)
			span := starts[49].Sub(starts[0])
			assert.GreaterOrEqual(t, span, tc.minSpan)
			assert.Less(t, span, tc.minSpan+time.Second)
			pr := r.Progress()
			assert.Equal(t, tc.rate, pr.RateLimit)
			if tc.rate > 0 {
				assert.InDelta(t, 10, pr.Rate, 0.5, "the progress's rate")
			}
		})
	}

	t.Run("the plan's reads and the audit", func(t *testing.T) {
		clk := &rateClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		f := newFake()
		var mu sync.Mutex
		var starts []time.Time
		f.hook = func(context.Context, string) error {
			mu.Lock()
			starts = append(starts, clk.now())
			mu.Unlock()
			return nil
		}
		opt := JobOptions{Concurrency: 1, CallsPerSecond: 2, Now: clk.now, Sleep: clk.sleep}
		file := "AssociateId,Type,PublicValue,SecretValue,ValidFrom,ValidTo\n3,imap,a,s,2025-01-01,2026-01-01\n4,smtp,b,s,2025-01-01,2026-01-01\n"
		plan(t, f, entriesOf(t, file), PlanOptions{JobOptions: opt}) // 2 lookups, 2 reads
		require.Len(t, starts, 4)
		assert.Equal(t, 1500*time.Millisecond, starts[3].Sub(starts[0]))
		refs, err := ParseAssociates("1, 3, 4")
		require.NoError(t, err)
		starts = nil
		au := NewAuditor(f, refs, []string{"imap"}, AuditOptions{JobOptions: opt})
		_, err = au.Run(context.Background())
		require.NoError(t, err)
		require.Len(t, starts, 6) // 3 lookups, 3 reads
		assert.LessOrEqual(t, maxPerSecond(starts), 2, "starts: %v", starts)
	})
}
