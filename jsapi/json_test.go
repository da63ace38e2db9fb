package jsapi

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestJSONReader reads what JSON.stringify writes, escapes and all, and
// refuses what is not JSON.
func TestJSONReader(t *testing.T) {
	v, err := parseJSON(`{"a":"x\"\\\/\b\f\n\r\t\u00e6\ud83d\ude00\udc00","b":[1,-20,true,false,null],"c":{"d":123456789012345},"e":1.5,"f":1234567890123456}`)
	require.NoError(t, err)
	assert.Equal(t, "x\"\\/\b\f\n\r\tæ😀\ufffd", v.field("a").s)
	assert.Equal(t, jArray, v.field("b").kind)
	assert.Equal(t, []jkind{jNumber, jNumber, jBool, jBool, jNull}, []jkind{v.field("b").vals[0].kind, v.field("b").vals[1].kind,
		v.field("b").vals[2].kind, v.field("b").vals[3].kind, v.field("b").vals[4].kind})
	assert.Equal(t, -20.0, v.field("b").vals[1].n)
	assert.Equal(t, 123456789012345.0, v.field("c").field("d").n)
	assert.Equal(t, jOther, v.field("e").kind, "a fraction is not converted")
	assert.Equal(t, jOther, v.field("f").kind, "16 digits are not converted")
	assert.Equal(t, jUndefined, v.field("zz").kind)
	for _, bad := range []string{``, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1 2]`, `"\x01"`, `"\u12"`, `"\q"`, `tru`, `-`, `{} x`,
		`[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]`} {
		_, err := parseJSON(bad)
		assert.ErrorIs(t, err, errJSON, "%q", bad)
	}
}

// TestAppendJSON writes results as JSON that encoding/json reads back as
// the same values, and refuses what JSON cannot carry exactly.
func TestAppendJSON(t *testing.T) {
	in := map[string]any{"s": "a\"b\\c\n\x01é\u2028", "n": 42, "m": int64(-7), "b": true, "z": nil,
		"l": []any{map[string]any{"k": "v"}, 1}, "e": map[string]any{}, "a": []any{}}
	b, ok := AppendJSON([]byte("kept:"), in)
	require.True(t, ok)
	require.Equal(t, "kept:", string(b[:5]), "appends")
	assert.Equal(t, `{"a":[],"b":true,"e":{},"l":[{"k":"v"},1],"m":-7,"n":42,"s":"a\"b\\c\n\u0001é`+"\u2028"+`","z":null}`, string(b[5:]),
		"keys sorted; U+2028 as it is (JSON.parse reads it since ES2019)")
	var got map[string]any
	require.NoError(t, json.Unmarshal(b[5:], &got), string(b))
	assert.Equal(t, map[string]any{"s": "a\"b\\c\n\x01é\u2028", "n": 42.0, "m": -7.0, "b": true, "z": nil,
		"l": []any{map[string]any{"k": "v"}, 1.0}, "e": map[string]any{}, "a": []any{}}, got)
	_, ok = AppendJSON(nil, map[string]any{"x": "\xff"})
	assert.False(t, ok, "not UTF-8: left to js.ValueOf")
	_, ok = AppendJSON(nil, map[string]any{"x": 1.5})
	assert.False(t, ok, "a float: left to js.ValueOf")
	_, ok = AppendJSON(nil, []any{struct{}{}})
	assert.False(t, ok, "a type results are not made of")
}

// jsonSeeds are the fuzz targets' seeds: the requests and results in
// testdata, and the texts of TestJSONReader.
func jsonSeeds(t testing.TB) []string {
	seeds := []string{
		`{"a":"x\"\\\/\b\f\n\r\t\u00e6\ud83d\ude00\udc00","b":[1,-20,true,false,null],"c":{"d":123456789012345},"e":1.5,"f":1234567890123456}`,
		`{"a":1,"a":2}`, `-0`, `[01]`, `"\ud800\u0041"`, `1e5`, `"\xff"`, ` [ ] `,
	}
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no seeds in testdata")
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		seeds = append(seeds, string(b))
	}
	return seeds
}

// FuzzJSONReader compares the reader with encoding/json. Its aim: errors
// are fine, panics and hangs are not; on a text both accept, both read the
// same values; a text only encoding/json accepts is refused for a reason
// json.go documents (nesting deeper than maxJSONDepth). What json.go
// documents as read differently is compared as documented: a number the
// reader does not convert (jOther) only as "a number", a repeated key by
// its last value (encoding/json's), a string with invalid UTF-8 after
// encoding/json's replacement of each bad byte.
func FuzzJSONReader(f *testing.F) {
	for _, s := range jsonSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseJSON(s)
		var want any
		jerr := json.Unmarshal([]byte(s), &want)
		switch {
		case err != nil && jerr == nil:
			assert.Greater(t, jsonDepth(want), maxJSONDepth, "encoding/json reads %q, the reader refuses it: %v", s, err)
		case err == nil && jerr == nil:
			assert.Equal(t, want, plain(t, v, want), "%q", s)
		}
	})
}

// plain is v as encoding/json reads it into an any, a jOther taken from
// want (which must be a number there).
func plain(t *testing.T, v jval, want any) any {
	switch v.kind {
	case jNull:
		return nil
	case jBool:
		return v.b
	case jNumber:
		return v.n
	case jOther:
		_, isNumber := want.(float64)
		assert.True(t, isNumber, "a jOther where encoding/json reads %v", want)
		return want
	case jString:
		return replaceInvalidUTF8(v.s)
	case jArray:
		w, _ := want.([]any)
		out := make([]any, len(v.vals))
		for i, e := range v.vals {
			var we any
			if i < len(w) {
				we = w[i]
			}
			out[i] = plain(t, e, we)
		}
		return out
	case jObject:
		w, _ := want.(map[string]any)
		out := make(map[string]any, len(v.keys))
		for i, k := range v.keys {
			out[replaceInvalidUTF8(k)] = plain(t, v.vals[i], w[replaceInvalidUTF8(k)])
		}
		return out
	}
	t.Fatalf("a value of kind %d", v.kind)
	return nil
}

// replaceInvalidUTF8 replaces each byte that is not UTF-8 with U+FFFD, as
// encoding/json does.
func replaceInvalidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b []byte
	for _, r := range s {
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

// jsonDepth is how deeply arrays and objects nest in v.
func jsonDepth(v any) int {
	d := 0
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			d = max(d, jsonDepth(e))
		}
		return d + 1
	case map[string]any:
		for _, e := range v {
			d = max(d, jsonDepth(e))
		}
		return d + 1
	}
	return 0
}

// FuzzAppendJSON writes what the reader read back as JSON (a string, or
// an array of strings and short integers) and reads it again: the same
// value, and encoding/json reads the same text.
func FuzzAppendJSON(f *testing.F) {
	for _, s := range jsonSeeds(f) {
		f.Add(s, int64(7))
	}
	f.Fuzz(func(t *testing.T, s string, n int64) {
		in := []any{s, n, map[string]any{s: true, "k": nil}}
		b, ok := AppendJSON(nil, in)
		if !utf8.ValidString(s) {
			assert.False(t, ok, "not UTF-8 is left to js.ValueOf")
			return
		}
		require.True(t, ok)
		var got []any
		require.NoError(t, json.Unmarshal(b, &got), "%s", b)
		require.Len(t, got, 3)
		assert.Equal(t, s, got[0])
		assert.Equal(t, map[string]any{s: true, "k": nil}, got[2])
		v, err := parseJSON(string(b))
		require.NoError(t, err, "%s", b)
		assert.Equal(t, s, v.vals[0].s)
	})
}
