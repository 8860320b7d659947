package chanx

import (
	"context"
	"errors"
)

var (
	// ErrClosed is returned by a receive from a closed channel or buffer, and
	// by a send to a [Group] or [Buffer] that has been closed.
	ErrClosed = errors.New("chanx: closed")

	// ErrWouldBlock is returned by [TrySend], [TryRecv] and [Buffer.TryRecv]
	// when the operation could not complete at once.
	ErrWouldBlock = errors.New("chanx: operation would block")

	// ErrStopped is the [context.Cause] of the context a producer or a stage
	// receives once its consumer has called Stop. An error matching
	// ErrStopped or context.Canceled that a producer or a stage returns
	// after that is not reported by Err: the consumer asked for the stop.
	ErrStopped = errors.New("chanx: consumer stopped")
)

// stopNoise reports whether err, returned after the consumer stopped, only
// reports that stop (a producer returning ctx.Err() or context.Cause(ctx)).
func stopNoise(err error) bool {
	return errors.Is(err, ErrStopped) || errors.Is(err, context.Canceled)
}
