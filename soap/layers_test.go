//go:build !js && !wasip1

package soap

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
)

// TestLayers keeps the packages below wasm to what their doc comments
// promise, in the browser build, where it matters: none of them imports
// syscall/js (they are tested natively) or links encoding/xml, fmt or Go's crypto
// (module size: internal/xmltree, internal/minifmt and
// internal/minicrypto stand in); soap holds the messages only and does
// not reach for signing or keys; keys knows neither SOAP nor XML; and
// neither module links the local NetServer or the crypto/x509 signer.
func TestLayers(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		testenv.Missing(t, "the go command on PATH: %v", err)
	}
	list := func(t *testing.T, pkg string, args ...string) []string {
		t.Helper()
		cmd := exec.Command(goTool, append(append([]string{"list"}, args...), pkg)...)
		cmd.Dir = ".."
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go list %s: %s", pkg, out)
		return strings.Fields(string(out))
	}
	deps := func(t *testing.T, pkg string, tags ...string) []string {
		t.Helper()
		args := []string{"-deps"}
		if len(tags) > 0 {
			args = append(args, "-tags="+strings.Join(tags, ","))
		}
		return list(t, pkg, args...)
	}
	forbidden := func(path string) bool {
		return path == "encoding/xml" || path == "fmt" ||
			path == "crypto" || strings.HasPrefix(path, "crypto/")
	}
	for pkg, notAlso := range map[string][]string{
		"./soap":              {"socred/wssec", "socred/keys"},
		"./wssec":             nil,
		"./keys":              {"socred/soap", "socred/internal/xmltree", "socred/wssec"},
		"./internal/xmltree":  {"socred/soap"},
		"./internal/datetime": nil,
	} {
		t.Run(pkg, func(t *testing.T) {
			// The time package links syscall/js in the browser; the
			// package itself must not import it.
			assert.NotContains(t, list(t, pkg, "-f", "{{join .Imports \" \"}}"), "syscall/js", "%s imports syscall/js", pkg)
			for _, d := range deps(t, pkg) {
				assert.False(t, forbidden(d), "%s links %s in the browser build", pkg, d)
				assert.NotContains(t, notAlso, d, "%s imports %s", pkg, d)
			}
		})
	}
	for _, module := range []struct{ pkg, tag string }{{"./wasm/cmd/socred", ""}, {"./wasm/cmd/socred-batch", "socred_batch"}} {
		t.Run(filepath.Base(module.pkg), func(t *testing.T) {
			var tags []string
			if module.tag != "" {
				tags = append(tags, module.tag)
			}
			d := deps(t, module.pkg, tags...)
			require.Contains(t, d, "socred/soap")
			for _, p := range []string{"socred/netserver", "socred/keys/gokeys", "encoding/xml", "crypto/x509"} {
				assert.False(t, slices.Contains(d, p), "%s links %s", module.pkg, p)
			}
		})
	}
}
