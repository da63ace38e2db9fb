package batch

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Job errors.
var (
	// ErrCanceled is returned by a Run that Cancel (or its context) ended
	// before every call was made.
	ErrCanceled = errors.New("batch: cancelled")
	// ErrBusy is a Run or Retry started while the job is running.
	ErrBusy = errors.New("batch: already running")
)

// errNotSent is what a task cancelled before its call is finished with.
var errNotSent = errors.New("batch: not sent")

// The Job defaults. MaxConcurrency is 16: over HTTP/2 all 16 calls share
// one connection, and 16 at once moves a browser's ceiling past 8's
// (TestBenchApplyHTTP2 at 20 ms per call: socred 258 -> 295 saves a
// second, plain fetch 235 -> 353, CPU-bound on a shared 2-core machine;
// natively BenchmarkApply doubles); over HTTP/1.1 Chromium keeps 6
// connections per host and queues the rest, so 16 sends as fast as 8.
const (
	DefaultConcurrency = 4
	MaxConcurrency     = 16
	DefaultCallTimeout = 60 * time.Second
)

// DefaultRetries are the waits before each repeat of a call that failed
// transiently: three repeats, backing off.
var DefaultRetries = []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}

// State is where a Job is.
type State string

// The states.
const (
	StateIdle        State = "idle"         // not started
	StateRunning     State = "running"      // calls are being made
	StatePaused      State = "paused"       // Pause: the calls in flight finish, no new one starts
	StateNeedsTicket State = "needs-ticket" // a call was refused for its ticket: paused until Resume
	StateCancelled   State = "cancelled"    // Cancel: the calls in flight finish, the rest are not sent
	StateDone        State = "done"         // every call was made
)

// Progress is a snapshot of a Job.
type Progress struct {
	State    State
	Total    int // the rows (or lookups) of this run
	Done     int // answered with success
	Failed   int // failed, retries spent
	Skipped  int // nothing to send for them
	NotSent  int // left unsent by Cancel
	InFlight int // calls out now (or waiting to be repeated)
	Retries  int // calls repeated after a transient failure
	// Elapsed is the running time so far, pauses left out.
	Elapsed time.Duration
	// Rate is the calls finished per second of running time.
	Rate float64
	// RateLimit is JobOptions.CallsPerSecond; 0 is no limit.
	RateLimit float64
	// ETA is the time the rest should take at Rate; 0 while unknown.
	ETA time.Duration
	// Err, in StateNeedsTicket, is the server's refusal of the ticket.
	Err error
}

// Remaining is how many rows are still to be done.
func (p Progress) Remaining() int { return p.Total - p.Done - p.Failed - p.Skipped - p.NotSent }

// JobOptions are how a Job makes its calls. The zero value is the
// defaults.
type JobOptions struct {
	// Concurrency is how many calls are out at once: DefaultConcurrency if
	// 0, at most MaxConcurrency.
	Concurrency int
	// CallsPerSecond, if above 0, spaces the starts of calls (repeats
	// included) at least 1/CallsPerSecond apart, so that no second holds
	// more than that many starts; 0 is no limit. On-site servers need none;
	// SuperOffice asks custom applications on Online for at most 10.
	CallsPerSecond float64
	// CallTimeout bounds each call (DefaultCallTimeout if 0); a call that
	// runs out of it is a transient failure.
	CallTimeout time.Duration
	// Retries are the waits before each repeat of a transient failure (see
	// Transient); DefaultRetries if nil, none if empty.
	Retries []time.Duration
	// IsTicketError tells a refused ticket (TicketError if nil); IsTransient
	// a failure worth repeating (Transient if nil).
	IsTicketError func(error) bool
	IsTransient   func(error) bool
	// Sleep waits d, or less when ctx ends first (then it returns ctx's
	// error); a timer if nil. Tests pass their own.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock for Elapsed, Rate and ETA; time.Now if nil.
	Now func() time.Time
	// OnProgress, if set, is called after every change, from one goroutine
	// at a time, with the latest snapshot. It may call Pause, Resume,
	// Cancel and Progress, and should return quickly.
	OnProgress func(Progress)
	// Yield, if set, is called every few thousand rows of work done
	// without calls (comparing, building steps).
	Yield func()
}

func (o JobOptions) normalised() JobOptions {
	switch {
	case o.Concurrency <= 0:
		o.Concurrency = DefaultConcurrency
	case o.Concurrency > MaxConcurrency:
		o.Concurrency = MaxConcurrency
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = DefaultCallTimeout
	}
	if o.CallsPerSecond < 0 || o.CallsPerSecond != o.CallsPerSecond { // NaN too
		o.CallsPerSecond = 0
	}
	if o.Retries == nil {
		o.Retries = DefaultRetries
	}
	if o.IsTicketError == nil {
		o.IsTicketError = TicketError
	}
	if o.IsTransient == nil {
		o.IsTransient = Transient
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Job is the calls of a Planner, a Runner or an Auditor: made with
// bounded concurrency, repeated after transient failures, paused and
// resumed, cancelled, and watched through Progress. Its methods are safe
// for concurrent use; Pause, Resume and Cancel do nothing when no run is in
// progress.
type Job struct {
	opt JobOptions

	mu       sync.Mutex
	running  bool // execute is in progress
	gen      int  // how many times Resume resumed
	state    State
	wake     chan struct{} // the dispatcher waits on it
	runCtx   context.Context
	stretch  context.Context // ends when the running stretch does (Pause, Cancel)
	stop     context.CancelFunc
	queue    []int // the tasks to start, in ascending order
	attempts map[int]int
	inflight int
	prog     Progress
	finished int           // calls finished in this run, for the rate
	active   time.Duration // working time before since
	since    time.Time     // when the job last started working
	working  bool
	next     time.Time // the earliest start CallsPerSecond allows

	cbMu sync.Mutex // serialises OnProgress
}

func (j *Job) init(opt JobOptions) {
	j.opt = opt.normalised()
	j.state = StateIdle
	j.wake = make(chan struct{}, 1)
}

// Pause stops new calls; those in flight finish. A repeat waiting for its
// turn is put back to be made on Resume.
func (j *Job) Pause() {
	j.mu.Lock()
	if j.state == StateRunning {
		j.state = StatePaused
		j.endStretch()
	}
	j.tick()
	j.mu.Unlock()
	j.signal()
}

// Resume continues a paused job, or one that paused for a ticket (give the
// Client the new ticket first): the calls refused for the ticket are made
// again first, in row order.
func (j *Job) Resume() {
	j.mu.Lock()
	if j.state == StatePaused || j.state == StateNeedsTicket {
		j.state = StateRunning
		j.prog.Err = nil
		j.gen++
		j.beginStretch()
	}
	j.tick()
	j.mu.Unlock()
	j.signal()
}

// Cancel ends the run: the calls in flight finish, no new one starts, and
// the rest are not sent.
func (j *Job) Cancel() {
	j.mu.Lock()
	switch j.state {
	case StateRunning:
		j.endStretch()
		fallthrough
	case StatePaused, StateNeedsTicket:
		j.state = StateCancelled
	}
	j.tick()
	j.mu.Unlock()
	j.signal()
}

// Progress returns a snapshot.
func (j *Job) Progress() Progress {
	j.mu.Lock()
	defer j.mu.Unlock()
	p := j.prog
	p.State = j.state
	p.InFlight = j.inflight
	p.RateLimit = j.opt.CallsPerSecond
	p.Elapsed = j.active
	if j.working {
		p.Elapsed += j.opt.Now().Sub(j.since)
	}
	if s := p.Elapsed.Seconds(); s > 0 && j.finished > 0 {
		p.Rate = float64(j.finished) / s
		if left := len(j.queue) + j.inflight; left > 0 {
			p.ETA = time.Duration(float64(left) / p.Rate * float64(time.Second))
		}
	}
	return p
}

func (j *Job) signal() {
	select {
	case j.wake <- struct{}{}:
	default:
	}
}

func (j *Job) notify() {
	if j.opt.OnProgress == nil {
		return
	}
	j.cbMu.Lock()
	defer j.cbMu.Unlock()
	j.opt.OnProgress(j.Progress())
}

// beginStretch and endStretch bracket a running stretch: backoff waits
// end with it. The caller holds mu.
func (j *Job) beginStretch() {
	j.stretch, j.stop = context.WithCancel(j.runCtx)
}

func (j *Job) endStretch() { j.stop() }

// tick keeps the running time: the job counts as working while it runs or
// has calls in flight. The caller holds mu and calls it after every change
// of either.
func (j *Job) tick() {
	working := j.state == StateRunning || j.inflight > 0
	if working == j.working {
		return
	}
	now := j.opt.Now()
	if working {
		j.since = now
	} else {
		j.active += now.Sub(j.since)
	}
	j.working = working
}

// run is one run of a job's calls.
type run struct {
	total, skipped int
	tasks          []int // ascending
	// do makes task i's call.
	do func(ctx context.Context, i int) error
	// finish records task i's end, with mu held: err is nil on success,
	// errNotSent when it was cancelled unsent, else the failure. It returns
	// the tasks that now follow (larger numbers than any so far) and how
	// many planned tasks no longer need a call.
	finish func(i int, err error) (more []int, skipped int)
}

// execute makes r's calls and returns when every task is finished: nil,
// ErrCanceled after Cancel, or ctx's error.
func (j *Job) execute(ctx context.Context, r run) error {
	j.mu.Lock()
	if j.running {
		j.mu.Unlock()
		return ErrBusy
	}
	j.running = true
	j.state = StateRunning
	j.runCtx = ctx
	j.queue = slices.Clone(r.tasks)
	j.attempts = map[int]int{}
	j.prog = Progress{Total: r.total, Skipped: r.skipped}
	j.finished, j.active, j.working = 0, 0, false
	j.beginStretch()
	j.tick()
	j.mu.Unlock()
	defer func() {
		j.mu.Lock()
		j.stop()
		j.running = false
		j.mu.Unlock()
	}()
	j.notify()

	for {
		j.mu.Lock()
		if ctx.Err() != nil && j.state != StateCancelled && j.state != StateDone {
			if j.state == StateRunning {
				j.endStretch()
			}
			j.state = StateCancelled
		}
		if j.state == StateCancelled && len(j.queue) > 0 {
			for _, i := range j.queue {
				r.finish(i, errNotSent)
				j.prog.NotSent++
			}
			j.queue = nil
		}
		for j.state == StateRunning && len(j.queue) > 0 && j.inflight < j.opt.Concurrency {
			i := j.queue[0]
			j.queue = j.queue[1:]
			j.inflight++
			go j.work(i, r, j.gen)
		}
		if len(j.queue) == 0 && j.inflight == 0 {
			cancelled := j.state == StateCancelled
			if !cancelled {
				if j.state == StateRunning {
					j.endStretch()
				}
				j.state = StateDone
			}
			j.tick()
			j.mu.Unlock()
			j.notify()
			switch {
			case !cancelled:
				return nil
			case ctx.Err() != nil:
				return ctx.Err()
			}
			return ErrCanceled
		}
		done := ctx.Done()
		if j.state == StateCancelled {
			done = nil // only the calls in flight are awaited now
		}
		j.tick()
		j.mu.Unlock()
		j.notify()
		select {
		case <-j.wake:
		case <-done:
		}
	}
}

// work makes task i's call, repeating transient failures. gen is the
// Resume count when it was started.
func (j *Job) work(i int, r run, gen int) {
	for {
		if !j.pace() {
			// Pause or Cancel came while it waited for its turn.
			j.mu.Lock()
			cancelled := j.state == StateCancelled
			j.mu.Unlock()
			if cancelled {
				j.end(i, r, errNotSent)
			} else {
				j.putBack(i)
			}
			return
		}
		err := j.call(i, r)
		switch {
		case err == nil:
			j.end(i, r, nil)
			return
		case j.opt.IsTicketError(err):
			j.mu.Lock()
			j.inflight--
			switch {
			case j.state == StateCancelled:
				j.prog.NotSent++
				j.add(r.finish(i, errNotSent))
			case gen != j.gen:
				// Sent with the ticket from before the last Resume: the
				// new one has not been tried yet.
				j.requeue(i)
			default:
				if j.state == StateRunning {
					j.endStretch()
				}
				j.state = StateNeedsTicket
				if j.prog.Err == nil {
					j.prog.Err = err // the first refusal says most
				}
				j.requeue(i)
			}
			j.tick()
			j.mu.Unlock()
			j.signal()
			return
		case j.opt.IsTransient(err):
			j.mu.Lock()
			n, state, stretch := j.attempts[i], j.state, j.stretch
			j.mu.Unlock()
			switch {
			case n >= len(j.opt.Retries) || state == StateCancelled:
				j.end(i, r, err)
				return
			case state != StateRunning:
				j.putBack(i)
				return
			}
			if j.opt.Sleep(stretch, j.opt.Retries[n]) != nil {
				// Pause or Cancel cut the wait short.
				j.stopped(i, r, err)
				return
			}
			j.mu.Lock()
			if j.state != StateRunning {
				// Paused or cancelled just as the wait ended.
				j.mu.Unlock()
				j.stopped(i, r, err)
				return
			}
			j.attempts[i] = n + 1
			j.prog.Retries++
			j.mu.Unlock()
			j.notify()
		default:
			j.end(i, r, err)
			return
		}
	}
}

// pace waits for the call's turn under CallsPerSecond: each start takes
// the next free slot, 1/CallsPerSecond after the one before (or now, if
// that is past), so starts never come closer together than that. It
// reports false when Pause or Cancel ended the wait (the slot is lost).
func (j *Job) pace() bool {
	if j.opt.CallsPerSecond <= 0 {
		return true
	}
	interval := time.Duration(float64(time.Second) / j.opt.CallsPerSecond)
	j.mu.Lock()
	now := j.opt.Now()
	at := j.next
	if at.Before(now) {
		at = now
	}
	j.next = at.Add(interval)
	stretch := j.stretch
	running := j.state == StateRunning
	j.mu.Unlock()
	if !running {
		return false
	}
	if d := at.Sub(now); d > 0 && j.opt.Sleep(stretch, d) != nil {
		return false
	}
	return true
}

// call makes one call, bounded by CallTimeout; running out of it is a
// failure without an answer.
func (j *Job) call(i int, r run) error {
	ctx, cancel := context.WithTimeout(j.runCtx, j.opt.CallTimeout)
	defer cancel()
	err := r.do(ctx, i)
	if err != nil && ctx.Err() != nil && j.runCtx.Err() == nil && !errors.Is(err, ErrNetwork) {
		err = &timeoutError{after: j.opt.CallTimeout, err: err}
	}
	return err
}

// timeoutError is a call that ran out of CallTimeout.
type timeoutError struct {
	after time.Duration
	err   error
}

func (e *timeoutError) Error() string {
	return "batch: no answer from NetServer within " + e.after.String() + ": " + e.err.Error()
}

func (e *timeoutError) Unwrap() []error { return []error{ErrNetwork, e.err} }

// end finishes task i.
func (j *Job) end(i int, r run, err error) {
	j.mu.Lock()
	j.inflight--
	switch {
	case err == nil:
		j.finished++
		j.prog.Done++
	case errors.Is(err, errNotSent):
		j.prog.NotSent++
	default:
		j.finished++
		j.prog.Failed++
	}
	j.add(r.finish(i, err))
	j.tick()
	j.mu.Unlock()
	j.signal()
	j.notify()
}

// stopped ends a repeat that Pause or Cancel stopped: put back to be made
// on Resume, or failed with its last error when cancelled.
func (j *Job) stopped(i int, r run, err error) {
	j.mu.Lock()
	cancelled := j.state == StateCancelled
	j.mu.Unlock()
	if cancelled {
		j.end(i, r, err)
		return
	}
	j.putBack(i)
}

// putBack returns task i, not finished, to the queue.
func (j *Job) putBack(i int) {
	j.mu.Lock()
	j.inflight--
	j.requeue(i)
	j.tick()
	j.mu.Unlock()
	j.signal()
}

// requeue puts task i back in order. The caller holds mu.
func (j *Job) requeue(i int) {
	at, _ := slices.BinarySearch(j.queue, i)
	j.queue = slices.Insert(j.queue, at, i)
}

// add queues the tasks a finished one made possible. The caller holds mu.
func (j *Job) add(more []int, skipped int) {
	j.prog.Skipped += skipped
	if j.state == StateCancelled {
		j.prog.NotSent += len(more)
		return
	}
	for _, i := range more {
		j.requeue(i)
	}
}

// String is the progress in English, for logs and tests.
func (p Progress) String() string {
	return string(p.State) + ": " + strconv.Itoa(p.Done) + " done, " + strconv.Itoa(p.Failed) + " failed, " +
		strconv.Itoa(p.Skipped) + " skipped, " + strconv.Itoa(p.NotSent) + " not sent of " + strconv.Itoa(p.Total)
}
