//go:build !js

package wasm

import (
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryFileHasTheWasmTag checks that every Go file under wasm/ (this one
// and deps_test.go excepted: they must run natively) builds only for js/wasm,
// as STYLE.md asks: the JavaScript boundary must never leak into native
// builds.
func TestEveryFileHasTheWasmTag(t *testing.T) {
	var checked int
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if filepath.Ext(path) != ".go" || path == "wasm_tags_test.go" || path == "deps_test.go" {
			return nil
		}
		checked++
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly|parser.ParseComments)
		require.NoError(t, err, path)
		var expr constraint.Expr
		for _, g := range f.Comments {
			if g.Pos() >= f.Package {
				break
			}
			for _, c := range g.List {
				if constraint.IsGoBuild(c.Text) {
					expr, err = constraint.Parse(c.Text)
					require.NoError(t, err, path)
				}
			}
		}
		if assert.NotNil(t, expr, "%s has no //go:build line", path) {
			assert.True(t, onlyJSWasm(expr), "%s: //go:build %s does not limit it to js && wasm", path, expr)
		}
		return nil
	})
	require.NoError(t, err)
	assert.Positive(t, checked, "no Go files found under wasm/")
}

// onlyJSWasm reports whether expr holds for GOOS=js GOARCH=wasm (with or
// without other tags, such as socred_batch) and for no other platform: it
// is false when either tag is off, whatever the other tags.
func onlyJSWasm(expr constraint.Expr) bool {
	eval := func(js, wasm, others bool) bool {
		return expr.Eval(func(tag string) bool {
			switch tag {
			case "js":
				return js
			case "wasm":
				return wasm
			}
			return others
		})
	}
	for _, others := range []bool{false, true} {
		if eval(false, true, others) || eval(true, false, others) || eval(false, false, others) {
			return false
		}
	}
	return eval(true, true, false) || eval(true, true, true)
}
