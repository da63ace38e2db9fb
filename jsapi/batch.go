//go:build !(js && wasm) || socred_batch

package jsapi

import (
	"errors"
	"strings"

	"socred/batch"
	"socred/soap"
)

// The results of socred.batch (package batch seen from JavaScript). Built
// natively, and into the batch module only (go build -tags socred_batch):
// package batch's dependencies (encoding/csv, fmt, os, context…) would
// otherwise be linked into socred.wasm by their initialisers alone.

// MaxProblems bounds the problems handed to the page at once.
const MaxProblems = 1000

// ProblemsValue is a file's problems (the first MaxProblems): [{row,
// column, code, params, reason, message}].
func ProblemsValue(ps batch.Problems) []any {
	out := make([]any, 0, min(len(ps), MaxProblems))
	for i, p := range ps {
		if i == MaxProblems {
			break
		}
		out = append(out, map[string]any{
			"row": p.Row, "column": p.Column, "code": p.Code, "params": ParamsValue(p.Params), "reason": p.Reason, "message": p.Message(),
		})
	}
	return out
}

// ParamsValue is a problem's parameters as a result object.
func ParamsValue(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// ProgressValue is a job's progress: {state, total, done, failed,
// skipped, notSent, inFlight, retries, remaining, elapsedMs, rate, etaMs}
// and, when it stopped on one, error.
func ProgressValue(p batch.Progress) map[string]any {
	out := map[string]any{
		"state": string(p.State), "total": p.Total, "done": p.Done, "failed": p.Failed, "skipped": p.Skipped,
		"notSent": p.NotSent, "inFlight": p.InFlight, "retries": p.Retries, "remaining": p.Remaining(),
		"elapsedMs": int(p.Elapsed.Milliseconds()), "rate": p.Rate, "rateLimit": p.RateLimit, "etaMs": int(p.ETA.Milliseconds()),
	}
	if p.Err != nil {
		out["error"] = ErrorValue(p.Err)
	}
	return out
}

// PlanFailure is a plan or a run that did not finish: why, and the
// progress so far.
func PlanFailure(err error, p batch.Progress) (any, error) {
	var ae *ArgumentError
	if errors.As(err, &ae) {
		return nil, err
	}
	out := Failure(err)
	switch {
	case errors.Is(err, batch.ErrCanceled):
		out["error"] = map[string]any{"kind": "cancelled", "message": "the administrator cancelled it"}
	case errors.Is(err, batch.ErrInvalidRows), errors.Is(err, batch.ErrRemoveNeedsValid), errors.Is(err, batch.ErrNotConfirmed),
		errors.Is(err, batch.ErrBusy), errors.Is(err, batch.ErrForgotten):
		out["error"] = map[string]any{"kind": "batch", "code": batchErrorCode(err), "message": strings.TrimPrefix(err.Error(), "batch: ")}
	}
	out["progress"] = ProgressValue(p)
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

// CountsValue is a count by action or outcome.
func CountsValue[K ~string](m map[K]int) map[string]any {
	out := make(map[string]any, len(m))
	for k, n := range m {
		out[string(k)] = n
	}
	return out
}

// ListProblems words an associate list's problems as validation fields of
// "associates".
func ListProblems(ps batch.Problems) []any {
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = map[string]any{"field": "associates", "code": p.Code, "params": ParamsValue(p.Params), "reason": p.Reason, "message": p.Message()}
	}
	return out
}

// StepValue is one step of a plan: {row, action, associateId, userName,
// fullName, type, publicValue, changes, secretReplaced, code, params,
// message, problems} and, for a row of the file, the record it sends (in
// UTC, without its secret).
func StepValue(s *batch.Step) map[string]any {
	changes := make([]any, len(s.Changes))
	for j, c := range s.Changes {
		changes[j] = c
	}
	marks := make([]any, len(s.Marks))
	for j, m := range s.Marks {
		marks[j] = m
	}
	v := map[string]any{
		"row": s.Row, "action": string(s.Action), "associateId": int(s.AssociateID), "userName": s.UserName,
		"fullName": s.FullName, "type": s.Type, "publicValue": s.PublicValue, "changes": changes,
		"secretReplaced": s.SecretReplaced, "secretResent": s.SecretResent, "marks": marks, "code": s.Code, "params": ParamsValue(s.Params), "message": s.Message,
		"problems": ProblemsValue(s.Problems),
	}
	if s.Row > 0 {
		v["record"] = CredentialsValue(s.Record()) // what is sent, in UTC; no secret
	}
	return v
}

// ResultValue is one row's result of a run: {row, associateId, userName,
// fullName, type, publicValue, action, outcome, message, error}. No
// secret: a Result never holds one.
func ResultValue(r batch.Result) map[string]any {
	v := map[string]any{
		"row": r.Row, "associateId": int(r.AssociateID), "userName": r.UserName, "fullName": r.FullName, "type": r.Type,
		"publicValue": r.PublicValue, "action": string(r.Action), "outcome": string(r.Outcome), "message": r.Message,
	}
	if r.Err != nil {
		v["error"] = ErrorValue(r.Err)
	}
	return v
}

// RecordValue is one record an audit read: {associateId, userName,
// fullName, deleted, type, credentials (without the secret), hasSecret,
// status: {kind, at, days}}.
func RecordValue(r batch.AuditRecord) map[string]any {
	c := r.Credentials
	c.SecretValue = ""
	st := map[string]any{"kind": string(r.Status.Kind), "days": r.Status.Days}
	if !r.Status.At.IsZero() {
		st["at"] = soap.FormatDateTime(r.Status.At)
	}
	return map[string]any{
		"associateId": int(r.AssociateID), "userName": r.UserName, "fullName": r.FullName, "deleted": r.Deleted,
		"type": r.Type, "credentials": CredentialsValue(c), "hasSecret": r.HasSecret, "status": st,
	}
}

// AuditValue is audit's result: {ok, id, associates (read), records,
// missing, failed, at, windowDays, progress}.
func AuditValue(id string, res *batch.Audit, p batch.Progress) map[string]any {
	missing := make([]any, len(res.Missing))
	for i, m := range res.Missing {
		missing[i] = m.String()
	}
	failed := make([]any, len(res.Failed))
	for i, fl := range res.Failed {
		failed[i] = map[string]any{"associate": fl.Associate.String(), "type": fl.Type, "message": fl.Message, "error": ErrorValue(fl.Err)}
	}
	return map[string]any{
		"ok": true, "id": id, "associates": res.Associates, "records": len(res.Records), "missing": missing, "failed": failed,
		"at": soap.FormatDateTime(res.At), "windowDays": res.Window.Hours() / 24, "progress": ProgressValue(p),
	}
}
