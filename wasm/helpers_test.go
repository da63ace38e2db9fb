//go:build js && wasm

package wasm

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"socred/wasm/internal/jsv"
)

// jsValue turns a Go map/slice/scalar into a JavaScript value.
func jsValue(t *testing.T, v any) jsv.Value {
	t.Helper()
	out, err := jsv.ValueOf(v)
	require.NoError(t, err)
	return out
}

// jsEval evaluates a JavaScript expression (for values Go cannot express,
// such as a Date).
func jsEval(t *testing.T, expr string) jsv.Value {
	t.Helper()
	fn, err := global("Function").New("return (" + expr + ");")
	require.NoError(t, err)
	v, err := fn.Invoke()
	require.NoError(t, err)
	return v
}

// goValue converts a JavaScript value to Go through JSON.
func goValue(t *testing.T, v jsv.Value) map[string]any {
	t.Helper()
	s, err := global("JSON").Call("stringify", v)
	require.NoError(t, err)
	str, err := s.String()
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal([]byte(str), &out), str)
	return out
}

// newAPI registers the API on a fresh object and releases it when the test ends.
func newAPI(t *testing.T) jsv.Value {
	t.Helper()
	obj, err := objectClass.New()
	require.NoError(t, err)
	api, err := Register(obj, "test")
	require.NoError(t, err)
	t.Cleanup(api.Release)
	return obj
}

// callAPI calls method on the API object and waits for its Promise.
func callAPI(t *testing.T, obj jsv.Value, method string, req any) (map[string]any, error) {
	t.Helper()
	p, err := obj.Call(method, req)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v, err := await(ctx, p)
	if err != nil {
		return nil, err
	}
	return goValue(t, v), nil
}

// mustCall is callAPI for calls that must fulfil their Promise.
func mustCall(t *testing.T, obj jsv.Value, method string, req any) map[string]any {
	t.Helper()
	out, err := callAPI(t, obj, method, req)
	require.NoError(t, err)
	return out
}

// errorOf returns result.error, failing if the result is ok.
func errorOf(t *testing.T, result map[string]any) map[string]any {
	t.Helper()
	require.Equal(t, false, result["ok"], "result: %v", result)
	e, ok := result["error"].(map[string]any)
	require.True(t, ok, "result without error: %v", result)
	return e
}

// fieldNames lists error.fields[].field.
func fieldNames(e map[string]any) []string {
	var out []string
	list, _ := e["fields"].([]any)
	for _, f := range list {
		if m, ok := f.(map[string]any); ok {
			out = append(out, m["field"].(string))
		}
	}
	return out
}
