package task

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Options are setter methods on Group, as SetLimit is, rather than functional
// options on a constructor: the zero Group stays valid, and WithContext keeps
// errgroup's signature. Every setter follows SetLimit's rule: it panics while
// tasks of the group are active, and may be called again after Wait.

// An ErrorPolicy says which error Wait returns and when the group's context
// is cancelled. The zero ErrorPolicy is FirstError.
type ErrorPolicy int

const (
	// FirstError is errgroup's policy: Wait returns the first non-nil error,
	// and that error cancels the group's context.
	FirstError ErrorPolicy = iota

	// AllErrors collects every error: Wait returns them joined with
	// [errors.Join] in the order they happened, each one still matchable with
	// [errors.Is] and [errors.As]. An error does not cancel the context (every
	// task runs to its end); a captured panic still does.
	AllErrors

	// FirstSuccess is for hedged requests: the first task to return nil
	// cancels the group's context, and Wait returns nil. If no task
	// succeeds, Wait returns every error joined. A group with no tasks
	// returns nil. [Results.WaitFirst] says which task won.
	FirstSuccess

	// AllErrorsFailFast cancels at the first error and still reports them
	// all (conc's pool with WithCancelOnError): the first error cancels the
	// group's context with itself as cause, as under FirstError, and Wait
	// returns every error joined, as under AllErrors. Once that
	// cancellation has taken effect, an error that only echoes it (one
	// matching [context.Canceled], or matching the first error with
	// [errors.Is], as a task returning context.Cause(ctx) does) is not
	// collected again. If the context was done first (the parent, Stop),
	// every error is collected, as under AllErrors.
	AllErrorsFailFast
)

// extras holds the opt-in options, set while no task is active, and the
// state they need.
type extras struct {
	name    string
	grace   time.Duration
	policy  ErrorPolicy
	capture bool

	// leak is the LeakError a Wait returned, if any: the group is then
	// finished (see Group.Wait). Set once.
	leak atomic.Pointer[LeakError]

	mu        sync.Mutex
	errs      []error              // every policy but FirstError; guarded by mu
	echo      error                // AllErrorsFailFast: the error that cancelled the context; guarded by mu
	failed    bool                 // AllErrorsFailFast: an error was recorded; guarded by mu
	skipped   bool                 // a skip cause is in errs; guarded by mu
	succeeded bool                 // FirstSuccess; guarded by mu
	running   map[*record]struct{} // tasks of a group with a grace period; guarded by mu
	tctx      context.Context      // the group's runtime/trace task context; guarded by mu
	ttask     *trace.Task          // and the task, ended by Wait; guarded by mu
	seq       uint64               // start order of records; guarded by mu
	empty     chan struct{}        // closed when running becomes empty; guarded by mu
}

// options returns g.x, creating it; it panics while tasks are active.
func (g *Group) options(method string) *extras {
	if n := g.active(); n != 0 {
		panic(fmt.Sprintf("task: %s called while %d tasks of the group are active", method, n))
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
// While the execution tracer runs ([runtime/trace.Start], go test -trace),
// a named group is a trace task of that name, from the first of its tasks
// that starts until Wait returns, and each task named with [Group.GoNamed]
// is a region of that task, so go tool trace shows which group and task a
// goroutine is running. The context-receiving tasks get the trace task's
// context, derived from the group's. While tracing is off none of this is
// done.
//
// SetName panics while tasks of the group are active; call it before the
// first task, or after Wait.
func (g *Group) SetName(name string) {
	g.options("SetName").name = name
}

// SetErrorPolicy sets the error policy (see [ErrorPolicy]). It panics while
// tasks of the group are active (call it before the first task, or after
// Wait), and for a value that is not one of the ErrorPolicy constants.
func (g *Group) SetErrorPolicy(p ErrorPolicy) {
	if p < FirstError || p > AllErrorsFailFast {
		panic(fmt.Sprintf("task: SetErrorPolicy called with an unknown ErrorPolicy %d", int(p)))
	}
	g.options("SetErrorPolicy").policy = p
}

// CapturePanics makes a panic in a task an error instead of a crash: the panic
// is recovered into a [*github.com/boundgo/bound/cleanup.PanicError] that
// holds its value and the task's stack, the group's context is cancelled with
// it at once, and Wait returns it (as the first error, or among the joined
// ones). A task that calls [runtime.Goexit] is reported the same way, with
// Goexit set, and matches [github.com/boundgo/bound/cleanup.ErrGoexit].
// Without it a panic crashes the program, as under errgroup (see the comment
// in Group.run for why that is the default).
//
// CapturePanics panics while tasks of the group are active; call it before
// the first task, or after Wait.
func (g *Group) CapturePanics() {
	g.options("CapturePanics").capture = true
}

// SetGrace sets a grace period for leak reports: once the group's context is
// done (an error, the parent's cancellation, [Group.Stop]), Wait waits at most
// d more for the tasks to return. If some are still running then, Wait
// returns a [*LeakError] naming each of them with its goroutine stack, and
// leaves them running.
//
// The group is then finished: it starts no new task (Go, GoContext and
// GoNamed return without running their function, TryGo and TryGoContext
// report false), and every later Wait, and so Stop and Run, returns that
// same *LeakError at once, without waiting for the tasks it names. The
// workers of a limited group exit as the leaked tasks return.
//
// A Group without a context (the zero Group) is never done, so the grace
// period has no effect. d ≤ 0 means no grace period: Wait waits for ever,
// as errgroup's does. Each task of a group with a grace period reads its
// goroutine id from its stack header as it starts, which makes Go dearer.
//
// SetGrace panics while tasks of the group are active; call it before the
// first task, or after Wait.
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
		if panicked {
			g.first(err)
		} else {
			g.fail(err)
		}
		return
	}
	if !panicked && g.stopped(err) {
		return
	}
	x.mu.Lock()
	if x.policy == AllErrorsFailFast {
		g.failFast(x, err, panicked)
		x.mu.Unlock()
		return
	}
	x.errs = append(x.errs, err)
	x.mu.Unlock()
	if panicked && g.cancel != nil {
		g.cancel(err)
	}
}

// failFast records err under AllErrorsFailFast; x.mu is held. The first
// error cancels the context under mu, so that no echo of the cancellation
// can be recorded before echo is set.
func (g *Group) failFast(x *extras, err error, panicked bool) {
	if x.echo != nil && !panicked && (errors.Is(err, context.Canceled) || errors.Is(err, x.echo)) {
		return
	}
	x.errs = append(x.errs, err)
	if g.cancel == nil || (x.failed && !panicked) {
		x.failed = true
		return
	}
	x.failed = true
	g.cancel(err)
	if x.echo == nil && identical(context.Cause(g.ctx), err) {
		x.echo = err // this cancellation took effect
	}
}

// identical reports whether a and b are the same error value, without the
// run-time panic of == on two values of the same incomparable type.
func identical(a, b error) bool {
	t := reflect.TypeOf(a)
	return t == reflect.TypeOf(b) && t != nil && t.Comparable() && a == b
}

// skip records that a context-form task was not started because the
// group's context is done: Wait reports the context's cause (once, under
// the policies that join errors).
func (g *Group) skip() {
	cause := context.Cause(g.ctx)
	if g.stopped(cause) {
		return
	}
	x := g.x
	if x == nil || x.policy == FirstError {
		g.fail(cause)
		return
	}
	x.mu.Lock()
	if x.echo != nil && (errors.Is(cause, context.Canceled) || errors.Is(cause, x.echo)) {
		// AllErrorsFailFast: the first error is the cause, already in errs.
		x.mu.Unlock()
		return
	}
	if !x.skipped {
		x.skipped = true
		// The cause may be a task's error already collected: a captured
		// panic cancels the context under every policy.
		if !slices.ContainsFunc(x.errs, func(e error) bool { return identical(e, cause) }) {
			x.errs = append(x.errs, cause)
		}
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
