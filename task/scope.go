package task

import (
	"context"
	"errors"

	"github.com/boundgo/bound/internal/panics"
)

// Run calls body with a new group whose context is derived from ctx, and
// returns only after body and every task it started have returned: a task of
// the group cannot outlive the call (pitfall A3 in the README's catalogue:
// no Add, no Done, no Wait to forget). body's ctx is the group's context; it
// is cancelled when a task fails, when body returns, and when ctx is. A
// non-nil error from body counts as a task error. Run returns what Wait
// returns.
//
// body may set the group's options (SetLimit, SetErrorPolicy, ...) before it
// starts tasks. If body panics or calls runtime.Goexit, Run cancels the
// context, waits for the tasks, and lets the panic go on.
//
// Once the context is cancelled (body returned, a task failed), a task
// started with GoContext or GoNamed that has not begun to run never does:
// its function is not called, so its deferred calls (a `defer close(ch)`)
// never happen. Code that must run whatever happens belongs in body or in
// a function passed to Go.
//
// The one way out before every task has returned is a grace period
// ([Group.SetGrace]): then Run returns a [*LeakError] naming the tasks that
// did not stop, rather than hanging.
func Run(ctx context.Context, body func(ctx context.Context, g *Group) error) error {
	g := new(Group)
	ctx = g.bind(ctx)
	err := panics.Watch(func() error { return body(ctx, g) }, func() {
		// body panicked or called runtime.Goexit: the tasks still do not
		// outlive the call.
		g.cancel(context.Canceled)
		_ = g.Wait()
	})
	if err != nil {
		g.record(err, false)
	}
	return g.Wait()
}

// ErrStopped is the cause ([context.Cause]) of a group's context cancelled by
// [Group.Stop]: errors.Is(context.Cause(ctx), ErrStopped) is true. It
// matches [context.Canceled] too.
var ErrStopped error = new(stopError)

// stopError is the cause Stop cancels with. Each group cancels with a value
// of its own, so that it can tell its own Stop from a parent context
// cancelled with ErrStopped as cause; all of them match ErrStopped. It
// points to nothing: a cause that reached the group would keep it, and its
// pool's cleanup, alive for as long as the context (see newPool).
type stopError struct{ _ byte } // not zero-sized: each new one is distinct

func (*stopError) Error() string { return "task: group stopped" }

func (*stopError) Is(target error) bool {
	return target == ErrStopped || target == context.Canceled
}

// Stop cancels the group's context, with cause [ErrStopped], then waits as
// Wait does. It returns nothing, so that it can be deferred right after
// WithContext and no early return can leave the group's tasks running:
//
//	g, ctx := task.WithContext(ctx)
//	defer g.Stop()
//	...
//	return g.Wait()
//
// What went wrong is reported by Wait, before or after Stop. Once Stop's
// cancellation has taken effect, a task error that matches
// [context.Canceled] (ctx.Err(), or context.Cause(ctx), which is
// ErrStopped) is the cancellation Stop caused, not an error of the group:
// Wait does not report it, nor the cause of the context-form tasks Stop
// kept from starting. Every other error is reported as usual, and if the
// context was done before Stop (the parent's cancellation, a task's error),
// Stop changes nothing in what Wait reports.
//
// A task started with GoContext or GoNamed that has not begun to run when
// Stop cancels never runs: its function, and so its deferred calls, are
// never called. With a grace period ([Group.SetGrace]) Stop waits at most
// that long, and Wait then returns the [*LeakError]. For the zero Group,
// which has no context, Stop only waits.
func (g *Group) Stop() {
	if g.cancel != nil {
		g.stop.CompareAndSwap(nil, new(stopError))
		g.cancel(g.stop.Load())
	}
	_ = g.Wait()
}

// stopped reports whether err is the cancellation Stop caused: it matches
// context.Canceled and Stop's cancellation is the one that took effect.
func (g *Group) stopped(err error) bool {
	c := g.stop.Load()
	return c != nil && errors.Is(err, context.Canceled) && context.Cause(g.ctx) == error(c)
}
