package task

import (
	"context"
	"errors"
	"runtime/pprof"
	"sync"
	"time"
)

// Options are setter methods on Group, as SetLimit is, rather than functional
// options on a constructor: the zero Group stays valid, and WithContext keeps
// errgroup's signature. Each setter panics once the group's first task has
// started (SetLimit keeps errgroup's rule instead: not while tasks are active).

// A Policy says which error Wait returns and when the group's context is
// cancelled. The zero Policy is FirstError.
type Policy int

const (
	// FirstError is errgroup's policy: Wait returns the first non-nil error,
	// and that error cancels the group's context.
	FirstError Policy = iota

	// AllErrors collects every error: Wait returns them joined with
	// [errors.Join] in the order they happened, each one still matchable with
	// [errors.Is] and [errors.As]. An error does not cancel the context (every
	// task runs to its end); a captured panic still does.
	AllErrors

	// FirstSuccess is for hedged requests: the first task to return nil
	// cancels the group's context, and Wait returns nil. If no task
	// succeeds, Wait returns every error joined. A group with no tasks
	// returns nil.
	FirstSuccess
)

// extras holds the opt-in options, set before the first task, and the state
// they need.
type extras struct {
	name    string
	grace   time.Duration
	policy  Policy
	capture bool

	mu        sync.Mutex
	errs      []error              // AllErrors and FirstSuccess; guarded by mu
	skipped   bool                 // a skip cause is in errs; guarded by mu
	succeeded bool                 // FirstSuccess; guarded by mu
	running   map[*record]struct{} // tasks of a group with a grace period; guarded by mu
	seq       uint64               // start order of records; guarded by mu
	empty     chan struct{}        // closed when running becomes empty; guarded by mu
}

// options returns g.x, creating it; it panics once a task has started.
func (g *Group) options(method string) *extras {
	if g.started.Load() {
		panic("task: " + method + " called after the group's first task started")
	}
	if g.x == nil {
		g.x = new(extras)
	}
	return g.x
}

// SetName names the group. The name is set as the pprof label "group" on the
// goroutine of every task started with [Group.GoContext], [Group.GoNamed],
// [Group.TryGoContext] and, while the name is set, Go and TryGo too, so that
// a goroutine profile (/debug/pprof/goroutine?debug=1) says which group each
// goroutine belongs to; it also heads a [*LeakError].
//
// Like every option, SetName must be called before the first task starts; it
// panics otherwise.
func (g *Group) SetName(name string) {
	g.options("SetName").name = name
}

// SetPolicy sets the error policy (see [Policy]). It must be called before
// the first task starts; it panics otherwise.
func (g *Group) SetPolicy(p Policy) {
	if p < FirstError || p > FirstSuccess {
		panic("task: SetPolicy called with an unknown Policy")
	}
	g.options("SetPolicy").policy = p
}

// CapturePanics makes a panic in a task an error instead of a crash: the
// panic is recovered into a [*cleanup.PanicError] that holds its value and
// the task's stack, the group's context is cancelled with it at once, and
// Wait returns it (as the first error, or among the joined ones). A task
// that calls [runtime.Goexit] is reported the same way, with Goexit set, and
// matches [cleanup.ErrGoexit]. Without it a panic crashes the program, as
// under errgroup (see the comment in Group.run for why that is the default).
//
// CapturePanics must be called before the first task starts; it panics
// otherwise.
func (g *Group) CapturePanics() {
	g.options("CapturePanics").capture = true
}

// SetGrace sets a grace period for leak reports: once the group's context is
// done (an error, the parent's cancellation, [Group.Stop]), Wait waits at most
// d more for the tasks to return. If some are still running then, Wait
// returns a [*LeakError] naming each of them with its goroutine stack, and
// leaves them running. No new task may be started after that; a later Wait
// waits for the stuck tasks as errgroup's would, and lets the idle workers
// of a limited group exit. A Group without a
// context (the zero Group) is never done, so the grace period has no effect.
// d ≤ 0 means no grace period: Wait waits for ever, as errgroup's does.
//
// Each task of a group with a grace period costs a few microseconds more (its
// goroutine id is taken from its stack header). SetGrace must be called
// before the first task starts; it panics otherwise.
func (g *Group) SetGrace(d time.Duration) {
	g.options("SetGrace").grace = d
}

// labels returns the pprof labels for a task named name, if there are any.
func (x *extras) labels(name string) (pprof.LabelSet, bool) {
	switch {
	case x != nil && x.name != "" && name != "":
		return pprof.Labels("group", x.name, "task", name), true
	case x != nil && x.name != "":
		return pprof.Labels("group", x.name), true
	case name != "":
		return pprof.Labels("task", name), true
	}
	return pprof.LabelSet{}, false
}

// record applies the policy to a task's error. panicked reports a captured
// panic, which cancels the context under every policy.
func (g *Group) record(err error, panicked bool) {
	x := g.x
	if x == nil || x.policy == FirstError {
		g.fail(err)
		return
	}
	x.mu.Lock()
	x.errs = append(x.errs, err)
	x.mu.Unlock()
	if panicked && g.cancel != nil {
		g.cancel(err)
	}
}

// skip records that a context-form task was not started because the
// group's context is done: Wait reports the context's cause (once, under
// the policies that join errors).
func (g *Group) skip() {
	cause := context.Cause(g.ctx)
	x := g.x
	if x == nil || x.policy == FirstError {
		g.fail(cause)
		return
	}
	x.mu.Lock()
	if !x.skipped {
		x.skipped = true
		x.errs = append(x.errs, cause)
	}
	x.mu.Unlock()
}

// succeed records a success under FirstSuccess and cancels the others.
func (g *Group) succeed() {
	x := g.x
	x.mu.Lock()
	x.succeeded = true
	x.mu.Unlock()
	if g.cancel != nil {
		g.cancel(context.Canceled)
	}
}

// result is what Wait returns once every task has returned.
func (g *Group) result() error {
	x := g.x
	if x == nil || x.policy == FirstError {
		return g.err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.policy == FirstSuccess && x.succeeded {
		return nil
	}
	return errors.Join(x.errs...)
}
