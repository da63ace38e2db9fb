//go:build js && wasm

package wasm

import (
	"errors"
	"time"

	"socred/internal/minifmt"
	"socred/jsapi"
	"socred/wasm/internal/jsv"
)

// toJSError reads the name and message of a rejection reason.
func toJSError(v jsv.Value) *jsapi.JSError {
	e := &jsapi.JSError{Name: "Error"}
	if v.Type() != jsv.TypeObject {
		e.Message, _ = v.String()
		return e
	}
	if n, err := v.Get("name"); err == nil && n.Type() == jsv.TypeString {
		e.Name, _ = n.String()
	}
	if m, err := v.Get("message"); err == nil && m.Type() == jsv.TypeString {
		e.Message, _ = m.String()
	}
	return e
}

// settleGrace is how long await keeps waiting for a Promise to settle after
// ctx is done: the callers abort the underlying fetch, which settles it at
// once; the grace period only bounds a Promise that never settles.
const settleGrace = 5 * time.Second

// await waits for p to settle, from a goroutine (never from a js.FuncOf
// callback, which would deadlock the event loop). A rejection comes back as a
// *jsapi.JSError. When ctx ends first, await returns ctx's error once p has settled
// (the caller aborts it) or after settleGrace; in the latter case the two
// callbacks are left unreleased, since releasing a js.Func that JavaScript
// may still call would crash the instance.
//
// See https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Promise/then
func await(ctx jsapi.Canceller, p jsv.Value) (jsv.Value, error) {
	type outcome struct {
		v   jsv.Value
		err error
	}
	ch := make(chan outcome, 1)
	onFulfilled, err := jsv.FuncOf(func(_ jsv.Value, args []jsv.Value) any {
		ch <- outcome{v: arg(args, 0)}
		return nil
	})
	if err != nil {
		return jsv.Undefined(), err
	}
	onRejected, err := jsv.FuncOf(func(_ jsv.Value, args []jsv.Value) any {
		ch <- outcome{err: toJSError(arg(args, 0))}
		return nil
	})
	if err != nil {
		onFulfilled.Release()
		return jsv.Undefined(), err
	}
	if _, err := p.Call("then", onFulfilled, onRejected); err != nil {
		onFulfilled.Release()
		onRejected.Release()
		return jsv.Undefined(), minifmt.Errorf("wasm: not a Promise: %w", err)
	}
	select {
	case o := <-ch:
		onFulfilled.Release()
		onRejected.Release()
		return o.v, o.err
	case <-ctx.Done():
	}
	// time.AfterFunc, not time.After: a channel timer links the runtime's
	// metrics (through its asynctimerchan setting), 30 KB of code.
	grace := make(chan struct{})
	t := time.AfterFunc(settleGrace, func() { close(grace) })
	defer t.Stop()
	select {
	case <-ch:
		onFulfilled.Release()
		onRejected.Release()
	case <-grace:
	}
	return jsv.Undefined(), ctx.Err()
}

// awaiter waits for one Promise after another (a fetch, then each read of
// its body) with one pair of callbacks, instead of making and releasing two
// js.Funcs per Promise as await does. It has no deadline of its own: the
// caller makes sure every Promise it awaits settles (post's AbortSignal
// rejects them when the time is up), so release never frees a callback
// that JavaScript may still call.
type awaiter struct {
	ch                      chan settlement
	onFulfilled, onRejected jsv.Func
}

type settlement struct {
	v   jsv.Value
	err error
}

func newAwaiter() (*awaiter, error) {
	w := &awaiter{ch: make(chan settlement, 1)}
	var err error
	w.onFulfilled, err = jsv.FuncOf(func(_ jsv.Value, args []jsv.Value) any {
		w.ch <- settlement{v: arg(args, 0)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	w.onRejected, err = jsv.FuncOf(func(_ jsv.Value, args []jsv.Value) any {
		w.ch <- settlement{err: toJSError(arg(args, 0))}
		return nil
	})
	if err != nil {
		w.onFulfilled.Release()
		return nil, err
	}
	return w, nil
}

// await waits for p to settle, from a goroutine; a rejection comes back as
// a *jsapi.JSError.
//
// See https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Promise/then
func (w *awaiter) await(p jsv.Value) (jsv.Value, error) {
	if _, err := p.Call("then", w.onFulfilled, w.onRejected); err != nil {
		return jsv.Undefined(), minifmt.Errorf("wasm: not a Promise: %w", err)
	}
	s := <-w.ch
	return s.v, s.err
}

func (w *awaiter) release() {
	w.onFulfilled.Release()
	w.onRejected.Release()
}

func arg(args []jsv.Value, i int) jsv.Value {
	if i < len(args) {
		return args[i]
	}
	return jsv.Undefined()
}

// errPanic marks a panic recovered inside an asynchronous export.
var errPanic = errors.New("wasm: internal error")

// newPromise returns a Promise and runs fn in a goroutine: fn's value
// fulfils it, fn's error rejects it with a JavaScript Error (a TypeError for
// *jsapi.ArgumentError), and a panic in fn rejects it instead of killing the
// instance.
//
// See https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Promise/Promise
func newPromise(fn func() (any, error)) (jsv.Value, error) {
	p, resolve, reject, err := pendingPromise()
	if err != nil {
		return jsv.Undefined(), err
	}
	go func() {
		v, err := runRecovered(fn)
		if err != nil {
			_, _ = reject.Invoke(jsErrorValue(err))
			return
		}
		jv, ierr := toJS(v)
		if ierr == nil {
			_, ierr = resolve.Invoke(jv)
		}
		if ierr != nil {
			_, _ = reject.Invoke(jsErrorValue(minifmt.Errorf("wasm: result not convertible: %w", ierr)))
		}
	}()
	return p, nil
}

// settled runs fn now, in the calling JavaScript call (so fn must not
// wait for JavaScript), and returns a Promise already settled with its
// outcome as newPromise would settle it.
//
// See https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Promise/resolve
func settled(fn func() (any, error)) jsv.Value {
	v, err := runRecovered(fn)
	var jv jsv.Value
	if err == nil {
		if jv, err = toJS(v); err != nil {
			err = minifmt.Errorf("wasm: result not convertible: %w", err)
		}
	}
	method, arg := "resolve", any(jv)
	if err != nil {
		method, arg = "reject", jsErrorValue(err)
	}
	p, perr := promiseClass.Call(method, arg)
	if perr != nil {
		return jsErrorValue(perr)
	}
	return p
}

// pendingPromise makes a Promise and the functions that settle it, with
// Promise.withResolvers where the browser has it (one call into
// JavaScript), else with an executor, which JavaScript calls back into Go
// for.
//
// See https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Promise/withResolvers
func pendingPromise() (p, resolve, reject jsv.Value, err error) {
	if withResolvers {
		r, err := promiseClass.Call("withResolvers")
		if err == nil {
			if p, err = r.Get("promise"); err == nil {
				if resolve, err = r.Get("resolve"); err == nil {
					reject, err = r.Get("reject")
				}
			}
		}
		return p, resolve, reject, err
	}
	executor, err := jsv.FuncOf(func(_ jsv.Value, args []jsv.Value) any {
		resolve, reject = arg(args, 0), arg(args, 1)
		return nil
	})
	if err != nil {
		return p, resolve, reject, err
	}
	// The executor runs synchronously inside the constructor, so it can be
	// released as soon as the constructor returns.
	p, err = promiseClass.New(executor)
	executor.Release()
	return p, resolve, reject, err
}

// withResolvers says whether Promise.withResolvers exists (Chromium 119,
// Firefox 121, Safari 17.4).
var withResolvers = func() bool {
	f, err := promiseClass.Get("withResolvers")
	return err == nil && f.Type() == jsv.TypeFunction
}()

func runRecovered(fn func() (any, error)) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = minifmt.Errorf("%w: %v", errPanic, r)
		}
	}()
	return fn()
}

// jsErrorValue turns err into a JavaScript Error (TypeError for an
// *jsapi.ArgumentError) to reject a Promise with.
func jsErrorValue(err error) jsv.Value {
	class := errorClass
	var ae *jsapi.ArgumentError
	if jsapi.As(err, &ae) {
		class = typeErrorClass
	}
	v, jerr := class.New(err.Error())
	if jerr != nil {
		v, _ = jsv.ValueOf(err.Error())
	}
	return v
}

var (
	promiseClass   = global("Promise")
	errorClass     = global("Error")
	typeErrorClass = global("TypeError")
	objectClass    = global("Object")

	abortControllerClass = global("AbortController")
	setTimeoutFn         = global("setTimeout")
	clearTimeoutFn       = global("clearTimeout")
)

func global(name string) jsv.Value {
	v, err := jsv.Global().Get(name)
	if err != nil {
		panic("wasm: no global " + name)
	}
	return v
}
