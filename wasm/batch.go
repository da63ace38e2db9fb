//go:build js && wasm && socred_batch

package wasm

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"socred/wasm/internal/jsv"

	"socred/batch"
	"socred/soap"
)

// The socred.batch object, built only into the batch module
// (socred-batch.wasm, go build -tags socred_batch ./wasm/cmd/socred-batch):
// without the tag, package wasm does not import package batch, whose
// dependencies (encoding/csv, fmt, os, context…) would otherwise be linked
// into socred.wasm by their package initialisers alone.
//
// socred.batch: package batch (many associates at once) seen
// from JavaScript. A file opened with open() is a session, named by an id,
// that holds the file's rows (secrets included) until close() or a new
// file: check, plan, apply, pause, resume, cancel, retry and the report
// work on it. audit() reads stored records, with the same job controls.
// Nothing here ever hands a secret back to JavaScript.

// batchSessions are the open files and audits.
type batchSessions struct {
	mu   sync.Mutex
	next int
	all  map[string]*batchSession
}

// batchSession is one file (or one audit) and what was done with it.
type batchSession struct {
	id      string
	checked *batch.Checked
	cache   *batch.Cache
	remote  *batch.Remote
	plan    *batch.Plan
	job     *batch.Job // the job running or last run: the planner's, the runner's or the auditor's
	runner  *batch.Runner
	audit   *batch.Audit
}

func (s *batchSessions) add(sess *batchSession) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.all == nil {
		s.all = map[string]*batchSession{}
	}
	s.next++
	sess.id = "batch-" + strconv.Itoa(s.next)
	s.all[sess.id] = sess
	return sess.id
}

func (s *batchSessions) get(v jsv.Value) (*batchSession, error) {
	id, _ := v.String()
	s.mu.Lock()
	defer s.mu.Unlock()
	sess := s.all[id]
	if sess == nil {
		return nil, &ArgumentError{Method: "batch", Reason: "no open batch " + strconv.Quote(id) + " (closed, or never opened)"}
	}
	return sess, nil
}

// close forgets a session and every secret it holds.
func (s *batchSessions) close(id string) bool {
	s.mu.Lock()
	sess := s.all[id]
	delete(s.all, id)
	s.mu.Unlock()
	if sess == nil {
		return false
	}
	if sess.runner != nil {
		sess.runner.Forget()
	} else if sess.job != nil {
		sess.job.Cancel()
	}
	if sess.plan != nil {
		sess.plan.Forget()
	}
	if sess.checked != nil {
		sess.checked.Forget()
	}
	return true
}

// Batch is the socred.batch object's functions, installed by the batch
// module (cmd/socred-batch: socred-batch.wasm, which the page loads only
// when it needs it, so the single-record module stays small).
type Batch struct {
	funcs   []jsv.Func
	batches batchSessions
}

// Release releases every function RegisterBatch created.
func (a *Batch) Release() {
	for _, fn := range a.funcs {
		fn.Release()
	}
	a.funcs = nil
}

// RegisterBatch installs the batch functions on obj.batch (the loader's
// socred.batch, whose stand-ins they replace; made when absent), and sets
// obj.batch.version.
func RegisterBatch(obj jsv.Value, version string) (*Batch, error) {
	a := &Batch{}
	if err := a.register(obj, version); err != nil {
		a.Release()
		return nil, err
	}
	return a, nil
}

func (a *Batch) register(obj jsv.Value, version string) error {
	b, err := obj.Get("batch")
	if err == nil && b.Type() != jsv.TypeObject {
		b, err = objectClass.New()
		if err == nil {
			err = obj.Set("batch", b)
		}
	}
	if err != nil {
		return err
	}
	async := map[string]func(jsv.Value, jsv.Value) (any, error){
		"open":  func(v, o jsv.Value) (any, error) { return a.batchOpen(v, o) },
		"plan":  func(v, o jsv.Value) (any, error) { return a.batchPlan(v, o) },
		"apply": func(v, o jsv.Value) (any, error) { return a.batchApply(v, o, false) },
		"retry": func(v, o jsv.Value) (any, error) { return a.batchApply(v, o, true) },
		"audit": func(v, _ jsv.Value) (any, error) { return a.batchAudit(v) },
	}
	for name, m := range async {
		fn, err := jsv.FuncOf(func(_ jsv.Value, args []jsv.Value) any {
			x, y := arg(args, 0), arg(args, 1)
			p, err := newPromise(func() (any, error) { return m(x, y) })
			if err != nil {
				return jsErrorValue(err)
			}
			return p
		})
		if err != nil {
			return err
		}
		a.funcs = append(a.funcs, fn)
		if err := b.Set(name, fn); err != nil {
			return err
		}
	}
	// The synchronous ones: nothing in them waits. One asked of a batch
	// that is not open answers null (a synchronous call cannot reject).
	sync := map[string]func([]jsv.Value) (any, error){
		"template": func(args []jsv.Value) (any, error) {
			return string(batch.Template(delimiterOf(arg(args, 0)))), nil
		},
		"steps":       a.batchSteps,
		"results":     a.batchResults,
		"report":      a.batchReport,
		"records":     a.batchRecords,
		"auditReport": a.batchAuditReport,
		"progress": func(args []jsv.Value) (any, error) {
			sess, err := a.batches.get(arg(args, 0))
			if err != nil || sess.job == nil {
				return nil, err
			}
			return progressValue(sess.job.Progress()), nil
		},
		"pause":  a.batchControl(func(j *batch.Job, _ jsv.Value) { j.Pause() }),
		"cancel": a.batchControl(func(j *batch.Job, _ jsv.Value) { j.Cancel() }),
		"resume": a.batchResume,
		"close": func(args []jsv.Value) (any, error) {
			id, _ := arg(args, 0).String()
			return a.batches.close(id), nil
		},
	}
	for name, m := range sync {
		fn, err := jsv.FuncOf(func(_ jsv.Value, args []jsv.Value) any {
			v, err := runRecovered(func() (any, error) { return m(args) })
			var ae *ArgumentError
			if errors.As(err, &ae) {
				return nil
			}
			if err != nil {
				return jsErrorValue(err)
			}
			return v
		})
		if err != nil {
			return err
		}
		a.funcs = append(a.funcs, fn)
		if err := b.Set(name, fn); err != nil {
			return err
		}
	}
	return b.Set("version", version)
}

// delimiterOf reads a delimiter option: ",", ";" or "\t"; ";" otherwise.
func delimiterOf(v jsv.Value) rune {
	if s, err := v.String(); err == nil && v.Type() == jsv.TypeString {
		switch s {
		case ",", ";", "\t":
			return rune(s[0])
		}
	}
	return ';'
}

// batchOpen reads and checks a file, CSV or .xlsx: open(bytes, {locale})
// → {ok, id, encoding, delimiter ("" for a workbook), sheet, headerRow,
// header, ignored (the columns socred does not read), rows, valid,
// invalid, problems (the first maxProblems), problemCount}. locale is the
// page's language with the browser's region (nb-NO, en-US): how CSV dates
// are read and the examples of date problems. The bytes are copied once
// and zeroed when read; the rows stay in the session.
func (a *Batch) batchOpen(data, opts jsv.Value) (any, error) {
	if ok, _ := data.InstanceOf(uint8ArrayClass); !ok {
		return nil, &ArgumentError{Method: "batch.open", Reason: "the argument must be the file's bytes (a Uint8Array)"}
	}
	n, err := data.Length()
	if err != nil {
		return nil, err
	}
	if n > batch.MaxBytes {
		return map[string]any{"ok": true, "problems": problemsValue(batch.Problems{{
			Code: batch.CodeFileTooLarge, Reason: "is larger than " + strconv.Itoa(batch.MaxBytes) + " bytes",
			Params: map[string]string{"max": strconv.Itoa(batch.MaxBytes), "size": strconv.Itoa(n)},
		}}), "problemCount": 1, "rows": 0, "valid": 0, "invalid": 0}, nil
	}
	buf := make([]byte, n)
	if _, err := jsv.CopyBytesToGo(buf, data); err != nil {
		return nil, err
	}
	opt := batch.Options{Local: localTime, Yield: yield}
	if opts.Type() == jsv.TypeObject {
		if v, err := opts.Get("locale"); err == nil && v.Type() == jsv.TypeString {
			opt.Locale, _ = v.String()
		}
	}
	f, err := batch.Read(buf, opt)
	clear(buf) // the file's secrets now live in the rows only
	if err != nil {
		var ps batch.Problems
		if !errors.As(err, &ps) {
			return nil, err
		}
		return map[string]any{"ok": true, "problems": problemsValue(ps), "problemCount": len(ps), "rows": 0, "valid": 0, "invalid": 0}, nil
	}
	c := batch.Check(f, opt)
	sess := &batchSession{checked: c, cache: batch.NewCache()}
	id := a.batches.add(sess)
	header := make([]any, len(f.Header))
	for i, h := range f.Header {
		header[i] = h
	}
	ignored := make([]any, len(f.Ignored))
	for i, h := range f.Ignored {
		ignored[i] = h
	}
	delimiter := ""
	if f.Delimiter != 0 {
		delimiter = string(f.Delimiter)
	}
	return map[string]any{
		"ok": true, "id": id, "encoding": f.Encoding, "delimiter": delimiter, "sheet": f.Sheet, "headerRow": f.HeaderRow,
		"header": header, "ignored": ignored, "rows": len(c.Entries), "valid": len(c.Entries) - c.Invalid(), "invalid": c.Invalid(),
		"problems": problemsValue(c.Problems), "problemCount": len(c.Problems),
	}, nil
}

// maxProblems bounds the problems handed to the page at once.
const maxProblems = 1000

func problemsValue(ps batch.Problems) []any {
	out := make([]any, 0, min(len(ps), maxProblems))
	for i, p := range ps {
		if i == maxProblems {
			break
		}
		out = append(out, map[string]any{
			"row": p.Row, "column": p.Column, "code": p.Code, "params": paramsValue(p.Params), "reason": p.Reason, "message": p.Message(),
		})
	}
	return out
}

func paramsValue(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// localTime turns a date and time written without a zone into the instant
// it names in the administrator's time zone, by the browser's own rules
// (new Date(y, m-1, d, h, mi, s)): the module carries no zone database.
func localTime(c batch.Civil) time.Time {
	d, err := dateClass.New(c.Year, int(c.Month)-1, c.Day, c.Hour, c.Minute, c.Second)
	if err == nil {
		if ms, err := d.Call("getTime"); err == nil && !ms.IsNaN() {
			x, _ := ms.Float()
			return time.UnixMilli(int64(x)).Add(time.Duration(c.Nanosecond)).UTC()
		}
	}
	return time.Date(c.Year, c.Month, c.Day, c.Hour, c.Minute, c.Second, c.Nanosecond, time.UTC)
}

// yield lets the browser's event loop run (a page that paints, buttons
// that answer) between stretches of work on many rows.
func yield() { time.Sleep(time.Millisecond) }

// connection is where a batch's calls go and what they carry besides the
// body: read from {endpoint, ticket, applicationToken, soapVersion,
// timeoutMs}, checked as every call's are.
type connection struct {
	url              string
	applicationToken string
	ticket           string
	version          soap.Version
	timeout          time.Duration
}

func readConnection(method string, v jsv.Value) (*connection, error) {
	if v.Type() != jsv.TypeObject {
		return nil, &ArgumentError{Method: method, Reason: "the argument must be an options object"}
	}
	f := &fields{obj: v}
	c := &connection{
		applicationToken: f.str("applicationToken", "ApplicationToken"),
		ticket:           strings.TrimSpace(f.str("ticket", "Ticket")),
		version:          f.version(),
		timeout:          f.timeout(),
	}
	endpoint := strings.TrimSpace(f.str("endpoint", "Endpoint"))
	switch {
	case endpoint == "":
		f.add("Endpoint", soap.ErrRequired, soap.CodeRequired, "is required")
	default:
		u, code, reason := serviceURL(endpoint, soap.GetForAssociate)
		if reason != "" {
			f.add("Endpoint", ErrFormat, code, reason)
		} else if u.protocol == "http:" && !isLoopback(u.hostname) {
			f.add("Endpoint", ErrInsecure, CodeInsecureHTTP, "uses plain http:// to a host other than this computer, "+
				"so the ticket, token, password or secret would travel unencrypted: use https://")
		} else {
			c.url = u.href
		}
	}
	if c.ticket == "" {
		f.add("Ticket", soap.ErrRequired, soap.CodeRequired, "is required")
	}
	if len(f.errs) > 0 {
		return nil, soap.ValidationErrors(f.errs)
	}
	return c, nil
}

// prop reads a property of the object f reads (batch's options are read
// from the object itself, not from its JSON text); undefined when it cannot.
func (f *fields) prop(key string) jsv.Value {
	if o, ok := f.obj.(jsv.Value); ok {
		if v, err := o.Get(key); err == nil {
			return v
		}
	}
	return jsv.Undefined()
}

// networkError is a call that got no answer: batch retries it.
type networkError struct{ err error }

func (e *networkError) Error() string   { return e.err.Error() }
func (e *networkError) Unwrap() []error { return []error{batch.ErrNetwork, e.err} }

// sender is the batch.Sender of a connection: build, post, classify.
func (c *connection) sender() batch.Sender {
	return func(ctx context.Context, r soap.Request) (*soap.Response, error) {
		r.ApplicationToken, r.Version = c.applicationToken, c.version
		env, err := soap.Build(r)
		if err != nil {
			return nil, err
		}
		ans, err := postStop(c.url, env, c.timeout, ctx.Done())
		if err != nil {
			if errors.Is(err, ErrStopped) {
				return nil, ctx.Err()
			}
			var te *TimeoutError
			var ne *TransportError
			if errors.As(err, &te) || errors.As(err, &ne) {
				return nil, &networkError{err}
			}
			return nil, err
		}
		return soap.Classify(r.Operation, ans.Status, ans.ContentType, ans.Body)
	}
}

// jobOptions reads {concurrency, onProgress} into batch.JobOptions; the
// progress callback gets a snapshot (with the session's id) at most every
// 100 ms, and on every change of state.
func jobOptions(v jsv.Value, id string) batch.JobOptions {
	f := &fields{obj: v}
	jo := batch.JobOptions{Yield: yield}
	if c := f.prop("concurrency"); c.Type() == jsv.TypeNumber {
		n, _ := c.Int()
		jo.Concurrency = n
	}
	if cb := f.prop("onProgress"); cb.Type() == jsv.TypeFunction {
		var last time.Time
		var lastState batch.State
		jo.OnProgress = func(p batch.Progress) {
			now := time.Now()
			if p.State == lastState && now.Sub(last) < 100*time.Millisecond && p.InFlight > 0 {
				return
			}
			last, lastState = now, p.State
			pv := progressValue(p)
			pv["id"] = id
			_, _ = cb.Invoke(pv)
		}
	}
	return jo
}

func progressValue(p batch.Progress) map[string]any {
	out := map[string]any{
		"state": string(p.State), "total": p.Total, "done": p.Done, "failed": p.Failed, "skipped": p.Skipped,
		"notSent": p.NotSent, "inFlight": p.InFlight, "retries": p.Retries, "remaining": p.Remaining(),
		"elapsedMs": int(p.Elapsed.Milliseconds()), "rate": p.Rate, "etaMs": int(p.ETA.Milliseconds()),
	}
	if p.Err != nil {
		out["error"] = errorValue(p.Err)
	}
	return out
}

// batchPlan plans an open file: plan(id, {endpoint, ticket, …, skipInvalid,
// removeUnlisted, concurrency, onProgress}) → {ok, counts, steps}.
func (a *Batch) batchPlan(id, v jsv.Value) (any, error) {
	sess, err := a.batches.get(id)
	if err != nil {
		return nil, err
	}
	conn, err := readConnection("batch.plan", v)
	if err != nil {
		return outcome(err)
	}
	f := &fields{obj: v}
	opt := batch.PlanOptions{JobOptions: jobOptions(v, sess.id), SkipInvalid: f.boolean("skipInvalid", "skipInvalid"),
		RemoveUnlisted: f.boolean("removeUnlisted", "removeUnlisted"), Cache: sess.cache}
	sess.remote = batch.NewRemote(conn.sender(), conn.ticket)
	pl := batch.NewPlanner(sess.remote, sess.checked, opt)
	sess.job, sess.runner, sess.plan = &pl.Job, nil, nil
	plan, err := pl.Run(context.Background())
	if err != nil {
		return planFailure(err, pl.Progress())
	}
	sess.plan = plan
	return map[string]any{"ok": true, "counts": countsValue(plan.Counts()), "steps": len(plan.Steps), "progress": progressValue(pl.Progress())}, nil
}

// planFailure is a plan or a run that did not finish: why, and the
// progress so far.
func planFailure(err error, p batch.Progress) (any, error) {
	var ae *ArgumentError
	if errors.As(err, &ae) {
		return nil, err
	}
	out := failure(err)
	switch {
	case errors.Is(err, batch.ErrCanceled):
		out["error"] = map[string]any{"kind": "cancelled", "message": "the administrator cancelled it"}
	case errors.Is(err, batch.ErrInvalidRows), errors.Is(err, batch.ErrRemoveNeedsValid), errors.Is(err, batch.ErrNotConfirmed),
		errors.Is(err, batch.ErrBusy), errors.Is(err, batch.ErrForgotten):
		out["error"] = map[string]any{"kind": "batch", "code": batchErrorCode(err), "message": strings.TrimPrefix(err.Error(), "batch: ")}
	}
	out["progress"] = progressValue(p)
	return out, nil
}

func batchErrorCode(err error) string {
	for _, c := range []struct {
		err  error
		code string
	}{
		{batch.ErrInvalidRows, "invalid-rows"}, {batch.ErrRemoveNeedsValid, "remove-needs-valid"},
		{batch.ErrNotConfirmed, "not-confirmed"}, {batch.ErrBusy, "busy"}, {batch.ErrForgotten, "forgotten"},
	} {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return ""
}

func countsValue[K ~string](m map[K]int) map[string]any {
	out := make(map[string]any, len(m))
	for k, n := range m {
		out[string(k)] = n
	}
	return out
}

// batchSteps returns a page of the plan: steps(id, {offset, limit,
// actions}) → {total, steps: [{row, action, associateId, userName,
// fullName, type, publicValue, changes, secretReplaced, code, params,
// message, problems}]}.
func (a *Batch) batchSteps(args []jsv.Value) (any, error) {
	sess, err := a.batches.get(arg(args, 0))
	if err != nil {
		return nil, err
	}
	if sess.plan == nil {
		return map[string]any{"total": 0, "steps": []any{}}, nil
	}
	offset, limit, actions := page(arg(args, 1), "actions")
	var picked []*batch.Step
	for _, s := range sess.plan.Steps {
		if len(actions) == 0 || actions[string(s.Action)] {
			picked = append(picked, s)
		}
	}
	out := []any{}
	for i := offset; i < len(picked) && i < offset+limit; i++ {
		s := picked[i]
		changes := make([]any, len(s.Changes))
		for j, c := range s.Changes {
			changes[j] = c
		}
		v := map[string]any{
			"row": s.Row, "action": string(s.Action), "associateId": int(s.AssociateID), "userName": s.UserName,
			"fullName": s.FullName, "type": s.Type, "publicValue": s.PublicValue, "changes": changes,
			"secretReplaced": s.SecretReplaced, "secretResent": s.SecretResent, "code": s.Code, "params": paramsValue(s.Params), "message": s.Message,
			"problems": problemsValue(s.Problems),
		}
		if s.Row > 0 {
			v["record"] = credentialsValue(s.Record()) // what is sent, in UTC; no secret
		}
		out = append(out, v)
	}
	return map[string]any{"total": len(picked), "steps": out}, nil
}

// page reads {offset, limit, <set>: [names]}.
func page(v jsv.Value, set string) (offset, limit int, names map[string]bool) {
	limit = 200
	if v.Type() != jsv.TypeObject {
		return 0, limit, nil
	}
	f := &fields{obj: v}
	if x := f.prop("offset"); x.Type() == jsv.TypeNumber {
		offset, _ = x.Int()
	}
	if x := f.prop("limit"); x.Type() == jsv.TypeNumber {
		limit, _ = x.Int()
	}
	offset, limit = max(offset, 0), min(max(limit, 1), 10000)
	if x := f.prop(set); x.Type() == jsv.TypeObject {
		n, _ := x.Length()
		names = map[string]bool{}
		for i := 0; i < n; i++ {
			e, _ := x.Index(i)
			s, _ := e.String()
			names[s] = true
		}
	}
	return offset, limit, names
}

// batchApply runs the plan (or, retry, its failed rows): apply(id,
// {concurrency, confirmRemovals, onProgress}) → {ok, counts, progress}.
func (a *Batch) batchApply(id, v jsv.Value, retry bool) (any, error) {
	sess, err := a.batches.get(id)
	if err != nil {
		return nil, err
	}
	if sess.plan == nil || sess.remote == nil {
		return nil, &ArgumentError{Method: "batch.apply", Reason: "plan the file first"}
	}
	if retry && sess.runner != nil {
		// Retry sends the failed rows again, with the run's own options
		// (its progress callback too).
		sess.job = &sess.runner.Job
		err = sess.runner.Retry(context.Background())
	} else {
		f := &fields{obj: v}
		r := batch.NewRunner(sess.remote, sess.plan, batch.RunOptions{JobOptions: jobOptions(v, sess.id), ConfirmRemovals: f.boolean("confirmRemovals", "confirmRemovals")})
		sess.runner, sess.job = r, &r.Job
		err = r.Run(context.Background())
	}
	if err != nil {
		return planFailure(err, sess.runner.Progress())
	}
	return map[string]any{"ok": true, "counts": countsValue(sess.runner.Counts()), "progress": progressValue(sess.runner.Progress())}, nil
}

// batchControl is pause(id) or cancel(id): finish the calls in flight and
// send nothing new.
func (a *Batch) batchControl(do func(*batch.Job, jsv.Value)) func([]jsv.Value) (any, error) {
	return func(args []jsv.Value) (any, error) {
		sess, err := a.batches.get(arg(args, 0))
		if err != nil {
			return nil, err
		}
		if sess.job != nil {
			do(sess.job, arg(args, 1))
		}
		return true, nil
	}
}

// batchResume goes on after a pause, with a new ticket when one is given
// (a job paused because NetServer refused the ticket): resume(id,
// {ticket}).
func (a *Batch) batchResume(args []jsv.Value) (any, error) {
	sess, err := a.batches.get(arg(args, 0))
	if err != nil {
		return nil, err
	}
	if o := arg(args, 1); o.Type() == jsv.TypeObject && sess.remote != nil {
		f := &fields{obj: o}
		if t := strings.TrimSpace(f.str("ticket", "Ticket")); t != "" {
			sess.remote.SetTicket(t)
		}
	}
	if sess.job != nil {
		sess.job.Resume()
	}
	return true, nil
}

// batchResults returns a page of the run's results: results(id, {offset,
// limit, outcomes}) → {total, counts, results: [{row, associateId,
// userName, fullName, type, publicValue, action, outcome, message,
// error}]}. No secret: a Result never holds one.
func (a *Batch) batchResults(args []jsv.Value) (any, error) {
	sess, err := a.batches.get(arg(args, 0))
	if err != nil {
		return nil, err
	}
	if sess.runner == nil {
		return map[string]any{"total": 0, "results": []any{}, "counts": map[string]any{}}, nil
	}
	offset, limit, outcomes := page(arg(args, 1), "outcomes")
	var picked []batch.Result
	for _, r := range sess.runner.Results() {
		if len(outcomes) == 0 || outcomes[string(r.Outcome)] {
			picked = append(picked, r)
		}
	}
	out := []any{}
	for i := offset; i < len(picked) && i < offset+limit; i++ {
		r := picked[i]
		v := map[string]any{
			"row": r.Row, "associateId": int(r.AssociateID), "userName": r.UserName, "fullName": r.FullName, "type": r.Type,
			"publicValue": r.PublicValue, "action": string(r.Action), "outcome": string(r.Outcome), "message": r.Message,
		}
		if r.Err != nil {
			v["error"] = errorValue(r.Err)
		}
		out = append(out, v)
	}
	return map[string]any{"total": len(picked), "counts": countsValue(sess.runner.Counts()), "results": out}, nil
}

// batchReport is the run's report as CSV text, in the file's delimiter;
// for a workbook, which has none, in report(id, delimiter)'s (";" if
// none is given).
func (a *Batch) batchReport(args []jsv.Value) (any, error) {
	sess, err := a.batches.get(arg(args, 0))
	if err != nil {
		return nil, err
	}
	if sess.runner == nil || sess.plan == nil {
		return "", nil
	}
	var b bytes.Buffer
	d := sess.plan.Delimiter
	if d == 0 {
		d = delimiterOf(arg(args, 1))
	}
	if err := batch.WriteReport(&b, sess.runner.Results(), d); err != nil {
		return nil, err
	}
	return b.String(), nil
}

// batchAudit reads every stored record of a list of associates and Types:
// audit({endpoint, ticket, …, associates: "1-200, ola.nordmann" | fromBatch:
// id, types: ["imap"], windowDays, concurrency, onProgress}) → {ok, id,
// records, missing, failed, at, windowDays}. Its progress snapshots carry
// the audit's id, for pause and cancel while it runs.
func (a *Batch) batchAudit(v jsv.Value) (any, error) {
	conn, err := readConnection("batch.audit", v)
	if err != nil {
		return outcome(err)
	}
	f := &fields{obj: v}
	var refs []batch.AssociateRef
	if from := f.prop("fromBatch"); from.Type() == jsv.TypeString {
		src, err := a.batches.get(from)
		if err != nil {
			return nil, err
		}
		if src.plan == nil {
			return failure(soap.ValidationErrors{soap.NewValidationError("associates", soap.ErrRequired, "no-import",
				"names the associates of the last import, but no file was planned")}), nil
		}
		refs = src.plan.Associates()
	} else {
		list := f.str("associates", "associates")
		refs, err = batch.ParseAssociates(list)
		if err != nil {
			var ps batch.Problems
			if errors.As(err, &ps) {
				return map[string]any{"ok": false, "error": map[string]any{"kind": "validation", "message": ps.Error(),
					"fields": listProblems(ps)}}, nil
			}
			return nil, err
		}
	}
	var types []string
	if t := f.prop("types"); t.Type() == jsv.TypeObject {
		n, _ := t.Length()
		for i := 0; i < n; i++ {
			e, _ := t.Index(i)
			if s, err := e.String(); err == nil && strings.TrimSpace(s) != "" {
				types = append(types, strings.TrimSpace(s))
			}
		}
	}
	if len(types) == 0 {
		return failure(soap.ValidationErrors{soap.NewValidationError("Type", soap.ErrRequired, soap.CodeRequired, "is required")}), nil
	}
	window := time.Duration(0)
	if d := f.prop("windowDays"); d.Type() == jsv.TypeNumber {
		x, _ := d.Float()
		window = time.Duration(x * 24 * float64(time.Hour))
	}
	sess := &batchSession{cache: batch.NewCache()}
	sess.remote = batch.NewRemote(conn.sender(), conn.ticket)
	id := a.batches.add(sess)
	au := batch.NewAuditor(sess.remote, refs, types, batch.AuditOptions{JobOptions: jobOptions(v, id), Window: window, Cache: sess.cache})
	sess.job = &au.Job
	res, err := au.Run(context.Background())
	if err != nil {
		out, _ := planFailure(err, au.Progress())
		if m, ok := out.(map[string]any); ok {
			m["id"] = id
		}
		return out, nil
	}
	sess.audit = res
	missing := make([]any, len(res.Missing))
	for i, m := range res.Missing {
		missing[i] = m.String()
	}
	failed := make([]any, len(res.Failed))
	for i, fl := range res.Failed {
		failed[i] = map[string]any{"associate": fl.Associate.String(), "type": fl.Type, "message": fl.Message, "error": errorValue(fl.Err)}
	}
	return map[string]any{
		"ok": true, "id": id, "records": len(res.Records), "missing": missing, "failed": failed,
		"at": soap.FormatDateTime(res.At), "windowDays": res.Window.Hours() / 24, "progress": progressValue(au.Progress()),
	}, nil
}

// listProblems words an associate list's problems as validation fields of
// "associates".
func listProblems(ps batch.Problems) []any {
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = map[string]any{"field": "associates", "code": p.Code, "params": paramsValue(p.Params), "reason": p.Reason, "message": p.Message()}
	}
	return out
}

// auditFilter reads {expired, expiringDays, inactive, withoutSecret}.
func auditFilter(v jsv.Value) batch.Filter {
	var fl batch.Filter
	if v.Type() != jsv.TypeObject {
		return fl
	}
	f := &fields{obj: v}
	fl.Expired = f.boolean("expired", "expired")
	fl.Inactive = f.boolean("inactive", "inactive")
	fl.WithoutSecret = f.boolean("withoutSecret", "withoutSecret")
	if d := f.prop("expiringDays"); d.Type() == jsv.TypeNumber {
		x, _ := d.Float()
		fl.ExpiringWithin = time.Duration(x * 24 * float64(time.Hour))
	}
	return fl
}

// batchRecords returns a page of an audit's records: records(id, {offset,
// limit, filter}) → {total, records: [{associateId, userName, fullName,
// deleted, type, credentials (no secret), hasSecret, status: {kind, at,
// days}}]}.
func (a *Batch) batchRecords(args []jsv.Value) (any, error) {
	sess, err := a.batches.get(arg(args, 0))
	if err != nil {
		return nil, err
	}
	if sess.audit == nil {
		return map[string]any{"total": 0, "records": []any{}}, nil
	}
	offset, limit, _ := page(arg(args, 1), "")
	var fl batch.Filter
	if o := arg(args, 1); o.Type() == jsv.TypeObject {
		fl = auditFilter((&fields{obj: o}).prop("filter"))
	}
	picked := sess.audit.Filter(fl)
	out := []any{}
	for i := offset; i < len(picked) && i < offset+limit; i++ {
		r := picked[i]
		c := r.Credentials
		c.SecretValue = ""
		st := map[string]any{"kind": string(r.Status.Kind), "days": r.Status.Days}
		if !r.Status.At.IsZero() {
			st["at"] = soap.FormatDateTime(r.Status.At)
		}
		out = append(out, map[string]any{
			"associateId": int(r.AssociateID), "userName": r.UserName, "fullName": r.FullName, "deleted": r.Deleted,
			"type": r.Type, "credentials": credentialsValue(c), "hasSecret": r.HasSecret, "status": st,
		})
	}
	return map[string]any{"total": len(picked), "records": out}, nil
}

// batchAuditReport is the audit's records (filtered) as CSV, without
// secrets: auditReport(id, {filter, delimiter}).
func (a *Batch) batchAuditReport(args []jsv.Value) (any, error) {
	sess, err := a.batches.get(arg(args, 0))
	if err != nil {
		return nil, err
	}
	if sess.audit == nil {
		return "", nil
	}
	var fl batch.Filter
	delim := ';'
	if o := arg(args, 1); o.Type() == jsv.TypeObject {
		f := &fields{obj: o}
		fl = auditFilter(f.prop("filter"))
		delim = delimiterOf(f.prop("delimiter"))
	}
	var b bytes.Buffer
	if err := batch.WriteAudit(&b, sess.audit.Filter(fl), delim); err != nil {
		return nil, err
	}
	return b.String(), nil
}
