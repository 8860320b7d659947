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
	stopped atomic.Bool // an element was left unstarted
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

// indexed is the engine of Map, ForEach and their WithLimiter forms, the
// part its workers share whatever the types: each generic form (eachIndexed,
// mapIndexed) embeds it, so that a call allocates the whole engine once.
//
// The workers take the next index until none is left (an atomic add per
// element, no goroutine per element) and call the caller's f themselves.
// They are started one after the other (see spawn): each worker starts the
// next once it has taken its first element and before it calls f, so calls
// that block or take long get every worker the limit allows, while a loop
// of quick calls that the first workers finish starts no more (starting a
// goroutine costs far more than a quick call, and two workers adding to
// one counter make each add dearer: BenchmarkIndexedTricks).
type indexed struct {
	stopper
	ctx     context.Context
	next    atomic.Int64 // the next index to take
	n       int64        // the number of elements
	workers int          // the most workers: min(limit, n, l's size)

	// watch says that ctx's parent can be done (its Done is not nil): a
	// worker then looks at ctx before each element. Without it only fail
	// cancels ctx, and fail moves next to n, which the atomic add sees at no
	// extra cost.
	watch bool

	lim  *Limiter        // nil: no limiter
	done <-chan struct{} // ctx.Done(), with a limiter

	// work is what every worker runs, one function value for all of them,
	// so that starting a worker allocates nothing. started counts the
	// workers started; only the latest one reads or writes it (see spawn).
	work    func()
	started int
}

// The switches of BenchmarkIndexedTricks, the A/B benchmark of the engine's
// two speed tricks: both are true but in its plain halves.
var (
	// lazyWorkers: each worker starts the next one (spawn), instead of run
	// starting them all at once.
	lazyWorkers = true
	// skipWatch: a worker does not look at ctx before each element when
	// ctx's parent can never be done.
	skipWatch = true
)

// init prepares s for n > 0 elements, at most limit (not 0) at once, each
// call holding a permit of l (if not nil, with permits). ctx is not done.
// With a limiter there are no more workers than its size, since no more
// calls could run at once.
func (s *indexed) init(ctx context.Context, n, limit int, l *Limiter) {
	if limit < 0 || limit > n {
		limit = n
	}
	if l != nil && int64(limit) > l.size {
		limit = int(l.size)
	}
	s.n, s.workers = int64(n), limit
	s.watch = ctx.Done() != nil || !skipWatch
	s.ctx, s.cancel = context.WithCancelCause(ctx)
	if l != nil {
		s.lim, s.done = l, s.ctx.Done()
	}
}

// run starts the first worker, which runs work, and returns the result once
// every worker has returned.
func (s *indexed) run(work func()) error {
	defer s.cancel(nil)
	s.work = work
	start := 1
	if !lazyWorkers {
		start = s.workers
	}
	s.started = start
	s.wg.Add(start)
	for range start {
		go work()
	}
	s.wg.Wait()
	return s.result(s.ctx)
}

// spawn starts the next worker, if fewer than s.workers were started. Each
// worker calls it once, when it has taken its first element and before it
// calls f on it: the latest worker is the only one that calls it, and its
// successor is started after it (a go statement orders the two), so
// started needs no lock.
func (s *indexed) spawn() {
	if s.started < s.workers {
		s.started++
		s.wg.Add(1)
		go s.work()
	}
}

// take returns the next index to call f on, and false if there is none.
// The comparison is unsigned: after fail moved next to n, the adds of the
// workers that are stopping may carry it past math.MaxInt64 when n is
// close to it (a slice of zero-size elements), and a negative index must
// stop them too.
func (s *indexed) take() (int64, bool) {
	i := s.next.Add(1) - 1
	return i, uint64(i) < uint64(s.n)
}

// halted reports whether ctx is done, and then records that an element was
// left unstarted. ctx.Err sees what a receive from Done would: a parent's
// cancellation reaches ctx before the parent's cancel returns.
func (s *indexed) halted() bool {
	if s.ctx.Err() != nil {
		s.stopped.Store(true)
		return true
	}
	return false
}

// acquire takes the permit of a call, or reports false, having recorded an
// element left unstarted, once ctx is done; it also sees a done ctx when the
// permit is free, so that a worker with a limiter needs no halted.
func (s *indexed) acquire() bool {
	if s.lim.acquire(s.done, 1) {
		return true
	}
	s.stopped.Store(true)
	return false
}

// fail records err as the first error: next moves to n, so that no worker
// takes another element, then ctx is cancelled with err.
func (s *indexed) fail(err error) {
	s.next.Store(s.n)
	s.stopper.fail(err)
}

// aborted records a runtime.Goexit in a call (a panic is not recovered and
// crashes the program anyway).
func (s *indexed) aborted() { s.fail(panics.New(nil)) }

// eachIndexed is the engine of ForEach: it calls f on the elements of in.
type eachIndexed[T any] struct {
	indexed
	in []T
	f  func(ctx context.Context, v T) error
}

// work is what a worker runs.
func (e *eachIndexed[T]) work() {
	defer e.wg.Done()
	_ = panics.Watch(e.loop, e.aborted)
}

// loop calls f on the elements the worker takes, until none is left, an
// error stops it, or ctx is done. It keeps what it reads of e in locals:
// next's cache line moves between the workers at each element.
func (e *eachIndexed[T]) loop() error {
	if e.lim != nil {
		return e.loopHolding()
	}
	ctx, in, f, watch := e.ctx, e.in, e.f, e.watch
	for first := true; ; first = false {
		i, ok := e.take()
		if !ok || watch && e.halted() {
			return nil
		}
		if first {
			e.spawn()
		}
		if err := f(ctx, in[i]); err != nil {
			e.fail(err)
			return nil
		}
	}
}

// loopHolding is loop with a limiter: each call holds a permit.
func (e *eachIndexed[T]) loopHolding() error {
	for first := true; ; first = false {
		i, ok := e.take()
		if !ok || !e.acquire() {
			return nil
		}
		if first {
			e.spawn()
		}
		if err := e.callHolding(i); err != nil {
			e.fail(err)
			return nil
		}
	}
}

// callHolding calls f on element i, holding a permit that it gives back
// when f returns or calls runtime.Goexit.
func (e *eachIndexed[T]) callHolding(i int64) error {
	defer e.lim.Release(1)
	return e.f(e.ctx, e.in[i])
}

// mapIndexed is the engine of Map: eachIndexed that stores the result of
// each call at its index in out (only if the call succeeded).
type mapIndexed[In, Out any] struct {
	indexed
	in  []In
	out []Out
	f   func(ctx context.Context, v In) (Out, error)
}

// work is what a worker runs.
func (e *mapIndexed[In, Out]) work() {
	defer e.wg.Done()
	_ = panics.Watch(e.loop, e.aborted)
}

// loop is eachIndexed.loop, with results.
func (e *mapIndexed[In, Out]) loop() error {
	if e.lim != nil {
		return e.loopHolding()
	}
	ctx, in, out, f, watch := e.ctx, e.in, e.out, e.f, e.watch
	for first := true; ; first = false {
		i, ok := e.take()
		if !ok || watch && e.halted() {
			return nil
		}
		if first {
			e.spawn()
		}
		v, err := f(ctx, in[i])
		if err != nil {
			e.fail(err)
			return nil
		}
		out[i] = v
	}
}

// loopHolding is eachIndexed.loopHolding, with results.
func (e *mapIndexed[In, Out]) loopHolding() error {
	for first := true; ; first = false {
		i, ok := e.take()
		if !ok || !e.acquire() {
			return nil
		}
		if first {
			e.spawn()
		}
		if err := e.callHolding(i); err != nil {
			e.fail(err)
			return nil
		}
	}
}

// callHolding is eachIndexed.callHolding, with results.
func (e *mapIndexed[In, Out]) callHolding(i int64) error {
	defer e.lim.Release(1)
	v, err := e.f(e.ctx, e.in[i])
	if err == nil {
		e.out[i] = v
	}
	return err
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
