//go:build js && wasm && socred_batch

// Command socred-batch is the second WebAssembly module: socred.batch (many
// associates at once from a spreadsheet, and the audit), which socred.js
// loads only when the page first needs it (socred.batch.load()), so that
// the single-record module stays small and starts fast. It installs its
// functions on the global socred.batch, replacing the loader's stand-ins,
// and waits for calls. The Makefile builds it into
// web/static/socred-batch.wasm.
package main

import (
	"syscall"

	"socred/wasm"
	"socred/wasm/internal/jsv"
)

// version is set as for the socred module (the Makefile's -X main.version).
var version = "0.1.0"

func main() {
	obj, err := jsv.Global().Get("socred")
	if err == nil && obj.Type() != jsv.TypeObject {
		obj, err = jsv.Global().Get("Object")
		if err == nil {
			obj, err = obj.New()
		}
		if err == nil {
			err = jsv.Global().Set("socred", obj)
		}
	}
	if err == nil {
		_, err = wasm.RegisterBatch(obj, version)
	}
	if err != nil {
		if c, cerr := jsv.Global().Get("console"); cerr == nil {
			_, _ = c.Call("error", "socred: the batch module cannot start: "+err.Error())
		}
		syscall.Exit(1)
	}
	select {}
}
