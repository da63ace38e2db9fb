package jsapi

import (
	"errors"
	"sync"
	"time"
)

// Errors a deadline ends with.
var (
	ErrDeadline = errors.New("wasm: deadline exceeded")
	ErrCallOver = errors.New("wasm: call over")
)

// A Canceller is what waiting for JavaScript needs of a call's bounds: a
// channel closed when the call must stop, and why. A *Deadline is one, and
// so is a context.Context.
type Canceller interface {
	Done() <-chan struct{}
	Err() error
}

// Deadline bounds one call in time, as context.WithTimeout did in package
// wasm before: the single-record module uses no context, which cost 8 KB of
// the compressed module (make size). After d, Err is ErrDeadline and
// onTimeout (if any) runs, in a goroutine of its own; Stop ends it early
// with ErrCallOver.
type Deadline struct {
	done chan struct{}
	once sync.Once
	err  error
	// stop is the timer's Stop: a *time.Timer field would make the linker
	// keep time's whole formatter (Timer.C's Time has a String method, and a
	// *Deadline is used as an interface): 30 KB of code.
	stop func() bool
}

// NewDeadline starts a deadline d from now.
func NewDeadline(d time.Duration, onTimeout func()) *Deadline {
	dl := &Deadline{done: make(chan struct{})}
	dl.stop = time.AfterFunc(d, func() {
		if dl.end(ErrDeadline) && onTimeout != nil {
			onTimeout()
		}
	}).Stop
	return dl
}

// end closes the deadline with err, reporting whether this call did.
func (dl *Deadline) end(err error) bool {
	ended := false
	dl.once.Do(func() {
		dl.err = err
		close(dl.done)
		ended = true
	})
	return ended
}

// Stop ends the deadline early and frees its timer.
func (dl *Deadline) Stop() {
	dl.stop()
	dl.end(ErrCallOver)
}

// Done is closed when the deadline ends.
func (dl *Deadline) Done() <-chan struct{} { return dl.done }

// Err is nil until the deadline ends, then ErrDeadline or ErrCallOver.
func (dl *Deadline) Err() error {
	select {
	case <-dl.done:
		return dl.err
	default:
		return nil
	}
}
