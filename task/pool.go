package task

import (
	"context"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
)

// A pool is the worker set of a group with a limit.
//
// Design: a limit used to mean one goroutine per task plus a semaphore
// (errgroup); here a slot of sem is held by a live worker, not by a task.
// Go first offers the job over the unbuffered handoff channel, which only
// succeeds into a worker parked in receive; otherwise it takes a free slot
// and starts a worker, or (blocking forms) waits for whichever comes first,
// a slot or a worker that has just finished. A finished worker parks until
// the next job or until Wait (or SetLimit) closes handoff, so a stream of Go
// calls reuses the same few goroutines (no allocation per task), and none
// remains once Wait returns. Never more than cap(sem) workers exist, so never
// more than the limit of tasks run at once.
//
// Why park rather than exit as soon as no Go is waiting (the simpler rule):
// with short tasks a worker rarely finds a Go blocked at that very instant,
// so it would exit almost every time and the group would be back to a
// goroutine per task. Parking keeps the steady state allocation-free; Wait,
// SetLimit, or the garbage collector (see newPool) bounds the parked time.
//
// A worker never runs a task in a state the previous task left behind:
//   - runtime.Goexit (t.FailNow, for one) cannot be stopped, so the worker
//     dies with it; its deferred retirement releases the slot, and the next
//     Go starts a fresh worker in its place.
//   - pprof labels are reset to those of the group's context after every
//     task, whatever the task set with pprof.SetGoroutineLabels.
//   - A recovered panic (CapturePanics) leaves the goroutine clean.
//   - A task that returns with its OS thread still locked cannot be seen
//     cheaply: the only public signal is the "locked to thread" mark in a
//     runtime.Stack header, which costs about 2µs, more than the whole task
//     hand-off. Workers therefore do not check; see the package
//     documentation ("Locked threads") for the rule this puts on tasks.
type pool struct {
	sem  chan token      // one slot per live worker; cap is the limit
	base context.Context // labels of a worker between tasks: the group's context

	// handoff is unbuffered: a send succeeds only into a worker parked in
	// receive. Parked workers wait on it alone (a one-case receive is
	// cheaper than a select), so retire closes it to let them exit and puts
	// a fresh one in its place for the next round of tasks. Read by Go
	// without mu: retire runs only when no task is active, as SetLimit.
	handoff chan job

	mu      sync.Mutex // guards handoff and spawned against concurrent retires
	spawned bool       // a worker was started since the last retire
	workers sync.WaitGroup

	// parked counts workers waiting on handoff. Only workers write it, on
	// every task, so it has a cache line of its own, away from the fields
	// Go reads.
	_      [64]byte
	parked atomic.Int32
	_      [60]byte
}

// newPool returns the pool of g for a limit of n.
//
// Nothing in a pool, nor a parked worker, points back to the group (a job
// carries its group only while it runs), so a group dropped without Wait
// becomes garbage once its tasks are done, and a cleanup then lets its
// parked workers exit: a forgotten Wait leaks no goroutine for long, as it
// leaks none under errgroup.
func newPool(g *Group, n int) *pool {
	p := &pool{sem: make(chan token, n), base: g.context(), handoff: make(chan job)}
	runtime.AddCleanup(g, (*pool).abandon, p)
	return p
}

// abandon lets the parked workers of an unreachable group exit.
func (p *pool) abandon() {
	p.mu.Lock()
	if p.spawned {
		close(p.handoff)
		p.spawned = false
	}
	p.mu.Unlock()
}

// handOff gives j to a parked worker, if there is one.
func (p *pool) handOff(j job) bool {
	select {
	case p.handoff <- j:
		return true
	default:
		return false
	}
}

// active is the number of workers running a task (an upper bound while a
// worker is between its task and parking, as errgroup's count is between a
// task's return and its deferred release).
func (p *pool) active() int {
	return len(p.sem) - int(p.parked.Load())
}

// spawn starts a worker for j; the caller holds a slot for it.
func (p *pool) spawn(j job) {
	p.mu.Lock()
	p.spawned = true
	handoff := p.handoff
	p.workers.Add(1)
	p.mu.Unlock()
	go p.work(j, handoff)
}

// retire lets every parked worker exit and waits until all have. It is
// called once no task is active (after Wait's wg.Wait, or by SetLimit).
func (p *pool) retire() {
	p.mu.Lock()
	if p.spawned {
		close(p.handoff)
		p.handoff = make(chan job)
		p.spawned = false
	}
	p.mu.Unlock()
	p.workers.Wait()
}

// work runs j, then every job handed to it, until handoff is closed.
func (p *pool) work(j job, handoff chan job) {
	defer func() {
		<-p.sem
		p.workers.Done()
	}()
	pprof.SetGoroutineLabels(p.base)
	for {
		j.g.runJob(j)
		pprof.SetGoroutineLabels(p.base)
		j = job{} // a parked worker keeps neither the task's captures nor its group
		p.parked.Add(1)
		var ok bool
		j, ok = <-handoff
		p.parked.Add(-1)
		if !ok {
			return
		}
	}
}

// runJob runs one task with every opt-in feature. It returns normally unless
// the task called runtime.Goexit (or panicked without CapturePanics).
func (g *Group) runJob(j job) {
	x := g.x
	if x == nil && j.fc == nil {
		g.run(j.f)
		return
	}
	if j.rec != nil {
		x.started(j.rec)
	}
	ctx := g.context()
	if labels, ok := x.labels(j.name); ok {
		ctx = pprof.WithLabels(ctx, labels)
		pprof.SetGoroutineLabels(ctx)
	}
	returned := false
	defer func() {
		if !returned && x != nil && x.capture {
			g.record(captured(recover()), true)
		}
		if j.rec != nil {
			x.finish(j.rec)
		}
		g.wg.Done()
	}()
	var err error
	if j.fc != nil {
		if ctx.Err() != nil {
			// Accepted while the context was live, done before it ran.
			returned = true
			g.skip()
			return
		}
		err = j.fc(ctx)
	} else {
		err = j.f()
	}
	returned = true
	if err != nil {
		g.record(err, false)
	} else if x != nil && x.policy == FirstSuccess {
		g.succeed()
	}
}
