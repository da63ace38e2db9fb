package server

import (
	"bytes"
	"compress/gzip"
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

	"github.com/andybalholm/brotli"
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

// compressible are the types worth compressing.
var compressible = map[string]bool{".html": true, ".js": true, ".mjs": true, ".css": true, ".json": true, ".wasm": true, ".svg": true, ".txt": true}

// static serves files from a folder, read through os.Root so no path can
// leave it, cached in memory (raw and compressed) until the file changes.
type static struct {
	root *os.Root

	mu    sync.Mutex
	cache map[string]*asset
	// best serialises the slow brotli passes, so they never take both cores.
	best sync.Mutex
}

// asset is one file's bytes and its compressed forms.
type asset struct {
	name    string
	mod     time.Time
	size    int64
	raw     []byte
	etag    string
	gz, br  []byte
	brLevel int
	mu      sync.Mutex
}

func newStatic(dir string) (*static, error) {
	if dir == "" {
		return nil, errors.New("server: no static folder")
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("server: static folder: %w", err)
	}
	return &static{root: root, cache: map[string]*asset{}}, nil
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
	ext := path.Ext(name)
	ct, ok := contentTypes[ext]
	if !ok {
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Cache-Control", "no-cache")
	body, etag := a.raw, a.etag
	if compressible[ext] {
		h.Add("Vary", "Accept-Encoding")
		switch enc := chooseEncoding(r.Header.Get("Accept-Encoding")); enc {
		case "br":
			var level int
			body, level = s.brotli(a)
			etag = strings.TrimSuffix(a.etag, `"`) + "-br" + strconv.Itoa(level) + `"`
			h.Set("Content-Encoding", "br")
		case "gzip":
			body = a.gzip()
			etag = strings.TrimSuffix(a.etag, `"`) + `-gz"`
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", a.mod, bytes.NewReader(body))
}

// load returns the cached asset, re-reading the file when its size or
// modification time changed.
func (s *static) load(name string) (*asset, error) {
	f, err := s.root.Open(name)
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
	a = &asset{name: name, mod: fi.ModTime(), size: fi.Size(), raw: raw, etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
	s.mu.Lock()
	s.cache[name] = a
	s.mu.Unlock()
	return a, nil
}

// chooseEncoding picks br, else gzip, else "" from an Accept-Encoding value,
// honouring q=0.
func chooseEncoding(accept string) string {
	ok := map[string]bool{}
	for _, part := range strings.Split(accept, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		q := 1.0
		if k, v, found := strings.Cut(strings.TrimSpace(params), "="); found && strings.TrimSpace(k) == "q" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = f
			}
		}
		ok[coding] = q > 0
	}
	switch {
	case ok["br"]:
		return "br"
	case ok["gzip"]:
		return "gzip"
	}
	return ""
}

// Brotli levels: a fast one on the first request, then the best one,
// computed in the background (about 10 s for a 4 MB module on two cores,
// for some 13 % less to send).
const (
	brotliFast = 5
	brotliBest = 11
)

func (s *static) brotli(a *asset) ([]byte, int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.br == nil {
		a.br, a.brLevel = compressBrotli(a.raw, brotliFast), brotliFast
		if len(a.raw) > 1<<10 {
			go s.upgrade(a)
		}
	}
	return a.br, a.brLevel
}

func (s *static) upgrade(a *asset) {
	s.best.Lock()
	defer s.best.Unlock()
	best := compressBrotli(a.raw, brotliBest)
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(best) < len(a.br) {
		a.br, a.brLevel = best, brotliBest
	}
}

func compressBrotli(raw []byte, level int) []byte {
	var b bytes.Buffer
	w := brotli.NewWriterLevel(&b, level)
	_, _ = w.Write(raw)
	_ = w.Close()
	return b.Bytes()
}

func (a *asset) gzip() []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.gz == nil {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = w.Write(a.raw)
		_ = w.Close()
		a.gz = b.Bytes()
	}
	return a.gz
}
