//go:build !(js && wasm) || socred_batch

package jsapi

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/batch"
	"socred/soap"
)

// TestPlanFailure words a plan or run that did not finish: a cancel, the
// batch's own refusals by code, anything else as any call's error; each
// with the progress so far. A call not made as the API says rejects.
func TestPlanFailure(t *testing.T) {
	p := batch.Progress{State: batch.StateCancelled, Total: 3, Done: 1, NotSent: 2, Elapsed: 1500 * time.Millisecond}
	for _, tc := range []struct {
		err        error
		kind, code string
	}{
		{batch.ErrCanceled, "cancelled", ""},
		{batch.ErrBusy, "batch", "busy"},
		{batch.ErrInvalidRows, "batch", "invalid-rows"},
		{batch.ErrRemoveNeedsValid, "batch", "remove-needs-valid"},
		{batch.ErrNotConfirmed, "batch", "not-confirmed"},
		{batch.ErrForgotten, "batch", "forgotten"},
		{&soap.HTTPError{Status: 502}, KindHTTP, CodeNotSOAP},
	} {
		v, err := PlanFailure(tc.err, p)
		require.NoError(t, err)
		out := v.(map[string]any)
		assert.Equal(t, false, out["ok"], tc.err.Error())
		e := out["error"].(map[string]any)
		assert.Equal(t, tc.kind, e["kind"], tc.err.Error())
		if tc.code != "" {
			assert.Equal(t, tc.code, e["code"], tc.err.Error())
		}
		progress := out["progress"].(map[string]any)
		assert.Equal(t, "cancelled", progress["state"])
		assert.Equal(t, 2, progress["notSent"])
		assert.Equal(t, 1500, progress["elapsedMs"])
	}
	_, err := PlanFailure(&ArgumentError{Method: "batch.apply", Reason: "plan the file first"}, p)
	var ae *ArgumentError
	assert.True(t, errors.As(err, &ae), "rejects")
}

// TestProblemsValue hands the page at most MaxProblems problems, each with
// its row, column, code, parameters and message.
func TestProblemsValue(t *testing.T) {
	ps := make(batch.Problems, MaxProblems+5)
	for i := range ps {
		ps[i] = &batch.Problem{Row: i + 2, Column: "Type", Code: "required", Reason: "is required", Params: map[string]string{"k": "v"}}
	}
	out := ProblemsValue(ps)
	require.Len(t, out, MaxProblems)
	first := out[0].(map[string]any)
	assert.Equal(t, 2, first["row"])
	assert.Equal(t, "Type", first["column"])
	assert.Equal(t, "required", first["code"])
	assert.Equal(t, map[string]any{"k": "v"}, first["params"])
	assert.NotEmpty(t, first["message"])
	assert.Equal(t, map[string]any{"created": 2}, CountsValue(map[batch.Action]int{"created": 2}))
}
