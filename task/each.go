package task

import (
	"context"
	"iter"
	"sync"
	"sync/atomic"

	"github.com/boundgo/bound/internal/panics"
)

// The engines of Map, MapSeq, ForEach and ForEachSeq. Both keep the rules
// those functions document: at most limit calls at once, no call started
// once the context is done (a call's error cancels it), the first error
// returned, else ctx's cause if an element was left unstarted, and
// runtime.Goexit in a call reported as a *panics.Error, never as a silent
// success; a panic is not recovered and crashes the program, as in a Group.

// mustLimit panics if limit is 0, or l has no permit: no element could ever
// start.
func mustLimit(fn string, limit int, l *Limiter) {
	if limit == 0 {
		panic("task: " + fn + " with a limit of 0: no element can ever start")
	}
	if l != nil && l.size == 0 {
		panic("task: " + fn + " with a limiter that has no permit: no element can ever start")
	}
}

// stopper is what the workers of one call of an engine share (one
// allocation for all of it).
type stopper struct {
	cancel  context.CancelCauseFunc
	errOnce sync.Once
	first   error
	stopped atomic.Bool  // an element was left unstarted
	next    atomic.Int64 // eachIndex: the next index to take
	wg      sync.WaitGroup
}

// fail records err as the first error and cancels the context.
func (s *stopper) fail(err error) {
	s.errOnce.Do(func() {
		s.first = err
		s.cancel(err)
	})
}

// aborted records a runtime.Goexit in a call: a panic is not recovered and
// crashes the program anyway.
func (s *stopper) aborted() { s.fail(panics.New(nil)) }

// result is what the engine returns once every worker has returned; ctx is
// the engine's context.
func (s *stopper) result(ctx context.Context) error {
	if s.first != nil {
		return s.first
	}
	if s.stopped.Load() {
		return context.Cause(ctx)
	}
	return nil
}

// eachIndex calls call(ctx, i) for every i in [0, n), on min(limit, n)
// goroutines (n with limit < 0) that take the next index until none is
// left: an atomic add per element, no goroutine per element. limit is not 0,
// n > 0, and ctx is not done. With a limiter l (which has permits), each
// call holds one permit of l, and there are no more goroutines than l's
// size, since no more calls could run at once.
func eachIndex(ctx context.Context, n, limit int, l *Limiter, call func(ctx context.Context, i int) error) error {
	if limit < 0 || limit > n {
		limit = n
	}
	if l != nil && int64(limit) > l.size {
		limit = int(l.size)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	s := &stopper{cancel: cancel}
	var done <-chan struct{}
	if l != nil {
		done = ctx.Done()
	}
	loop := func() error {
		for {
			i := int(s.next.Add(1) - 1)
			if i >= n {
				return nil
			}
			// ctx.Err sees what a receive from Done would: a parent's
			// cancellation reaches ctx before the parent's cancel returns.
			if ctx.Err() != nil {
				s.stopped.Store(true)
				return nil
			}
			var err error
			if l == nil {
				err = call(ctx, i)
			} else if l.acquire(done, 1) {
				err = callHolding(l, ctx, i, call)
			} else {
				s.stopped.Store(true) // ctx is done
				return nil
			}
			if err != nil {
				s.fail(err)
				s.stopped.Store(true)
				return nil
			}
		}
	}
	s.wg.Add(limit)
	for range limit {
		go func() {
			defer s.wg.Done()
			_ = panics.Watch(loop, s.aborted)
		}()
	}
	s.wg.Wait()
	return s.result(ctx)
}

// callHolding calls call(ctx, i) with a permit of l, which it gives back
// when call returns or calls runtime.Goexit.
func callHolding(l *Limiter, ctx context.Context, i int, call func(ctx context.Context, i int) error) error {
	defer l.Release(1)
	return call(ctx, i)
}

// eachSeq calls call(ctx, v) for every v of seq. The caller's goroutine
// ranges over seq (an iter.Seq need not be safe for concurrent use) and
// hands each element to an idle worker, starting a new one only when none
// is idle and fewer than limit run (any number with limit < 0): at most
// min(limit, number of elements) goroutines, and a handful for a stream of
// quick calls. limit is not 0, and ctx is not done.
//
// Once ctx is done it takes no further element from seq: the iterator's
// yield returns false. If seq panics, the workers' context is cancelled and
// the panic goes on once they have returned.
func eachSeq[T any](ctx context.Context, seq iter.Seq[T], limit int, call func(ctx context.Context, v T) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	s := &stopper{cancel: cancel}
	done := ctx.Done()
	work := make(chan T)
	worker := func(v T) {
		defer s.wg.Done()
		_ = panics.Watch(func() error {
			for ok := true; ok; v, ok = <-work {
				select {
				case <-done:
					s.stopped.Store(true)
					return nil
				default:
				}
				if err := call(ctx, v); err != nil {
					s.fail(err)
					return nil
				}
			}
			return nil
		}, s.aborted)
	}
	fed := false
	defer func() {
		if !fed {
			// seq panicked or called runtime.Goexit: stop the workers,
			// wait for them, and let it go on.
			cancel(context.Canceled)
			close(work)
			s.wg.Wait()
		}
	}()
	started := 0
feed:
	for v := range seq {
		select {
		case <-done:
			s.stopped.Store(true)
			break feed
		case work <- v:
			continue // an idle worker took it
		default:
		}
		if limit < 0 || started < limit {
			started++
			s.wg.Add(1)
			go worker(v)
			continue
		}
		select {
		case work <- v:
		case <-done:
			s.stopped.Store(true)
			break feed
		}
	}
	fed = true
	close(work)
	s.wg.Wait()
	return s.result(ctx)
}
