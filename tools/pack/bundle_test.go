package main

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tree writes files (slash-separated name → content) under dir.
func tree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
}

// TestBundle checks writeBundle's layout against the zip commands it
// replaces: the folder's files at the root in lexical order, dotfiles, dot
// folders and *.tmp left out, then the extra files by base name; no
// directory entries and no extra fields; deflated, or stored where
// deflate does not help; the files' modes and times (two-second DOS time).
func TestBundle(t *testing.T) {
	dir := t.TempDir()
	static := filepath.Join(dir, "static")
	noise := make([]byte, 4096)
	_, _ = rand.Read(noise)
	tree(t, static, map[string]string{
		"index.html":          strings.Repeat("<p>socred</p>\n", 100),
		"js/page.js":          "export {};\n",
		"js/lang/en.js":       "export default {};\n",
		"socred.wasm.br":      string(noise),
		".DS_Store":           "x",
		"js/.notes":           "x",
		".cache/a.css":        "x",
		"socred.wasm.br.tmp":  "half",
		"zz/deep/er/file.txt": "deep",
	})
	require.NoError(t, os.Chmod(filepath.Join(static, "js", "page.js"), 0o755))
	when := time.Date(2026, 3, 4, 5, 6, 7, 0, time.Local)
	require.NoError(t, os.Chtimes(filepath.Join(static, "index.html"), when, when))
	deploy := filepath.Join(dir, "deploy")
	tree(t, deploy, map[string]string{"config.json": "{}\n", "DEPLOY.md": "# Deploy\n"})

	out := filepath.Join(dir, "bundle.zip")
	require.NoError(t, run([]string{"zip", out, static, filepath.Join(deploy, "config.json"), filepath.Join(deploy, "DEPLOY.md")}, io.Discard))
	zr, err := zip.OpenReader(out)
	require.NoError(t, err)
	defer zr.Close()
	var names []string
	byName := map[string]*zip.File{}
	for _, f := range zr.File {
		names = append(names, f.Name)
		byName[f.Name] = f
		assert.Empty(t, f.Extra, "%s: no extra fields (zip -X)", f.Name)
		assert.Equal(t, uint16(3<<8|30), f.CreatorVersion, "%s: made by Info-ZIP 3.0 on Unix", f.Name)
		assert.Zero(t, f.Flags&0x8, "%s: sizes in the local header, no data descriptor", f.Name)
	}
	assert.Equal(t, []string{"index.html", "js/lang/en.js", "js/page.js", "socred.wasm.br", "zz/deep/er/file.txt", "config.json", "DEPLOY.md"}, names)
	assert.Equal(t, zip.Deflate, byName["index.html"].Method)
	assert.Equal(t, zip.Store, byName["socred.wasm.br"].Method, "brotli output does not deflate: stored")
	assert.Equal(t, os.FileMode(0o755), byName["js/page.js"].Mode())
	assert.Equal(t, os.FileMode(0o644), byName["index.html"].Mode())
	assert.Equal(t, "2026-03-04 05:06:08", byName["index.html"].Modified.Format(time.DateTime), "the DOS time: local, an odd second rounded up")
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err, f.Name)
		src := filepath.Join(static, filepath.FromSlash(f.Name))
		if f.Name == "config.json" || f.Name == "DEPLOY.md" {
			src = filepath.Join(deploy, f.Name)
		}
		want, err := os.ReadFile(src)
		require.NoError(t, err)
		assert.True(t, bytes.Equal(want, b), "%s", f.Name)
	}

	t.Run("the same entries as the zip command's", func(t *testing.T) {
		cli, err := exec.LookPath("zip")
		if err != nil {
			t.Skip("skipped: no zip command to compare with (apt-get install zip)")
		}
		ref := filepath.Join(dir, "ref.zip")
		cmd := exec.Command(cli, "-q", "-r", "-X", "-D", ref, ".", "-x", ".*", "*/.*", "*.tmp")
		cmd.Dir = static
		o, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", o)
		cmd = exec.Command(cli, "-q", "-X", "-D", ref, "config.json", "DEPLOY.md")
		cmd.Dir = deploy
		o, err = cmd.CombinedOutput()
		require.NoError(t, err, "%s", o)
		rr, err := zip.OpenReader(ref)
		require.NoError(t, err)
		defer rr.Close()
		type entry struct {
			name   string
			mode   os.FileMode
			method uint16
			time   string
		}
		list := func(files []*zip.File) []entry {
			var es []entry
			for _, f := range files {
				es = append(es, entry{f.Name, f.Mode(), f.Method, f.Modified.Format(time.DateTime)})
			}
			sort.Slice(es, func(i, j int) bool { return es[i].name < es[j].name })
			return es
		}
		assert.Equal(t, list(rr.File), list(zr.File), "zip lists the folder in the order it reads it; the set is the same")
	})
}

func TestSums(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"socred-a": "abc", "socred-static.zip": ""})
	out := filepath.Join(dir, "SHA256SUMS")
	require.NoError(t, run([]string{"sums", out, filepath.Join(dir, "socred-a"), filepath.Join(dir, "socred-static.zip")}, io.Discard))
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  socred-a\n"+
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  socred-static.zip\n", string(b))

	t.Run("sha256sum -c checks them", func(t *testing.T) {
		cli, err := exec.LookPath("sha256sum")
		if err != nil {
			t.Skip("skipped: no sha256sum command (coreutils)")
		}
		cmd := exec.Command(cli, "-c", "--strict", "SHA256SUMS")
		cmd.Dir = dir
		o, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", o)
	})

	t.Run("a name sha256sum would escape is refused", func(t *testing.T) {
		bad := filepath.Join(dir, `a\b`)
		require.NoError(t, os.WriteFile(bad, nil, 0o644))
		err := run([]string{"sums", filepath.Join(dir, "OTHER"), bad}, io.Discard)
		require.ErrorContains(t, err, "backslash")
		_, err = os.Stat(filepath.Join(dir, "OTHER.tmp"))
		assert.True(t, os.IsNotExist(err), "no half-written file left")
		_, err = os.Stat(filepath.Join(dir, "OTHER"))
		assert.True(t, os.IsNotExist(err))
	})
}

// TestSize checks make size's line: the brotli figure is the golden's
// length (the brotli command's), the gzip one gzipTo's.
func TestSize(t *testing.T) {
	in := filepath.Join(t.TempDir(), "m.wasm")
	require.NoError(t, os.WriteFile(in, sample(1000), 0o644))
	var out bytes.Buffer
	require.NoError(t, run([]string{"size", in}, &out))
	golden, err := os.ReadFile(filepath.Join("testdata", "sample-1000.br"))
	require.NoError(t, err)
	var gz bytes.Buffer
	require.NoError(t, gzipTo(&gz, sample(1000)))
	assert.Equal(t, fmt.Sprintf("m.wasm                        1000 B raw %9d B brotli -q 11 %9d B gzip -9\n", len(golden), gz.Len()), out.String())
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"br", "in"}, {"gz"}, {"zip", "out"}, {"sums", "out"}, {"size"}, {"tar", "a", "b"}} {
		assert.ErrorIs(t, run(args, io.Discard), errUsage, "%q", args)
	}
	err := run([]string{"br", filepath.Join(t.TempDir(), "missing"), filepath.Join(t.TempDir(), "out")}, io.Discard)
	assert.ErrorIs(t, err, os.ErrNotExist, "a missing input names itself")
}
