package bench

import (
	"context"
	"sync"
	"testing"

	"github.com/boundgo/bound/task"
	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"
)

// BenchmarkGroupSharedLimit runs 16 groups of 1,000 no-op tasks at once,
// all of them sharing one limit of 8 tasks at a time: task's groups with
// SetLimiter on one Limiter, against errgroups sharing one
// semaphore.Weighted, each task acquired before its goroutine starts (the
// errgroup idiom that keeps blocked goroutines from piling up).
func BenchmarkGroupSharedLimit(b *testing.B) {
	const groups, tasks, limit = 16, 1000, 8
	noop := func() error { return nil }
	b.Run("task", func(b *testing.B) {
		b.ReportAllocs()
		l := task.NewLimiter(limit)
		for b.Loop() {
			var wg sync.WaitGroup
			for range groups {
				wg.Go(func() {
					var g task.Group
					g.SetLimiter(l)
					for range tasks {
						g.Go(noop)
					}
					if err := g.Wait(); err != nil {
						b.Errorf("Wait() = %v; want nil", err)
					}
				})
			}
			wg.Wait()
		}
	})
	b.Run("errgroup", func(b *testing.B) {
		b.ReportAllocs()
		sem := semaphore.NewWeighted(limit)
		ctx := context.Background()
		for b.Loop() {
			var wg sync.WaitGroup
			for range groups {
				wg.Go(func() {
					var g errgroup.Group
					for range tasks {
						if err := sem.Acquire(ctx, 1); err != nil {
							b.Errorf("Acquire() = %v; want nil", err)
							break // still wait for the tasks started
						}
						g.Go(func() error {
							defer sem.Release(1)
							return noop()
						})
					}
					if err := g.Wait(); err != nil {
						b.Errorf("Wait() = %v; want nil", err)
					}
				})
			}
			wg.Wait()
		}
	})
}
