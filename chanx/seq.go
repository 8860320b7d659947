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

// RecvAll returns an iterator over the values received from ch, a channel
// the caller does not own through this package: the channel-to-iterator
// direction. The loop ends when ch is closed, when ctx is done, or when the
// loop body breaks; after it, ctx.Err() tells whether ctx ended it.
//
// RecvAll cannot stop ch's sender. Breaking out of the loop only stops
// receiving: a sender blocked on ch stays blocked until someone else
// receives or the sender gives up by itself (pitfall A2 in the README's
// catalogue). For a channel of a [Producer] or a [Group], range over
// [Producer.Values] or [Group.Values] instead: leaving those loops stops the
// senders and waits for them.
//
// With a ctx whose Done is nil the loop is a plain range over ch.
func RecvAll[T any](ctx context.Context, ch <-chan T) iter.Seq[T] {
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
