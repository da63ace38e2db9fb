package jsapi

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// browserDeps lists the packages a browser build of pkg links (go list
// -deps with GOOS=js GOARCH=wasm), with the build tags given; with deps
// false, the packages it imports itself.
func browserDeps(t *testing.T, pkg string, deps bool, tags ...string) map[string]bool {
	t.Helper()
	args := []string{"list", "-deps"}
	if !deps {
		args = []string{"list", "-f", `{{join .Imports "\n"}}`}
	}
	if len(tags) > 0 {
		args = append(args, "-tags="+strings.Join(tags, ","))
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS=")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	list := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		list[p] = true
	}
	return list
}

// TestBrowserDeps checks what this package may link: no syscall/js (so it
// tests natively), and not package batch without the socred_batch tag;
// what socred.wasm, which links it, may link in all (no fmt, reflect,
// encoding/json, encoding/xml, crypto/*) is package wasm's TestModuleDeps.
func TestBrowserDeps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list; skipped with -short")
	}
	own := browserDeps(t, "./jsapi", false)
	require.True(t, own["socred/soap"], "go list -f .Imports lists nothing: this test checks nothing")
	assert.False(t, own["syscall/js"], "jsapi imports syscall/js")
	for p := range own {
		assert.False(t, strings.HasPrefix(p, "socred/wasm"), "jsapi imports %s", p)
	}
	assert.False(t, browserDeps(t, "./jsapi", true)["socred/batch"], "jsapi links package batch without the socred_batch tag")
	// What socred.wasm as a whole may link is package wasm's TestModuleDeps.
	assert.True(t, browserDeps(t, "./jsapi", false, "socred_batch")["socred/batch"], "with socred_batch, jsapi shapes batch's results")
}
