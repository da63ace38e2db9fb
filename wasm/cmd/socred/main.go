//go:build js && wasm

// Command socred is the WebAssembly module the page loads: it installs the
// socred JavaScript API on the global socred object and waits for calls.
// The Makefile builds it into web/static/socred.wasm.
package main

import (
	"fmt"
	"os"

	"github.com/hack-pad/safejs"

	"socred/wasm"
)

// version is the API's version. The Makefile adds the VCS revision with
// -ldflags '-X main.version=0.1.0+REV[-dirty]'; reading it at start-up with
// runtime/debug.ReadBuildInfo cost 36 KB of module and a parse on every
// page load.
var version = "0.1.0"

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
		_, err = wasm.Register(obj, version)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "socred: cannot start:", err)
		os.Exit(1)
	}
	select {}
}
