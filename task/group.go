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
// options ([Group.SetErrorPolicy], [Group.CapturePanics], [Group.SetGrace],
// [Group.SetName]).
//
// A zero Group is valid, has no limit on the number of active goroutines,
// and does not cancel on error. A Group must not be copied after first use.
// It may be used again after Wait returns, and its limit and options may
// then be changed (see "Options" in the package documentation). Errors are
// kept across rounds, as errgroup keeps its first error: a later Wait
// reports them again.
type Group struct {
	// cancel and ctx are set by WithContext or Run before any task starts;
	// both are nil in the zero Group.
	cancel func(error)
	ctx    context.Context
	// stop is the cause Stop cancelled ctx with, set by the first Stop.
	stop atomic.Pointer[stopError]

	// tasks counts the tasks of the no-limit path that have been accepted
	// and have not yet returned; a pool counts its own.
	tasks counter

	// pool is nil when there is neither a limit nor a limiter; see
	// pool.go. Replaced only by SetLimit and SetLimiter, which must not run
	// while tasks are active.
	pool *pool

	// errOnce guards err, the first error of the FirstError policy.
	errOnce sync.Once
	err     error

	// x holds the opt-in options and their state; nil unless an option was
	// set, so that the default path reads one nil pointer and nothing else.
	x *extras
}

// WithContext returns a new Group and an associated Context derived from ctx.
//
// The derived Context is canceled the first time a function passed to Go
// returns a non-nil error or the first time Wait returns, whichever occurs
// first. Its cause ([context.Cause]) is that error, or [context.Canceled]
// ([ErrStopped] if [Group.Stop] cancelled it). The same Context is what
// [Group.GoContext] hands to its functions.
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
// itself, so callers may compare it with ==. With an error policy set
// ([Group.SetErrorPolicy]) it returns what the policy says instead. It then
// cancels the group's context, with that error as cause (or
// [context.Canceled]).
//
// When Wait returns, every task has returned, and every goroutine the group
// started (a task's own goroutine, or a worker of a group with a limit) has
// run its last statement of the group's code and holds no task: it is
// exiting, and a leak check that retries, such as goleak's, does not see it.
// As with errgroup, whose goroutines signal their end from a deferred call,
// such a goroutine may still be in the runtime's exit path at that instant,
// so an immediate count of goroutines (runtime.NumGoroutine) may include it.
//
// With a grace period set ([Group.SetGrace]) Wait does not wait forever:
// once the group's context is done, tasks that have not returned within the
// grace period are reported in a [*LeakError] and left running; from then
// on the group starts no task, and every later Wait returns that same
// LeakError at once.
func (g *Group) Wait() error {
	x := g.x
	if x != nil {
		defer x.endTrace()
		if err := g.waitGrace(x); err != nil {
			return err
		}
	}
	g.tasks.wait()
	if p := g.pool; p != nil {
		p.retire()
	}
	err := g.result()
	if g.cancel != nil {
		g.cancel(err)
	}
	return err
}

// Go calls the given function in a new goroutine, or, with a limit or a
// limiter set, hands it to one of the group's workers.
//
// The first call to Go must happen before a Wait.
// It blocks until the new goroutine can be added without the number of
// active tasks in the group exceeding the configured limit. A limiter
// ([Group.SetLimiter]) never makes it block: the task waits for its permit
// on a worker.
//
// The first goroutine in the group that returns a non-nil error will
// cancel the associated Context, if any. The error will be returned
// by Wait.
//
// Go runs f even when the group's context is already done, as
// errgroup.Group.Go does: skipping a function that would have closed a
// channel could deadlock code that works under errgroup. Use
// [Group.GoContext] for tasks that must not start once the context is done.
// The exceptions are a group whose Wait has reported leaked tasks
// ([Group.SetGrace]), which starts nothing, and a group with a limiter
// ([Group.SetLimiter]) whose context is done while f waits for a permit:
// f is then not run.
//
// Go panics if f is nil, or if the limit is 0 or the limiter has no permit
// (see "Limits" in the package documentation): no task could ever start,
// and Go would block for ever.
func (g *Group) Go(f func() error) {
	if f == nil {
		panic("task: nil function passed to Go")
	}
	if g.pool != nil || g.x != nil {
		g.mayStart("Go")
		g.start(job{f: f}, true)
		return
	}
	// The default path is errgroup's: one goroutine, one allocation.
	g.tasks.add()
	go g.run(f)
}

// mayStart panics if the limit is 0, or the limiter has no permit: a
// blocking start could never return.
func (g *Group) mayStart(method string) {
	p := g.pool
	if p == nil {
		return
	}
	if p.limit == 0 {
		panic("task: " + method + " on a group whose limit is 0: no task can ever start")
	}
	if p.lim != nil && p.lim.size == 0 {
		panic("task: " + method + " on a group whose limiter has no permit: no task can ever start")
	}
}

// fail records err as the group's first error and cancels its context,
// unless err is the cancellation that Stop caused.
func (g *Group) fail(err error) {
	if g.stopped(err) {
		return
	}
	g.first(err)
}

// first records err as the group's first error and cancels its context.
func (g *Group) first(err error) {
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
// runs f even when the group's context is done. It reports false when the
// limit is 0, and in a group whose Wait has reported leaked tasks. TryGo
// panics if f is nil.
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
// no task failed before, and unless [Group.Stop] cancelled it). A function
// accepted while the context was live but not yet running when it became
// done is skipped in the same way: f is never called, so nothing in it
// runs, not even its deferred calls (a `defer close(ch)` in f never
// happens). The zero Group's context is [context.Background], which is
// never done.
//
// GoContext panics if f is nil, or if the limit is 0 or the limiter has no
// permit.
func (g *Group) GoContext(f func(ctx context.Context) error) {
	if f == nil {
		panic("task: nil function passed to GoContext")
	}
	g.mayStart("GoContext")
	g.start(job{fc: f}, true)
}

// TryGoContext is GoContext without blocking: it reports false, without
// running f, when the group is at its limit (a limit of 0 included) or its
// context is done. TryGoContext panics if f is nil.
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
// While the execution tracer runs, f runs in a [runtime/trace] region of
// that name, within the group's trace task if the group is named.
//
// As with GoContext, f is not called at all if the group's context is done
// before it runs: its deferred calls never happen. GoNamed panics if f is
// nil, or if the limit is 0 or the limiter has no permit.
func (g *Group) GoNamed(name string, f func(ctx context.Context) error) {
	if f == nil {
		panic("task: nil function passed to GoNamed")
	}
	g.mayStart("GoNamed")
	g.start(job{fc: f, name: name}, true)
}

// SetLimit limits the number of active tasks in this group to at most n:
// n < 0 means no limit, and n == 0 lets no task start (see "Limits" in the
// package documentation).
//
// Any subsequent call to the Go method will block until it can add an active
// task without exceeding the configured limit. With a limit, tasks run on
// worker goroutines that the group reuses; Wait lets them exit, and so does
// the garbage collector if Wait is never called. What SetLimit allocates does
// not depend on n: the memory of a group grows with the tasks queued or
// running, never with the limit, so any limit errgroup accepts is accepted
// here, math.MaxInt included.
//
// The limit must not be modified while any tasks in the group are active:
// SetLimit panics if it is. Call it before the first Go, or after Wait.
func (g *Group) SetLimit(n int) {
	if active := g.active(); active != 0 {
		panic(fmt.Errorf("task: modify limit while %v tasks in the group are still active", active))
	}
	var lim *Limiter
	if g.pool != nil {
		lim = g.pool.lim
	}
	g.configure(n, lim)
}

// SetLimiter makes every task of the group hold one permit of l while it
// runs, on top of the group's own limit (SetLimit): groups that share l run
// at most l's size of tasks at once between them, whichever group each
// task belongs to (at most 50 database calls at once across every request,
// while each request keeps its own group). nil removes the limiter.
//
// A task takes its group's slot first, as it is started, then its permit,
// as it is about to run. Go, GoContext and GoNamed never wait for a permit:
// they block only where they would without a limiter, on the group's own
// limit, so a group without one never blocks in Go, as under errgroup. The
// task waits for its permit on one of the group's workers, in the order the
// tasks were started; the group reuses at most min(limit, l's size) of
// them, so a stream of tasks starts no goroutine per task, and the memory
// of a waiting task is a few words in the group's queue. A task still
// waiting for its permit once the group's context is done is not run, and
// Wait reports the context's cause, as for GoContext (a function passed to
// Go still runs if a permit is free then, as Go runs f once the context is
// done). TryGo and TryGoContext report false, starting nothing, when no
// permit is free.
//
// A task gives its permit back as it returns (or calls runtime.Goexit),
// before it counts as returned, so no permit outlives Wait, but for those of
// the tasks a [*LeakError] reports, which keep theirs until they return;
// the tasks still waiting then are dropped, never run. A limiter of size 0
// grants no permit: Go, GoContext and GoNamed panic, since their task could
// never run, as under a limit of 0 (see "Limits" in the package
// documentation).
//
// SetLimiter panics while tasks of the group are active; call it before
// the first task, or after Wait.
func (g *Group) SetLimiter(l *Limiter) {
	if n := g.active(); n != 0 {
		panic(fmt.Sprintf("task: SetLimiter called while %d tasks of the group are active", n))
	}
	limit := -1
	if p := g.pool; p != nil && p.bounded {
		limit = int(p.limit)
	}
	g.configure(limit, l)
}

// configure gives the group a limit (n < 0: none) and a limiter (nil: none)
// while no task is active. A group with either runs its tasks on a pool of
// workers; one with neither has no pool, and starts a goroutine per task as
// errgroup does. A group with a limiter and no limit gets a pool too: its
// workers are capped by the limiter's size (more could never run at once),
// so a group that shares a limiter of 8 runs on at most 8 reused goroutines
// instead of starting one per task, and its tasks wait for their permits
// on them, not in Go.
func (g *Group) configure(n int, l *Limiter) {
	p := g.pool
	if n < 0 && l == nil {
		if p != nil {
			p.retire()
			p.drop()
			g.pool = nil
		}
		return
	}
	if p == nil {
		g.pool = newPool(g, n, l)
		return
	}
	// Reuse the pool: one pool, and one cleanup, per group, however often
	// the limit or the limiter changes. retire lets the parked workers exit:
	// they were started under the old bounds.
	p.retire()
	p.set(n, l)
}

// active is the number of tasks accepted and not yet returned.
func (g *Group) active() int {
	n := g.tasks.count()
	if p := g.pool; p != nil {
		n += p.active()
	}
	return n
}

// start is the path of every Go form but the default one. It reports whether
// the job was accepted.
func (g *Group) start(j job, block bool) bool {
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
	if x := g.x; x != nil {
		if x.leak.Load() != nil {
			return false
		}
		if x.grace > 0 {
			j.rec = x.register(j.name)
		}
	}
	p := g.pool
	if p == nil {
		g.tasks.add()
		go g.runJob(j)
		return true
	}
	// The pool counts the task in its slot: tasks is for tasks without a
	// pool, and Wait waits for the pool's workers instead.
	j.g = g
	if p.tryAcquire() || block && p.acquireSlow(done) {
		if lim := p.lim; lim != nil && !block {
			// TryGo: no job is queued unless a permit is free. The task
			// takes its permit on a worker, as every task does: a permit
			// held by a queued job could wait there behind a worker that
			// waits for a permit, no worker being left to run it.
			if !lim.TryAcquire(1) {
				p.release()
				return g.refuse(j, false)
			}
			lim.Release(1)
		}
		p.submit(j)
		return true
	}
	return g.refuse(j, block && done != nil)
}

// permit takes one permit of the group's limiter l for j, the job a worker
// is about to run. It waits for it until the group's context is done (for
// ever in the zero Group), so that a cancelled group's queued tasks are
// dropped at once rather than run one by one as permits free up; the
// errgroup form first tries without waiting, so that, as Go runs f once
// the context is done, it does when a permit is free.
func (g *Group) permit(l *Limiter, j job) bool {
	if j.f != nil && l.TryAcquire(1) {
		return true
	}
	var done <-chan struct{}
	if g.ctx != nil {
		done = g.ctx.Done()
	}
	return l.acquire(done, 1)
}

// refuse undoes what start did for a job it does not run. gaveUp says a
// blocking start stopped waiting because the group's context is done: Wait
// then reports the context's cause, as for a skipped task.
func (g *Group) refuse(j job, gaveUp bool) bool {
	if gaveUp {
		g.skip()
	}
	if j.rec != nil {
		g.x.finish(j.rec)
	}
	return false
}

// A counter counts the tasks a group runs on goroutines of their own, and
// lets Wait wait for them: a sync.WaitGroup whose count can be read, so
// that SetLimit and the option setters can tell whether tasks are active.
// Adding and removing a task cost one atomic operation each, as they do in
// a WaitGroup.
type counter struct {
	// state is the count times two, plus one while a wait waits for it to
	// reach zero.
	state atomic.Uint64

	mu   sync.Mutex
	zero chan struct{} // closed when the count reaches zero while a wait waits; guarded by mu
}

// add counts one task more.
func (c *counter) add() { c.state.Add(2) }

// done counts one task less.
func (c *counter) done() {
	if c.state.Add(^uint64(1)) == 1 {
		c.wake()
	}
}

// count is the number of tasks counted.
func (c *counter) count() int { return int(c.state.Load() >> 1) }

// wake releases the waits, unless a task was added in the meantime (a task
// that starts a task): then the last of those wakes them.
func (c *counter) wake() {
	c.mu.Lock()
	if c.state.CompareAndSwap(1, 0) {
		close(c.zero)
		c.zero = nil
	}
	c.mu.Unlock()
}

// wait blocks until the count is zero.
func (c *counter) wait() {
	if c.state.Load() == 0 {
		return
	}
	c.mu.Lock()
	for {
		s := c.state.Load()
		if s>>1 == 0 {
			c.mu.Unlock()
			return
		}
		if s&1 != 0 || c.state.CompareAndSwap(s, s|1) {
			break
		}
	}
	if c.zero == nil {
		c.zero = make(chan struct{})
	}
	zero := c.zero
	c.mu.Unlock()
	<-zero
}
