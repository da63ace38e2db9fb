//go:build js && wasm

// Command socred is the WebAssembly module the page loads: it installs the
// socred JavaScript API on the global socred object and waits for calls.
// The Makefile builds it into web/static/socred.wasm.
package main

import (
	"syscall"

	"socred/wasm"
	"socred/wasm/internal/jsv"
)

// version is the API's version. The Makefile adds the VCS revision with
// -ldflags '-X main.version=0.1.0+REV[-dirty]'; reading it at start-up with
// runtime/debug.ReadBuildInfo cost 36 KB of module and a parse on every
// page load.
var version = "0.1.0"

func main() {
	g := jsv.Global()
	obj, err := g.Get("socred")
	if err == nil && (obj.IsUndefined() || obj.IsNull()) {
		obj, err = jsv.Global().Get("Object")
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
		// Said on the console, where a developer looks (fmt and os would add
		// their weight to the module for this one line); the page's loader
		// reports the missing API itself.
		if c, cerr := jsv.Global().Get("console"); cerr == nil {
			_, _ = c.Call("error", "socred: cannot start: "+err.Error())
		}
		syscall.Exit(1)
	}
	select {}
}
