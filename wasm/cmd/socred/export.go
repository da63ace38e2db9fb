//go:build js && wasm

package main

import "socred/wasm"

// The module's exports for the calls that wait for nothing (wasm/export.go
// says how they work; web/static/socred.js calls them). They are declared
// here, not in package wasm, so that socred-batch.wasm, which imports it
// too, does not export them.

//go:wasmexport socred_request
func socredRequest(n int32) uint32 { return uint32(wasm.RequestBuffer(n)) }

//go:wasmexport socred_call
func socredCall(op, n int32) int32 { return wasm.Call(op, n) }

//go:wasmexport socred_result
func socredResult() uint32 { return uint32(wasm.ResultBuffer()) }

//go:wasmexport socred_result_length
func socredResultLength() int32 { return wasm.ResultLength() }
