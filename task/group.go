package task

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

type token struct{}

// A Group is a collection of goroutines working on subtasks that are part of
// the same overall task. It has the methods of errgroup.Group with the same
// semantics, plus context-receiving forms ([Group.GoContext]) and opt-in
// policies ([Group.SetPolicy], [Group.CapturePanics], [Group.SetGrace],
// [Group.SetName]).
//
// A zero Group is valid, has no limit on the number of active goroutines,
// and does not cancel on error. A Group must not be copied after first use.
// It may be used again after Wait returns; its options (everything but the
// limit) are fixed once the first task has started.
type Group struct {
	// cancel and ctx are set by WithContext or Run before any task starts;
	// both are nil in the zero Group.
	cancel func(error)
	ctx    context.Context

	// wg counts tasks that have been accepted and have not yet returned,
	// but for those of a pool, which counts its own.
	wg sync.WaitGroup

	// pool is nil when there is no limit; see pool.go. Replaced only by
	// SetLimit, which must not run while tasks are active.
	pool *pool

	// errOnce guards err, the first error of the FirstError policy.
	errOnce sync.Once
	err     error

	// started is set by the first task; options are frozen from then on.
	started atomic.Bool
	// x holds the opt-in options and their state; nil unless an option was
	// set, so that the default path reads one nil pointer and nothing else.
	x *extras
}

// WithContext returns a new Group and an associated Context derived from ctx.
//
// The derived Context is canceled the first time a function passed to Go
// returns a non-nil error or the first time Wait returns, whichever occurs
// first. Its cause ([context.Cause]) is that error, or [context.Canceled].
// The same Context is what [Group.GoContext] hands to its functions.
func WithContext(ctx context.Context) (*Group, context.Context) {
	g := new(Group)
	return g, g.bind(ctx)
}

// bind derives the group's context from ctx; it runs before any task.
func (g *Group) bind(ctx context.Context) context.Context {
	ctx, cancel := context.WithCancelCause(ctx)
	g.ctx, g.cancel = ctx, cancel
	return ctx
}

// context returns the context handed to context-receiving tasks.
func (g *Group) context() context.Context {
	if g.ctx == nil {
		return context.Background()
	}
	return g.ctx
}

// Wait blocks until all function calls from the Go methods have returned,
// then returns the first non-nil error (if any) from them: the error value
// itself, so callers may compare it with ==. With a policy set
// ([Group.SetPolicy]) it returns what the policy says instead. It then
// cancels the group's context, with that error as cause (or
// [context.Canceled]), and lets the idle workers of a limited group exit,
// so no goroutine of the group remains when Wait returns.
//
// With a grace period set ([Group.SetGrace]) Wait does not wait forever:
// once the group's context is done, tasks that have not returned within the
// grace period are reported in a [*LeakError] and left running.
func (g *Group) Wait() error {
	if x := g.x; x != nil && x.grace > 0 && g.ctx != nil {
		if err := g.waitGrace(x); err != nil {
			return err
		}
	}
	g.wg.Wait()
	if p := g.pool; p != nil {
		p.retire()
	}
	err := g.result()
	if g.cancel != nil {
		g.cancel(err)
	}
	return err
}

// Go calls the given function in a new goroutine, or, with a limit set, hands
// it to one of the group's workers.
//
// The first call to Go must happen before a Wait.
// It blocks until the new goroutine can be added without the number of
// active tasks in the group exceeding the configured limit.
//
// The first goroutine in the group that returns a non-nil error will
// cancel the associated Context, if any. The error will be returned
// by Wait.
//
// Go runs f even when the group's context is already done, as
// errgroup.Group.Go does: skipping a function that would have closed a
// channel could deadlock code that works under errgroup. Use
// [Group.GoContext] for tasks that must not start once the context is done.
// Go panics if f is nil.
func (g *Group) Go(f func() error) {
	if f == nil {
		panic("task: nil function passed to Go")
	}
	if g.pool != nil || g.x != nil {
		g.start(job{f: f}, true)
		return
	}
	// The default path is errgroup's: one goroutine, one allocation.
	if !g.started.Load() {
		g.started.Store(true)
	}
	g.wg.Add(1)
	go g.run(f)
}

// run runs f in the default configuration: no limit, no options.
func (g *Group) run(f func() error) {
	defer g.wg.Done()

	// It is tempting to propagate panics from f()
	// up to the goroutine that calls Wait, but
	// it creates more problems than it solves:
	// - it delays panics arbitrarily,
	//   making bugs harder to detect;
	// - it turns f's panic stack into a mere value,
	//   hiding it from crash-monitoring tools;
	// - it risks deadlocks that hide the panic entirely,
	//   if f's panic leaves the program in a state
	//   that prevents the Wait call from being reached.
	// See #53757, #74275, #74304, #74306, and x/sync commit 7fad2c9, which
	// reverted errgroup's short-lived panic propagation. This package keeps
	// that default; CapturePanics is the explicit opt-in.

	if err := f(); err != nil {
		g.fail(err)
	}
}

// fail records err as the group's first error and cancels its context.
func (g *Group) fail(err error) {
	g.errOnce.Do(func() {
		g.err = err
		if g.cancel != nil {
			g.cancel(err)
		}
	})
}

// TryGo calls the given function in a new goroutine (or hands it to a
// worker) only if the number of active tasks in the group is currently
// below the configured limit.
//
// The return value reports whether the function was started. Like Go, it
// runs f even when the group's context is done. TryGo panics if f is nil.
func (g *Group) TryGo(f func() error) bool {
	if f == nil {
		panic("task: nil function passed to TryGo")
	}
	return g.start(job{f: f}, false)
}

// GoContext calls f with the group's context in a new goroutine (or on a
// worker), blocking as Go does while the group is at its limit.
//
// Unlike Go, GoContext does not start f once the group's context is done:
// it returns without running f, and Wait reports the context's cause (if
// no task failed before). A function accepted while the context was live
// but not yet running when it became done is skipped in the same way. The
// zero Group's context is [context.Background], which is never done.
// GoContext panics if f is nil.
func (g *Group) GoContext(f func(ctx context.Context) error) {
	if f == nil {
		panic("task: nil function passed to GoContext")
	}
	g.start(job{fc: f}, true)
}

// TryGoContext is GoContext without blocking: it reports false, without
// running f, when the group is at its limit or its context is done.
// TryGoContext panics if f is nil.
func (g *Group) TryGoContext(f func(ctx context.Context) error) bool {
	if f == nil {
		panic("task: nil function passed to TryGoContext")
	}
	return g.start(job{fc: f}, false)
}

// GoNamed is GoContext for a named task. The name, with the group's name
// ([Group.SetName]), is set as the pprof labels "task" and "group" on the
// goroutine while f runs (and on f's context, so goroutines f starts with
// [runtime/pprof.Do] inherit them), and names the task in a [*LeakError].
// GoNamed panics if f is nil.
func (g *Group) GoNamed(name string, f func(ctx context.Context) error) {
	if f == nil {
		panic("task: nil function passed to GoNamed")
	}
	g.start(job{fc: f, name: name}, true)
}

// SetLimit limits the number of active tasks in this group to at most n.
// A negative value indicates no limit.
// A limit of zero will prevent any new tasks from being added.
//
// Any subsequent call to the Go method will block until it can add an active
// task without exceeding the configured limit. With a limit, tasks run on
// worker goroutines that the group reuses (see pool.go); Wait lets them exit,
// and so does the garbage collector if Wait is never called.
//
// The limit must not be modified while any tasks in the group are active:
// SetLimit panics if it is. Call it before the first Go, or after Wait.
func (g *Group) SetLimit(n int) {
	if p := g.pool; p != nil {
		if active := p.active(); active != 0 {
			panic(fmt.Errorf("task: modify limit while %v tasks in the group are still active", active))
		}
		p.retire()
	}
	if n < 0 {
		g.pool = nil
		return
	}
	g.pool = newPool(g, n)
}

// job is one accepted function and what it needs to run.
type job struct {
	g    *Group
	f    func() error                    // errgroup form; or
	fc   func(ctx context.Context) error // context form
	name string
	rec  *record // non-nil when a grace period is set
}

// start is the path of every Go form but the default one. It reports whether
// the job was accepted.
func (g *Group) start(j job, block bool) bool {
	if !g.started.Load() {
		g.started.Store(true)
	}
	var done <-chan struct{}
	if j.fc != nil && g.ctx != nil {
		done = g.ctx.Done()
		select {
		case <-done:
			g.skip()
			return false
		default:
		}
	}
	x := g.x
	if x != nil && x.grace > 0 {
		j.rec = x.register(j.name)
	}
	p := g.pool
	if p == nil {
		g.wg.Add(1)
		go g.runJob(j)
		return true
	}
	// The pool counts the task in its slot: wg is for tasks without a
	// limit, and Wait waits for the pool's workers instead.
	j.g = g
	if p.tryAcquire() || block && p.acquireSlow(done) {
		p.submit(j)
		return true
	}
	if done != nil && block {
		g.skip()
	}
	if j.rec != nil {
		x.finish(j.rec)
	}
	return false
}
