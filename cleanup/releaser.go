package cleanup

import (
	"context"
	"sync/atomic"
	"unsafe"

	"github.com/boundgo/bound/internal/panics"
)

// A Releaser runs a release function exactly once, however many times and
// from however many goroutines it is released, and hands every caller the
// same result. It is the "sync.Once + atomic.Value" pattern, done once and
// right: a [*Releaser] is an [io.Closer] whose Close may be called twice, or
// concurrently, without a "file already closed" error or a race (pitfall B8 in the README's catalogue).
//
// The first call to [Releaser.Release] runs the function; calls that arrive
// while it runs block until it has returned; later calls return at once.
// Waiters block on a channel, never on a mutex held across the function, so
// [testing/synctest] sees them as durably blocked.
//
// A panic in the release function is recovered once, with its stack, and
// every caller gets it as a [*PanicError]; the function is not run again.
// A call to [runtime.Goexit] in it (as testing.T.FailNow makes) is not
// stopped: the goroutine that ran it goes on exiting, but every other caller
// gets a [*PanicError] matching [ErrGoexit] instead of hanging. (A function
// made by [sync.OnceFunc] turns such a Goexit into a panic with a
// *runtime.PanicNilError, in the goroutine that ran it and in every later
// caller, which names neither Goexit nor where it happened.)
//
// Cost: once released, Release is one atomic load and a nil check,
// inlined, with no allocation. The first release allocates nothing
// when the function returns nil and nobody waits; an error result costs one
// small allocation, and waiting callers share one channel.
//
// The zero Releaser is valid: it has no release function, and releasing it
// returns nil and marks it released. A Releaser must not be copied after
// first use (go vet reports copies).
type Releaser struct {
	// state is nil until someone calls Release or Done, then moves forward
	// only: watched -> running -> released. Each state is immutable once
	// published, so the fast path reads a released state's err without a
	// second atomic operation.
	state atomic.Pointer[releaseState]

	// result is nil until released, then the released state, for good:
	// the fast path is this one load and a nil check.
	// It is an unsafe.Pointer rather than an atomic.Pointer because the
	// generic Load costs enough to keep Release from inlining.
	result unsafe.Pointer // *releaseState

	// f is the release function. It is written only by NewReleaser, and
	// read and cleared only by the one goroutine that wins the transition
	// to running.
	f func() error
}

// releaseState is one immutable step in the life of a Releaser.
type releaseState struct {
	// done, if not nil, is closed when the release function has returned.
	// It is made lazily, only for a waiter or a call to Done.
	done chan struct{}

	err      error // the result; meaningful only when released
	running  bool  // the release function has started
	released bool  // the release function has returned; err is final
}

var (
	// runningNoWaiters is the running state while nobody waits: shared by
	// every Releaser so that an uncontended release does not allocate.
	runningNoWaiters = &releaseState{running: true}

	// releasedNil is the released state of every Releaser whose release
	// function returned nil.
	releasedNil = &releaseState{running: true, released: true}

	// closedChan is what Done returns once released.
	closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()
)

// NewReleaser returns a Releaser that runs f the first time it is released.
// A nil f is allowed: releasing then does nothing and returns nil.
func NewReleaser(f func() error) *Releaser {
	return &Releaser{f: f}
}

// Release runs the release function if no call has run it yet, and returns
// its result: the same error value to every caller, forever after.
//
// If the function is running in another goroutine, Release blocks until it
// has returned. If it panicked, Release returns a [*PanicError] holding the
// panic value and stack; if it called [runtime.Goexit], the goroutine that
// ran it keeps exiting and every other caller gets a [*PanicError] with
// Goexit set.
//
// Once released, Release costs one atomic load and does not allocate. A
// release function that calls Release on its own Releaser deadlocks, like
// a sync.Once calling its own Do.
func (r *Releaser) Release() error {
	if p := atomic.LoadPointer(&r.result); p != nil {
		return (*releaseState)(p).err
	}
	return r.releaseSlow()
}

// Close is Release, so that a *Releaser is an [io.Closer].
func (r *Releaser) Close() error {
	return r.Release()
}

// Released reports, without blocking, whether the release function has
// returned (or panicked, or exited with Goexit), so that Release would
// return at once.
func (r *Releaser) Released() bool {
	return atomic.LoadPointer(&r.result) != nil
}

// Done returns a channel that is closed once the release function has
// returned, for use in a select. It does not start the release. The first
// call before release allocates the channel; later calls return the same
// one.
func (r *Releaser) Done() <-chan struct{} {
	for {
		s := r.state.Load()
		switch {
		case s != nil && s.released:
			return closedChan
		case s != nil && s.done != nil:
			return s.done
		}
		w := &releaseState{done: make(chan struct{}), running: s != nil && s.running}
		if r.state.CompareAndSwap(s, w) {
			return w.done
		}
	}
}

// ReleaseWhenDone arranges for r to be released, in its own goroutine, when
// ctx is done, using [context.AfterFunc].
//
// Calling stop unbinds r from ctx. It returns true if it stopped the release
// from being started. Unlike the stop function of context.AfterFunc, which
// returns false and at once when the function has already started, stop
// then waits until the release has finished, so
// after stop returns, the resource is either untouched (true) or released
// (false). Later calls of stop return false.
func (r *Releaser) ReleaseWhenDone(ctx context.Context) (stop func() bool) {
	return bind(ctx, r)
}

// releaseSlow handles every case but "already released": it starts the
// release or waits for the one running.
func (r *Releaser) releaseSlow() error {
	for {
		s := r.state.Load()
		switch {
		case s != nil && s.released:
			return s.err
		case s != nil && s.running:
			if s.done == nil {
				w := &releaseState{done: make(chan struct{}), running: true}
				if !r.state.CompareAndSwap(s, w) {
					continue
				}
				s = w
			}
			<-s.done
			return r.state.Load().err
		}
		next := runningNoWaiters
		if s != nil { // watched: keep the channel that Done handed out
			next = &releaseState{done: s.done, running: true}
		}
		if r.state.CompareAndSwap(s, next) {
			return r.run()
		}
	}
}

// run calls the release function in the goroutine that won the transition
// to running, and publishes its result even if it panics or exits.
func (r *Releaser) run() error {
	f := r.f
	r.f = nil // let the function's captures be collected
	if f == nil {
		r.finish(nil)
		return nil
	}
	// A panic comes back as a *PanicError; a Goexit is published from the
	// deferred call it runs, and the goroutine goes on exiting. Unlike
	// sync.OnceFunc, which reports a Goexit as a *runtime.PanicNilError
	// naming neither Goexit nor where it happened, the error says what
	// happened.
	err := panics.Call(f, r.finishPanic)
	r.finish(err)
	return err
}

// finishPanic is finish for a release function that called runtime.Goexit.
func (r *Releaser) finishPanic(p *panics.Error) { r.finish(p) }

// finish publishes err as the final result and wakes every waiter.
func (r *Releaser) finish(err error) {
	final := releasedNil
	if err != nil {
		final = &releaseState{err: err, running: true, released: true}
	}
	atomic.StorePointer(&r.result, unsafe.Pointer(final))
	if old := r.state.Swap(final); old.done != nil {
		close(old.done)
	}
}

// doner is what bind needs: both Releaser and Stack are doners.
type doner interface {
	Release() error
	Done() <-chan struct{}
}

// bind releases x when ctx is done; see Releaser.ReleaseWhenDone.
func bind(ctx context.Context, x doner) (stop func() bool) {
	const (
		armed = iota
		stopped
		fired
	)
	var state atomic.Int32
	ctxStop := context.AfterFunc(ctx, func() {
		if state.CompareAndSwap(armed, fired) {
			_ = x.Release() // the error stays in x for anyone to ask
		}
	})
	return func() bool {
		if state.CompareAndSwap(armed, stopped) {
			ctxStop()
			return true
		}
		if state.Load() == fired {
			// The AfterFunc goroutine has claimed the release (or is
			// about to run it): wait for it, the step context.AfterFunc's
			// own stop leaves out.
			<-x.Done()
		}
		return false
	}
}
