package web

import (
	"io/fs"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var tag = regexp.MustCompile(`<(?:link|script)\b[^>]*>`)
var attr = regexp.MustCompile(`\b(rel|href|src|type)="([^"]*)"`)

// tags returns the attributes of index.html's <link> and <script> tags.
func tags(t *testing.T) []map[string]string {
	t.Helper()
	html, err := fs.ReadFile(Static(), "index.html")
	require.NoError(t, err)
	var out []map[string]string
	for _, s := range tag.FindAllString(string(html), -1) {
		a := map[string]string{"tag": s}
		for _, m := range attr.FindAllStringSubmatch(s, -1) {
			a[m[1]] = m[2]
		}
		out = append(out, a)
	}
	return out
}

// TestPageScript: index.html runs one module, js/page.bundle.js (js/page.js
// and its imports in one file, built by make wasm: tools/bundle checks it
// is current), rather than js/page.js, whose imports the browser would
// fetch one level after another.
func TestPageScript(t *testing.T) {
	var modules []string
	for _, a := range tags(t) {
		if a["type"] == "module" || a["rel"] == "modulepreload" {
			modules = append(modules, a["src"]+a["href"])
		}
	}
	assert.Equal(t, []string{"js/page.bundle.js"}, modules)
	_, err := fs.Stat(Static(), "js/page.js")
	assert.NoError(t, err, "the bundle's entry")
}

// TestPreloadedFilesExist: every file index.html preloads is one the page
// has (the module once make wasm built it), so a rename cannot leave a
// preload fetching a 404 beside the real request.
func TestPreloadedFilesExist(t *testing.T) {
	n := 0
	for _, a := range tags(t) {
		if a["rel"] != "preload" {
			continue
		}
		n++
		if slices.Contains(ModuleFiles, a["href"]) {
			continue // built by make wasm, absent from a fresh clone
		}
		_, err := fs.Stat(Static(), a["href"])
		assert.NoError(t, err, "index.html preloads %s", a["href"])
	}
	assert.NotZero(t, n)
}
