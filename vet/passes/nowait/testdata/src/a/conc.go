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
