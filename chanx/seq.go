package chanx

import (
	"context"
	"iter"
)

// FromSeq returns a [Producer] that sends the values of seq, in order, on a
// channel with the given buffer size: the iterator-to-channel direction.
// seq runs in the producer's goroutine. Stopping the producer (or ctx
// ending) ends the iteration at the next value, so a consumer that stops
// early leaks nothing; a panic in seq is reported by [Producer.Err].
func FromSeq[T any](ctx context.Context, size int, seq iter.Seq[T]) *Producer[T] {
	if seq == nil {
		panic("chanx: FromSeq with nil iterator")
	}
	return Produce(ctx, size, func(_ context.Context, yield func(T) bool) error {
		seq(yield)
		return nil
	})
}

// Values returns an iterator over the values received from ch until ch is
// closed or ctx is done: the channel-to-iterator direction. Breaking out of
// the loop stops receiving; it cannot stop ch's sender, which ch's owner
// must do (a [Producer] or [Group] does it in its own Values). After the
// loop, ctx.Err() tells whether ctx ended it.
//
// With a ctx whose Done is nil the loop is a plain range over ch.
func Values[T any](ctx context.Context, ch <-chan T) iter.Seq[T] {
	return func(yield func(T) bool) {
		done := ctx.Done()
		if done == nil {
			for v := range ch {
				if !yield(v) {
					return
				}
			}
			return
		}
		for {
			select {
			case <-done:
				return
			case v, ok := <-ch:
				if !ok || !yield(v) {
					return
				}
			}
		}
	}
}
