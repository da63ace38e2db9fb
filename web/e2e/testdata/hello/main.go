//go:build js && wasm

// Command hello is the floor socred's module is measured against: the
// smallest useful Go wasm program, which sets one global and waits for
// calls. make size and make bench (web/e2e/bench_test.go) build it with
// -trimpath -ldflags='-s -w', as the Makefile builds socred.wasm.
package main

import "syscall/js"

func main() {
	js.Global().Set("hello", "ready")
	select {}
}
