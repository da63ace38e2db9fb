//go:build js && wasm

package wasm

import (
	"errors"

	"socred/jsapi"
	"socred/soap"
	"socred/wasm/internal/jsv"
	"socred/wssec"
)

// API is the set of functions installed on the socred object.
type API struct {
	funcs []jsv.Func
	keys  keyring
}

// Register installs version, buildEnvelope, save, list, remove, login, user,
// loadKey and clearKey on obj (the global socred object), and a resolved ready Promise when obj has
// none (the page's loader normally provides it). Release undoes the
// functions' registration on the Go side.
func Register(obj jsv.Value, version string) (*API, error) {
	a := &API{}
	methods := map[string]func(jsv.Value) (any, error){
		"save":    func(v jsv.Value) (any, error) { return a.send("save", v) },
		"list":    func(v jsv.Value) (any, error) { return a.send("list", v) },
		"remove":  func(v jsv.Value) (any, error) { return a.send("remove", v) },
		"login":   func(v jsv.Value) (any, error) { return a.send("login", v) },
		"user":    func(v jsv.Value) (any, error) { return a.send("user", v) },
		"loadKey": a.loadKey,
	}
	for name, m := range methods {
		fn, err := jsv.FuncOf(func(_ jsv.Value, args []jsv.Value) any {
			req := arg(args, 0)
			p, err := newPromise(func() (any, error) { return m(req) })
			if err != nil {
				return jsErrorValue(err)
			}
			return p
		})
		if err != nil {
			a.Release()
			return nil, err
		}
		a.funcs = append(a.funcs, fn)
		if err := obj.Set(name, fn); err != nil {
			a.Release()
			return nil, err
		}
	}
	// sendPrepared sends a call the exports built (OpSave…): socred.js
	// takes it off the socred object when the module starts.
	send, err := jsv.FuncOf(func(_ jsv.Value, args []jsv.Value) any { return a.sendPreparedCall(arg(args, 0)) })
	if err == nil {
		a.funcs = append(a.funcs, send)
		err = obj.Set("sendPrepared", send)
	}
	if err != nil {
		a.Release()
		return nil, err
	}
	build, err := jsv.FuncOf(func(_ jsv.Value, args []jsv.Value) any { return a.buildEnvelopeCall(arg(args, 0)) })
	if err == nil {
		a.funcs = append(a.funcs, build)
		err = obj.Set("buildEnvelope", build)
	}
	if err != nil {
		a.Release()
		return nil, err
	}
	clearKey, err := jsv.FuncOf(func(_ jsv.Value, args []jsv.Value) any { return a.clearKey(args) })
	if err == nil {
		a.funcs = append(a.funcs, clearKey)
		err = obj.Set("clearKey", clearKey)
	}
	if err != nil {
		a.Release()
		return nil, err
	}
	if err := obj.Set("version", version); err != nil {
		a.Release()
		return nil, err
	}
	if r, err := obj.Get("ready"); err == nil && absent(r) {
		p, err := promiseClass.Call("resolve", obj)
		if err == nil {
			err = obj.Set("ready", p)
		}
		if err != nil {
			a.Release()
			return nil, err
		}
	}
	return a, nil
}

// Release releases every function Register created. Calling them afterwards
// is an error in JavaScript.
func (a *API) Release() {
	for _, fn := range a.funcs {
		fn.Release()
	}
	a.funcs = nil
}

// buildEnvelopeCall answers socred.buildEnvelope(req). An unsigned
// envelope waits for nothing, so it is built during the call and the
// Promise returned is already settled: no goroutine, no executor calling
// back into Go. A signed one waits for WebCrypto, so it is built in a
// goroutine (newPromise), as every sending call is.
func (a *API) buildEnvelopeCall(v jsv.Value) jsv.Value {
	var c *jsapi.Call
	var readErr error
	_, panicked := runRecovered(func() (any, error) {
		c, readErr = readCall("buildEnvelope", v)
		return nil, nil
	})
	switch {
	case panicked != nil:
		return settled(func() (any, error) { return nil, panicked })
	case readErr != nil:
		return settled(func() (any, error) { return jsapi.Outcome(readErr) })
	case c.Signature == nil:
		return settled(func() (any, error) { return a.buildEnvelope(c) })
	}
	p, err := newPromise(func() (any, error) { return a.buildEnvelope(c) })
	if err != nil {
		return jsErrorValue(err)
	}
	return p
}

// buildEnvelope builds the envelope a call would send, signed when the
// request asks, without sending it (jsapi.EnvelopeValue).
func (a *API) buildEnvelope(c *jsapi.Call) (any, error) {
	r := c.Request
	if c.MaskSecrets {
		r = jsapi.Masked(r)
	}
	env, err := soap.Build(r)
	if err != nil {
		return jsapi.Outcome(err)
	}
	var explanation *wssec.Explanation
	if c.Signature != nil {
		if env, explanation, err = a.keys.sign(env, c.Signature); err != nil {
			return jsapi.Outcome(err)
		}
	}
	return jsapi.EnvelopeValue(c, env, explanation)
}

// send reads, validates, builds, sends and classifies one call: the JS
// object → jsapi.ReadCall → jsapi.Call → soap.Build (and Sign) → fetch →
// soap.Classify → jsapi.ResponseValue, written as JSON by toJS.
func (a *API) send(method string, v jsv.Value) (any, error) {
	c, err := readCall(method, v)
	if err != nil {
		return jsapi.Outcome(err)
	}
	env, err := soap.Build(c.Request)
	if err != nil {
		return jsapi.Outcome(err)
	}
	if c.Signature != nil {
		if env, _, err = a.keys.sign(env, c.Signature); err != nil {
			return jsapi.Outcome(err)
		}
	}
	return deliver(c, env)
}

// sendPreparedCall answers sendPrepared(id): the Promise of sending the
// call the exports built under id (deliver), as save and the others
// return it.
func (a *API) sendPreparedCall(v jsv.Value) jsv.Value {
	id, err := v.Int()
	p, ok := exportBuffers.takePrepared(int32(id))
	if err != nil || !ok {
		return jsErrorValue(errors.New("wasm: no call prepared under this number"))
	}
	promise, err := newPromise(func() (any, error) { return deliver(p.c, p.env) })
	if err != nil {
		return jsErrorValue(err)
	}
	return promise
}

// deliver sends a built envelope, classifies the answer and describes it.
func deliver(c *jsapi.Call, env *soap.Envelope) (any, error) {
	ans, err := post(c.URL, env, c.Timeout)
	if err != nil {
		return jsapi.Outcome(err)
	}
	resp, err := soap.Classify(c.Request.Operation, ans.Status, ans.ContentType, ans.Body)
	if err != nil {
		return jsapi.Outcome(err)
	}
	return jsapi.ResponseValue(resp), nil
}

// readCall reads the request object v of method (jsapi.ReadCall), its
// endpoint parsed by the browser's URL.
func readCall(method string, v jsv.Value) (*jsapi.Call, error) {
	return jsapi.ReadCall(method, object{v}, parseURL)
}
