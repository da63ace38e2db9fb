package web

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// staticImport matches an ES module's static import or re-export
// specifier (import … from "x", import "x", export … from "x"); a
// dynamic import("x") is not one (the browser fetches it when it runs).
var staticImport = regexp.MustCompile(`(?m)^\s*(?:import\s*|(?:import|export)\b[^;"'()]*?\bfrom\s*)["']([^"']+)["']`)

// importGraph returns every module js/page.js imports, directly or not,
// itself included: paths under static, sorted.
func importGraph(t *testing.T, fsys fs.FS, root string) []string {
	t.Helper()
	seen := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		src, err := fs.ReadFile(fsys, name)
		require.NoError(t, err, "%s imports a module that is not there", name)
		for _, m := range staticImport.FindAllStringSubmatch(string(src), -1) {
			spec := m[1]
			require.True(t, strings.HasPrefix(spec, "./") || strings.HasPrefix(spec, "../"), "%s imports %q: only relative imports are expected", name, spec)
			visit(path.Join(path.Dir(name), spec))
		}
	}
	visit(root)
	out := make([]string, 0, len(seen))
	for name := range seen {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

var linkTag = regexp.MustCompile(`<link\b[^>]*>`)
var attr = regexp.MustCompile(`\b(rel|href)="([^"]*)"`)

// links returns the href of every <link rel="rel"> of index.html.
func links(t *testing.T, html, rel string) []string {
	t.Helper()
	var out []string
	for _, tag := range linkTag.FindAllString(html, -1) {
		a := map[string]string{}
		for _, m := range attr.FindAllStringSubmatch(tag, -1) {
			a[m[1]] = m[2]
		}
		if a["rel"] == rel {
			out = append(out, a["href"])
		}
	}
	return out
}

// TestModulePreload: index.html names every module of page.js's static
// import graph in a <link rel="modulepreload">, and nothing else, so the
// browser fetches them all at once rather than one level of imports after
// another; a module added, removed or renamed fails here until the list
// follows.
func TestModulePreload(t *testing.T) {
	html, err := fs.ReadFile(Static(), "index.html")
	require.NoError(t, err)
	listed := links(t, string(html), "modulepreload")
	require.NotEmpty(t, listed)
	sorted := slices.Clone(listed)
	slices.Sort(sorted)
	assert.Equal(t, slices.Compact(slices.Clone(sorted)), sorted, "a module is listed twice")
	assert.Equal(t, importGraph(t, Static(), "js/page.js"), sorted,
		"index.html's <link rel=\"modulepreload\"> list is page.js's import graph")
}

// TestPreloadedFilesExist: every file index.html preloads is one the page
// has (socred.wasm once make wasm built it), so a rename cannot leave a
// preload fetching a 404 beside the real request.
func TestPreloadedFilesExist(t *testing.T) {
	html, err := fs.ReadFile(Static(), "index.html")
	require.NoError(t, err)
	for _, href := range links(t, string(html), "preload") {
		if slices.Contains(ModuleFiles, href) {
			continue // built by make wasm, absent from a fresh clone
		}
		_, err := fs.Stat(Static(), href)
		assert.NoError(t, err, "index.html preloads %s", href)
	}
}
