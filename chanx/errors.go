package chanx

import (
	"context"
	"errors"
	"runtime/debug"

	"github.com/boundgo/bound/cleanup"
)

var (
	// ErrClosed is returned by a receive from a closed channel or buffer, and
	// by a send to a [Group] or [Buffer] that has been closed.
	ErrClosed = errors.New("chanx: closed")

	// ErrWouldBlock is returned by [TrySend], [TryRecv] and [Buffer.TryRecv]
	// when the operation could not complete at once.
	ErrWouldBlock = errors.New("chanx: operation would block")

	// ErrStopped is the [context.Cause] of the context a producer or a stage
	// receives once its consumer has called Stop. Errors that only report
	// that stop are not returned by Stop or Err: the consumer asked for it.
	ErrStopped = errors.New("chanx: consumer stopped")
)

// recovered turns the value of recover() in a deferred call that saw no
// normal return into the module's captured-panic type. A nil value means
// runtime.Goexit: since Go 1.21, panic(nil) recovers as
// *runtime.PanicNilError, never nil.
func recovered(r any) error {
	if r == nil {
		return &cleanup.PanicError{Goexit: true, Stack: debug.Stack()}
	}
	return &cleanup.PanicError{Value: r, Stack: debug.Stack()}
}

// stopNoise reports whether err, returned after the consumer stopped, only
// reports that stop (a producer returning ctx.Err() or context.Cause(ctx)).
func stopNoise(err error) bool {
	return errors.Is(err, ErrStopped) || errors.Is(err, context.Canceled)
}
