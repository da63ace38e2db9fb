// Package web holds socred's browser files, built into the socred command
// so that one binary is the whole installation: the page (static/, with
// the module and its precompressed forms once `make wasm` has built them)
// and the example portal (portal/).
//
// The folders are embedded whole, so a fresh clone compiles before `make
// wasm` (a missing module is simply absent, which Missing reports); files whose
// names start with "." or "_" are left out, as go:embed does for folders.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static portal
var files embed.FS

// Static is the page's folder: index.html, its scripts and styles,
// wasm_exec.js, and the modules socred.wasm and socred-batch.wasm, each
// with its .br and .gz.
func Static() fs.FS { return sub("static") }

// Portal is the example portal's folder (index.html is a template).
func Portal() fs.FS { return sub("portal") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic("web: " + err.Error()) // dir is a constant embedded above
	}
	return f
}

// ModuleFiles are the files without which the page cannot start (or, for
// socred-batch.wasm, cannot do many associates at once): the modules, their
// loader's half from the toolchain, and the page's script (its modules in
// one file), all built by make wasm.
var ModuleFiles = []string{"socred.wasm", "socred-batch.wasm", "wasm_exec.js", "js/page.bundle.js"}

// Missing returns those of ModuleFiles that fsys lacks: the page's folder
// before `make wasm`.
func Missing(fsys fs.FS) []string {
	var missing []string
	for _, name := range ModuleFiles {
		if fi, err := fs.Stat(fsys, name); err != nil || !fi.Mode().IsRegular() {
			missing = append(missing, name)
		}
	}
	return missing
}
