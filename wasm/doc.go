//go:build js && wasm

// Package wasm is socred's JavaScript boundary: it exposes the global socred
// object (buildEnvelope, save, list, remove, login, user, loadKey, clearKey)
// to the page, converts the plain JavaScript objects it receives into
// soap.Request values and back (mapping.go), sends envelopes with the
// browser's own fetch (fetch.go) and turns every failure into a result
// object whose error.kind says what went wrong (errors.go).
//
// Nothing below this package sees a js.Value: package soap gets Go values
// and bytes, and hands back Go values and typed errors.
//
// Every asynchronous export returns a Promise and does its work in a
// goroutine, so no js.FuncOf callback ever blocks (promise.go).
//
// References:
//   - Fetch: https://fetch.spec.whatwg.org/ and
//     https://developer.mozilla.org/docs/Web/API/Window/fetch
//   - AbortController: https://developer.mozilla.org/docs/Web/API/AbortController
//   - Streams (body reader): https://developer.mozilla.org/docs/Web/API/ReadableStreamDefaultReader
//   - CORS preflight: https://fetch.spec.whatwg.org/#cors-preflight-fetch
//   - Promise: https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Promise
package wasm
