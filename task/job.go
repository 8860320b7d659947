package task

import (
	"context"
	"runtime/pprof"

	"github.com/boundgo/bound/internal/panics"
)

// job is one accepted function and what it needs to run.
type job struct {
	g    *Group
	f    func() error                    // errgroup form; or
	fc   func(ctx context.Context) error // context form
	name string
	rec  *record // non-nil when a grace period is set
}

// run runs f in the default configuration: no limit, no options.
func (g *Group) run(f func() error) {
	defer g.tasks.done()

	// A panic in f is not propagated to Wait, as errgroup does not, because
	// doing so creates more problems than it solves: it delays the panic
	// arbitrarily, turns its stack into a mere value hidden from
	// crash-monitoring tools, and can deadlock if the panic leaves the
	// program unable to reach Wait. CapturePanics is the explicit opt-in.

	if err := f(); err != nil {
		g.fail(err)
	}
}

// runJob runs one task with every opt-in feature, on its own goroutine (no
// limit) or on a worker of the pool (j.g is set). It returns normally
// unless the task called runtime.Goexit (or panicked without
// CapturePanics).
func (g *Group) runJob(j job) {
	x := g.x
	pooled := j.g != nil // its pool counts it, not tasks
	if x == nil && j.fc == nil {
		if !pooled {
			g.run(j.f)
		} else if err := j.f(); err != nil {
			g.fail(err)
		}
		return
	}
	if j.rec != nil {
		x.started(j.rec)
	}
	defer g.ended(j.rec, pooled)
	ctx := g.context()
	if labels, ok := x.labels(j.name); ok {
		ctx = pprof.WithLabels(ctx, labels)
		pprof.SetGoroutineLabels(ctx)
	}
	call := j.f
	if j.fc != nil {
		if ctx.Err() != nil {
			// Accepted while the context was live, done before it ran.
			g.skip()
			return
		}
		call = func() error { return j.fc(ctx) }
	}
	var err error
	if x != nil && x.capture {
		err = panics.Call(call, g.recordPanic)
		if p, ok := err.(*panics.Error); ok {
			g.recordPanic(p)
			return
		}
	} else {
		err = call()
	}
	if err != nil {
		g.record(err, false)
	} else if x != nil && x.policy == FirstSuccess {
		g.succeed()
	}
}

// recordPanic records a captured panic or Goexit of a task.
func (g *Group) recordPanic(p *panics.Error) { g.record(p, true) }

// ended is deferred by runJob: it runs after the task returns, panics or
// calls runtime.Goexit.
func (g *Group) ended(rec *record, pooled bool) {
	if rec != nil {
		g.x.finish(rec)
	}
	if !pooled {
		g.tasks.done()
	}
}
