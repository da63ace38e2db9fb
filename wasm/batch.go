//go:build js && wasm && socred_batch

package wasm

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"socred/wasm/internal/jsv"

	"socred/batch"
	"socred/jsapi"
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

// Batch is the socred.batch object's functions, installed by the batch
// module (cmd/socred-batch: socred-batch.wasm, which the page loads only
// when it needs it, so the single-record module stays small).
type Batch struct {
	funcs   []jsv.Func
	batches jsapi.Sessions
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
			e, f := exportOf(arg(args, 1), delimiterOf(arg(args, 0)))
			return exported(f, func(b *bytes.Buffer) error { return e.Template(b, f) })
		},
		"steps":       a.batchSteps,
		"results":     a.batchResults,
		"report":      a.batchReport,
		"records":     a.batchRecords,
		"auditReport": a.batchAuditReport,
		"progress": func(args []jsv.Value) (any, error) {
			sess, err := a.session(arg(args, 0))
			if err != nil || sess.Job == nil {
				return nil, err
			}
			return jsapi.ProgressValue(sess.Job.Progress()), nil
		},
		"pause":  a.batchControl(func(j *batch.Job, _ jsv.Value) { j.Pause() }),
		"cancel": a.batchControl(func(j *batch.Job, _ jsv.Value) { j.Cancel() }),
		"resume": a.batchResume,
		"close": func(args []jsv.Value) (any, error) {
			id, _ := arg(args, 0).String()
			return a.batches.Close(id), nil
		},
	}
	for name, m := range sync {
		fn, err := jsv.FuncOf(func(_ jsv.Value, args []jsv.Value) any {
			v, err := runRecovered(func() (any, error) { return m(args) })
			var ae *jsapi.ArgumentError
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
		return nil, &jsapi.ArgumentError{Method: "batch.open", Reason: "the argument must be the file's bytes (a Uint8Array)"}
	}
	n, err := data.Length()
	if err != nil {
		return nil, err
	}
	if n > batch.MaxBytes {
		return map[string]any{"ok": true, "problems": jsapi.ProblemsValue(batch.Problems{{
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
		return map[string]any{"ok": true, "problems": jsapi.ProblemsValue(ps), "problemCount": len(ps), "rows": 0, "valid": 0, "invalid": 0}, nil
	}
	c := batch.Check(f, opt)
	sess := &jsapi.Session{Checked: c, Cache: batch.NewCache()}
	id := a.batches.Add(sess)
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
		"problems": jsapi.ProblemsValue(c.Problems), "problemCount": len(c.Problems),
	}, nil
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

// options reads a batch method's options object, from the object itself
// (not from its JSON text, as a call's request is).
type options struct{ v jsv.Value }

// prop is the property key, undefined when it cannot be read.
func (o options) prop(key string) jsv.Value {
	if v, err := o.v.Get(key); err == nil {
		return v
	}
	return jsv.Undefined()
}

// boolean is the boolean property key, false when absent or not a boolean.
func (o options) boolean(key string) bool { return jsapi.Bool(object{o.v}, key) }

// text is the string property key, "" when absent or not text.
func (o options) text(key string) string { return jsapi.Text(object{o.v}, key) }

// readConnection reads where a batch's calls go (jsapi.ReadConnection).
func readConnection(method string, v jsv.Value) (*jsapi.Connection, error) {
	return jsapi.ReadConnection(method, object{v}, parseURL)
}

// networkError is a call that got no answer: batch retries it.
type networkError struct{ err error }

func (e *networkError) Error() string   { return e.err.Error() }
func (e *networkError) Unwrap() []error { return []error{batch.ErrNetwork, e.err} }

// sender is the batch.Sender of a connection: build, post, classify.
func sender(c *jsapi.Connection) batch.Sender {
	return func(ctx context.Context, r soap.Request) (*soap.Response, error) {
		r.ApplicationToken, r.Version = c.ApplicationToken, c.Version
		env, err := soap.Build(r)
		if err != nil {
			return nil, err
		}
		ans, err := postStop(c.URL, env, c.Timeout, ctx.Done())
		if err != nil {
			if errors.Is(err, ErrStopped) {
				return nil, ctx.Err()
			}
			var te *jsapi.TimeoutError
			var ne *jsapi.TransportError
			if errors.As(err, &te) || errors.As(err, &ne) {
				return nil, &networkError{err}
			}
			return nil, err
		}
		return soap.Classify(r.Operation, ans.Status, ans.ContentType, ans.Body)
	}
}

// jobOptions reads {concurrency, callsPerSecond, onProgress} into
// batch.JobOptions (callsPerSecond 0 or absent: no limit); the
// progress callback gets a snapshot (with the session's id) at most every
// 100 ms, and on every change of state.
func jobOptions(v jsv.Value, id string) batch.JobOptions {
	f := options{v}
	jo := batch.JobOptions{Yield: yield}
	if c := f.prop("concurrency"); c.Type() == jsv.TypeNumber {
		n, _ := c.Int()
		jo.Concurrency = n
	}
	if c := f.prop("callsPerSecond"); c.Type() == jsv.TypeNumber {
		if n, err := c.Float(); err == nil {
			jo.CallsPerSecond = n
		}
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
			pv := jsapi.ProgressValue(p)
			pv["id"] = id
			_, _ = cb.Invoke(pv)
		}
	}
	return jo
}

// strings reads an array of strings, each trimmed, empty ones left out.
func (o options) strings(key string) []string {
	var out []string
	if t := o.prop(key); t.Type() == jsv.TypeObject {
		n, _ := t.Length()
		for i := 0; i < n; i++ {
			e, _ := t.Index(i)
			if s, err := e.String(); err == nil && strings.TrimSpace(s) != "" {
				out = append(out, strings.TrimSpace(s))
			}
		}
	}
	return out
}

// batchPlan plans an open file: plan(id, {endpoint, ticket, …, skipInvalid,
// removeUnlisted, knownTypes, concurrency, onProgress}) → {ok, counts,
// marks, steps}; marks counts the steps of each mark (batch.Mark…).
func (a *Batch) batchPlan(id, v jsv.Value) (any, error) {
	sess, err := a.session(id)
	if err != nil {
		return nil, err
	}
	conn, err := readConnection("batch.plan", v)
	if err != nil {
		return jsapi.Outcome(err)
	}
	f := options{v}
	opt := batch.PlanOptions{JobOptions: jobOptions(v, sess.ID), SkipInvalid: f.boolean("skipInvalid"),
		RemoveUnlisted: f.boolean("removeUnlisted"), Cache: sess.Cache, KnownTypes: f.strings("knownTypes")}
	sess.Remote = batch.NewRemote(sender(conn), conn.Ticket)
	pl := batch.NewPlanner(sess.Remote, sess.Checked, opt)
	sess.Job, sess.Runner, sess.Plan = &pl.Job, nil, nil
	plan, err := pl.Run(context.Background())
	if err != nil {
		return jsapi.PlanFailure(err, pl.Progress())
	}
	sess.Plan = plan
	return map[string]any{"ok": true, "counts": jsapi.CountsValue(plan.Counts()), "marks": jsapi.CountsValue(plan.MarkCounts()), "steps": len(plan.Steps), "progress": jsapi.ProgressValue(pl.Progress())}, nil
}

// batchSteps returns a page of the plan: steps(id, {offset, limit,
// actions}) → {total, steps: [{row, action, associateId, userName,
// fullName, type, publicValue, changes, secretReplaced, marks, code,
// params, message, problems}]}.
func (a *Batch) batchSteps(args []jsv.Value) (any, error) {
	sess, err := a.session(arg(args, 0))
	if err != nil {
		return nil, err
	}
	return sess.Steps(page(arg(args, 1), "actions")), nil
}

// page reads {offset, limit, <set>: [names]} (jsapi.Page bounds them).
func page(v jsv.Value, set string) jsapi.Page {
	p := jsapi.Page{Limit: jsapi.DefaultPageLimit}
	if v.Type() != jsv.TypeObject {
		return p
	}
	f := options{v}
	if x := f.prop("offset"); x.Type() == jsv.TypeNumber {
		p.Offset, _ = x.Int()
	}
	if x := f.prop("limit"); x.Type() == jsv.TypeNumber {
		p.Limit, _ = x.Int()
	}
	if x := f.prop(set); x.Type() == jsv.TypeObject {
		n, _ := x.Length()
		p.Names = map[string]bool{}
		for i := 0; i < n; i++ {
			e, _ := x.Index(i)
			s, _ := e.String()
			p.Names[s] = true
		}
	}
	return p
}

// batchApply runs the plan (or, retry, its failed rows): apply(id,
// {concurrency, confirmRemovals, onProgress}) → {ok, counts, progress}.
func (a *Batch) batchApply(id, v jsv.Value, retry bool) (any, error) {
	sess, err := a.session(id)
	if err != nil {
		return nil, err
	}
	if sess.Plan == nil || sess.Remote == nil {
		return nil, &jsapi.ArgumentError{Method: "batch.apply", Reason: "plan the file first"}
	}
	if retry && sess.Runner != nil {
		// Retry sends the failed rows again, with the run's own options
		// (its progress callback too).
		sess.Job = &sess.Runner.Job
		err = sess.Runner.Retry(context.Background())
	} else {
		f := options{v}
		r := batch.NewRunner(sess.Remote, sess.Plan, batch.RunOptions{JobOptions: jobOptions(v, sess.ID), ConfirmRemovals: f.boolean("confirmRemovals")})
		sess.Runner, sess.Job = r, &r.Job
		err = r.Run(context.Background())
	}
	if err != nil {
		return jsapi.PlanFailure(err, sess.Runner.Progress())
	}
	return map[string]any{"ok": true, "counts": jsapi.CountsValue(sess.Runner.Counts()), "progress": jsapi.ProgressValue(sess.Runner.Progress())}, nil
}

// batchControl is pause(id) or cancel(id): finish the calls in flight and
// send nothing new.
func (a *Batch) batchControl(do func(*batch.Job, jsv.Value)) func([]jsv.Value) (any, error) {
	return func(args []jsv.Value) (any, error) {
		sess, err := a.session(arg(args, 0))
		if err != nil {
			return nil, err
		}
		if sess.Job != nil {
			do(sess.Job, arg(args, 1))
		}
		return true, nil
	}
}

// batchResume goes on after a pause, with a new ticket when one is given
// (a job paused because NetServer refused the ticket): resume(id,
// {ticket}).
func (a *Batch) batchResume(args []jsv.Value) (any, error) {
	sess, err := a.session(arg(args, 0))
	if err != nil {
		return nil, err
	}
	if o := arg(args, 1); o.Type() == jsv.TypeObject && sess.Remote != nil {
		f := options{o}
		if t := strings.TrimSpace(f.text("ticket")); t != "" {
			sess.Remote.SetTicket(t)
		}
	}
	if sess.Job != nil {
		sess.Job.Resume()
	}
	return true, nil
}

// batchResults returns a page of the run's results: results(id, {offset,
// limit, outcomes}) → {total, counts, results: [{row, associateId,
// userName, fullName, type, publicValue, action, outcome, message,
// error}]}. No secret: a Result never holds one.
func (a *Batch) batchResults(args []jsv.Value) (any, error) {
	sess, err := a.session(arg(args, 0))
	if err != nil {
		return nil, err
	}
	return sess.Results(page(arg(args, 1), "outcomes")), nil
}

// batchReport is the run's report: report(id, {format, words, locale,
// delimiter}), CSV text in the file's delimiter (for a workbook, which has
// none, in the options' delimiter, ";" if none is given), or an .xlsx's
// bytes (a Uint8Array).
func (a *Batch) batchReport(args []jsv.Value) (any, error) {
	sess, err := a.session(arg(args, 0))
	if err != nil {
		return nil, err
	}
	if sess.Runner == nil || sess.Plan == nil {
		return "", nil
	}
	d := sess.Plan.Delimiter
	if d == 0 {
		d = delimiterOf(options{arg(args, 1)}.prop("delimiter"))
	}
	e, f := exportOf(arg(args, 1), d)
	return exported(f, func(b *bytes.Buffer) error { return e.Report(b, sess.Runner.Results(), f) })
}

// batchAudit reads every stored record of a list of associates and Types:
// audit({endpoint, ticket, …, associates: "1-200, ola.nordmann" | fromBatch:
// id, types: ["imap"], windowDays, concurrency, onProgress}) → {ok, id,
// records, missing, failed, at, windowDays}. Its progress snapshots carry
// the audit's id, for pause and cancel while it runs.
func (a *Batch) batchAudit(v jsv.Value) (any, error) {
	conn, err := readConnection("batch.audit", v)
	if err != nil {
		return jsapi.Outcome(err)
	}
	f := options{v}
	var refs []batch.AssociateRef
	if from := f.prop("fromBatch"); from.Type() == jsv.TypeString {
		src, err := a.session(from)
		if err != nil {
			return nil, err
		}
		if src.Plan == nil {
			return jsapi.Failure(soap.ValidationErrors{soap.NewValidationError("associates", soap.ErrRequired, "no-import",
				"names the associates of the last import, but no file was planned")}), nil
		}
		refs = src.Plan.Associates()
	} else {
		list := f.text("associates")
		refs, err = batch.ParseAssociates(list)
		if err != nil {
			var ps batch.Problems
			if errors.As(err, &ps) {
				return map[string]any{"ok": false, "error": map[string]any{"kind": "validation", "message": ps.Error(),
					"fields": jsapi.ListProblems(ps)}}, nil
			}
			return nil, err
		}
	}
	types := f.strings("types")
	if len(types) == 0 {
		return jsapi.Failure(soap.ValidationErrors{soap.NewValidationError("Type", soap.ErrRequired, soap.CodeRequired, "is required")}), nil
	}
	window := time.Duration(0)
	if d := f.prop("windowDays"); d.Type() == jsv.TypeNumber {
		x, _ := d.Float()
		window = time.Duration(x * 24 * float64(time.Hour))
	}
	sess := &jsapi.Session{Cache: batch.NewCache()}
	sess.Remote = batch.NewRemote(sender(conn), conn.Ticket)
	id := a.batches.Add(sess)
	au := batch.NewAuditor(sess.Remote, refs, types, batch.AuditOptions{JobOptions: jobOptions(v, id), Window: window, Cache: sess.Cache})
	sess.Job = &au.Job
	res, err := au.Run(context.Background())
	if err != nil {
		out, _ := jsapi.PlanFailure(err, au.Progress())
		if m, ok := out.(map[string]any); ok {
			m["id"] = id
		}
		return out, nil
	}
	sess.Audit = res
	return jsapi.AuditValue(id, res, au.Progress()), nil
}

// auditFilter reads {expired, expiringDays, inactive, withoutSecret}.
func auditFilter(v jsv.Value) batch.Filter {
	var fl batch.Filter
	if v.Type() != jsv.TypeObject {
		return fl
	}
	f := options{v}
	fl.Expired = f.boolean("expired")
	fl.Inactive = f.boolean("inactive")
	fl.WithoutSecret = f.boolean("withoutSecret")
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
	sess, err := a.session(arg(args, 0))
	if err != nil {
		return nil, err
	}
	var fl batch.Filter
	if o := arg(args, 1); o.Type() == jsv.TypeObject {
		fl = auditFilter(options{o}.prop("filter"))
	}
	return sess.Records(page(arg(args, 1), ""), fl), nil
}

// batchAuditReport is the audit's records (filtered), without secrets:
// auditReport(id, {filter, delimiter, format, words, locale}), CSV text or
// an .xlsx's bytes (a Uint8Array).
func (a *Batch) batchAuditReport(args []jsv.Value) (any, error) {
	sess, err := a.session(arg(args, 0))
	if err != nil {
		return nil, err
	}
	if sess.Audit == nil {
		return "", nil
	}
	var fl batch.Filter
	delim := ';'
	o := arg(args, 1)
	if o.Type() == jsv.TypeObject {
		f := options{o}
		fl = auditFilter(f.prop("filter"))
		delim = delimiterOf(f.prop("delimiter"))
	}
	e, f := exportOf(o, delim)
	return exported(f, func(b *bytes.Buffer) error { return e.Audit(b, sess.Audit.Filter(fl), f) })
}

// exportOf reads an export's options: {format: "csv" | "xlsx", locale:
// "nb-NO", words: {yes, no, outcomes: {created, …}, statuses: {active, …},
// examples: [4 texts]}}; the administrator's zone is the browser's.
func exportOf(v jsv.Value, delimiter rune) (*batch.Export, batch.Format) {
	e := &batch.Export{Delimiter: delimiter, Zone: localZone}
	if v.Type() != jsv.TypeObject {
		return e, batch.CSV
	}
	f := options{v}
	e.Locale = stringOf(f.prop("locale"))
	w := options{f.prop("words")}
	e.Words.Yes, e.Words.No = stringOf(w.prop("yes")), stringOf(w.prop("no"))
	e.Words.Outcomes = map[batch.Outcome]string{}
	o := options{w.prop("outcomes")}
	for _, k := range []batch.Outcome{batch.OutcomeCreated, batch.OutcomeUpdated, batch.OutcomeUnchanged, batch.OutcomeRemoved, batch.OutcomeFailed, batch.OutcomeNotSent} {
		e.Words.Outcomes[k] = stringOf(o.prop(string(k)))
	}
	e.Words.Statuses = map[batch.StatusKind]string{}
	st := options{w.prop("statuses")}
	for _, k := range []batch.StatusKind{batch.StatusInactive, batch.StatusExpired, batch.StatusNotYetValid, batch.StatusExpiring, batch.StatusActive} {
		e.Words.Statuses[k] = stringOf(st.prop(string(k)))
	}
	if ex := w.prop("examples"); ex.Type() == jsv.TypeObject {
		for i := range e.Words.Examples {
			if x, err := ex.Index(i); err == nil {
				e.Words.Examples[i] = stringOf(x)
			}
		}
	}
	if stringOf(f.prop("format")) == "xlsx" {
		return e, batch.XLSX
	}
	return e, batch.CSV
}

// stringOf is a JS string's text; "" for anything else.
func stringOf(v jsv.Value) string {
	if v.Type() != jsv.TypeString {
		return ""
	}
	s, _ := v.String()
	return s
}

// exported runs an export: CSV as text, .xlsx as a Uint8Array.
func exported(f batch.Format, write func(*bytes.Buffer) error) (any, error) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return nil, err
	}
	if f == batch.XLSX {
		return bytesValue(b.Bytes())
	}
	return b.String(), nil
}

// session is the open batch whose id v names.
func (a *Batch) session(v jsv.Value) (*jsapi.Session, error) {
	id, _ := v.String()
	return a.batches.Get(id)
}

// localZone is an instant on the administrator's clock, by the browser's
// own rules (Date.prototype.getTimezoneOffset): the module carries no zone
// database.
func localZone(t time.Time) time.Time {
	d, err := dateClass.New(float64(t.UnixMilli()))
	if err != nil {
		return t.UTC()
	}
	off, err := d.Call("getTimezoneOffset")
	if err != nil || off.IsNaN() {
		return t.UTC()
	}
	m, _ := off.Int()
	return t.In(time.FixedZone("", -m*60))
}
