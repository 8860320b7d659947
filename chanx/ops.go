package chanx

import (
	"context"
	"unsafe"
)

// isBackground reports whether ctx is context.Background(), whose Done is
// nil, by comparing the first word of the interface value (its itab, which
// names the dynamic type) with Background's: one load and one compare. That
// keeps Send within the inliner's budget, which the plain test, the
// interface call ctx.Done() == nil, does not. BenchmarkSendRecvFastPath
// (ops_internal_test.go) measures the two against the raw operators; the
// README's SendRecv target rests on this test.
//
// Correctness does not rest on it: every other context, including those
// whose Done is nil (context.TODO, context.WithoutCancel), takes the slow
// path, which checks Done and still skips the select, and so would
// Background if its itab were ever duplicated. The interface layout (itab
// or type word first) has been the runtime's since Go 1.0.
func isBackground(ctx context.Context) bool {
	return (*iface)(unsafe.Pointer(&ctx)).tab == backgroundTab
}

// iface is the runtime's layout of a non-empty interface value.
type iface struct{ tab, data unsafe.Pointer }

var backgroundTab = func() unsafe.Pointer {
	ctx := context.Background()
	return (*iface)(unsafe.Pointer(&ctx)).tab
}()

// Send sends v on ch, or gives up when ctx is done and returns
// context.Cause(ctx). A ctx that is already done wins over a ready channel:
// Send never sends after ctx is done. Like a plain send, Send on a nil
// channel blocks until ctx is done, and Send on a closed channel panics: ch
// belongs to the caller. To send to a channel the package owns, use
// [Group.Send], which returns [ErrClosed] instead.
//
// When ctx.Done() is nil Send is a plain channel send, with no select. With
// context.Background() the test for that is one comparison and Send
// inlines; other contexts that are never done (context.TODO,
// context.WithoutCancel) add one call.
func Send[T any](ctx context.Context, ch chan<- T, v T) error {
	if (*iface)(unsafe.Pointer(&ctx)).tab == backgroundTab { // isBackground, written out to inline
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
// context.Background() the test for that is one comparison; Recv itself is
// just over the inliner's budget, so it adds one call.
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
