//go:build js && wasm

package wasm

import (
	"errors"
	"sync"
	"time"
)

// Errors a deadline ends with.
var (
	errDeadline = errors.New("wasm: deadline exceeded")
	errStopped  = errors.New("wasm: call over")
)

// canceller is what waiting for JavaScript needs of a call's bounds: a
// channel closed when the call must stop, and why. A *deadline is one, and
// so is a context.Context.
type canceller interface {
	Done() <-chan struct{}
	Err() error
}

// deadline bounds one call in time, as context.WithTimeout did here before:
// the wasm package uses no context, which cost 8 KB of the compressed
// module (make size). After d, Err is errDeadline and onTimeout (if any)
// runs, in a goroutine of its own; stop ends it early with errStopped.
type deadline struct {
	done  chan struct{}
	once  sync.Once
	err   error
	timer *time.Timer
}

func newDeadline(d time.Duration, onTimeout func()) *deadline {
	dl := &deadline{done: make(chan struct{})}
	dl.timer = time.AfterFunc(d, func() {
		if dl.end(errDeadline) && onTimeout != nil {
			onTimeout()
		}
	})
	return dl
}

// end closes the deadline with err, reporting whether this call did.
func (dl *deadline) end(err error) bool {
	ended := false
	dl.once.Do(func() {
		dl.err = err
		close(dl.done)
		ended = true
	})
	return ended
}

// stop ends the deadline early and frees its timer.
func (dl *deadline) stop() {
	dl.timer.Stop()
	dl.end(errStopped)
}

// Done is closed when the deadline ends.
func (dl *deadline) Done() <-chan struct{} { return dl.done }

// Err is nil until the deadline ends, then errDeadline or errStopped.
func (dl *deadline) Err() error {
	select {
	case <-dl.done:
		return dl.err
	default:
		return nil
	}
}
