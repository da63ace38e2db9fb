package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxAsset bounds the size of one served file.
const maxAsset = 64 << 20

// contentTypes are the page's file types; anything else is served as bytes.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".json":  "application/json",
	".wasm":  "application/wasm",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".txt":   "text/plain; charset=utf-8",
	".woff2": "font/woff2",
}

// encodings are the precompressed forms a file may have beside it, in the
// order they are preferred: the Content-Encoding and the file name suffix.
var encodings = []struct{ coding, suffix string }{{"br", ".br"}, {"gzip", ".gz"}}

// static serves the page's files from a file system (the files built into
// the binary, or a folder read through os.Root so no path can leave it),
// cached in memory until a file changes. It never compresses: where the
// build wrote name.br or name.gz beside name (`make wasm` does for the
// module), a browser that accepts that encoding gets that file, with name's
// Content-Type, Content-Encoding, Vary: Accept-Encoding and its own ETag.
type static struct {
	fsys fs.FS

	mu    sync.Mutex
	cache map[string]*asset
}

// asset is one file's bytes.
type asset struct {
	mod  time.Time
	size int64
	raw  []byte
	etag string
}

// newStatic serves fsys, or the folder dir when fsys is nil.
func newStatic(dir string, fsys fs.FS) (*static, error) {
	if fsys == nil {
		if dir == "" {
			return nil, errors.New("server: no static folder")
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			return nil, fmt.Errorf("server: static folder: %w", err)
		}
		fsys = root.FS()
	}
	return &static{fsys: fsys, cache: map[string]*asset{}}, nil
}

func (s *static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	name := strings.TrimPrefix(path.Clean("/"+p), "/")
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") {
			http.NotFound(w, r)
			return
		}
	}
	a, err := s.load(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ct, ok := contentTypes[path.Ext(name)]
	if !ok {
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Cache-Control", "no-cache")
	body, etag := a.raw, a.etag
	if variants := s.variants(name, a); len(variants) > 0 {
		h.Add("Vary", "Accept-Encoding")
		if coding := chooseEncoding(r.Header.Get("Accept-Encoding"), func(c string) bool { return variants[c] != nil }); coding != "" {
			body, etag = variants[coding].raw, variants[coding].etag
			h.Set("Content-Encoding", coding)
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", a.mod, bytes.NewReader(body))
}

// variants are name's precompressed forms by Content-Encoding, leaving out
// one older than name itself (a module rebuilt without its .br would
// otherwise be served as the old one).
func (s *static) variants(name string, a *asset) map[string]*asset {
	var vs map[string]*asset
	for _, e := range encodings {
		v, err := s.load(name + e.suffix)
		if err != nil || v.mod.Before(a.mod) {
			continue
		}
		if vs == nil {
			vs = map[string]*asset{}
		}
		vs[e.coding] = v
	}
	return vs
}

// load returns the cached asset, re-reading the file when its size or
// modification time changed.
func (s *static) load(name string) (*asset, error) {
	f, err := s.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxAsset {
		return nil, fs.ErrNotExist
	}
	s.mu.Lock()
	a := s.cache[name]
	s.mu.Unlock()
	if a != nil && a.mod.Equal(fi.ModTime()) && a.size == fi.Size() {
		return a, nil
	}
	raw, err := io.ReadAll(io.LimitReader(f, maxAsset))
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(raw)
	a = &asset{mod: fi.ModTime(), size: fi.Size(), raw: raw, etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
	s.mu.Lock()
	s.cache[name] = a
	s.mu.Unlock()
	return a, nil
}

// chooseEncoding picks, from an Accept-Encoding value, the first of br and
// gzip that the client accepts (honouring q=0 and *) and have says there is
// a file for; "" means the file as it is.
func chooseEncoding(accept string, have func(coding string) bool) string {
	q := map[string]float64{}
	for _, part := range strings.Split(accept, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding == "" {
			continue
		}
		q[coding] = 1
		if k, v, found := strings.Cut(strings.TrimSpace(params), "="); found && strings.TrimSpace(k) == "q" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q[coding] = f
			}
		}
	}
	for _, e := range encodings {
		v, listed := q[e.coding]
		if !listed {
			v, listed = q["*"]
		}
		if listed && v > 0 && have(e.coding) {
			return e.coding
		}
	}
	return ""
}
