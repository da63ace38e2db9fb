//go:build js && wasm

// Command socred is the WebAssembly module the page loads: it installs the
// socred JavaScript API on the global socred object and waits for calls.
// The Makefile builds it into web/static/socred.wasm.
package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/hack-pad/safejs"

	"socred/wasm"
)

// version is the API's version; the build adds the VCS revision.
const version = "0.1.0"

func main() {
	g := safejs.Global()
	obj, err := g.Get("socred")
	if err == nil && (obj.IsUndefined() || obj.IsNull()) {
		obj, err = safejs.Global().Get("Object")
		if err == nil {
			obj, err = obj.New()
		}
		if err == nil {
			err = g.Set("socred", obj)
		}
	}
	if err == nil {
		_, err = wasm.Register(obj, fullVersion())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "socred: cannot start:", err)
		os.Exit(1)
	}
	select {}
}

// fullVersion is version plus the short VCS revision the build recorded.
func fullVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return version
	}
	if dirty {
		rev += "-dirty"
	}
	return version + "+" + rev
}
