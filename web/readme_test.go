package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmeNamesEveryModule checks that the README's table of folders
// names every ES module of the page (web/static/js, the catalogues in
// js/lang aside), so that a new module is not left out of the map.
func TestReadmeNamesEveryModule(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	var row string
	for line := range strings.Lines(string(readme)) {
		if strings.HasPrefix(line, "| `web/static/` |") {
			row = line
		}
	}
	require.NotEmpty(t, row, "README.md has no table row for web/static/ (a line starting \"| `web/static/` |\")")
	entries, err := os.ReadDir(filepath.Join("static", "js"))
	require.NoError(t, err)
	n := 0
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".js") {
			continue
		}
		n++
		assert.Contains(t, row, "`"+e.Name()+"`", "README.md's web/static/ row does not name js/%s: add it with what it does", e.Name())
	}
	require.NotZero(t, n, "no modules in web/static/js")
}
