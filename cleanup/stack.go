package cleanup

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/boundgo/bound/internal/panics"
)

// ErrReleased is matched (with [errors.Is]) by the error of a step that was
// pushed onto a [Stack] already released or releasing: such a step is not
// kept but run at once by the pusher, and its error, if it has one, is
// wrapped with ErrReleased and added to what Release returns from then on.
var ErrReleased = errors.New("cleanup: push after release: the step ran at once")

// inlineSteps is how many steps a Stack holds before it allocates.
const inlineSteps = 8

// A Stack is a defer chain that never breaks. Steps pushed on it — functions,
// [io.Closer]s, [*Releaser]s — run when it is released, last in first out,
// each exactly once. Releasing goes on past a step that fails, panics or
// calls [runtime.Goexit], and returns every error joined (pitfall B5 in the
// README's catalogue).
//
// Release is idempotent like [Releaser.Release]: the first call runs the
// steps, concurrent calls wait for it, and every call returns the same
// error. A step pushed during or after release is not kept: the pusher runs
// it at once and its Push reports false; the step's error, wrapped with
// [ErrReleased], is then added to what Release returns, so that it is never
// dropped.
//
// A Stack is the tool for resources opened one by one where any opening can
// fail: [Stack.Disarm] keeps them on success. Released per loop iteration
// (see [Scope]), it stops defers from piling up until the function returns
// (pitfall B3).
//
// The zero Stack is empty and ready to use. All methods are safe for
// concurrent use. The first 8 steps are stored inline, so a Stack that does
// not escape costs no allocation until a ninth step. A Push is two atomic
// operations when uncontended; a release, two more, one call per step and
// one deferred call in all: those atomics, which make a Stack safe to share,
// are most of what it costs over plain defers. A Stack must not be copied
// after first use.
type Stack struct {
	// w holds the state and the lock that guards the fields below.
	w stateWord

	// Guarded by w's lock while open. Steps are inline[:min(n, 8)] then
	// spill, in push order. While running they belong to the goroutine
	// running the release, which reads them without the lock and clears
	// them after the move to released, when nothing else reads them.
	n      int
	inline [inlineSteps]step
	spill  []step

	// err is the result of the release: written, under the lock, by the
	// goroutine running the release as it moves the stack to released, then
	// only joined with the errors of late steps, under the lock. late holds
	// those errors while the release is running. done is made, under the
	// lock, by the first waiter or Done call, and closed after the move to
	// released.
	err  error
	late error
	done chan struct{}
}

// step is one release step: a func() error, a func() or an io.Closer. Held
// in an interface, it is two words, and storing a func or an interface in
// it does not allocate.
type step struct {
	fn any
}

// call runs a step.
func (st step) call() error {
	switch f := st.fn.(type) {
	case func() error:
		return f()
	case func():
		f()
		return nil
	}
	return st.fn.(io.Closer).Close()
}

// Push adds f to the top of the stack and reports true. If the stack was
// already released or is releasing, Push runs f at once instead and reports
// false: whatever f releases is gone, and f's error, if any, wrapped with
// [ErrReleased], is added to what [Stack.Release] returns. A nil f panics.
func (s *Stack) Push(f func() error) (kept bool) {
	if f == nil {
		panic("cleanup: Stack.Push of a nil function")
	}
	if s.w.tryLockOpen() { // push's fast path, spelled out: one call a Push
		if n := s.n; n < inlineSteps {
			s.inline[n] = step{f}
			s.n = n + 1
			s.w.unlock(open)
			return true
		}
		s.w.unlock(open)
	}
	return s.pushSlow(step{f})
}

// PushFunc adds f, a step that cannot fail, to the top of the stack, as
// [Stack.Push] does. A nil f panics.
func (s *Stack) PushFunc(f func()) (kept bool) {
	if f == nil {
		panic("cleanup: Stack.PushFunc of a nil function")
	}
	return s.push(step{f})
}

// PushCloser adds c.Close to the top of the stack, as [Stack.Push] does.
// A [*Releaser] or another *Stack is an io.Closer: pushing one releases it
// as a step. A nil interface panics; a typed nil pointer (a failed
// os.Open's *os.File) is pushed, and its Close reports the error.
func (s *Stack) PushCloser(c io.Closer) (kept bool) {
	if c == nil {
		panic("cleanup: Stack.PushCloser of a nil io.Closer")
	}
	return s.push(step{c})
}

func (s *Stack) push(st step) bool {
	if s.w.tryLockOpen() {
		if s.n < inlineSteps {
			s.inline[s.n] = st
			s.n++
			s.w.unlock(open)
			return true
		}
		s.w.unlock(open)
	}
	return s.pushSlow(st)
}

// pushSlow pushes when the fast path could not: the lock was taken, the
// inline steps are full, or the stack is no longer open, in which case it
// runs the step at once.
func (s *Stack) pushSlow(st step) bool {
	if state := s.w.lock(); state != open {
		s.w.unlock(state)
		s.runLate(st)
		return false
	}
	if s.n < inlineSteps {
		s.inline[s.n] = st
	} else {
		s.spill = append(s.spill, st)
	}
	s.n++
	s.w.unlock(open)
	return true
}

// runLate runs a step pushed after the release started, and keeps its
// error: a panic is recovered, and a Goexit is recorded from the deferred
// call it runs before the pushing goroutine goes on exiting.
func (s *Stack) runLate(st step) {
	s.addLate(panics.Call(st.call, s.addLatePanic))
}

// addLatePanic is addLate for a late step that called runtime.Goexit.
func (s *Stack) addLatePanic(p *PanicError) { s.addLate(p) }

// addLate adds the error of a late step, if it failed, to the release's.
func (s *Stack) addLate(err error) {
	if err == nil {
		return
	}
	err = fmt.Errorf("%w: %w", ErrReleased, err)
	switch state := s.w.lock(); state {
	case running: // the release adds it as it finishes
		s.late = join(s.late, err)
		s.w.unlock(state)
	default:
		s.err = join(s.err, err)
		s.w.unlock(state)
	}
}

// join is errors.Join for two errors, either of which may be nil, that
// keeps a lone error as it is.
func join(a, b error) error {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return errors.Join(a, b)
}

// Release runs every step, last pushed first, each exactly once, and
// returns their errors joined with [errors.Join] in the order the steps ran:
// nil if none failed, the error itself (not wrapped) if exactly one did.
// A step that panics adds a [*PanicError]; releasing goes on with the next.
//
// A step that calls [runtime.Goexit] adds a [*PanicError] matching
// [ErrGoexit]; the remaining steps still run (from the deferred calls that
// Goexit runs), and then the calling goroutine goes on exiting, so this call
// does not return; other callers get the joined error.
//
// Later and concurrent calls block until the first has finished and return
// the same error, joined with the errors of steps pushed late (see
// [Stack.Push]); a step that releases its own Stack therefore deadlocks,
// while a step that pushes onto it runs that step at once.
func (s *Stack) Release() error {
	if !s.w.move(open, running) {
		return s.releaseSlow()
	}
	return s.unwind()
}

// releaseSlow is Release when the stack is locked, running or released.
func (s *Stack) releaseSlow() error {
	switch state := s.w.lock(); state {
	case open:
		s.w.unlock(running)
		return s.unwind()
	case running:
		if s.done == nil {
			s.done = make(chan struct{})
		}
		done := s.done
		s.w.unlock(running)
		<-done
		return s.result()
	default:
		err := s.err
		s.w.unlock(released)
		return err
	}
}

// result returns the release's error, once released.
func (s *Stack) result() error {
	state := s.w.lock()
	err := s.err
	s.w.unlock(state)
	return err
}

// unwind runs the steps, in the goroutine that moved s to running.
func (s *Stack) unwind() error {
	var errs errList
	u := unwinder{s: s, next: s.n - 1, errs: &errs}
	u.run()
	return u.finish()
}

// Close is Release, so that a *Stack is an [io.Closer].
func (s *Stack) Close() error {
	return s.Release()
}

// Released reports, without blocking, whether a release has finished.
func (s *Stack) Released() bool {
	return s.w.state() == released
}

// Done returns a channel that is closed once a release has finished. It
// does not start the release.
func (s *Stack) Done() <-chan struct{} {
	state := s.w.lock()
	defer s.w.unlock(state)
	if state == released {
		return closedChan
	}
	if s.done == nil {
		s.done = make(chan struct{})
	}
	return s.done
}

// Disarm moves every step, in order, to a new Stack and returns it, leaving
// s empty and still open: releasing s then runs nothing. It is the "keep
// the resources on success" half of a constructor that opens several
// things: push each one, defer the release of s, and on success return the
// disarmed stack as the new object's closer. Disarming a stack that is
// released or releasing returns an empty Stack.
func (s *Stack) Disarm() *Stack {
	kept := new(Stack)
	state := s.w.lock()
	defer s.w.unlock(state)
	if state != open {
		return kept
	}
	kept.n, kept.inline, kept.spill = s.n, s.inline, s.spill
	s.n, s.inline, s.spill = 0, [inlineSteps]step{}, nil
	return kept
}

// ReleaseWhenDone arranges for s to be released, in its own goroutine, when
// ctx is done. Its stop function is that of [Releaser.ReleaseWhenDone]: if
// the release has already started, stop waits for it to finish.
func (s *Stack) ReleaseWhenDone(ctx context.Context) (stop func() bool) {
	return bind(ctx, s)
}

// Scope runs body with a new Stack and releases the stack when body returns
// or panics. It returns body's error and the stack's error, folded as
// [Close] folds them. Called in a loop body, it releases each iteration's
// resources at the end of the iteration, where defers would pile up until
// the function returns (pitfall B3). The Stack escapes to the heap: one
// allocation per call.
func Scope(body func(s *Stack) error) (err error) {
	s := new(Stack)
	defer func() { fold(&err, s.Release()) }()
	return body(s)
}
