package a

import (
	"context"

	"github.com/sourcegraph/conc"
	"github.com/sourcegraph/conc/pool"
)

// A conc pool returned from before Wait on an error (openfga#1564's shape).
func concPoolEarly(ctx context.Context, ids []int) error {
	p := pool.New().WithErrors().WithMaxGoroutines(4)
	for _, id := range ids {
		p.Go(func() error { return work(id) })
	}
	if err := ctx.Err(); err != nil {
		return err // want `goroutines added to p .*call p.Wait\(\) on every path`
	}
	return p.Wait()
}

func concWaitGroup(fs []func()) error {
	wg := conc.NewWaitGroup()
	for _, f := range fs {
		wg.Go(f)
	}
	if len(fs) > 9 {
		return errBad // want `goroutines added to wg`
	}
	wg.Wait()
	return nil
}

func concResults(n int) []int {
	p := pool.NewWithResults[int]()
	for i := range n {
		p.Go(func() int { return i })
	}
	return p.Wait()
}

func concContext(ctx context.Context) error {
	p := pool.New().WithContext(ctx)
	p.Go(func(ctx context.Context) error { return nil })
	defer func() { _ = p.Wait() }()
	return ctx.Err()
}

// openfga v1.4.0's reverse expansion (fixed by openfga/openfga#1297): the
// pool configured by statements, tasks started per tuple, and an error of
// the iterator returned before the pool is waited for.
func concConfigured(ctx context.Context, next func() (int, error)) error {
	p := pool.New().WithContext(ctx)
	p.WithCancelOnError()
	p.WithFirstError()
	p.WithMaxGoroutines(4)
	for {
		id, err := next()
		if err != nil {
			if err == errBad {
				break
			}
			return err // want `goroutines added to p .*call p.Wait\(\) on every path`
		}
		p.Go(func(ctx context.Context) error { return work(id) })
	}
	return p.Wait()
}

// The pool a With... method returns is kept: another name for the pool,
// which the check does not follow.
func concAlias(ctx context.Context, ids []int) error {
	p := pool.New().WithContext(ctx)
	q := p.WithCancelOnError()
	for _, id := range ids {
		p.Go(func(ctx context.Context) error { return work(id) })
	}
	if len(ids) > 3 {
		return q.Wait()
	}
	return p.Wait()
}
