package server

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"slices"
	"strings"
)

// Portal serves the example portal (web/portal) on its own origin: a host
// page that embeds socred both ways, the <socred-credentials> element and
// the page in an iframe. Its index.html is an html/template given
// {{.Socred}} (socred's origin); its other files are served as they are.
// Its CSP is the one the README tells a portal to use.
type Portal struct {
	socred string
	csp    string
	index  *template.Template
	files  http.Handler
	hosts  []string
}

// PortalCSP is the Content-Security-Policy of a host page that embeds socred
// served from socredOrigin: the element needs its scripts (script-src), its
// files and the NetServer calls (connect-src) and 'wasm-unsafe-eval'; its
// batch module's worker, started from a blob: URL of the portal's origin
// (a worker script of another origin cannot start), needs worker-src
// blob: (without it the module runs in the page); the iframe needs
// frame-src. Styles come as constructed stylesheets, which
// style-src does not govern.
func PortalCSP(socredOrigin string) string {
	return "default-src 'self'; script-src 'self' " + socredOrigin + " 'wasm-unsafe-eval'; " +
		"connect-src 'self' " + socredOrigin + "; style-src 'self'; img-src 'self' data:; " +
		"worker-src blob:; frame-src " + socredOrigin + "; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
}

// NewPortal serves the folder dir as the example portal for socred at
// socredOrigin; with hosts set, other Host headers get 421.
func NewPortal(dir, socredOrigin string, hosts []string) (*Portal, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("server: portal: %w", err)
	}
	return NewPortalFS(root.FS(), socredOrigin, hosts)
}

// NewPortalFS is NewPortal for the portal's files in fsys (web.Portal(),
// the ones built into the binary).
func NewPortalFS(fsys fs.FS, socredOrigin string, hosts []string) (*Portal, error) {
	if err := CheckOrigin(socredOrigin); err != nil {
		return nil, err
	}
	index, err := template.ParseFS(fsys, "index.html")
	if err != nil {
		return nil, fmt.Errorf("server: portal: %w", err)
	}
	return &Portal{
		socred: socredOrigin,
		csp:    PortalCSP(socredOrigin),
		index:  index,
		files:  http.FileServerFS(fsys),
		hosts:  hosts,
	}, nil
}

func (p *Portal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", p.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if len(p.hosts) > 0 && !slices.Contains(p.hosts, strings.ToLower(r.Host)) {
		http.Error(w, "socred portal: unexpected Host", http.StatusMisdirectedRequest)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Path != "/" && r.URL.Path != "/index.html" {
		if strings.Contains(r.URL.Path, "/.") {
			http.NotFound(w, r)
			return
		}
		p.files.ServeHTTP(w, r)
		return
	}
	var b bytes.Buffer
	if err := p.index.Execute(&b, struct{ Socred string }{p.socred}); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	_, _ = w.Write(b.Bytes())
}
