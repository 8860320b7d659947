package task

import (
	"context"

	"github.com/boundgo/bound/internal/panics"
)

// Run calls body with a new group whose context is derived from ctx, and
// returns only after body and every task it started have returned: a task of
// the group cannot outlive the call (pitfall A3: no Add, no Done, no Wait to
// forget). body's ctx is the group's context; it is cancelled when a task
// fails, when body returns, and when ctx is. A non-nil error from body counts
// as a task error. Run returns what Wait returns.
//
// body may set the group's options (SetLimit, SetPolicy, ...) before it
// starts tasks. If body panics or calls runtime.Goexit, Run cancels the
// context, waits for the tasks, and lets the panic go on.
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

// Stop cancels the group's context, with cause [context.Canceled], then
// waits as Wait does and returns its result. It is made to be deferred
// right after WithContext, so that an early return cannot leave the group's
// tasks running (golang/go#57534):
//
//	g, ctx := task.WithContext(ctx)
//	defer g.Stop()
//
// Tasks that return ctx.Err() after the cancellation make Stop return
// context.Canceled, unless a task failed before. For the zero Group, which
// has no context, Stop is Wait.
func (g *Group) Stop() error {
	if g.cancel != nil {
		g.cancel(context.Canceled)
	}
	return g.Wait()
}
