//go:build !js

package wasm

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// forbiddenInModule are the packages socred.wasm (./cmd/socred, the module
// every page starts) must not link, for its size: fmt, reflect and
// encoding/xml (reflection; minifmt and soap's own XML reader stand in),
// Go's crypto (WebCrypto and internal/minicrypto do that work), os,
// encoding/json (jsapi's own reader and writer) and package batch (the
// batch module's, loaded only when needed). Each is a prefix too: every
// crypto/... package.
var forbiddenInModule = []string{"fmt", "reflect", "encoding/xml", "encoding/json", "crypto", "os", "socred/batch"}

// TestModuleDeps lists what socred.wasm links, as make wasm builds it
// (GOOS=js GOARCH=wasm, no tags), with `go list -deps`, and fails on a
// forbidden package, naming the chain of imports that brings it in.
// (socred-batch.wasm, loaded only for a batch, may link more: batch's own
// rule is batch/imports_test.go.)
func TestModuleDeps(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}:{{join .Imports " "}}`, "./cmd/socred")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOWASM=satconv,signext")
	out, err := cmd.Output()
	var stderr []byte
	if ee, ok := err.(*exec.ExitError); ok {
		stderr = ee.Stderr
	}
	require.NoError(t, err, "go list: %s", stderr)
	imports := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, deps, _ := strings.Cut(line, ":")
		imports[pkg] = strings.Fields(deps)
	}
	const main = "socred/wasm/cmd/socred"
	require.Contains(t, imports, main, "go list did not list the command")
	require.Contains(t, imports, "syscall/js", "not the js build")
	for _, v := range violations(imports, main) {
		t.Errorf("socred.wasm links %s, which it must not (see forbiddenInModule): %s", v[len(v)-1], strings.Join(v, " → "))
	}
}

// TestModuleDepsFinds: the check finds a forbidden package however deep,
// with the chain that brings it in.
func TestModuleDepsFinds(t *testing.T) {
	imports := map[string][]string{
		"m": {"a", "strings"}, "a": {"b", "crypto"}, "b": {"crypto/sha256"}, "strings": nil,
		"crypto": nil, "crypto/sha256": {"crypto"},
	}
	require.Equal(t, [][]string{{"m", "a", "crypto"}, {"m", "a", "b", "crypto/sha256"}}, violations(imports, "m"))
}

// violations are the forbidden packages main links, each as the shortest
// chain of imports from main to it, in the order of the packages' paths.
func violations(imports map[string][]string, main string) [][]string {
	from := map[string]string{main: ""}
	queue := []string{main}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, d := range imports[p] {
			if _, seen := from[d]; !seen {
				from[d] = p
				queue = append(queue, d)
			}
		}
	}
	var pkgs []string
	for p := range from {
		for _, f := range forbiddenInModule {
			if p == f || strings.HasPrefix(p, f+"/") {
				pkgs = append(pkgs, p)
				break
			}
		}
	}
	slices.Sort(pkgs)
	var out [][]string
	for _, p := range pkgs {
		chain := []string{p}
		for q := from[p]; q != ""; q = from[q] {
			chain = append([]string{q}, chain...)
		}
		out = append(out, chain)
	}
	return out
}
