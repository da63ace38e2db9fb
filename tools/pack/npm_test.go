package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
)

// readNpm returns an npm package's entries by name, checking that each is
// a plain file as npm pack writes it.
func readNpm(t *testing.T, file string) map[string][]byte {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	tr := tar.NewReader(zr)
	out := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		assert.Equal(t, byte(tar.TypeReg), h.Typeflag, h.Name)
		assert.Equal(t, int64(0o644), h.Mode, h.Name)
		assert.True(t, h.ModTime.Equal(npmTime), "%s: npm's fixed time", h.Name)
		b, err := io.ReadAll(tr)
		require.NoError(t, err)
		out[h.Name] = b
	}
	return out
}

// npmFiles are the package's files, as the Makefile passes them.
var npmFiles = []string{"../../web/static/socred-element.d.ts", "../../web/static/socred-element.js", "../../web/static/custom-elements.json"}

// TestNpmPackage packs web/npm with the element's files, checks what npm
// reads (package.json's version, types, customElements and exports), and
// then installs the tarball with npm into an empty portal and compiles a
// TypeScript portal that imports the types from "socred-element" with
// tsc --strict (the version pinned in package-lock.json).
func TestNpmPackage(t *testing.T) {
	dir := t.TempDir()
	tgz := filepath.Join(dir, "socred-element-0.1.0-0123abcdef45.tgz")
	require.NoError(t, run([]string{"npm", tgz, "0.1.0-0123abcdef45", "../../web/npm", npmFiles[0], npmFiles[1], npmFiles[2]}, io.Discard))
	entries := readNpm(t, tgz)
	assert.Len(t, entries, 5)
	var pj struct {
		Name           string
		Version        string
		Types          string
		CustomElements string
		Exports        map[string]any
		Files          []string
	}
	require.NoError(t, json.Unmarshal(entries["package/package.json"], &pj))
	assert.Equal(t, "socred-element", pj.Name)
	assert.Equal(t, "0.1.0-0123abcdef45", pj.Version)
	assert.Equal(t, "./socred-element.d.ts", pj.Types)
	assert.Equal(t, "./custom-elements.json", pj.CustomElements)
	assert.Equal(t, map[string]any{"types": "./socred-element.d.ts", "default": "./socred-element.js"}, pj.Exports["."])
	for _, f := range append([]string{pj.Types, pj.CustomElements}, npmFiles...) {
		assert.Contains(t, entries, "package/"+filepath.Base(f), "the package holds %s", f)
	}
	for _, f := range npmFiles {
		want, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(want, entries["package/"+filepath.Base(f)]), f)
	}
	assert.Contains(t, string(entries["package/README.md"]), "npm install ./socred-element-VERSION.tgz")

	t.Run("a version npm would refuse is refused", func(t *testing.T) {
		err := run([]string{"npm", filepath.Join(dir, "x.tgz"), "0.1.0+abc", "../../web/npm", npmFiles[0], npmFiles[1], npmFiles[2]}, io.Discard)
		require.ErrorContains(t, err, "not semantic versioning")
		err = run([]string{"npm", filepath.Join(dir, "x.tgz"), "0.1.0", "../../web/npm", npmFiles[0], npmFiles[1]}, io.Discard)
		require.ErrorContains(t, err, `"files" lists`)
	})

	t.Run("a TypeScript portal installs it and compiles against it", func(t *testing.T) {
		npm := testenv.Tool(t, "npm")
		tsc, err := filepath.Abs("../../node_modules/.bin/tsc")
		require.NoError(t, err)
		if _, err := os.Stat(tsc); err != nil {
			testenv.Missing(t, "TypeScript is not installed (run `npm ci`): %v", err)
		}
		portal := filepath.Join(dir, "portal")
		require.NoError(t, os.Mkdir(portal, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(portal, "package.json"), []byte(`{"name": "portal", "private": true}`+"\n"), 0o644))
		cmd := exec.Command(npm, "install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tgz)
		cmd.Dir = portal
		cmd.Env = append(os.Environ(), "npm_config_cache="+filepath.Join(dir, "npm-cache"), "npm_config_update_notifier=false")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "npm install: %s", out)
		src := `import type { SocredCredentialsElement, SocredRecordDetail } from "socred-element";
const el: SocredCredentialsElement | null = document.querySelector("socred-credentials");
el?.addEventListener("socred-saved", (e) => { const d: SocredRecordDetail = e.detail; const id: number = d.associateId; console.info(id); });
void socred.ready.then((s) => s.login({ endpoint: "https://crm.example.com/", userName: "ola", password: "x" }))
  .then((r) => { if (r.ok) el?.setTicket(r.ticket); });
`
		compile := func(src string) (string, error) {
			require.NoError(t, os.WriteFile(filepath.Join(portal, "portal.ts"), []byte(src), 0o644))
			cmd := exec.Command(tsc, "--strict", "--noEmit", "--pretty", "false", "--target", "es2022", "--lib", "es2022,dom",
				"--module", "esnext", "--moduleResolution", "bundler", "portal.ts")
			cmd.Dir = portal
			out, err := cmd.CombinedOutput()
			return string(out), err
		}
		out2, err := compile(src)
		require.NoError(t, err, "tsc --strict on a portal using the installed package: %s", out2)
		out2, err = compile(src + "el?.setTicket(42);\n")
		require.Error(t, err, "setTicket(42) compiled")
		assert.Contains(t, out2, "error TS2345: Argument of type 'number' is not assignable to parameter of type 'string'.")
	})
}
