package jsapi

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeadline ends a deadline by its timer and by Stop, and both at once
// (run with -race).
func TestDeadline(t *testing.T) {
	t.Run("the timer ends it and runs onTimeout", func(t *testing.T) {
		ran := make(chan struct{})
		dl := NewDeadline(time.Millisecond, func() { close(ran) })
		<-dl.Done()
		<-ran
		assert.ErrorIs(t, dl.Err(), ErrDeadline)
		dl.Stop()
		assert.ErrorIs(t, dl.Err(), ErrDeadline, "Stop after the end changes nothing")
	})
	t.Run("Stop ends it early, without onTimeout", func(t *testing.T) {
		var ran atomic.Bool
		dl := NewDeadline(time.Hour, func() { ran.Store(true) })
		assert.NoError(t, dl.Err(), "running")
		dl.Stop()
		<-dl.Done()
		assert.ErrorIs(t, dl.Err(), ErrCallOver)
		assert.False(t, ran.Load())
	})
	t.Run("the timer and Stop at once end it once", func(t *testing.T) {
		for range 100 {
			var ran atomic.Int32
			dl := NewDeadline(0, func() { ran.Add(1) })
			go dl.Stop()
			<-dl.Done()
			err := dl.Err()
			require.True(t, err == ErrDeadline || err == ErrCallOver, "%v", err)
			assert.LessOrEqual(t, ran.Load(), int32(1))
		}
	})
	var _ Canceller = NewDeadline(time.Hour, nil)
}
