//go:build js && wasm

// Package wasm is socred's JavaScript boundary, and only that: it exposes
// the global socred object (buildEnvelope, save, list, remove, login, user,
// loadKey, clearKey; socred.batch in the batch module) to the page, sends
// envelopes with the browser's own fetch (fetch.go), signs with WebCrypto
// (sign.go, webcrypto.go) and settles Promises (promise.go).
//
// Everything that does not need syscall/js is package jsapi's, which tests
// natively. A call walks: the request object, wrapped as a jsapi.Value
// (object.go: its JSON text, or the object itself where JSON cannot say) →
// jsapi.ReadCall → a jsapi.Call → soap.Build (and Sign) → post → soap.Classify
// → jsapi.ResponseValue, or jsapi.ErrorValue for a failure → toJS (one
// JSON text, one JSON.parse). Nothing below this package sees a js.Value.
//
// Every asynchronous export returns a Promise and does its work in a
// goroutine, so no js.FuncOf callback ever blocks (promise.go). Every file
// here builds only for js/wasm (wasm_tags_test.go checks).
//
// References:
//   - Fetch: https://fetch.spec.whatwg.org/ and
//     https://developer.mozilla.org/docs/Web/API/Window/fetch
//   - AbortController: https://developer.mozilla.org/docs/Web/API/AbortController
//   - Streams (body reader): https://developer.mozilla.org/docs/Web/API/ReadableStreamDefaultReader
//   - CORS preflight: https://fetch.spec.whatwg.org/#cors-preflight-fetch
//   - Promise: https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Promise
package wasm
