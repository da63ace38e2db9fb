//go:build !js

package batch

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestImports keeps the package within what the wasm module can afford:
// the standard library's small packages and soap. No syscall/js (it is
// pure Go); no net/http or reflect (module size); no fmt in its own code
// (hot paths: encoding/csv uses fmt for its errors only).
func TestImports(t *testing.T) {
	allowed := []string{"bufio", "bytes", "context", "encoding/csv", "errors", "io", "slices", "strconv", "strings",
		"sync", "time", "unicode", "unicode/utf8", "socred/soap", "socred/internal/isodate",
		"compress/flate", "encoding/binary", "hash/crc32", "math", "path"} // .xlsx: measured in docs/performance.md
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if !slices.Contains(allowed, path) {
				t.Errorf("%s imports %s, which the module should not pay for here", name, path)
			}
		}
	}
}
