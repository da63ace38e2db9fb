package main

import (
	"bytes"
	"os"
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
// relative to itself, and, once make wasm has built it, is what the
// modules make now, so the page never runs code older than its modules.
func TestBundle(t *testing.T) {
	out, err := bundle(filepath.Join(static, "js/page.js"))
	require.NoError(t, err)
	assert.NotRegexp(t, regexp.MustCompile(`(?m)^\s*(import|export)\b[^(]`), string(out), "the bundle imports or exports nothing")
	assert.Contains(t, string(out), `new URL("./lang/" + lang + ".json", import.meta.url)`, "i18n.js finds the catalogues beside the bundle")
	assert.Contains(t, string(out), "function mount(", "form.js is in")
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
