// Package task is a stub of github.com/boundgo/bound/task for the analysis
// fixtures: the real API, with just enough behind it.
package task

import (
	"context"
	"sync"
	"time"
)

// A Policy says which error Wait returns.
type Policy int

// The policies.
const (
	FirstError Policy = iota
	AllErrors
	FirstSuccess
)

// A Group is a collection of goroutines working on subtasks of one task.
type Group struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	wg     sync.WaitGroup
	mu     sync.Mutex
	err    error
}

// WithContext returns a new Group and an associated Context derived from ctx.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancelCause(ctx)
	return &Group{ctx: ctx, cancel: cancel}, ctx
}

// Run calls body with a new group and returns once body and its tasks have.
func Run(ctx context.Context, body func(ctx context.Context, g *Group) error) error {
	g, ctx := WithContext(ctx)
	g.Go(func() error { return body(ctx, g) })
	return g.Wait()
}

// Go calls f in a new goroutine.
func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.mu.Lock()
			if g.err == nil {
				g.err = err
				if g.cancel != nil {
					g.cancel(err)
				}
			}
			g.mu.Unlock()
		}
	}()
}

// TryGo calls f in a new goroutine if the group is below its limit.
func (g *Group) TryGo(f func() error) bool { g.Go(f); return true }

// GoContext calls f with the group's context in a new goroutine.
func (g *Group) GoContext(f func(ctx context.Context) error) {
	g.Go(func() error { return f(g.context()) })
}

// TryGoContext is GoContext without blocking.
func (g *Group) TryGoContext(f func(ctx context.Context) error) bool { g.GoContext(f); return true }

// GoNamed is GoContext for a named task.
func (g *Group) GoNamed(name string, f func(ctx context.Context) error) { g.GoContext(f) }

// SetLimit limits the number of active tasks.
func (g *Group) SetLimit(n int) {}

// SetName names the group.
func (g *Group) SetName(name string) {}

// SetPolicy sets the error policy.
func (g *Group) SetPolicy(p Policy) {}

// SetGrace sets a grace period for leak reports.
func (g *Group) SetGrace(d time.Duration) {}

// CapturePanics makes a panic in a task an error.
func (g *Group) CapturePanics() {}

// Wait blocks until all tasks have returned, then returns the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel(context.Canceled)
	}
	return g.err
}

// Stop cancels the group's context and waits.
func (g *Group) Stop() error {
	if g.cancel != nil {
		g.cancel(context.Canceled)
	}
	return g.Wait()
}

func (g *Group) context() context.Context {
	if g.ctx == nil {
		return context.Background()
	}
	return g.ctx
}

// Results is a Group whose tasks each return a value.
type Results[T any] struct {
	g    *Group
	mu   sync.Mutex
	vals []T
}

// ResultsWithContext returns a new Results and its context, derived from ctx.
func ResultsWithContext[T any](ctx context.Context) (*Results[T], context.Context) {
	g, ctx := WithContext(ctx)
	return &Results[T]{g: g}, ctx
}

// Go is Group.GoContext for a function returning a value.
func (r *Results[T]) Go(f func(ctx context.Context) (T, error)) {
	r.Group().GoContext(func(ctx context.Context) error {
		v, err := f(ctx)
		r.mu.Lock()
		r.vals = append(r.vals, v)
		r.mu.Unlock()
		return err
	})
}

// TryGo is Go without blocking.
func (r *Results[T]) TryGo(f func(ctx context.Context) (T, error)) bool { r.Go(f); return true }

// SetLimit is r.Group().SetLimit(n).
func (r *Results[T]) SetLimit(n int) { r.Group().SetLimit(n) }

// Group returns the group that runs r's tasks.
func (r *Results[T]) Group() *Group {
	if r.g == nil {
		r.g = new(Group)
	}
	return r.g
}

// Wait blocks until every task has returned and returns their values.
func (r *Results[T]) Wait() ([]T, error) {
	err := r.Group().Wait()
	return r.vals, err
}

// Map calls f on every element of in, at most limit at a time.
func Map[In, Out any](ctx context.Context, in []In, limit int, f func(ctx context.Context, v In) (Out, error)) ([]Out, error) {
	r, _ := ResultsWithContext[Out](ctx)
	for _, v := range in {
		r.Go(func(ctx context.Context) (Out, error) { return f(ctx, v) })
	}
	return r.Wait()
}
