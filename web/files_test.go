package web

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltInFiles(t *testing.T) {
	for _, name := range []string{"index.html", "form.html", "app.css", "socred.js", "socred-element.js", "custom-elements.json", "js/page.js", "js/lang/en.json"} {
		_, err := fs.Stat(Static(), name)
		assert.NoError(t, err, "the page's %s is built in", name)
	}
	_, err := fs.Stat(Portal(), "index.html")
	assert.NoError(t, err, "the example portal is built in")
	_, err = fs.Stat(Static(), "index.html/..")
	assert.Error(t, err, "an invalid path is refused")
}

func TestMissing(t *testing.T) {
	assert.Equal(t, ModuleFiles, Missing(fstest.MapFS{"index.html": {}}), "before make wasm")
	page := "js/page.bundle.js"
	assert.Equal(t, []string{"socred-batch.wasm", "wasm_exec.js", page}, Missing(fstest.MapFS{"socred.wasm": {}}))
	assert.Equal(t, []string{"socred-batch.wasm"}, Missing(fstest.MapFS{"socred.wasm": {}, "wasm_exec.js": {}, page: {}}), "the batch module too")
	assert.Equal(t, []string{page}, Missing(fstest.MapFS{"socred.wasm": {}, "socred-batch.wasm": {}, "wasm_exec.js": {}}), "the page's script too")
	assert.Empty(t, Missing(fstest.MapFS{"socred.wasm": {}, "socred-batch.wasm": {}, "wasm_exec.js": {}, page: {}}))
	dir := fstest.MapFS{"socred.wasm/x": {}, "socred-batch.wasm": {}, "wasm_exec.js": {}, page: {}}
	require.Equal(t, []string{"socred.wasm"}, Missing(dir), "a folder is not the module")
}
