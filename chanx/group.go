package chanx

import (
	"context"
	"iter"
)

// A Group is a set of producers sending on one channel that the package
// owns. The channel is closed exactly once, when the group has been closed
// (or stopped) and the last producer has returned; sending after that
// returns [ErrClosed] instead of panicking, and closing twice does nothing.
//
// Producers are started with [Group.Go]; goroutines the group does not own
// can send with [Group.Send]. The first producer to fail stops the others:
// their yields report false and their context is cancelled with its error.
// The consumer drains [Group.C] (or ranges over [Group.Values] or
// [Group.All]) and then checks [Group.Err], or abandons the channel with
// [Group.Stop], which releases every blocked producer: a consumer that
// leaves early must not leave senders blocked forever (pitfall A2 in the
// README's catalogue). `defer g.Stop()` is always safe.
//
// Create a Group with [NewGroup]; the zero Group is not usable.
type Group[T any] struct {
	s *stream[T]
}

// NewGroup returns an open group whose channel has the given buffer size,
// which must be valid for [Produce]. Producers receive a context derived
// from ctx; see Produce for what ctx ending means for them and for
// [Group.Err].
func NewGroup[T any](ctx context.Context, size int) *Group[T] {
	return &Group[T]{s: newStream[T](ctx, size)}
}

// Go starts f in a new goroutine as one of the group's producers, with the
// same contract as the function given to [Produce]. It returns [ErrClosed],
// without starting f, once [Group.Close] or [Group.Stop] has been called.
func (g *Group[T]) Go(f func(ctx context.Context, yield func(T) bool) error) error {
	if f == nil {
		panic("chanx: Group.Go with nil function")
	}
	s := g.stream()
	if !s.enter() {
		return ErrClosed
	}
	go s.run(f)
	return nil
}

// Send sends v on the group's channel from a goroutine the group does not
// own, and counts as a producer while it blocks, so the channel cannot close
// under it. It returns nil once the channel accepted v, [ErrClosed] if the
// group was closed before the call, context.Cause(ctx) if ctx ended first,
// and the group's own cause (ErrStopped, the first producer error or the
// parent's cause) if the group stopped first. A value accepted just as the
// consumer stops is discarded. Besides the send, Send costs a mutex lock and
// unlock on the way in and on the way out; producers started with Go pay
// that once, not per value.
func (g *Group[T]) Send(ctx context.Context, v T) error {
	s := g.stream()
	if !s.enter() {
		return ErrClosed
	}
	defer s.exit(nil)
	if s.stopped.Load() {
		return context.Cause(s.ctx)
	}
	if s.plain && ctx.Done() == nil {
		s.ch <- v // Stop drains, so this cannot block past the consumer
		return nil
	}
	select {
	case s.ch <- v:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-s.ctx.Done():
		return context.Cause(s.ctx)
	}
}

// Close declares that no producer will be added: later calls to Go and Send
// return [ErrClosed], and the channel is closed as soon as the running
// producers have returned (at once if none is running). It does not wait
// and does not stop running producers. Calling Close again does nothing.
func (g *Group[T]) Close() { g.stream().seal() }

// C returns the channel the producers send on. Receive from it, never close
// it.
func (g *Group[T]) C() <-chan T { return g.stream().ch }

// Values returns a single-use iterator over the values the producers send.
// Leaving the loop early (break, return, or a panic in its body) calls
// [Group.Stop]. The loop ends only after
// [Group.Close] (or Stop) has been called and every producer has returned.
func (g *Group[T]) Values() iter.Seq[T] { return g.stream().values() }

// All is like [Group.Values] but yields each value with a nil error and,
// if the group failed, a final zero value with its error.
func (g *Group[T]) All() iter.Seq2[T, error] { return g.stream().all() }

// Err waits until the channel is closed and reports the first error of the
// group, with the rules of [Producer.Err]: a producer's error or panic, the
// parent's cause if the parent was done before the channel closed, never
// the cancellation Stop caused. It blocks until Close (or Stop) has been
// called and every producer has returned.
func (g *Group[T]) Err() error { return g.stream().wait() }

// Stop abandons the channel: it closes the group, makes every pending and
// future yield report false, cancels the producers' context with cause
// [ErrStopped], discards values in flight, and waits until every producer
// has returned and the channel is closed. [Group.Err] then reports what went
// wrong before or apart from the stop. Stop may be called any number of
// times, from any goroutine.
func (g *Group[T]) Stop() { g.stream().stop() }

// stream returns g's state; the zero Group has none.
func (g *Group[T]) stream() *stream[T] {
	if g.s == nil {
		panic("chanx: Group not made by NewGroup")
	}
	return g.s
}
