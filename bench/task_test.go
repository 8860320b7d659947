package bench

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"github.com/boundgo/bound/task"
	"github.com/sourcegraph/conc/pool"
	"golang.org/x/sync/errgroup"
)

// BenchmarkGroupGo starts one no-op task per op, with no limit, and waits
// once at the end.
//
// Each sub-benchmark first starts and waits for b.N plain goroutines, so that
// all of them find the runtime's goroutine free list and heap equally warm:
// without it, whichever runs first pays for growing them (about 2x in ns/op).
func BenchmarkGroupGo(b *testing.B) {
	noop := func() error { return nil }
	b.Run("task", func(b *testing.B) {
		warmGoroutines(b)
		var g task.Group
		for range b.N {
			g.Go(noop)
		}
		_ = g.Wait()
	})
	b.Run("errgroup", func(b *testing.B) {
		warmGoroutines(b)
		var g errgroup.Group
		for range b.N {
			g.Go(noop)
		}
		_ = g.Wait()
	})
	b.Run("conc", func(b *testing.B) {
		warmGoroutines(b)
		p := pool.New()
		for range b.N {
			p.Go(func() {})
		}
		p.Wait()
	})
	b.Run("waitgroup", func(b *testing.B) {
		warmGoroutines(b)
		var wg sync.WaitGroup
		for range b.N {
			wg.Go(func() {})
		}
		wg.Wait()
	})
}

// warmGoroutines starts and waits for b.N goroutines, then resets the timer
// and turns on allocation reporting.
func warmGoroutines(b *testing.B) {
	var wg sync.WaitGroup
	for range b.N {
		wg.Go(func() {})
	}
	wg.Wait()
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
}

// BenchmarkGroupGoLimit is BenchmarkGroupGo with at most 8 tasks at a time.
func BenchmarkGroupGoLimit(b *testing.B) {
	const limit = 8
	noop := func() error { return nil }
	b.Run("task", func(b *testing.B) {
		b.ReportAllocs()
		var g task.Group
		g.SetLimit(limit)
		for b.Loop() {
			g.Go(noop)
		}
		_ = g.Wait()
	})
	b.Run("errgroup", func(b *testing.B) {
		b.ReportAllocs()
		var g errgroup.Group
		g.SetLimit(limit)
		for b.Loop() {
			g.Go(noop)
		}
		_ = g.Wait()
	})
	b.Run("conc", func(b *testing.B) {
		b.ReportAllocs()
		p := pool.New().WithMaxGoroutines(limit)
		for b.Loop() {
			p.Go(func() {})
		}
		p.Wait()
	})
}

// BenchmarkMap maps 1,000 ints in order with at most 8 at a time.
func BenchmarkMap(b *testing.B) {
	const limit = 8
	in := make([]int, 1000)
	for i := range in {
		in[i] = i
	}
	square := func(_ context.Context, v int) (int, error) { return v * v, nil }
	ctx := context.Background()
	b.Run("task", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out, err := task.Map(ctx, in, limit, square)
			if err != nil || len(out) != len(in) {
				b.Fatalf("Map() = %d results, %v; want %d, nil", len(out), err, len(in))
			}
		}
	})
	b.Run("errgroup", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			g, ctx := errgroup.WithContext(ctx)
			g.SetLimit(limit)
			out := make([]int, len(in))
			for i, v := range in {
				g.Go(func() error {
					r, err := square(ctx, v)
					out[i] = r
					return err
				})
			}
			if err := g.Wait(); err != nil {
				b.Fatalf("Wait() = %v; want nil", err)
			}
		}
	})
}
