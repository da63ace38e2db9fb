// Package jsapi is the socred JavaScript API's requests and results as Go
// values and JSON, without syscall/js: what package wasm hands it from the
// page, and what it hands back.
//
// A call crosses in one walk: the request object, as its JSON text or the
// object itself (a Value, which package wasm wraps), is read by one reader
// (ReadCall, request.go) into one Go request type (Call); package soap
// builds, signs and classifies; the result (ResponseValue, EnvelopeValue,
// ErrorValue: result.go, errors.go) is written by one writer (AppendJSON,
// json.go) as the JSON text JavaScript parses.
//
// It owns: the JSON reader and writer (json.go), the request's fields and
// their problems in form order (request.go, url.go, signature.go,
// connection.go), the shape of results and of every error.kind
// (result.go, errors.go, callerrors.go), the masked preview and its curl
// command (preview.go), a call's deadline (deadline.go) and, in the batch
// module, the shape of socred.batch's results (batch.go).
//
// It must not import syscall/js (so it tests natively, with -race and
// fuzzing), nor anything the browser module must not link: fmt, reflect,
// encoding/json, encoding/xml, crypto/* (wasm's TestModuleDeps checks).
// What needs the browser is asked through small interfaces package wasm
// implements: a Value (and DateValue, BytesValue, Stringifier) and a
// URLParser.
//
// References:
//   - JSON: RFC 8259; JSON.stringify:
//     https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/JSON/stringify
//   - URL: https://url.spec.whatwg.org/ and https://developer.mozilla.org/docs/Web/API/URL
package jsapi
