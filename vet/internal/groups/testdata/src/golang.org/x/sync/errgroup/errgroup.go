// Package errgroup is a stub of golang.org/x/sync/errgroup for the
// analysis fixtures: the real API, with just enough behind it.
package errgroup

import (
	"context"
	"sync"
)

// A Group is a collection of goroutines working on subtasks of one task.
type Group struct {
	cancel func(error)
	wg     sync.WaitGroup
	sem    chan struct{}

	errOnce sync.Once
	err     error
}

// WithContext returns a new Group and an associated Context derived from ctx.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancelCause(ctx)
	return &Group{cancel: cancel}, ctx
}

// Wait blocks until all function calls from the Go method have returned.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel(g.err)
	}
	return g.err
}

// Go calls the given function in a new goroutine.
func (g *Group) Go(f func() error) {
	if g.sem != nil {
		g.sem <- struct{}{}
	}
	g.wg.Add(1)
	go func() {
		defer g.done()
		if err := f(); err != nil {
			g.errOnce.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel(g.err)
				}
			})
		}
	}()
}

// TryGo calls f in a new goroutine only if the group is below its limit.
func (g *Group) TryGo(f func() error) bool {
	g.Go(f)
	return true
}

// SetLimit limits the number of active goroutines in this group to at most n.
func (g *Group) SetLimit(n int) {
	if n < 0 {
		g.sem = nil
		return
	}
	g.sem = make(chan struct{}, n)
}

func (g *Group) done() {
	if g.sem != nil {
		<-g.sem
	}
	g.wg.Done()
}
