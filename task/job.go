package task

import (
	"context"
	"runtime/pprof"
	"runtime/trace"

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
	tracing := traceHooks && trace.IsEnabled()
	if tracing {
		ctx = x.traceTask(ctx)
	}
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
	if tracing && j.name != "" {
		defer trace.StartRegion(ctx, j.name).End()
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

// traceHooks is false only in the plain half of BenchmarkTraceHooks, the
// A/B benchmark of what the execution tracer's hooks cost while tracing is
// off: one check of trace.IsEnabled per task of a group with options.
var traceHooks = true

// traceTask returns the context of the group's runtime/trace task, derived
// from ctx, the group's context: a named group is a task of the execution
// tracer from its first task that starts while tracing is on until Wait.
// For an unnamed group (x nil, or no name) it returns ctx.
func (x *extras) traceTask(ctx context.Context) context.Context {
	if x == nil || x.name == "" {
		return ctx
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.tctx == nil {
		x.tctx, x.ttask = trace.NewTask(ctx, x.name)
	}
	return x.tctx
}

// endTrace ends the group's runtime/trace task, if it has one.
func (x *extras) endTrace() {
	if x.name == "" {
		return
	}
	x.mu.Lock()
	t := x.ttask
	x.tctx, x.ttask = nil, nil
	x.mu.Unlock()
	if t != nil {
		t.End()
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
