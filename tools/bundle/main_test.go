package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
)

const static = "../../web/static"

// TestBundle: the page's modules join into one script that imports
// nothing (so the browser fetches one file), keeps the catalogues' URL
// relative to itself, carries the English catalogue as JSON.parse of its
// text (no request, no top-level await), and, once make wasm has built it, is what the
// modules make now, so the page never runs code older than its modules.
func TestBundle(t *testing.T) {
	out, err := bundle(filepath.Join(static, "js/page.js"))
	require.NoError(t, err)
	assert.NotRegexp(t, regexp.MustCompile(`(?m)^\s*(import|export)\b[^(]`), string(out), "the bundle imports or exports nothing")
	assert.Contains(t, string(out), `new URL("./lang/" + lang + ".json", import.meta.url)`, "i18n.js finds the catalogues beside the bundle")
	assert.Contains(t, string(out), "function mount(", "form.js is in")
	assert.Regexp(t, `var en_default = JSON\.parse\(.\{"page\.title":`, string(out), "English is in, as JSON text")
	assert.NotContains(t, string(out), "await catalogue(", "nothing waits for a catalogue before the page runs")
	built, err := os.ReadFile(filepath.Join(static, "js/page.bundle.js"))
	if os.IsNotExist(err) {
		testenv.Missing(t, "web/static/js/page.bundle.js: run `make wasm`")
	}
	require.NoError(t, err)
	assert.True(t, bytes.Equal(out, built), "web/static/js/page.bundle.js is not what the modules make now: run `make wasm`")
}

// TestBundleError: a module that imports a missing file is an error naming
// both.
func TestBundleError(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.js"), []byte("import { x } from \"./gone.js\";\nconsole.log(x);\n"), 0o644))
	_, err := bundle(filepath.Join(dir, "a.js"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "gone.js")
	assert.Contains(t, err.Error(), "a.js")
}

// TestBundleJSON: a JSON module goes in as JSON.parse of its compacted
// text, which gives back the same value (checked in Node, which runs the
// bundle), quotes, ${…}, U+2028 and </script> included; one that is not
// JSON is an error naming the file.
func TestBundleJSON(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.js"), []byte("import m from \"./m.json\" with { type: \"json\" };\nconsole.log(JSON.stringify(m));\n"), 0o644))
	value := "{\n  \"a\": \"`${x}` \\\" \u2028 </script> \\\\\",\n  \"n\": [1, 2.5, null, true]\n}\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "m.json"), []byte(value), 0o644))
	out, err := bundle(filepath.Join(dir, "a.js"))
	require.NoError(t, err)
	assert.Contains(t, string(out), "JSON.parse(")
	assert.NotContains(t, string(out), "\n  ", "whitespace dropped")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "out.mjs"), out, 0o644))
	got, err := exec.Command(testenv.Tool(t, "node"), filepath.Join(dir, "out.mjs")).CombinedOutput()
	require.NoError(t, err, "%s", got)
	assert.JSONEq(t, value, string(got))

	require.NoError(t, os.WriteFile(filepath.Join(dir, "m.json"), []byte("{\"a\": }"), 0o644))
	_, err = bundle(filepath.Join(dir, "a.js"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "m.json is not valid JSON")
	assert.Contains(t, err.Error(), "a.js", "and the module that imports it")
}
