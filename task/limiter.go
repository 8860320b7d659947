package task

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
)

// A Limiter caps the combined weight of work in flight across any number of
// goroutines, groups and requests: at most 50 database calls at once,
// whichever request each belongs to, while every request keeps its own
// [Group], context and lifetime. It is a weighted semaphore with the methods
// and semantics of golang.org/x/sync/semaphore.Weighted, one for one: x/sync's
// own semaphore tests pass against it with only the import and the names
// NewWeighted and Weighted changed (.ci/conformance).
//
// A Limiter of size n holds n permits. [Limiter.Acquire] takes some, waiting
// for them in FIFO order; [Limiter.Release] gives them back. Permits belong
// to no goroutine: any goroutine may release what another acquired.
//
// Requests are served in the order they started waiting, and a request at the
// head of the queue blocks every request behind it, even a smaller one that
// would fit: a large request is never starved by a stream of small ones
// (think of n readers holding one permit each and a writer that needs all n).
//
// Its size follows semaphore.Weighted rather than the rule of the package
// doc's Limits section: a negative size panics, and a request larger than
// the size can never be granted (Acquire waits for its context to be done).
//
// The zero Limiter is a Limiter of size 0, as NewLimiter(0): requests of
// weight 0 succeed, and no larger request ever does. A Limiter must not be
// copied after first use.
type Limiter struct {
	// size is the number of permits; set by NewLimiter, never changed.
	size int64

	// state is the number of permits held, with the queued bit
	// (limiterQueued) set while the queue of waiters is not empty. While the
	// bit is clear, Acquire, TryAcquire and Release change state with a
	// compare-and-swap and never touch mu; while it is set, only holders of
	// mu change state, so nothing overtakes the waiters' FIFO order.
	state atomic.Uint64

	// mu guards the queue, head to tail, and the queued bit of state, which
	// is set exactly when head != nil. When mu is released with a non-empty
	// queue, the head's request does not fit in the free permits.
	mu         sync.Mutex
	head, tail *limiterWaiter
}

// limiterQueued is the bit of Limiter.state that says waiters are queued. The
// permits held never exceed the size, a non-negative int64, so they never
// reach this bit.
const limiterQueued = 1 << 63

// A limiterWaiter is an Acquire blocked in the queue.
type limiterWaiter struct {
	n int64
	// ready receives one token when the waiter is granted its permits, sent
	// under Limiter.mu; capacity 1, so the granter never blocks.
	ready      chan struct{}
	prev, next *limiterWaiter // guarded by Limiter.mu while queued
}

// NewLimiter returns a Limiter of n permits. It panics if n is negative; a
// Limiter of size 0 grants only requests of weight 0, as
// semaphore.NewWeighted(0) does.
func NewLimiter(n int64) *Limiter {
	if n < 0 {
		panic("task: NewLimiter with a negative size")
	}
	return &Limiter{size: n}
}

// Acquire takes n permits, blocking until they are granted or ctx is done.
// On success it returns nil. On failure it returns ctx.Err() and leaves the
// Limiter as it was: permits granted to it while ctx was becoming done are
// given back and passed on to the waiters behind it.
//
// If ctx is already done, Acquire fails even when the permits are free.
// Acquire waits in FIFO order (see [Limiter]): while others are waiting, it
// waits behind them even if n permits are free, and a request of weight 0
// succeeds at once only when nobody is waiting. A request larger than the
// Limiter's size can never be granted: Acquire then blocks until ctx is done
// (for ever with a ctx that is never done, such as [context.Background]),
// without holding up the requests behind it.
//
// Acquire panics if n is negative or ctx is nil.
func (l *Limiter) Acquire(ctx context.Context, n int64) error {
	if ctx == nil || n < 0 {
		limiterMisuse("Acquire", n, ctx == nil)
	}
	// The fast path of acquire, with ctx.Err() for the done check: for the
	// standard library's contexts it is one atomic load, where ctx.Done()
	// and a receive cost two calls more (BenchmarkLimiterDoneCheck measures
	// the two). A context's Err is non-nil once its Done is closed.
	if s := l.state.Load(); s&limiterQueued == 0 && n <= l.size-int64(s) && ctx.Err() == nil &&
		l.state.CompareAndSwap(s, s+uint64(n)) {
		return nil
	}
	if l.acquireSlow(ctx.Done(), n) {
		return nil
	}
	return ctx.Err()
}

// acquire is Acquire for a caller that has a done channel and no context to
// report, such as Group.SetLimiter's tasks: done is the group's done channel,
// or nil to wait for ever. It reports whether it took the n permits (the
// caller checks n >= 0); when it returns false, done is closed and nothing
// is held. Uncontended, it is a load and a compare-and-swap, with no mutex
// and no allocation. TryAcquire and Release need no such form; l.size never
// changes, so a caller may read it to refuse a request that can never be
// granted (n > l.size) instead of waiting for ever.
func (l *Limiter) acquire(done <-chan struct{}, n int64) bool {
	if s := l.state.Load(); s&limiterQueued == 0 && n <= l.size-int64(s) && !limiterDone(done) &&
		l.state.CompareAndSwap(s, s+uint64(n)) {
		return true
	}
	return l.acquireSlow(done, n)
}

// acquireSlow is acquire when the first compare-and-swap did not succeed:
// done may be closed, the permits taken, other waiters queued, or another
// goroutine's compare-and-swap may have come first.
func (l *Limiter) acquireSlow(done <-chan struct{}, n int64) bool {
	if limiterDone(done) {
		return false
	}
	if l.take(n) {
		return true
	}
	if n > l.size {
		// Never granted: wait for done without joining the queue, where it
		// would block every request behind it.
		<-done
		return false
	}
	l.mu.Lock()
	// A done that closed while we waited for mu happened before the
	// permits were taken: fail, as semaphore.Weighted does, even if they
	// are free now.
	if limiterDone(done) {
		l.mu.Unlock()
		return false
	}
	w := &limiterWaiter{n: n, ready: make(chan struct{}, 1)}
	l.push(w)
	// From here on only holders of mu change state. Permits released since
	// take failed, before this Or, were released without a look at the
	// queue: grant now what fits, w included if it is at the head.
	held := l.state.Or(limiterQueued) &^ limiterQueued
	l.grant(held)
	l.mu.Unlock()
	return l.wait(w, done)
}

// wait blocks until w, queued by acquireSlow, is granted or done is closed,
// and reports whether w holds its permits. If both happen, it fails, holding
// nothing.
func (l *Limiter) wait(w *limiterWaiter, done <-chan struct{}) bool {
	n := w.n
	select {
	case <-w.ready:
		// Granted. Check done as semaphore.Weighted does: if it closed too,
		// the two happened together and failing is allowed; report the
		// failure the caller can already see.
		if limiterDone(done) {
			l.Release(n)
			return false
		}
		return true
	case <-done:
	}
	l.mu.Lock()
	select {
	case <-w.ready:
		// Granted while done was closing: give the permits back.
		l.releaseLocked(n)
	default:
		front := l.head == w
		l.remove(w)
		if front {
			// The head's request did not fit; the next one may.
			l.grant(l.state.Load() &^ limiterQueued)
		}
	}
	l.mu.Unlock()
	return false
}

// take takes n permits if nobody is queued and they are free, retrying the
// compare-and-swap while other goroutines change the count.
func (l *Limiter) take(n int64) bool {
	for {
		s := l.state.Load()
		if s&limiterQueued != 0 || n > l.size-int64(s) {
			return false
		}
		if l.state.CompareAndSwap(s, s+uint64(n)) {
			return true
		}
	}
}

// TryAcquire takes n permits without blocking and reports whether it did.
// It fails, changing nothing, when fewer than n permits are free or when
// other requests are waiting (it never overtakes them). TryAcquire panics if
// n is negative.
func (l *Limiter) TryAcquire(n int64) bool {
	if n < 0 {
		limiterMisuse("TryAcquire", n, false)
	}
	return l.take(n)
}

// Release gives back n permits and grants, in FIFO order, the waiting
// requests that then fit; it does not wait for anything. Release panics,
// leaving the Limiter as it was, if n is negative or more than the permits
// held (by all goroutines together).
func (l *Limiter) Release(n int64) {
	if s := l.state.Load(); s&limiterQueued == 0 && uint64(n) <= s && l.state.CompareAndSwap(s, s-uint64(n)) {
		return
	}
	l.releaseSlow(n)
}

// releaseSlow is Release when the first compare-and-swap did not succeed.
func (l *Limiter) releaseSlow(n int64) {
	if n < 0 {
		limiterMisuse("Release", n, false)
	}
	// Without waiters, only the count changes: retry the compare-and-swap.
	for {
		s := l.state.Load()
		if s&limiterQueued != 0 {
			break
		}
		if uint64(n) > s {
			panic("task: Limiter released more than held")
		}
		if l.state.CompareAndSwap(s, s-uint64(n)) {
			return
		}
	}
	l.mu.Lock()
	ok := l.releaseLocked(n)
	l.mu.Unlock()
	if !ok {
		panic("task: Limiter released more than held")
	}
}

// releaseLocked gives back n permits, with mu held, and grants what then
// fits; it reports false, changing nothing, if fewer than n are held.
func (l *Limiter) releaseLocked(n int64) bool {
	for {
		s := l.state.Load()
		held := s &^ limiterQueued
		if uint64(n) > held {
			return false
		}
		if s&limiterQueued != 0 {
			l.grant(held - uint64(n))
			return true
		}
		if l.state.CompareAndSwap(s, s-uint64(n)) {
			return true
		}
	}
}

// grant is called with mu held and the queued bit set, when held permits
// are held: it grants, from the head, every request that fits, and stores
// the new state (the queued bit cleared if the queue is now empty) before
// it wakes them, so that a request woken here that then calls TryAcquire
// sees the state after its own grant (storing after the wake-ups would let
// it see the queue it has left).
func (l *Limiter) grant(held uint64) {
	first := l.head
	w := first
	for ; w != nil && w.n <= l.size-int64(held); w = w.next {
		held += uint64(w.n)
	}
	// w is the new head: the first that does not fit, or nil.
	l.head = w
	if w == nil {
		l.tail = nil
		l.state.Store(held)
	} else {
		w.prev = nil // the loop below unlinks the granted ones
		l.state.Store(held | limiterQueued)
	}
	for g := first; g != w; {
		next := g.next
		g.prev, g.next = nil, nil
		g.ready <- struct{}{}
		g = next
	}
}

// push appends w to the queue; mu is held.
func (l *Limiter) push(w *limiterWaiter) {
	w.prev = l.tail
	if l.tail == nil {
		l.head = w
	} else {
		l.tail.next = w
	}
	l.tail = w
}

// remove takes w out of the queue; mu is held. The caller clears the
// queued bit if the queue becomes empty (grant does).
func (l *Limiter) remove(w *limiterWaiter) {
	if w.prev == nil {
		l.head = w.next
	} else {
		w.prev.next = w.next
	}
	if w.next == nil {
		l.tail = w.prev
	} else {
		w.next.prev = w.prev
	}
	w.prev, w.next = nil, nil
}

// limiterDone reports whether done is closed; a nil done never is.
func limiterDone(done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	default:
		return false
	}
}

// limiterMisuse panics for a negative weight n, or a nil ctx, passed to method.
func limiterMisuse(method string, n int64, nilCtx bool) {
	if nilCtx {
		panic("task: Limiter." + method + " called with a nil Context")
	}
	panic("task: Limiter." + method + " with a negative weight (" + strconv.FormatInt(n, 10) + ")")
}
