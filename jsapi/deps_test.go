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
// tests natively), and nothing that would weigh on socred.wasm, which
// links it — fmt, reflect, encoding/json, encoding/xml, crypto/* and
// (without the socred_batch tag) package batch.
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
	module := browserDeps(t, "./wasm/cmd/socred", true)
	require.True(t, module["socred/jsapi"], "socred.wasm no longer links jsapi: this test checks nothing")
	for p := range module {
		switch {
		case p == "fmt", p == "reflect", p == "encoding/json", p == "encoding/xml", p == "socred/batch",
			p == "crypto" || strings.HasPrefix(p, "crypto/"):
			t.Errorf("socred.wasm links %s", p)
		}
	}
	assert.True(t, browserDeps(t, "./jsapi", false, "socred_batch")["socred/batch"], "with socred_batch, jsapi shapes batch's results")
}
