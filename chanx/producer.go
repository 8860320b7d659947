package chanx

import (
	"context"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"

	"github.com/boundgo/bound/internal/panics"
)

// A Producer is a goroutine that the package owns, sending values on a
// channel that the package owns. The channel is closed exactly once, when
// the producer function returns, fails or panics; a Producer never panics
// with "send on closed channel" or "close of closed channel".
//
// Create one with [Produce] or [FromSeq]. The consumer either reads the
// channel to its end (range over [Producer.C], [Producer.Values] or
// [Producer.All]) and then checks [Producer.Err], or stops early with
// [Producer.Stop], which releases the producer wherever it is blocked and
// waits for it to return. Breaking out of a range over Values or All calls
// Stop. A consumer that neither drains nor stops leaks the producer, exactly
// as with a hand-written goroutine: `defer p.Stop()` is always safe, and
// Err after it reports what went wrong. Stop and Err wait for the producer
// function, so that function must not call them itself.
type Producer[T any] struct {
	s *stream[T]
}

// Produce starts f in a new goroutine and returns at once the [Producer]
// that owns it. The channel has the given buffer size, as in
// make(chan T, size); a negative size, or one beyond what make accepts,
// panics with a chanx message.
//
// f receives a context and a yield function. yield(v) sends v and reports
// true, or reports false without sending once the consumer has stopped, ctx
// is done or (for a [Group]) another producer has failed; f should then
// return. yield may be called from other goroutines as long as f waits for
// them; it must not be called after f has returned (it then reports false).
// The context given to f is derived from ctx and is cancelled with cause
// [ErrStopped] when the consumer stops, so f can also abandon other blocking
// work.
//
// The channel is closed once f returns. What f returns, or a panic or
// runtime.Goexit in f as a [*github.com/boundgo/bound/cleanup.PanicError], is what [Producer.Err]
// reports. When ctx is done before f returns and f reports no error, Err
// reports context.Cause(ctx): a stream cut short never looks complete.
//
// Each Produce starts one goroutine and makes a few small allocations. When
// ctx.Done() is nil (context.Background) each yield is one atomic load and a
// plain channel send, with no select: Stop releases a blocked send by
// receiving. Otherwise each yield is a select on the channel and the
// context.
func Produce[T any](ctx context.Context, size int, f func(ctx context.Context, yield func(T) bool) error) *Producer[T] {
	if f == nil {
		panic("chanx: Produce with nil function")
	}
	s := newStream[T](ctx, size)
	s.running = 1
	s.sealed = true
	go s.run(f)
	return &Producer[T]{s: s}
}

// C returns the channel the producer sends on. It is closed when the
// producer returns; receive from it, never close it.
func (p *Producer[T]) C() <-chan T { return p.stream().ch }

// Values returns a single-use iterator over the values the producer sends.
// Leaving the loop early (break, return, or a panic in its body) calls
// [Producer.Stop]; after the loop ends normally, [Producer.Err] reports why
// the producer ended.
func (p *Producer[T]) Values() iter.Seq[T] { return p.stream().values() }

// All is like [Producer.Values] but yields each value with a nil error and,
// if the producer failed, a final zero value with its error, so one loop
// handles both: for v, err := range p.All().
func (p *Producer[T]) All() iter.Seq2[T, error] { return p.stream().all() }

// Err waits for the producer to return and reports what went wrong: what
// the producer function returned, a [*github.com/boundgo/bound/cleanup.PanicError] if it panicked or
// called runtime.Goexit, or the cause of the parent context if that was
// done before the producer returned. It is nil when the producer completed.
//
// After [Producer.Stop], Err never reports the cancellation Stop caused: an
// error matching [ErrStopped] or context.Canceled that the producer returns
// once Stop has cancelled it is not an error, so a stream Stop cut short
// reports nil, while any other error the producer returns is still
// reported. If the parent was done before Stop was called, Err reports its
// cause.
//
// Err returns at once after the channel has been drained or Stop returned,
// and returns the same error each time. Called earlier it blocks until the
// producer returns, which may be never if the producer waits for a receive
// that the caller will make after Err.
func (p *Producer[T]) Err() error { return p.stream().wait() }

// Stop tells the producer that its consumer is gone and waits for it to
// return: every pending and future yield reports false, the producer's
// context is cancelled with cause [ErrStopped], values still in flight are
// discarded, and the channel is closed. [Producer.Err] then reports what
// went wrong before or apart from the stop. Stop may be called any number of
// times, from any goroutine, and after the channel has been drained.
func (p *Producer[T]) Stop() { p.stream().stop() }

// stream returns p's state; the zero Producer has none.
func (p *Producer[T]) stream() *stream[T] {
	if p.s == nil {
		panic("chanx: Producer not made by Produce or FromSeq")
	}
	return p.s
}

// stream is the state shared by Producer and Group: a channel with one or
// more owned senders, closed when the last sender is done.
type stream[T any] struct {
	ch chan T

	parent context.Context
	ctx    context.Context // given to producers; cancelled on stop, failure or finish
	cancel context.CancelCauseFunc

	// plain is set when the parent's Done is nil: then only Stop can end a
	// blocked send, and Stop drains the channel, so yield needs no select.
	plain bool

	// stopped is set once yield must report false: the consumer stopped or
	// a producer failed. It is the cheap consumer-gone signal.
	stopped atomic.Bool

	mu              sync.Mutex
	running         int           // senders in flight; guarded by mu
	sealed          bool          // no sender may enter; guarded by mu
	consumerStopped bool          // Stop was called; guarded by mu
	parentFirst     bool          // the parent was done when Stop was first called; guarded by mu
	err             error         // first failure, then final; guarded by mu until done is closed
	done            chan struct{} // closed after ch is closed and err is final
}

func newStream[T any](ctx context.Context, size int) *stream[T] {
	s := &stream[T]{parent: ctx, done: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancelCause(ctx) // first: it panics clearly on a nil ctx
	s.plain = ctx.Done() == nil
	s.ch = makeChan[T](size)
	return s
}

// makeChan is make(chan T, size) with the package's own panics: for a
// negative size, and for one too large to allocate, which the runtime
// reports as "makechan: size out of range".
func makeChan[T any](size int) chan T {
	if size < 0 {
		panic("chanx: negative buffer size")
	}
	defer func() {
		if r := recover(); r != nil {
			panic(fmt.Sprintf("chanx: buffer size %d is too large: %v", size, r))
		}
	}()
	return make(chan T, size)
}

// run is the body of an owned producer goroutine: a panic or runtime.Goexit
// in f becomes its error.
func (s *stream[T]) run(f func(context.Context, func(T) bool) error) {
	s.exit(panics.Call(func() error { return f(s.ctx, s.yield) }, s.exitPanic))
}

// exitPanic is exit for a producer that called runtime.Goexit.
func (s *stream[T]) exitPanic(p *panics.Error) { s.exit(p) }

// yield is the fast path: the consumer-gone check and a plain send.
func (s *stream[T]) yield(v T) bool {
	if s.stopped.Load() {
		return false
	}
	if s.plain {
		s.ch <- v
		return true
	}
	return s.yieldSlow(v)
}

func (s *stream[T]) yieldSlow(v T) bool {
	done := s.ctx.Done()
	select {
	case <-done:
		return false
	default:
	}
	select {
	case s.ch <- v:
		return true
	case <-done:
		return false
	}
}

// enter registers one more sender; it reports false once the stream is sealed.
func (s *stream[T]) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sealed {
		return false
	}
	s.running++
	return true
}

// exit unregisters a sender, recording its error; the last one out of a
// sealed stream closes the channel.
func (s *stream[T]) exit(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil && s.err == nil && !s.stopNoiseLocked(err) {
		s.err = err
		s.cancel(err) // before stopped: whoever sees stopped sees a cause
		s.stopped.Store(true)
	}
	s.running--
	if s.running == 0 && s.sealed {
		s.finishLocked()
	}
}

// seal lets no new sender in; the channel closes once the running ones exit.
func (s *stream[T]) seal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sealLocked()
}

func (s *stream[T]) sealLocked() {
	if s.sealed {
		return
	}
	s.sealed = true
	if s.running == 0 {
		s.finishLocked()
	}
}

// stopNoiseLocked reports whether err only reports the cancellation that
// Stop caused.
func (s *stream[T]) stopNoiseLocked(err error) bool {
	return s.consumerStopped && !s.parentFirst && stopNoise(err)
}

// finishLocked runs exactly once: running reaches zero after sealing only
// once, because no sender enters a sealed stream. It runs before ch is
// closed, so a parent that ends once the consumer has seen the close is not
// reported.
func (s *stream[T]) finishLocked() {
	if s.err == nil && (!s.consumerStopped || s.parentFirst) {
		s.err = context.Cause(s.parent)
	}
	s.stopped.Store(true) // a yield called after its producer returned (misuse) reports false
	close(s.ch)
	s.cancel(nil) // the stream owns this cancel (pitfall A6 in the README's catalogue)
	close(s.done)
}

func (s *stream[T]) stop() {
	s.mu.Lock()
	if !s.consumerStopped {
		s.consumerStopped = true
		s.parentFirst = s.parent.Err() != nil
	}
	s.cancel(ErrStopped) // before stopped: whoever sees stopped sees a cause
	s.stopped.Store(true)
	s.sealLocked()
	s.mu.Unlock()
	// Receive until the last sender closes the channel: this releases
	// senders blocked in a plain send and discards what was buffered.
	for range s.ch {
	}
	<-s.done
}

func (s *stream[T]) wait() error {
	<-s.done
	return s.err
}

func (s *stream[T]) values() iter.Seq[T] {
	return func(yield func(T) bool) {
		drained := false
		defer s.stopUnless(&drained) // also when the loop body panics
		for v := range s.ch {
			if !yield(v) {
				return
			}
		}
		drained = true
	}
}

func (s *stream[T]) all() iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		drained := false
		defer s.stopUnless(&drained)
		for v := range s.ch {
			if !yield(v, nil) {
				return
			}
		}
		drained = true
		if err := s.wait(); err != nil {
			var zero T
			yield(zero, err)
		}
	}
}

// stopUnless stops the stream when a range over it ended early: break,
// return, or a panic in the loop body.
func (s *stream[T]) stopUnless(drained *bool) {
	if !*drained {
		s.stop()
	}
}
