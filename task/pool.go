package task

import (
	"context"
	"math"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
)

// A pool is the worker set of a group with a limit or a limiter.
//
// Design: a slot (used) is held by each task accepted and not yet returned,
// as under errgroup, so never more than the limit of tasks run at once; but
// a task runs on a worker the group reuses, not on a goroutine of its own.
// With a limiter, the worker takes a permit for the task before it runs it
// and gives it back as the task returns (see work): a task waits for its
// permit on a worker, never in Go.
// Go takes a slot, then queues the job and, unless a worker already does,
// tells one worker to search the queue (see search): a stream of Go calls
// wakes one worker for a batch of jobs, not one per job, and a worker that
// finishes a task takes the next queued job before it parks.
//
// A worker parks (under mu) before it releases its task's slot, and a
// worker is started only when none is parked, so every worker but those
// told to search runs a task that holds a slot of its own, and a new worker
// is started only for a queued job, which holds one too: never more than
// the limit of workers exist. Nor more than the limiter's size (most): a
// group with a limiter and no limit holds no slot that bounds them, and
// more workers than permits could never run at once; at that bound a
// queued job waits for the first worker to finish its task (see next). A
// parked worker waits
// until the next job or until Wait (or SetLimit) lets it exit, so a stream
// of Go calls reuses the same few goroutines (no allocation per task), and
// every worker has finished and is exiting once Wait returns.
//
// Why park rather than exit when no job comes (the simpler rule): with short
// tasks a worker rarely finds a job at that very instant, so it would exit
// almost every time and the group would be back to a goroutine per task.
// Parking keeps the steady state allocation-free; Wait, SetLimit, or the
// garbage collector (see newPool) bounds the parked time.
//
// Workers do not spin: a worker that busy-waited a moment for the next job
// before parking, for Go to claim with one compare-and-swap, measured no
// faster than parking at once (see the commit that removed it), so the
// simpler rule stays.
//
// A worker never runs a task in a state the previous task left behind:
//   - runtime.Goexit (t.FailNow, for one) cannot be stopped, so the worker
//     dies with it; its deferred call releases the slot, and a fresh
//     worker is started in its place when one is next needed.
//   - pprof labels are reset to those of the group's context after every
//     task, whatever the task set with pprof.SetGoroutineLabels.
//   - A recovered panic (CapturePanics) leaves the goroutine clean.
//   - A task that returns with its OS thread still locked cannot be seen
//     cheaply: the only public signal is the "locked to thread" mark in a
//     runtime.Stack header, which costs more than the whole task hand-off
//     (BenchmarkLockedCheck). Workers therefore do not check; the package
//     documentation ("Cost") states the rule this puts on tasks.
type pool struct {
	// limit is the number of slots: the most tasks accepted and not
	// returned; math.MaxInt64 when the group has no limit of its own
	// (bounded is false) and the pool is there for its limiter, lim (nil if
	// none): each task holds one of its permits while it runs. most is the
	// most workers, min(limit, lim's size). All four are set by set, while
	// no task is.
	limit   int64
	bounded bool
	lim     *Limiter
	most    int

	base  context.Context // labels of a worker between tasks: the group's context
	freed chan token      // a slot was freed while a Go waited; buffered, one

	// cleanup lets the idle workers exit once the group is garbage (see
	// newPool); stopped when SetLimit drops the pool.
	cleanup runtime.Cleanup

	mu      sync.Mutex
	live    int         // workers started and not yet exiting; guarded by mu
	idle    []*worker   // parked workers, the latest last; guarded by mu
	closed  atomic.Bool // retire or abandon: workers exit instead of waiting; written under mu
	workers sync.WaitGroup

	// queue holds jobs no worker has taken yet: a ring of n jobs from head,
	// grown as jobs come (see push), so that its memory follows the work,
	// not the limit. searching counts
	// the workers told to take from it that have not yet looked; n > 0
	// implies searching > 0, so every queued job has a taker that runs no
	// task. All guarded by mu; queued is n, for a finishing worker to read
	// without mu.
	queue     []job
	head, n   int
	searching int
	queued    atomic.Int64

	// used counts the slots held: one per task accepted and not yet
	// returned, as errgroup's semaphore does. waiters counts the Go calls
	// waiting for a slot (see acquireSlow).
	used    atomic.Int64
	waiters atomic.Int32
}

// A worker is how a job reaches a parked worker: a job, an empty job that
// tells it to search the queue, or a close to exit.
type worker struct {
	wake chan job // buffered, one
}

// newPool returns the pool of g for a limit of n (n < 0: none) and the
// limiter l (nil: none).
//
// Nothing in a pool, nor an idle worker, points back to the group (a job
// carries its group only while it is queued or runs), so a group dropped
// without Wait becomes garbage once its tasks are done, and a cleanup then
// lets its idle workers exit: a forgotten Wait leaks no goroutine for long,
// as it leaks none under errgroup. A group has one pool, and so one cleanup,
// however often SetLimit changes the limit.
//
// What it allocates does not depend on n: the job queue starts empty and
// grows with the jobs actually queued.
func newPool(g *Group, n int, l *Limiter) *pool {
	p := &pool{
		base:  g.context(),
		freed: make(chan token, 1),
	}
	p.set(n, l)
	p.cleanup = runtime.AddCleanup(g, (*pool).abandon, p)
	return p
}

// set sets the limit (n < 0: none) and the limiter, while no task is.
func (p *pool) set(n int, l *Limiter) {
	p.limit, p.bounded, p.lim = int64(n), n >= 0, l
	if n < 0 {
		p.limit = math.MaxInt64
	}
	p.most = int(min(p.limit, math.MaxInt))
	if l != nil && l.size < int64(p.most) {
		// A limiter of size 0 grants nothing: no job is ever queued
		// (mayStart panics, TryGo gets no permit), so one worker is as good.
		p.most = max(int(l.size), 1)
	}
}

// drop stops the cleanup of a retired pool that its group no longer uses:
// the cleanup would otherwise keep it alive as long as the group.
func (p *pool) drop() {
	p.cleanup.Stop()
}

// abandon lets the idle workers of an unreachable group exit.
func (p *pool) abandon() {
	p.mu.Lock()
	p.close()
	p.mu.Unlock()
}

// close makes every idle worker exit, and every other one once it has no
// task; p.mu is held.
func (p *pool) close() {
	p.closed.Store(true)
	for i, w := range p.idle {
		close(w.wake)
		p.idle[i] = nil
	}
	p.idle = p.idle[:0]
}

// active is the number of tasks accepted and not yet returned (an upper
// bound while a worker is between its task's return and the release of its
// slot, as errgroup's count is between a task's return and its deferred
// release).
func (p *pool) active() int {
	return int(p.used.Load())
}

// tryAcquire takes a slot if one is free.
func (p *pool) tryAcquire() bool {
	for {
		n := p.used.Load()
		if n >= p.limit {
			return false
		}
		if p.used.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// acquireSlow waits for a slot until done (nil: for ever), and reports
// whether it took one. A waiter counts itself before its last try
// and release frees a slot before it looks for waiters, so a freed slot is
// either seen by the try or announced on freed. One announcement stands for
// any number of freed slots, so a waiter that takes a slot passes it on
// while other waiters and free slots remain.
func (p *pool) acquireSlow(done <-chan struct{}) bool {
	p.waiters.Add(1)
	defer p.waiters.Add(-1)
	for {
		if p.tryAcquire() {
			if p.waiters.Load() > 1 && p.used.Load() < p.limit {
				p.announce()
			}
			return true
		}
		select {
		case <-p.freed:
		case <-done:
			return false
		}
	}
}

// release frees a slot.
func (p *pool) release() {
	p.used.Add(-1)
	if p.waiters.Load() > 0 {
		p.announce()
	}
}

// announce wakes a waiter, unless one is already being woken.
func (p *pool) announce() {
	select {
	case p.freed <- token{}:
	default:
	}
}

// submit runs j, whose slot the caller holds, on a worker: it queues j and
// makes sure a worker will search the queue.
func (p *pool) submit(j job) {
	p.mu.Lock()
	p.push(j)
	if p.searching == 0 {
		p.search()
	}
	p.mu.Unlock()
}

// push queues j; p.mu is held. The ring doubles when full, so it never
// holds more than twice the most jobs queued at once (each of which holds a
// slot); its length is a power of two.
func (p *pool) push(j job) {
	if p.n == len(p.queue) {
		p.grow()
	}
	p.queue[(p.head+p.n)&(len(p.queue)-1)] = j
	p.n++
	p.queued.Store(int64(p.n))
}

// keptQueue is the longest ring that retire keeps for the next round.
const keptQueue = 64

// grow doubles the full ring (from one job); p.mu is held.
func (p *pool) grow() {
	q := make([]job, max(2*len(p.queue), 1))
	k := copy(q, p.queue[p.head:])
	copy(q[k:], p.queue[:p.head])
	p.queue, p.head = q, 0
}

// pop dequeues a job; p.mu is held and p.n > 0.
func (p *pool) pop() job {
	j := p.queue[p.head]
	p.queue[p.head] = job{}
	p.head = (p.head + 1) & (len(p.queue) - 1)
	p.n--
	p.queued.Store(int64(p.n))
	return j
}

// search tells one more worker to take from the queue, a parked worker if
// there is one, else a new one: the message is an empty job. p.mu is held,
// and no other worker searches (searching was 0). A new worker keeps the
// bound: no worker is parked or searches, so each runs a task that holds a
// slot, and a queued job holds another. At most workers, none is told:
// every worker has a job, and the first to finish it takes the queued one.
func (p *pool) search() {
	if k := len(p.idle) - 1; k >= 0 {
		p.searching++
		w := p.idle[k]
		p.idle[k] = nil
		p.idle = p.idle[:k]
		w.wake <- job{} // buffered and empty: a parked worker has had nothing since it parked
		return
	}
	if p.live >= p.most {
		return
	}
	p.searching++
	p.live++
	p.workers.Add(1)
	go p.work(job{})
}

// take1 is what a worker told to search does: it takes a queued job, if
// there is one, and tells another worker to search while jobs remain. If
// there is none it parks, under the same hold of mu (see pool).
func (p *pool) take1(w *worker) (job, bool) {
	p.mu.Lock()
	p.searching--
	if p.n > 0 {
		j := p.pop()
		if p.n > 0 && p.searching == 0 {
			p.search()
		}
		p.mu.Unlock()
		return j, true
	}
	if p.closed.Load() {
		p.mu.Unlock()
		return job{}, false
	}
	p.idle = append(p.idle, w)
	p.mu.Unlock()
	j, ok := <-w.wake
	return j, ok
}

// drain removes the queued jobs and returns them; p.mu is held.
func (p *pool) drain() []job {
	jobs := make([]job, 0, p.n)
	for p.n > 0 {
		jobs = append(jobs, p.pop())
	}
	return jobs
}

// retire lets every worker exit and waits until all have: once its task
// has returned, a worker exits instead of waiting for another, so retire
// returns once every task has. It is what Wait waits on, and what SetLimit
// calls when no task is active.
func (p *pool) retire() {
	p.mu.Lock()
	p.close()
	p.mu.Unlock()
	p.workers.Wait()
	p.mu.Lock()
	p.closed.Store(false)
	if len(p.queue) > keptQueue {
		// Empty now: a burst of queued jobs keeps no memory past Wait.
		p.queue, p.head = nil, 0
	}
	p.mu.Unlock()
}

// work runs j, then every job it is given, until the pool is closed. An
// empty job tells it to search the queue.
//
// With a limiter, it takes the job's permit first,
// waiting for it until the group's context is done (see Group.permit); a
// job that gets none is not run, as a start that gives up. The permit is
// given back as the task returns, before its slot, so that it is back
// before the task counts as returned.
func (p *pool) work(j job) {
	running, holding := false, false
	defer func() {
		if running {
			// runtime.Goexit in the task: its permit and slot are given
			// back here.
			if holding {
				p.lim.Release(1)
			}
			p.release()
		}
		p.mu.Lock()
		p.live--
		if p.n > 0 && p.searching == 0 {
			// This worker was at most and had a job: another takes the
			// queue in its place.
			p.search()
		}
		p.mu.Unlock()
		p.workers.Done()
	}()
	pprof.SetGoroutineLabels(p.base)
	w := &worker{wake: make(chan job, 1)}
	for {
		var ok bool
		if j.g == nil {
			if j, ok = p.take1(w); !ok {
				return
			}
			if j.g == nil {
				continue
			}
		}
		running = true
		if lim := p.lim; lim == nil {
			j.g.runJob(j)
			pprof.SetGoroutineLabels(p.base)
		} else if holding = j.g.permit(lim, j); holding {
			j.g.runJob(j)
			pprof.SetGoroutineLabels(p.base)
			holding = false
			lim.Release(1)
		} else {
			j.g.refuse(j, true)
		}
		j = job{} // an idle worker keeps neither the task's captures nor its group
		running = false
		if j, ok = p.next(w); !ok {
			return
		}
	}
}

// next releases the slot of the task w has finished and returns its next
// job, or false once the pool is closed. A queued job comes first: taking
// it needs no other worker to search, since the one that searches for it
// still will (or, at most workers, there is none).
func (p *pool) next(w *worker) (job, bool) {
	if p.queued.Load() > 0 {
		p.mu.Lock()
		if p.n > 0 {
			j := p.pop()
			p.mu.Unlock()
			p.release()
			return j, true
		}
		p.mu.Unlock()
	}
	// Park before the slot is free (see pool).
	p.mu.Lock()
	if p.closed.Load() {
		p.mu.Unlock()
		p.release()
		return job{}, false
	}
	p.idle = append(p.idle, w)
	p.mu.Unlock()
	p.release()
	j, ok := <-w.wake
	return j, ok
}
