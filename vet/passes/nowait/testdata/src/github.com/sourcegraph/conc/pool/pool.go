// Package pool is a stub of github.com/sourcegraph/conc/pool for the
// fixtures: the real API, with just enough behind it.
package pool

import (
	"context"
	"sync"
)

// Pool runs tasks in goroutines.
type Pool struct {
	wg sync.WaitGroup
}

// New creates a new Pool.
func New() *Pool { return &Pool{} }

// Go submits a task.
func (p *Pool) Go(f func()) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		f()
	}()
}

// Wait cleans up spawned goroutines.
func (p *Pool) Wait() { p.wg.Wait() }

// WithMaxGoroutines limits the number of goroutines.
func (p *Pool) WithMaxGoroutines(n int) *Pool { return p }

// WithErrors converts the pool to an ErrorPool.
func (p *Pool) WithErrors() *ErrorPool { return &ErrorPool{pool: p.deref()} }

// WithContext converts the pool to a ContextPool.
func (p *Pool) WithContext(ctx context.Context) *ContextPool {
	return &ContextPool{errorPool: p.WithErrors().deref(), ctx: ctx}
}

func (p *Pool) deref() Pool { return Pool{} }

// ErrorPool is a pool of tasks that return errors.
type ErrorPool struct {
	pool Pool
	mu   sync.Mutex
	errs []error
}

// Go submits a task.
func (p *ErrorPool) Go(f func() error) {
	p.pool.Go(func() {
		if err := f(); err != nil {
			p.mu.Lock()
			p.errs = append(p.errs, err)
			p.mu.Unlock()
		}
	})
}

// Wait waits and returns the errors.
func (p *ErrorPool) Wait() error {
	p.pool.Wait()
	if len(p.errs) > 0 {
		return p.errs[0]
	}
	return nil
}

// WithMaxGoroutines limits the number of goroutines.
func (p *ErrorPool) WithMaxGoroutines(n int) *ErrorPool { return p }

func (p *ErrorPool) deref() ErrorPool { return ErrorPool{} }

// ContextPool is a pool of tasks that take a context.
type ContextPool struct {
	errorPool ErrorPool
	ctx       context.Context
}

// Go submits a task.
func (p *ContextPool) Go(f func(ctx context.Context) error) {
	p.errorPool.Go(func() error { return f(p.ctx) })
}

// Wait waits and returns the errors.
func (p *ContextPool) Wait() error { return p.errorPool.Wait() }

// ResultPool collects the results of its tasks.
type ResultPool[T any] struct {
	pool Pool
	mu   sync.Mutex
	res  []T
}

// NewWithResults creates a ResultPool.
func NewWithResults[T any]() *ResultPool[T] { return &ResultPool[T]{} }

// Go submits a task.
func (p *ResultPool[T]) Go(f func() T) {
	p.pool.Go(func() {
		v := f()
		p.mu.Lock()
		p.res = append(p.res, v)
		p.mu.Unlock()
	})
}

// Wait waits and returns the results.
func (p *ResultPool[T]) Wait() []T {
	p.pool.Wait()
	return p.res
}

// WithCancelOnError cancels the pool's context at the first error.
func (p *ContextPool) WithCancelOnError() *ContextPool { return p }

// WithFirstError keeps only the first error.
func (p *ContextPool) WithFirstError() *ContextPool { return p }

// WithMaxGoroutines limits the pool's goroutines.
func (p *ContextPool) WithMaxGoroutines(n int) *ContextPool { return p }
