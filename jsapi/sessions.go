//go:build !(js && wasm) || socred_batch

package jsapi

import (
	"strconv"
	"sync"

	"socred/batch"
)

// Sessions are socred.batch's open files and audits, by id. A file opened
// with open() is a session that holds the file's rows (secrets included)
// until close() or a new file: check, plan, apply, pause, resume, cancel,
// retry and the report work on it. audit() makes one too, with the same
// job controls. Nothing in a session is ever handed back to JavaScript
// with a secret in it. The zero value is empty and ready.
type Sessions struct {
	mu   sync.Mutex
	next int
	all  map[string]*Session
}

// Session is one file (or one audit) and what was done with it.
type Session struct {
	ID      string
	Checked *batch.Checked
	Cache   *batch.Cache
	Remote  *batch.Remote
	Plan    *batch.Plan
	Job     *batch.Job // the job running or last run: the planner's, the runner's or the auditor's
	Runner  *batch.Runner
	Audit   *batch.Audit
}

// Add keeps sess under a new id ("batch-1", "batch-2", …), which it
// returns and sets as sess.ID.
func (s *Sessions) Add(sess *Session) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.all == nil {
		s.all = map[string]*Session{}
	}
	s.next++
	sess.ID = "batch-" + strconv.Itoa(s.next)
	s.all[sess.ID] = sess
	return sess.ID
}

// Get returns the session id, an *ArgumentError when there is none.
func (s *Sessions) Get(id string) (*Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.all[id]
	if sess == nil {
		return nil, &ArgumentError{Method: "batch", Reason: "no open batch " + strconv.Quote(id) + " (closed, or never opened)"}
	}
	return sess, nil
}

// Close forgets a session and every secret it holds, stopping its job;
// false when there was none.
func (s *Sessions) Close(id string) bool {
	s.mu.Lock()
	sess := s.all[id]
	delete(s.all, id)
	s.mu.Unlock()
	if sess == nil {
		return false
	}
	if sess.Runner != nil {
		sess.Runner.Forget()
	} else if sess.Job != nil {
		sess.Job.Cancel()
	}
	if sess.Plan != nil {
		sess.Plan.Forget()
	}
	if sess.Checked != nil {
		sess.Checked.Forget()
	}
	return true
}

// DefaultPageLimit is a page's length when the page does not say.
const DefaultPageLimit = 200

// maxPageLimit bounds a page's length.
const maxPageLimit = 10000

// Page is the part of a list the page asks for: {offset, limit, <set>:
// [names]}, names picking the actions (or outcomes) shown; none, all.
type Page struct {
	Offset, Limit int
	Names         map[string]bool
}

// bounds is the page's first index and its end, within n items.
func (p Page) bounds() (from, to int) {
	offset, limit := max(p.Offset, 0), min(max(p.Limit, 1), maxPageLimit)
	return offset, offset + limit
}

// picks reports whether the page shows an item named name.
func (p Page) picks(name string) bool { return len(p.Names) == 0 || p.Names[name] }

// Steps is a page of the plan: {total, steps: [StepValue]}.
func (s *Session) Steps(p Page) map[string]any {
	if s.Plan == nil {
		return map[string]any{"total": 0, "steps": []any{}}
	}
	var picked []*batch.Step
	for _, st := range s.Plan.Steps {
		if p.picks(string(st.Action)) {
			picked = append(picked, st)
		}
	}
	out := []any{}
	from, to := p.bounds()
	for i := from; i < len(picked) && i < to; i++ {
		out = append(out, StepValue(picked[i]))
	}
	return map[string]any{"total": len(picked), "steps": out}
}

// Results is a page of the run's results: {total, counts, results:
// [ResultValue]}.
func (s *Session) Results(p Page) map[string]any {
	if s.Runner == nil {
		return map[string]any{"total": 0, "results": []any{}, "counts": map[string]any{}}
	}
	var picked []batch.Result
	for _, r := range s.Runner.Results() {
		if p.picks(string(r.Outcome)) {
			picked = append(picked, r)
		}
	}
	out := []any{}
	from, to := p.bounds()
	for i := from; i < len(picked) && i < to; i++ {
		out = append(out, ResultValue(picked[i]))
	}
	return map[string]any{"total": len(picked), "counts": CountsValue(s.Runner.Counts()), "results": out}
}

// Records is a page of the audit's records that pass fl: {total, records:
// [RecordValue]}.
func (s *Session) Records(p Page, fl batch.Filter) map[string]any {
	if s.Audit == nil {
		return map[string]any{"total": 0, "records": []any{}}
	}
	picked := s.Audit.Filter(fl)
	out := []any{}
	from, to := p.bounds()
	for i := from; i < len(picked) && i < to; i++ {
		out = append(out, RecordValue(picked[i]))
	}
	return map[string]any{"total": len(picked), "records": out}
}
