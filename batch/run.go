package batch

import (
	"context"
	"errors"

	"socred/soap"
)

// Runner errors.
var (
	// ErrNotConfirmed is a plan with removals run without
	// RunOptions.ConfirmRemovals.
	ErrNotConfirmed = errors.New("batch: the plan removes stored records; the administrator must confirm the removals first")
	// ErrForgotten is a Retry after Forget: the secrets to send are gone.
	ErrForgotten = errors.New("batch: the run's rows were forgotten; read the file again")
)

// Outcome is what became of a row (or of a planned removal).
type Outcome string

// The outcomes, as the report writes them.
const (
	OutcomeCreated   Outcome = "created"
	OutcomeUpdated   Outcome = "updated"
	OutcomeUnchanged Outcome = "unchanged"
	OutcomeRemoved   Outcome = "removed"
	OutcomeFailed    Outcome = "failed"
	OutcomeNotSent   Outcome = "not sent" // refused by the plan, not reached yet, or cancelled
)

// Result is what became of one step. It never holds a secret.
type Result struct {
	Row         int // the spreadsheet row; 0 for a removal
	AssociateID int32
	UserName    string
	FullName    string
	Type        string
	PublicValue string
	Action      Action
	Outcome     Outcome
	// Message says why a row failed or was not sent: the server's words,
	// the plan's refusal, or "cancelled".
	Message string
	// Err is a failed row's error, for callers that describe errors
	// themselves (the page, by kind).
	Err error
}

// RunOptions are how a Runner applies a plan.
type RunOptions struct {
	JobOptions
	// ConfirmRemovals says the administrator confirmed the plan's
	// removals; without it, Run refuses a plan that has any.
	ConfirmRemovals bool
}

// Runner applies a Plan through a Client: creates and updates are saves
// (upserts, so sending a row twice is harmless), removals are removes. Its
// Job makes the calls: bounded concurrency, Pause, Resume, Cancel, a pause
// for a new ticket, repeats of transient failures, progress.
type Runner struct {
	Job
	client    Client
	plan      *Plan
	opt       RunOptions
	results   []Result // guarded by Job.mu while running
	forgotten bool
}

// NewRunner returns a Runner of plan through c.
func NewRunner(c Client, plan *Plan, opt RunOptions) *Runner {
	r := &Runner{client: c, plan: plan, opt: opt, results: make([]Result, len(plan.Steps))}
	r.init(opt.JobOptions)
	for i, s := range plan.Steps {
		res := Result{Row: s.Row, AssociateID: s.AssociateID, UserName: s.UserName, FullName: s.FullName,
			Type: s.Type, PublicValue: s.PublicValue, Action: s.Action, Outcome: OutcomeNotSent}
		switch s.Action {
		case ActionUnchanged:
			res.Outcome = OutcomeUnchanged
		case ActionRefused:
			res.Message = s.Message
		}
		r.results[i] = res
	}
	return r
}

// Run applies the plan. It returns when every call is made (nil), or
// after Cancel once the calls in flight are answered (ErrCanceled), or
// when ctx ends (its error). Unchanged and refused rows are skipped.
func (r *Runner) Run(ctx context.Context) error {
	if r.plan.Count(ActionRemove) > 0 && !r.opt.ConfirmRemovals {
		return ErrNotConfirmed
	}
	var tasks []int
	for i, s := range r.plan.Steps {
		if s.sends() {
			tasks = append(tasks, i)
		}
	}
	return r.apply(ctx, tasks, len(r.plan.Steps)-len(tasks))
}

// Retry sends again the rows that failed, and only those.
func (r *Runner) Retry(ctx context.Context) error {
	r.mu.Lock()
	if r.forgotten {
		r.mu.Unlock()
		return ErrForgotten
	}
	if r.running {
		r.mu.Unlock()
		return ErrBusy
	}
	var tasks []int
	for i := range r.results {
		if r.results[i].Outcome == OutcomeFailed {
			tasks = append(tasks, i)
		}
	}
	r.mu.Unlock()
	return r.apply(ctx, tasks, 0)
}

func (r *Runner) apply(ctx context.Context, tasks []int, skipped int) error {
	r.mu.Lock()
	if r.forgotten {
		r.mu.Unlock()
		return ErrForgotten
	}
	if !r.running {
		for _, i := range tasks {
			res := &r.results[i]
			res.Outcome, res.Message, res.Err = OutcomeNotSent, "", nil
		}
	}
	r.mu.Unlock()
	return r.execute(ctx, run{
		total: len(tasks) + skipped, skipped: skipped, tasks: tasks,
		do: func(ctx context.Context, i int) error {
			s := r.plan.Steps[i]
			r.mu.Lock()
			if r.forgotten {
				// Forget raced the dispatch: never save a wiped secret.
				r.mu.Unlock()
				return errNotSent
			}
			var c soap.UntrustedCredentials
			if s.Action != ActionRemove {
				c = s.credentials()
			}
			r.mu.Unlock()
			if s.Action == ActionRemove {
				return r.client.Remove(ctx, s.AssociateID, s.Type, s.PublicValue)
			}
			return r.client.Save(ctx, s.AssociateID, s.Type, c)
		},
		finish: func(i int, err error) ([]int, int) {
			s, res := r.plan.Steps[i], &r.results[i]
			switch {
			case err == nil:
				res.Outcome = map[Action]Outcome{ActionCreate: OutcomeCreated, ActionUpdate: OutcomeUpdated, ActionRemove: OutcomeRemoved}[s.Action]
				// Sent: the run no longer needs the row's secret.
				s.secret = ""
				if s.entry != nil {
					s.entry.Credentials.SecretValue = ""
				}
			case errors.Is(err, errNotSent):
				res.Outcome, res.Message = OutcomeNotSent, "cancelled before it was sent"
			default:
				res.Outcome, res.Message, res.Err = OutcomeFailed, messageOf(err), err
				if keyClash(err) {
					res.Message = "another associate already has a record of Type " + s.Type + " with public value " + s.PublicValue +
						": a Type and public value belong to one associate only (NetServer: " + res.Message + ")"
				}
			}
			return nil, 0
		},
	})
}

// keyClash reports whether err is NetServer refusing a Save because the
// Type and PublicValue are stored for another associate (the database's
// unique index on them; see soap.ExceptionInfo.DuplicateKey).
func keyClash(err error) bool {
	var exc *soap.ExceptionInfo
	if !errors.As(err, &exc) {
		return false
	}
	_, ok := exc.DuplicateKey()
	return ok
}

// Results returns what became of each step so far, in the plan's order.
// A row not sent yet is OutcomeNotSent with no message.
func (r *Runner) Results() []Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Result(nil), r.results...)
}

// Counts is the number of results of each outcome.
func (r *Runner) Counts() map[Outcome]int {
	m := map[Outcome]int{OutcomeCreated: 0, OutcomeUpdated: 0, OutcomeUnchanged: 0, OutcomeRemoved: 0, OutcomeFailed: 0, OutcomeNotSent: 0}
	for _, res := range r.Results() {
		m[res.Outcome]++
	}
	return m
}

// Forget drops every secret the run holds (the file's rows, the checked
// rows' secrets, the stored ones an update keeps; see Plan.Forget); the
// results stay. Retry is then refused. Call it when the run ends for good
// or the file is cleared; a running job is cancelled first. Rows sent
// successfully have had their secrets dropped already.
func (r *Runner) Forget() {
	r.Cancel()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.forgotten = true
	r.plan.Forget()
}
