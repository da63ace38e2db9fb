//go:build js && wasm

package wasm

import (
	"errors"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"socred/jsapi"
	"socred/soap"
)

// Calls that wait for nothing come in through //go:wasmexport (the
// module's exports, declared by the command, wasm/cmd/socred) rather than
// a js.FuncOf callback: a callback resumes Go's scheduler, about 10 µs a
// call; an export is a plain function call. The request crosses as the
// UTF-8 JSON text of JSON.stringify(req), written by socred.js straight
// into RequestBuffer with TextEncoder.encodeInto; the result as JSON text
// in ResultBuffer, which socred.js decodes and parses. An export must not
// wait for the event loop (a Promise, a timer, fetch): Call does none.
//
// See https://pkg.go.dev/cmd/compile#hdr-WebAssembly_Directives

// The operations Call performs.
const (
	// OpBuildEnvelope is socred.buildEnvelope(req) for an unsigned request,
	// the envelope's curl command left for socred.js to ask for (OpCurl).
	// Its result is the JSON text, of the length Call returns, with xml
	// null, followed by the envelope's bytes up to ResultLength.
	OpBuildEnvelope = 1
	// OpCurl is the curl command of an envelope request: the request of
	// OpBuildEnvelope again; the result is its curl command as a JSON string.
	OpCurl = 2
	// OpSave, OpList, OpRemove, OpLogin and OpUser read, validate and
	// build the unsigned request of socred.save, list, remove, login and
	// user. A request that fails there settles at once: the result is its
	// JSON, as for OpBuildEnvelope. One that is built is kept for the
	// fetch: Call returns StatusSend, the result being the call's number
	// in decimal, which socred.js hands at once to the syscall/js function
	// that sends it (API.sendPrepared), keeping its Promise.
	OpSave   = 3
	OpList   = 4
	OpRemove = 5
	OpLogin  = 6
	OpUser   = 7
)

// opMethods names the sending operations' methods, from OpSave on.
var opMethods = [...]string{"save", "list", "remove", "login", "user"}

// What Call returns besides a result's length (≥ 0: fulfil with
// JSON.parse of the result).
const (
	// StatusObject: the JSON text cannot say what the request holds (a
	// NaN, a Date where text belongs, a signature…): ask the syscall/js
	// function, which reads the object itself.
	StatusObject = -1
	// StatusError: reject with an Error whose message is the result text.
	StatusError = -2
	// StatusTypeError: reject with a TypeError (the call was not made as
	// the API says).
	StatusTypeError = -3
	// StatusSend: the request is built; the result is the number under
	// which it waits for API.sendPrepared.
	StatusSend = -4
)

// exportState holds the buffers the exports share with socred.js. Go's
// collector does not move objects, so an address stays valid as long as
// the slice is kept here.
type exportState struct {
	req, res []byte
	n        int // the result's length
	// The calls built for sending (OpSave…), until sendPrepared takes
	// them; socred.js sends each at once, in the same turn of the event
	// loop. One goroutine runs at a time in js/wasm: no lock.
	prepared map[int32]prepared
	lastID   int32
}

// prepared is a sending call built by Call, waiting for its fetch.
type prepared struct {
	c   *jsapi.Call
	env *soap.Envelope
}

var exportBuffers exportState

// RequestBuffer returns the address of a buffer of at least n bytes for
// the request text, valid until the next call into Go.
func RequestBuffer(n int32) uintptr {
	if n < 0 {
		n = 0
	}
	if cap(exportBuffers.req) < int(n) || cap(exportBuffers.req) > 64<<10 && int(n) <= 4<<10 {
		exportBuffers.req = make([]byte, max(int(n), 4<<10))
	}
	exportBuffers.req = exportBuffers.req[:cap(exportBuffers.req)]
	return bufferAddress(exportBuffers.req)
}

// ResultBuffer returns the address of the last result (ResultLength
// bytes), valid until the next call into Go.
func ResultBuffer() uintptr { return bufferAddress(exportBuffers.res) }

// ResultLength is the length of the last result.
func ResultLength() int32 { return int32(exportBuffers.n) }

// Call performs op on the first n bytes of the request buffer and returns
// the result's length or a status (StatusObject, StatusError,
// StatusTypeError), the result being the error's message then.
func Call(op, n int32) (status int32) {
	if n < 0 || int(n) > len(exportBuffers.req) {
		return exportBuffers.reject(errors.New("wasm: request larger than its buffer"))
	}
	// The text is read in place: what is read from it lives only during the
	// call (the result is written before Call returns; parseURL keeps a
	// copy of the endpoints it remembers), and socred.js writes the buffer
	// again only for the next call.
	text := unsafe.String(unsafe.SliceData(exportBuffers.req), n)
	if cap(exportBuffers.res) > 64<<10 {
		exportBuffers.res = nil // a huge result's buffer is not kept
	}
	v, err := runRecovered(func() (any, error) {
		s, err := call(op, text)
		return s, err
	})
	if err != nil {
		return exportBuffers.reject(err)
	}
	return v.(int32)
}

// result ends a call whose result text is x.res: its length, or, when
// the writer could not write it (text that is not UTF-8), StatusObject, so
// that the syscall/js path answers as it always has.
func (x *exportState) result(ok bool) int32 {
	if !ok {
		x.n = 0
		return StatusObject
	}
	x.n = len(x.res)
	return int32(x.n)
}

// reject ends a call that rejects its Promise with err, as jsErrorValue
// makes it: a TypeError for an *jsapi.ArgumentError, else an Error.
func (x *exportState) reject(err error) int32 {
	x.res = append(x.res[:0], err.Error()...)
	x.n = len(x.res)
	var ae *jsapi.ArgumentError
	if jsapi.As(err, &ae) {
		return StatusTypeError
	}
	return StatusError
}

func bufferAddress(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }

func call(op int32, text string) (int32, error) {
	method := "buildEnvelope"
	switch {
	case op >= OpSave && op <= OpUser:
		method = opMethods[op-OpSave]
	case op != OpBuildEnvelope && op != OpCurl:
		return 0, errors.New("wasm: unknown operation")
	}
	c, complete, err := jsapi.ReadJSON(method, text, parseURL)
	switch {
	case !complete || err == nil && c.Signature != nil:
		return StatusObject, nil
	case err != nil:
		return exportBuffers.outcome(err)
	}
	r := c.Request
	if c.MaskSecrets && op < OpSave { // the sending calls ignore maskSecrets (API.send)
		r = jsapi.Masked(r)
	}
	env, err := soap.Build(r)
	if err != nil {
		return exportBuffers.outcome(err)
	}
	if op >= OpSave {
		return exportBuffers.prepare(c, env), nil
	}
	if op == OpCurl {
		var ok bool
		exportBuffers.res, ok = jsapi.AppendJSON(exportBuffers.res[:0], jsapi.CurlCommand(c.URL, env))
		return exportBuffers.result(ok), nil
	}
	// The result's JSON text with "xml":null, then the envelope's bytes as
	// they are (ResultLength covers both), which socred.js decodes into
	// xml: they are UTF-8 (built from text that was), checked all the same.
	res, ok := jsapi.AppendEnvelope(exportBuffers.res[:0], c, env, nil, false, false)
	n := len(res)
	exportBuffers.res = append(res, env.XML...)
	if !ok || !utf8.Valid(env.XML) {
		return exportBuffers.result(false), nil
	}
	exportBuffers.n = len(exportBuffers.res)
	return int32(n), nil
}

// prepare keeps a built call for sendPrepared and writes its number as
// the result.
func (x *exportState) prepare(c *jsapi.Call, env *soap.Envelope) int32 {
	if x.prepared == nil {
		x.prepared = map[int32]prepared{}
	}
	x.lastID++
	x.prepared[x.lastID] = prepared{c, env}
	x.res = strconv.AppendInt(x.res[:0], int64(x.lastID), 10)
	x.n = len(x.res)
	return StatusSend
}

// takePrepared removes and returns the call prepared under id.
func (x *exportState) takePrepared(id int32) (prepared, bool) {
	p, ok := x.prepared[id]
	delete(x.prepared, id)
	return p, ok
}

// outcome writes what the syscall/js path settles its Promise with for
// err (jsapi.Outcome).
func (x *exportState) outcome(err error) (int32, error) {
	v, err := jsapi.Outcome(err)
	if err != nil {
		return 0, err
	}
	var ok bool
	x.res, ok = jsapi.AppendJSON(x.res[:0], v)
	return x.result(ok), nil
}
