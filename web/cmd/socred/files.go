package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"strings"

	"socred/web"
)

// version is socred's version, set at link time by make (-X
// main.version=…, the module's version too); empty in a plain go build.
var version string

// versionString is version, or for a plain go build "devel" and the VCS
// revision the toolchain recorded.
func versionString() string {
	if version != "" {
		return version
	}
	v := "devel"
	if info, ok := debug.ReadBuildInfo(); ok {
		var rev, dirty string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "-dirty"
				}
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			v += "+" + rev + dirty
		}
	}
	return v
}

// errNoModule is a binary built before `make wasm`: its page could not start.
var errNoModule = errors.New("this socred binary was built without its WebAssembly module, so its page could not start: build it with `make dist` (or `make wasm`, then go build), or serve a folder that has it with -static")

// pageFiles is the page's file system: builtIn (web.Static(), the files
// built into the binary), which must hold the module, or nil for a -static
// folder, which the server opens itself.
func pageFiles(dir string, builtIn fs.FS) (fs.FS, error) {
	if dir != "" {
		return nil, nil
	}
	if missing := web.Missing(builtIn); len(missing) > 0 {
		return nil, fmt.Errorf("%w (missing: %s)", errNoModule, strings.Join(missing, ", "))
	}
	return builtIn, nil
}

// versionLine is the start-up line's text: the version and where the page
// comes from, with a warning when a -static folder has no module yet.
func versionLine(dir string) string {
	if dir == "" {
		return versionString() + " (page built in)"
	}
	line := versionString() + " (page from the folder " + dir + ")"
	if root, err := os.OpenRoot(dir); err == nil {
		defer root.Close()
		if missing := web.Missing(root.FS()); len(missing) > 0 {
			what := "the page will say it cannot start"
			if len(missing) == 1 && missing[0] == "socred-batch.wasm" {
				what = "the page will say its Batch and Audit cannot start"
			}
			line += "; it has no " + orList(missing) + " (run `make wasm`): " + what
		}
	}
	return line
}

// portalFiles is the example portal's file system: the folder dir (read
// through os.Root, so no path leaves it), or the built-in portal when dir
// is empty; nil when dir cannot be opened.
func portalFiles(dir string) fs.FS {
	if dir == "" {
		return web.Portal()
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil
	}
	return root.FS()
}

// orList joins names as "a", "a or b", "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
