package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"socred/internal/testenv"
)

// makeTools are the only commands on PATH in TestMakeWithoutBrotliOrZip:
// what the README's "Try it" asks for (Go, git, make) and the few POSIX
// tools the Makefile's recipes call. No brotli, gzip, zip or sha256sum.
var makeTools = []string{"go", "git", "make", "sh", "env", "mkdir", "cmp", "cp", "mv", "rm", "find"}

// TestMakeWithoutBrotliOrZip runs make wasm, make dist and make run
// -version on a copy of the repository (its files as git lists them,
// committed afresh so make computes a version), with a PATH that holds only
// makeTools, and checks what they built: each module's .br and .gz unpack to
// it, the bundle holds the page's files and the deployment files and
// nothing else, SHA256SUMS matches the files, and make run prints the
// version the modules and the binary were built with. The repository's own
// web/static and dist/ are only read: other tests serve them meanwhile.
func TestMakeWithoutBrotliOrZip(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: builds the modules and a release (about a minute)")
	}
	if runtime.GOOS == "windows" {
		t.Skip("skipped on Windows: the Makefile's recipes need a POSIX shell")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "path")
	require.NoError(t, os.Mkdir(bin, 0o755))
	for _, tool := range makeTools {
		require.NoError(t, os.Symlink(testenv.Tool(t, tool), filepath.Join(bin, tool)))
	}
	for _, absent := range []string{"brotli", "gzip", "zip", "unzip", "sha256sum"} {
		_, err := os.Stat(filepath.Join(bin, absent))
		require.ErrorIs(t, err, fs.ErrNotExist, "%s must not be on the test's PATH", absent)
	}

	repo := filepath.Join(tmp, "socred")
	env := makeEnv(bin, tmp)
	copyRepo(t, root, repo, env)
	// What make wasm must leave out of the bundle.
	for name, content := range map[string]string{
		"web/static/.DS_Store":       "a dotfile",
		"web/static/js/.notes":       "a dotfile in a folder",
		"web/static/.cache/page.css": "a dot folder",
		"web/static/half.js.tmp":     "a half-written file",
	} {
		path := filepath.Join(repo, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}

	host := runtime.GOOS + "/" + runtime.GOARCH
	runIn(t, repo, env, "make", "--no-print-directory", "wasm", "dist", "PLATFORMS="+host)
	version := strings.TrimSpace(string(readFile(t, filepath.Join(repo, "bin", "wasm-version"))))
	require.Regexp(t, `^0\.1\.0\+[0-9a-f]{12}$`, version, "the version make computed from the copy's commit")

	t.Run("make run passes the modules' version to socred", func(t *testing.T) {
		out := runIn(t, repo, env, "make", "--no-print-directory", "-s", "run", "ARGS=-version")
		assert.Equal(t, "socred "+version+"\n", lastLine(out))
	})

	static := filepath.Join(repo, "web", "static")
	for _, module := range []string{"socred.wasm", "socred-batch.wasm"} {
		t.Run(module+"'s .br and .gz unpack to it", func(t *testing.T) {
			plain := readFile(t, filepath.Join(static, module))
			br, err := io.ReadAll(brotli.NewReader(bytes.NewReader(readFile(t, filepath.Join(static, module+".br")))))
			require.NoError(t, err, "%s.br", module)
			assert.True(t, bytes.Equal(plain, br), "%s.br does not unpack to %s", module, module)
			zr, err := gzip.NewReader(bytes.NewReader(readFile(t, filepath.Join(static, module+".gz"))))
			require.NoError(t, err, "%s.gz", module)
			gz, err := io.ReadAll(zr)
			require.NoError(t, err, "%s.gz", module)
			assert.True(t, bytes.Equal(plain, gz), "%s.gz does not unpack to %s", module, module)
			assert.Empty(t, zr.Name, "gzip -n: no name")
			assert.True(t, zr.ModTime.IsZero(), "gzip -n: no time")
		})
	}

	dist := filepath.Join(repo, "dist")
	fileVersion := strings.ReplaceAll(version, "+", "-")
	bundle := "socred-static-" + fileVersion + ".zip"
	binary := "socred-" + fileVersion + "-" + strings.ReplaceAll(host, "/", "-")
	npmPackage := "socred-element-" + fileVersion + ".tgz"
	t.Run("dist holds the bundle, the npm package, this platform's binary and SHA256SUMS", func(t *testing.T) {
		entries, err := os.ReadDir(dist)
		require.NoError(t, err)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		assert.ElementsMatch(t, []string{bundle, npmPackage, binary, "SHA256SUMS"}, names)
	})

	t.Run("the bundle holds the page's files, then the deployment files", func(t *testing.T) {
		want := staticFiles(t, static)
		for _, name := range []string{"config.json", "web.config", "DEPLOY.md"} {
			want = append(want, [2]string{name, filepath.Join(repo, "web", "deploy", name)})
		}
		zr, err := zip.OpenReader(filepath.Join(dist, bundle))
		require.NoError(t, err)
		defer zr.Close()
		var got []string
		for _, f := range zr.File {
			got = append(got, f.Name)
			assert.False(t, f.Mode().IsDir(), "a directory entry: %s", f.Name)
			assert.Empty(t, f.Extra, "%s: zip -X writes no extra fields", f.Name)
		}
		var wantNames []string
		for _, w := range want {
			wantNames = append(wantNames, w[0])
		}
		require.Equal(t, wantNames, got)
		for i, f := range zr.File {
			rc, err := f.Open()
			require.NoError(t, err)
			b, err := io.ReadAll(rc)
			rc.Close()
			require.NoError(t, err, f.Name)
			assert.True(t, bytes.Equal(readFile(t, want[i][1]), b), "the bundle's %s is not %s", f.Name, want[i][1])
		}
	})

	t.Run("SHA256SUMS matches the files, in sha256sum's format", func(t *testing.T) {
		sums := readFile(t, filepath.Join(dist, "SHA256SUMS"))
		var lines []string
		for _, name := range []string{binary, npmPackage, bundle} {
			sum := sha256.Sum256(readFile(t, filepath.Join(dist, name)))
			lines = append(lines, hex.EncodeToString(sum[:])+"  "+name+"\n")
		}
		assert.Equal(t, strings.Join(lines, ""), string(sums))
	})

	t.Run("the npm package holds the element's files at this version", func(t *testing.T) {
		entries := readNpm(t, filepath.Join(dist, npmPackage))
		var pj struct{ Version string }
		require.NoError(t, json.Unmarshal(entries["package/package.json"], &pj))
		assert.Equal(t, fileVersion, pj.Version)
		for _, name := range []string{"socred-element.d.ts", "socred-element.js", "custom-elements.json"} {
			assert.True(t, bytes.Equal(readFile(t, filepath.Join(static, name)), entries["package/"+name]), name)
		}
	})

	t.Run("the binary prints the same version", func(t *testing.T) {
		out := runIn(t, repo, env, filepath.Join(dist, binary), "-version")
		assert.Equal(t, "socred "+version+"\n", out)
	})
}

// makeEnv is this process's environment with PATH set to bin alone, none
// of an outer make's variables (make test runs this test), no GOOS or
// GOARCH, git reading no configuration of the machine's, and the copy's
// parent as the ceiling of git's search for a repository.
func makeEnv(bin, tmp string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "PATH", name == "GOOS", name == "GOARCH",
			name == "MAKEFLAGS", name == "MFLAGS", name == "MAKELEVEL", name == "MAKEOVERRIDES", name == "GNUMAKEFLAGS",
			strings.HasPrefix(name, "GIT_"), strings.HasPrefix(name, "SOCRED_"):
			continue
		}
		env = append(env, kv)
	}
	return append(env, "PATH="+bin, "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_CEILING_DIRECTORIES="+tmp)
}

// copyRepo copies the files git lists in root (tracked, and new ones not
// ignored: no build outputs) to repo and commits them there.
func copyRepo(t *testing.T, root, repo string, env []string) {
	t.Helper()
	list := runIn(t, root, env, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	for _, name := range strings.Split(strings.TrimSuffix(list, "\x00"), "\x00") {
		src := filepath.Join(root, filepath.FromSlash(name))
		fi, err := os.Lstat(src)
		if err != nil && os.IsNotExist(err) {
			continue // deleted, not yet committed
		}
		require.NoError(t, err)
		if !fi.Mode().IsRegular() {
			continue
		}
		dst := filepath.Join(repo, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(dst), 0o755))
		require.NoError(t, os.WriteFile(dst, readFile(t, src), fi.Mode().Perm()))
	}
	runIn(t, repo, env, "git", "init", "-q")
	runIn(t, repo, env, "git", "add", "-A")
	runIn(t, repo, env, "git", "-c", "user.name=socred test", "-c", "user.email=test@socred.invalid",
		"commit", "-q", "--no-gpg-sign", "-m", "a copy for TestMakeWithoutBrotliOrZip")
}

// staticFiles lists the files under dir, in lexical order, that the
// bundle must hold: its name in the bundle and its path.
func staticFiles(t *testing.T, dir string) [][2]string {
	t.Helper()
	var files [][2]string
	require.NoError(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || strings.HasSuffix(d.Name(), ".tmp") {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		files = append(files, [2]string{filepath.ToSlash(rel), path})
		return err
	}))
	require.True(t, slices.ContainsFunc(files, func(f [2]string) bool { return f[0] == "socred.wasm.br" }), "make wasm built no socred.wasm.br")
	return files
}

// runIn runs the command in dir with env and returns its standard output;
// it fails the test with the command's output if the command fails.
func runIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	path := name
	if !filepath.IsAbs(name) {
		path = filepath.Join(pathOf(env), name)
	}
	cmd := exec.Command(path, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	require.NoError(t, err, "%s %s in %s:\n%s%s", name, strings.Join(args, " "), dir, stdout.String(), stderr.String())
	return stdout.String()
}

// pathOf is env's PATH: the one folder of makeTools.
func pathOf(env []string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			return v
		}
	}
	return ""
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// lastLine is s's last line, with its line break.
func lastLine(s string) string {
	sc := bufio.NewScanner(strings.NewReader(s))
	last := ""
	for sc.Scan() {
		last = sc.Text() + "\n"
	}
	return last
}
