package bench

import (
	"context"
	"runtime"
	"testing"

	"github.com/boundgo/bound/task"
	"golang.org/x/sync/semaphore"
)

// weighted is what task.Limiter and semaphore.Weighted have in common.
type weighted interface {
	Acquire(ctx context.Context, n int64) error
	Release(n int64)
}

// BenchmarkLimiter takes and gives back one permit per op, from one
// goroutine, with a context that can be cancelled (so that the done check is
// not skipped for a nil channel): the uncontended path every request pays.
func BenchmarkLimiter(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	run := func(b *testing.B, l weighted) {
		b.ReportAllocs()
		for b.Loop() {
			if err := l.Acquire(ctx, 1); err != nil {
				b.Fatalf("Acquire(ctx, 1) = %v; want nil", err)
			}
			l.Release(1)
		}
	}
	b.Run("task", func(b *testing.B) { run(b, task.NewLimiter(10)) })
	b.Run("semaphore", func(b *testing.B) { run(b, semaphore.NewWeighted(10)) })
}

// BenchmarkLimiterContended runs GOMAXPROCS×4 goroutines that each take a
// permit, yield, and give it back, on a limiter of GOMAXPROCS permits: a
// holder lets others run, as one waiting on a database would, so that most
// requests find the permits taken and wait in the queue, and most releases
// hand a permit to a waiter. (Without the yield, as many goroutines run as
// there are permits, and whether the others ever queue depends on when the
// scheduler preempts a holder: the time per op then varies tenfold between
// runs.)
func BenchmarkLimiterContended(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	procs := int64(runtime.GOMAXPROCS(0))
	run := func(b *testing.B, l weighted) {
		b.ReportAllocs()
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := l.Acquire(ctx, 1); err != nil {
					b.Errorf("Acquire(ctx, 1) = %v; want nil", err)
					return
				}
				runtime.Gosched()
				l.Release(1)
			}
		})
	}
	b.Run("task", func(b *testing.B) { run(b, task.NewLimiter(procs)) })
	b.Run("semaphore", func(b *testing.B) { run(b, semaphore.NewWeighted(procs)) })
}
