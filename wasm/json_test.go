//go:build js && wasm

package wasm

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/jsapi"
	"socred/soap"
)

// readBothWays reads req from its JSON text and from the object itself,
// and reports whether the JSON reading asked for the object.
func readBothWays(t *testing.T, method, req string) (fromJSON, fromObject *jsapi.Call, jsonErr, objErr error, askedObject bool) {
	t.Helper()
	v := object{jsEval(t, req)}
	fromObject, objErr = jsapi.ReadObject(method, v, parseURL)
	if !jsapi.Absent(v.Get("signature")) {
		return nil, fromObject, nil, objErr, true // key material never goes into a JSON text
	}
	text, ok := v.JSON()
	if !ok {
		return nil, fromObject, nil, objErr, true
	}
	fromJSON, complete, jsonErr := jsapi.ReadJSON(method, text, parseURL)
	return fromJSON, fromObject, jsonErr, objErr, !complete
}

// TestJSONReadingAgrees checks the promise readCall's fast path makes:
// wherever a request is read from its JSON text without asking for the
// object, it reads exactly as from the object itself (values, problems,
// their codes and order); and where JSON cannot tell, it asks.
func TestJSONReadingAgrees(t *testing.T) {
	const full = `endpoint: "https://online.example.com/Cust1", applicationToken: "tok", ticket: "7T:x", associateId: 2, type: "imap"`
	tests := []struct {
		name, method, req string
		asksObject        bool
	}{
		{"a full save", "save", `{` + full + `, credentials: {validFrom: "2025-01-01T00:00:00Z", validTo: "2026-01-01T00:00:00+02:00", comment: "c & \"d\"\n", secretValue: "s\u00e6\ud83d\ude00", publicValue: "p", isActive: true}}`, false},
		{"Dates", "save", `{` + full + `, credentials: {validFrom: new Date(Date.UTC(2025, 0, 1, 8, 30)), validTo: new Date(Date.UTC(2026, 0, 1))}}`, false},
		{"wrong types", "save", `{endpoint: 7, ticket: true, associateId: "x", type: {}, timeoutMs: "9", soapVersion: 1.2, credentials: {isActive: "yes", comment: 5}}`, true},
		{"soapVersion as a short integer-free string", "save", `{` + full + `, soapVersion: "1.2"}`, false},
		{"an empty request", "save", `{}`, false},
		{"problems in form order", "save", `{endpoint: "ftp://x", ticket: 7, associateId: "abc", type: "imap", timeoutMs: -1, soapVersion: "2.0", credentials: {validFrom: "2025-01-31T08:00", validTo: "tomorrow", isActive: "yes", comment: {}}}`, false},
		{"NaN", "save", `{` + full + `, associateId: NaN}`, true},
		{"Infinity", "list", `{` + full + `, timeoutMs: Infinity}`, true},
		{"an invalid Date", "save", `{` + full + `, credentials: {validFrom: new Date("x")}}`, true},
		{"null", "save", `{` + full + `, comment: null, credentials: {comment: null}}`, true},
		{"an array", "save", `{` + full + `, credentials: []}`, true},
		{"a fraction", "save", `{` + full + `, associateId: 2.5}`, true},
		{"a Date where text belongs", "save", `{` + full + `, type: new Date(0)}`, true},
		{"a year past 9999", "save", `{` + full + `, credentials: {validFrom: new Date(Date.UTC(10000, 0, 1)), validTo: new Date(Date.UTC(10001, 0, 1))}}`, true},
		{"a signature", "buildEnvelope", `{associateId: 1, type: "i", signature: {keyId: "key-1"}}`, true},
		{"unrelated properties", "save", `{` + full + `, extra: [1, null], more: {deep: [NaN]}}`, false},
		{"a user lookup by name", "user", `{endpoint: "https://x.example", ticket: "7T:x", userName: " bjørn.ås ", associateId: ""}`, false},
		{"both an id and a name", "user", `{endpoint: "https://x.example", ticket: "7T:x", userName: "a", associateId: 6}`, false},
		{"a lone surrogate", "save", `{` + full + `, credentials: {comment: "a\ud800b"}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, o, jerr, oerr, asked := readBothWays(t, tt.method, tt.req)
			assert.Equal(t, tt.asksObject, asked, "whether the JSON reading asks for the object")
			if asked {
				return
			}
			var jv, ov soap.ValidationErrors
			if errors.As(oerr, &ov) {
				require.ErrorAs(t, jerr, &jv, "the object has problems, the JSON none: %v", oerr)
				require.Len(t, jv, len(ov))
				for i := range ov {
					assert.Equal(t, ov[i].Field, jv[i].Field)
					assert.Equal(t, ov[i].Code, jv[i].Code, ov[i].Field)
					assert.Equal(t, ov[i].Reason, jv[i].Reason, ov[i].Field)
					assert.Equal(t, ov[i].Params, jv[i].Params, ov[i].Field)
					assert.ErrorIs(t, jv[i], ov[i].Err, ov[i].Field)
				}
				return
			}
			require.NoError(t, oerr)
			require.NoError(t, jerr)
			assert.Equal(t, *o, *j)
		})
	}
}

// TestToJS writes results as JSON and falls back to js.ValueOf for what
// JSON cannot carry.
func TestToJS(t *testing.T) {
	in := map[string]any{"s": "a\"b\\c\n\x01é", "n": 42, "m": int64(-7), "b": true, "z": nil,
		"l": []any{map[string]any{"k": "v"}, 1}}
	v, err := toJS(in)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"s": "a\"b\\c\n\x01é", "n": 42.0, "m": -7.0, "b": true, "z": nil,
		"l": []any{map[string]any{"k": "v"}, 1.0}}, goValue(t, v))
	_, ok := jsapi.AppendJSON(nil, map[string]any{"x": "\xff"})
	assert.False(t, ok, "not UTF-8: left to js.ValueOf")
	_, ok = jsapi.AppendJSON(nil, map[string]any{"x": 1.5})
	assert.False(t, ok, "a float: left to js.ValueOf")
	v, err = toJS(map[string]any{"x": 1.5, "y": "\xff"})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"x": 1.5, "y": "\ufffd"}, goValue(t, v))
}
