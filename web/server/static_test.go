package server

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gzipped is b compressed with gzip, as `make wasm` writes socred.wasm.gz.
func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	require.NoError(t, err)
	_, err = zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return out.Bytes()
}

// precompressed is a page folder as `make wasm` leaves it: the module with
// its .br and .gz beside it, a script with only a .gz, and a page with
// neither. The server never compresses, so the .br needs no real brotli:
// what is checked is that exactly this file is served, and how.
func precompressed(t *testing.T) (dir string, files map[string][]byte) {
	t.Helper()
	dir = staticDir(t)
	wasm, err := os.ReadFile(filepath.Join(dir, "socred.wasm"))
	require.NoError(t, err)
	js, err := os.ReadFile(filepath.Join(dir, "app.js"))
	require.NoError(t, err)
	files = map[string][]byte{
		"socred.wasm":    wasm,
		"socred.wasm.br": []byte("brotli stand-in for socred.wasm"),
		"socred.wasm.gz": gzipped(t, wasm),
		"app.js":         js,
		"app.js.gz":      gzipped(t, js),
	}
	// One time for all, as make leaves them: a variant older than its file
	// is not served (see below).
	built := time.Now().Add(-time.Minute).Truncate(time.Second)
	for name, b := range files {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, b, 0o644))
		require.NoError(t, os.Chtimes(path, built, built))
	}
	return dir, files
}

func TestStaticFiles(t *testing.T) {
	dir, files := precompressed(t)
	_, ts := newServer(t, Config{Static: dir})

	t.Run("the module as it is, to a client that accepts no encoding", func(t *testing.T) {
		resp, body := get(t, ts.URL+"/socred.wasm", nil)
		assert.Equal(t, "application/wasm", resp.Header.Get("Content-Type"))
		assert.Empty(t, resp.Header.Get("Content-Encoding"))
		assert.Equal(t, "Accept-Encoding", resp.Header.Get("Vary"), "caches must key on Accept-Encoding")
		assert.Equal(t, "no-cache", resp.Header.Get("Cache-Control"))
		assert.Equal(t, files["socred.wasm"], body)
	})
	t.Run("the module's .br to a browser", func(t *testing.T) {
		resp, body := get(t, ts.URL+"/socred.wasm", http.Header{"Accept-Encoding": {"gzip, deflate, br, zstd"}})
		assert.Equal(t, "br", resp.Header.Get("Content-Encoding"))
		assert.Equal(t, "application/wasm", resp.Header.Get("Content-Type"), "the original's type, not the .br's")
		assert.Equal(t, "Accept-Encoding", resp.Header.Get("Vary"))
		assert.Equal(t, files["socred.wasm.br"], body)
	})
	t.Run("the module's .gz when br is refused", func(t *testing.T) {
		resp, body := get(t, ts.URL+"/socred.wasm", http.Header{"Accept-Encoding": {"br;q=0, gzip"}})
		assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
		assert.Equal(t, files["socred.wasm.gz"], body)
		zr, err := gzip.NewReader(bytes.NewReader(body))
		require.NoError(t, err)
		var plain bytes.Buffer
		_, err = plain.ReadFrom(zr)
		require.NoError(t, err)
		assert.Equal(t, files["socred.wasm"], plain.Bytes())
	})
	t.Run("gzip when br is accepted but only a .gz exists", func(t *testing.T) {
		resp, body := get(t, ts.URL+"/app.js", http.Header{"Accept-Encoding": {"br, gzip"}})
		assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
		assert.Equal(t, "text/javascript; charset=utf-8", resp.Header.Get("Content-Type"))
		assert.Equal(t, files["app.js.gz"], body)
	})
	t.Run("nothing is compressed at request time", func(t *testing.T) {
		resp, body := get(t, ts.URL+"/", http.Header{"Accept-Encoding": {"br, gzip"}})
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Empty(t, resp.Header.Get("Content-Encoding"), "index.html has no precompressed form")
		assert.Empty(t, resp.Header.Get("Vary"), "and so only one representation")
		assert.Contains(t, string(body), "<title>socred</title>")
	})
	t.Run("an ETag per variant, and 304 only for the same one", func(t *testing.T) {
		etags := map[string]string{}
		for _, enc := range []string{"", "br", "gzip"} {
			resp, _ := get(t, ts.URL+"/socred.wasm", http.Header{"Accept-Encoding": {enc}})
			require.Equal(t, enc, resp.Header.Get("Content-Encoding"))
			etags[enc] = resp.Header.Get("ETag")
			require.NotEmpty(t, etags[enc], enc)
		}
		assert.NotEqual(t, etags[""], etags["br"])
		assert.NotEqual(t, etags[""], etags["gzip"])
		assert.NotEqual(t, etags["br"], etags["gzip"])
		resp, body := get(t, ts.URL+"/socred.wasm", http.Header{"If-None-Match": {etags["br"]}, "Accept-Encoding": {"br"}})
		assert.Equal(t, http.StatusNotModified, resp.StatusCode)
		assert.Empty(t, body)
		resp, _ = get(t, ts.URL+"/socred.wasm", http.Header{"If-None-Match": {etags["br"]}, "Accept-Encoding": {"gzip"}})
		assert.Equal(t, http.StatusOK, resp.StatusCode, "the gzip form is another representation")
	})
	t.Run("a variant older than its file is not served", func(t *testing.T) {
		// A module rebuilt without `make wasm` rewriting its .br: the old
		// .br would start the old module.
		file := filepath.Join(dir, "socred.wasm")
		rebuilt := append([]byte("\x00asm\x01\x00\x00\x00"), strings.Repeat("rebuilt", 100)...)
		require.NoError(t, os.WriteFile(file, rebuilt, 0o644))
		later := time.Now().Add(time.Hour)
		require.NoError(t, os.Chtimes(file, later, later))
		resp, body := get(t, ts.URL+"/socred.wasm", http.Header{"Accept-Encoding": {"br, gzip"}})
		assert.Empty(t, resp.Header.Get("Content-Encoding"))
		assert.Equal(t, rebuilt, body)
	})
	t.Run("a rebuilt file is picked up", func(t *testing.T) {
		resp, _ := get(t, ts.URL+"/app.js", nil)
		old := resp.Header.Get("ETag")
		file := filepath.Join(dir, "app.js")
		require.NoError(t, os.WriteFile(file, []byte("console.log('rebuilt');"), 0o644))
		require.NoError(t, os.Chtimes(file, time.Now(), time.Now().Add(2*time.Hour)))
		resp, body := get(t, ts.URL+"/app.js", http.Header{"If-None-Match": {old}})
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "console.log('rebuilt');", string(body))
		assert.Equal(t, "text/javascript; charset=utf-8", resp.Header.Get("Content-Type"))
	})
	for _, path := range []string{"/.secret", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2fserver.go", "/nope.js", "/sub/"} {
		t.Run("404 for "+path, func(t *testing.T) {
			resp, body := get(t, ts.URL+path, nil)
			assert.Equal(t, http.StatusNotFound, resp.StatusCode, "%s", body)
			assert.NotContains(t, string(body), "never served")
			assert.NotContains(t, string(body), "root:")
		})
	}
	t.Run("POST to the page is refused", func(t *testing.T) {
		resp, err := http.Post(ts.URL+"/", "text/plain", strings.NewReader("x"))
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	})
}

// TestStaticFS serves files from a file system, as the socred command does
// with the ones built into it (embed.FS: no modification times).
func TestStaticFS(t *testing.T) {
	wasm := []byte("\x00asm\x01\x00\x00\x00 built in")
	fsys := fstest.MapFS{
		"index.html":     {Data: []byte("<!doctype html><title>built in</title>")},
		"socred.wasm":    {Data: wasm},
		"socred.wasm.br": {Data: []byte("brotli stand-in")},
		"socred.wasm.gz": {Data: gzipped(t, wasm)},
	}
	_, ts := newServer(t, Config{StaticFS: fsys})
	resp, body := get(t, ts.URL+"/", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), "built in")
	resp, body = get(t, ts.URL+"/socred.wasm", http.Header{"Accept-Encoding": {"gzip, deflate, br"}})
	assert.Equal(t, "br", resp.Header.Get("Content-Encoding"))
	assert.Equal(t, "application/wasm", resp.Header.Get("Content-Type"))
	assert.Equal(t, "brotli stand-in", string(body))
	assert.Empty(t, resp.Header.Get("Last-Modified"), "an embedded file has no time")
	assert.NotEmpty(t, resp.Header.Get("ETag"))
}

func TestChooseEncoding(t *testing.T) {
	both := func(string) bool { return true }
	onlyGzip := func(c string) bool { return c == "gzip" }
	for name, tc := range map[string]struct {
		accept string
		have   func(string) bool
		want   string
	}{
		"nothing accepted":             {"", both, ""},
		"gzip":                         {"gzip", both, "gzip"},
		"br":                           {"br", both, "br"},
		"br preferred":                 {"gzip, br", both, "br"},
		"br refused":                   {"br;q=0, gzip;q=0.5", both, "gzip"},
		"case-insensitive":             {"BR", both, "br"},
		"identity only":                {"identity", both, ""},
		"gzip refused":                 {"gzip;q=0", both, ""},
		"any encoding":                 {"*", both, "br"},
		"any but br":                   {"br;q=0, *", both, "gzip"},
		"br accepted, only a .gz file": {"br, gzip", onlyGzip, "gzip"},
		"br only, only a .gz file":     {"br", onlyGzip, ""},
	} {
		assert.Equal(t, tc.want, chooseEncoding(tc.accept, tc.have), "%s: %q", name, tc.accept)
	}
}
