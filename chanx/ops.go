package chanx

import (
	"context"
	"unsafe"
)

// isBackground reports whether ctx is context.Background(), whose Done is
// nil, by comparing the type word of the interface value: one load and one
// compare. It is how Send (which inlines) and Recv cost about what the raw
// operators cost. The obvious tests are slower, measured as a send and a
// receive on a buffered channel against the raw pair:
//   - ctx.Done() == nil is an interface call, and with it and the call to
//     the slow path Send and Recv exceed the inliner's budget: about 1.2×;
//   - ctx == context.Background() inlines but compares through
//     runtime.ifaceeq and the type's equal function: about 1.3×;
//   - the type word: about 1.05×.
//
// Correctness does not rest on it: every other context, including those
// whose Done is nil (context.TODO, context.WithoutCancel), takes the slow
// path, which checks Done and still skips the select. The interface layout
// (type word first) has been the runtime's since Go 1.0; were it to change,
// the word read would be the data pointer, which for the zero-size
// background context is shared only with other zero-size values, and the
// standard library's zero-size contexts all have a nil Done.
func isBackground(ctx context.Context) bool {
	return (*iface)(unsafe.Pointer(&ctx)).typ == backgroundType
}

// iface is the runtime's layout of a non-empty interface value.
type iface struct{ typ, data unsafe.Pointer }

var backgroundType = func() unsafe.Pointer {
	ctx := context.Background()
	return (*iface)(unsafe.Pointer(&ctx)).typ
}()

// Send sends v on ch, or gives up when ctx is done and returns
// context.Cause(ctx). A ctx that is already done wins over a ready channel:
// Send never sends after ctx is done. Like a plain send, Send on a nil
// channel blocks until ctx is done, and Send on a closed channel panics: ch
// belongs to the caller. To send to a channel the package owns, use
// [Group.Send], which returns [ErrClosed] instead.
//
// When ctx.Done() is nil Send is a plain channel send, with no select. With
// context.Background() it inlines and costs what `ch <- v` costs; other
// contexts that are never done (context.TODO, context.WithoutCancel) add
// one call.
func Send[T any](ctx context.Context, ch chan<- T, v T) error {
	if (*iface)(unsafe.Pointer(&ctx)).typ == backgroundType { // isBackground, written out to inline
		ch <- v
		return nil
	}
	return sendSlow(ctx, ch, v)
}

func sendSlow[T any](ctx context.Context, ch chan<- T, v T) error {
	done := ctx.Done()
	if done == nil {
		ch <- v
		return nil
	}
	select {
	case <-done:
		return context.Cause(ctx)
	default:
	}
	select {
	case ch <- v:
		return nil
	case <-done:
		return context.Cause(ctx)
	}
}

// Recv receives a value from ch. It returns [ErrClosed] once ch is closed and
// empty, and context.Cause(ctx) if ctx is done first; a ctx that is already
// done wins over a ready channel.
//
// When ctx.Done() is nil Recv is a plain receive, with no select. With
// context.Background() it costs what `v, ok := <-ch` costs plus one call:
// it is just over the inliner's budget.
func Recv[T any](ctx context.Context, ch <-chan T) (T, error) {
	if isBackground(ctx) {
		if v, ok := <-ch; ok {
			return v, nil
		}
		// Closed: recvSlow receives again, at once, and says so.
	}
	return recvSlow(ctx, ch)
}

func recvSlow[T any](ctx context.Context, ch <-chan T) (T, error) {
	var zero T
	done := ctx.Done()
	if done == nil {
		v, ok := <-ch
		if !ok {
			return v, ErrClosed
		}
		return v, nil
	}
	select {
	case <-done:
		return zero, context.Cause(ctx)
	default:
	}
	select {
	case v, ok := <-ch:
		if !ok {
			return v, ErrClosed
		}
		return v, nil
	case <-done:
		return zero, context.Cause(ctx)
	}
}

// TrySend sends v on ch only if that can be done without blocking. It
// returns [ErrWouldBlock] if ch has no room and no receiver waiting, and
// context.Cause(ctx) if ctx is already done. It never blocks.
func TrySend[T any](ctx context.Context, ch chan<- T, v T) error {
	if ctx.Done() != nil && ctx.Err() != nil {
		return context.Cause(ctx)
	}
	select {
	case ch <- v:
		return nil
	default:
		return ErrWouldBlock
	}
}

// TryRecv receives from ch only if that can be done without blocking. It
// returns [ErrWouldBlock] if nothing is ready, [ErrClosed] if ch is closed and
// empty, and context.Cause(ctx) if ctx is already done. It never blocks.
func TryRecv[T any](ctx context.Context, ch <-chan T) (T, error) {
	var zero T
	if ctx.Done() != nil && ctx.Err() != nil {
		return zero, context.Cause(ctx)
	}
	select {
	case v, ok := <-ch:
		if !ok {
			return v, ErrClosed
		}
		return v, nil
	default:
		return zero, ErrWouldBlock
	}
}
