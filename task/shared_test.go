package task_test

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/boundgo/bound/cleanup"
	"github.com/boundgo/bound/task"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/stretchr/testify/require"
)

// peak records the most calls of enter seen at once.
type peak struct{ now, most atomic.Int32 }

func (p *peak) enter() {
	n := p.now.Add(1)
	for m := p.most.Load(); n > m && !p.most.CompareAndSwap(m, n); m = p.most.Load() {
	}
}

func (p *peak) leave() { p.now.Add(-1) }

// requireAllFree fails unless every one of the size permits of l is free.
func requireAllFree(t *testing.T, l *task.Limiter, size int64, when string) {
	t.Helper()
	require.True(t, l.TryAcquire(size), "%s: TryAcquire(%d) = false; want every permit back", when, size)
	l.Release(size)
}

func TestSetLimiter(t *testing.T) {
	t.Run("groups sharing a limiter never run more than its size at once", func(t *testing.T) {
		for _, own := range []int{-1, 1, 3} {
			const size, groups, perGroup = 3, 6, 40
			l := task.NewLimiter(size)
			var all peak
			var wg sync.WaitGroup
			for range groups {
				wg.Go(func() {
					var g task.Group
					g.SetLimit(own)
					g.SetLimiter(l)
					var mine peak
					for range perGroup {
						g.Go(func() error {
							all.enter()
							mine.enter()
							runtime.Gosched()
							mine.leave()
							all.leave()
							return nil
						})
					}
					require.NoError(t, g.Wait())
					if own > 0 {
						require.LessOrEqual(t, mine.most.Load(), int32(own), "tasks of one group at once, own limit %d", own)
					}
				})
			}
			wg.Wait()
			require.LessOrEqual(t, all.most.Load(), int32(size), "tasks of all groups at once, limiter of %d, own limit %d", size, own)
			requireAllFree(t, l, size, "after every Wait")
		}
	})

	t.Run("Go never waits for a permit; tasks still waiting once the context is done never run", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := task.NewLimiter(1)
			var holder task.Group
			holder.SetLimiter(l)
			release := make(chan struct{})
			holder.Go(func() error { <-release; return nil })
			synctest.Wait() // the holder's task holds the one permit

			parent, cancel := context.WithCancelCause(context.Background())
			g, _ := task.WithContext(parent)
			g.SetLimiter(l)
			var ran atomic.Int32
			// Each returns at once: a goroutine of its own would deadlock
			// the bubble if it did not.
			g.Go(func() error { ran.Add(1); return nil })
			g.GoContext(func(context.Context) error { ran.Add(1); return nil })
			g.GoNamed("n", func(context.Context) error { ran.Add(1); return nil })
			synctest.Wait() // the tasks wait for the permit
			require.Zero(t, ran.Load(), "tasks run while the only permit was held")
			cancel(errDoom)
			err := g.Wait()
			require.Same(t, errDoom, err, "Wait() = %v; want the context's cause %v", err, errDoom)
			require.Zero(t, ran.Load(), "tasks run after the context was done, with no permit free")
			close(release)
			require.NoError(t, holder.Wait())
			requireAllFree(t, l, 1, "after both groups' Wait")
		})
	})

	t.Run("with a limit of its own, Go blocks on that limit, not on a permit", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := task.NewLimiter(1)
			require.True(t, l.TryAcquire(1)) // held elsewhere
			var g task.Group
			g.SetLimit(2)
			g.SetLimiter(l)
			var ran atomic.Int32
			g.Go(func() error { ran.Add(1); return nil })
			g.Go(func() error { ran.Add(1); return nil })
			third := make(chan struct{})
			go func() {
				defer close(third)
				g.Go(func() error { ran.Add(1); return nil })
			}()
			synctest.Wait()
			select {
			case <-third:
				t.Fatal("Go returned with 2 tasks active under a limit of 2")
			default:
			}
			require.Zero(t, ran.Load(), "tasks run without a permit")
			l.Release(1)
			<-third
			require.NoError(t, g.Wait())
			require.EqualValues(t, 3, ran.Load(), "tasks run once the permit was free")
			requireAllFree(t, l, 1, "after Wait")
		})
	})

	t.Run("a group with a limiter and no limit runs on at most the limiter's size of workers", func(t *testing.T) {
		for _, size := range []int64{1, 3, math.MaxInt64} {
			synctest.Test(t, func(t *testing.T) {
				// want tasks meet before any returns (synctest reports a
				// deadlock if fewer run at once); the last to arrive
				// counts the goroutines of the group.
				const tasks = 30
				want := int(min(size, tasks))
				l := task.NewLimiter(size)
				var g task.Group
				g.SetLimiter(l)
				m := newMeeting(want)
				for range tasks {
					g.Go(func() error {
						m.arrive()
						return nil
					})
				}
				require.NoError(t, g.Wait())
				require.Equal(t, want, m.workers, "goroutines of a group of %d tasks with a limiter of %d", tasks, size)
				requireAllFree(t, l, size, "after Wait")
			})
		}
	})

	t.Run("a stream of tasks under a limiter starts no goroutine per task", func(t *testing.T) {
		l := task.NewLimiter(8)
		var g task.Group
		g.SetLimiter(l)
		noop := func() error { return nil }
		allocs := testing.AllocsPerRun(10, func() {
			for range 1000 {
				g.Go(noop)
			}
			if err := g.Wait(); err != nil {
				t.Errorf("Wait() = %v; want nil", err)
			}
		})
		require.Less(t, allocs, 100.0, "allocations of 1,000 tasks and a Wait under a limiter of 8")
	})

	t.Run("a task that exits with runtime.Goexit hands the queue to a new worker", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := task.NewLimiter(1) // one worker, which Goexit ends
			var g task.Group
			g.SetLimiter(l)
			var ran atomic.Int32
			g.Go(func() error { runtime.Goexit(); return nil })
			for range 10 {
				g.Go(func() error { ran.Add(1); return nil })
			}
			require.NoError(t, g.Wait())
			require.EqualValues(t, 10, ran.Load(), "tasks run after the one that called Goexit")
			requireAllFree(t, l, 1, "after Wait")
		})
	})

	t.Run("SetLimit(-1) keeps the limiter, and Go still does not wait for a permit", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := task.NewLimiter(1)
			var g task.Group
			g.SetLimit(3)
			g.SetLimiter(l)
			g.SetLimit(-1)
			require.True(t, l.TryAcquire(1)) // held elsewhere
			var ran atomic.Int32
			for range 5 {
				g.Go(func() error { ran.Add(1); return nil })
			}
			synctest.Wait()
			require.Zero(t, ran.Load(), "tasks run without a permit after SetLimit(-1)")
			l.Release(1)
			require.NoError(t, g.Wait())
			require.EqualValues(t, 5, ran.Load())
			requireAllFree(t, l, 1, "after Wait")
		})
	})

	t.Run("tasks still queued when a grace period expires are not reported, and never run", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := task.NewLimiter(1)
			g, _ := task.WithContext(context.Background())
			g.SetLimiter(l)
			g.SetGrace(time.Second)
			release := make(chan struct{})
			g.GoNamed("stuck", func(context.Context) error { <-release; return nil })
			var ran atomic.Int32
			g.GoNamed("queued", func(context.Context) error { ran.Add(1); return nil })
			g.Go(func() error { ran.Add(1); return nil })
			synctest.Wait()
			g.Stop()
			var leak *task.LeakError
			require.ErrorAs(t, g.Wait(), &leak)
			var names []string
			for _, lt := range leak.Tasks {
				names = append(names, lt.Name)
			}
			require.Equal(t, []string{"stuck"}, names, "names of LeakError.Tasks; want the stuck task alone")
			close(release)
			synctest.Wait()
			require.Zero(t, ran.Load(), "tasks queued behind the stuck one ran after the LeakError")
			requireAllFree(t, l, 1, "once the stuck task returned")
		})
	})

	t.Run("TryGo reports false without a free permit and frees its slot", func(t *testing.T) {
		l := task.NewLimiter(1)
		var g task.Group
		g.SetLimit(2)
		g.SetLimiter(l)
		require.True(t, l.TryAcquire(1))
		require.False(t, g.TryGo(func() error { return nil }), "TryGo() = true with no free permit; want false")
		require.False(t, g.TryGoContext(func(context.Context) error { return nil }), "TryGoContext() = true with no free permit; want false")
		l.Release(1)
		require.True(t, g.TryGo(func() error { return nil }), "TryGo() = false with a free permit and free slots; want true")
		require.NoError(t, g.Wait())
		requireAllFree(t, l, 1, "after Wait")
	})

	t.Run("Go runs f once the context is done when a permit is free", func(t *testing.T) {
		l := task.NewLimiter(2)
		g, ctx := task.WithContext(context.Background())
		g.SetLimiter(l)
		g.Go(func() error { return errDoom })
		<-ctx.Done()
		var ran atomic.Bool
		g.Go(func() error { ran.Store(true); return nil })
		err := g.Wait()
		require.Same(t, errDoom, err, "Wait() = %v; want %v", err, errDoom)
		require.True(t, ran.Load(), "Go did not run f with a free permit after the context was done")
		requireAllFree(t, l, 2, "after Wait")
	})

	t.Run("a limiter without permits panics the starts that would wait", func(t *testing.T) {
		l := task.NewLimiter(0)
		var g task.Group
		g.SetLimiter(l)
		nop := func() error { return nil }
		nopCtx := func(context.Context) error { return nil }
		const tail = " on a group whose limiter has no permit: no task can ever start"
		require.PanicsWithValue(t, "task: Go"+tail, func() { g.Go(nop) })
		require.PanicsWithValue(t, "task: GoContext"+tail, func() { g.GoContext(nopCtx) })
		require.PanicsWithValue(t, "task: GoNamed"+tail, func() { g.GoNamed("x", nopCtx) })
		require.False(t, g.TryGo(nop), "TryGo() = true with a limiter of size 0")
		require.NoError(t, g.Wait())
		var r task.Results[int]
		r.SetLimiter(l)
		require.PanicsWithValue(t, "task: Results.Go"+tail, func() { r.Go(func(context.Context) (int, error) { return 0, nil }) })
		require.Panics(t, func() { var zero task.Limiter; g.SetLimiter(&zero); g.Go(nop) }, "the zero Limiter has size 0")
	})

	t.Run("no permit outlives Wait, whatever the tasks did", func(t *testing.T) {
		for _, limit := range []int{-1, 2} {
			const size = 4 // every start finds a permit: none gives up
			l := task.NewLimiter(size)
			g, _ := task.WithContext(context.Background())
			g.SetLimit(limit)
			g.SetLimiter(l)
			g.CapturePanics()
			g.SetErrorPolicy(task.AllErrors)
			g.Go(func() error { return errDoom })
			g.Go(func() error { panic("boom") })
			g.Go(func() error { runtime.Goexit(); return nil })
			g.GoContext(func(ctx context.Context) error { return nil })
			err := g.Wait()
			require.ErrorIs(t, err, errDoom)
			require.ErrorIs(t, err, cleanup.ErrGoexit)
			requireAllFree(t, l, size, fmt.Sprintf("after Wait (limit %d)", limit))
		}
	})

	t.Run("a task accepted and skipped gives its permit back", func(t *testing.T) {
		for range 50 {
			l := task.NewLimiter(1)
			g, _ := task.WithContext(context.Background())
			g.SetLimit(1)
			g.SetLimiter(l)
			g.Go(func() error { return errDoom }) // cancels the context
			g.GoContext(func(context.Context) error { return nil })
			err := g.Wait()
			require.Same(t, errDoom, err, "Wait() = %v; want %v", err, errDoom)
			requireAllFree(t, l, 1, "after Wait")
		}
	})

	t.Run("a start that gives up after a captured panic reports the panic once", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := task.NewLimiter(1)
			g, _ := task.WithContext(context.Background())
			g.SetLimiter(l)
			g.CapturePanics()
			g.SetErrorPolicy(task.AllErrors)
			release := make(chan struct{})
			g.Go(func() error { <-release; panic("boom") })
			returned := make(chan struct{})
			go func() {
				defer close(returned)
				g.GoContext(func(context.Context) error { return nil })
			}()
			synctest.Wait() // GoContext waits for the permit
			close(release)  // the panic cancels the context: GoContext gives up
			<-returned
			err := g.Wait()
			errs := err.(interface{ Unwrap() []error }).Unwrap()
			require.Len(t, errs, 1, "Wait() = %v; want the captured panic once", err)
			var pe *cleanup.PanicError
			require.ErrorAs(t, errs[0], &pe)
			requireAllFree(t, l, 1, "after Wait")
		})
	})

	t.Run("the permits of leaked tasks are kept until they return", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := task.NewLimiter(2)
			g, _ := task.WithContext(context.Background())
			g.SetLimiter(l)
			g.SetGrace(time.Second)
			release := make(chan struct{})
			g.GoNamed("stuck", func(context.Context) error { <-release; return nil })
			synctest.Wait()
			g.Stop()
			var leak *task.LeakError
			require.ErrorAs(t, g.Wait(), &leak)
			require.False(t, l.TryAcquire(2), "TryAcquire(2) = true while the leaked task holds a permit")
			close(release)
			synctest.Wait()
			requireAllFree(t, l, 2, "once the leaked task returned")
		})
	})

	t.Run("the limiter may change between rounds, and nil removes it", func(t *testing.T) {
		l1, l2 := task.NewLimiter(1), task.NewLimiter(1)
		var g task.Group
		g.SetLimiter(l1)
		release, started := make(chan struct{}), make(chan struct{})
		g.Go(func() error { close(started); <-release; return nil })
		require.PanicsWithValue(t, "task: SetLimiter called while 1 tasks of the group are active", func() { g.SetLimiter(l2) })
		<-started
		require.False(t, l1.TryAcquire(1), "the running task does not hold l1's permit")
		close(release)
		require.NoError(t, g.Wait())
		g.SetLimiter(l2)
		g.Go(func() error { return nil })
		require.NoError(t, g.Wait())
		g.SetLimiter(nil)
		require.True(t, l2.TryAcquire(1))
		g.Go(func() error { return nil }) // no limiter: runs although l2 is held
		require.NoError(t, g.Wait())
		l2.Release(1)
		requireAllFree(t, l1, 1, "after the rounds")
	})

	t.Run("Results forwards SetLimiter", func(t *testing.T) {
		l := task.NewLimiter(1)
		var r task.Results[int]
		r.SetLimiter(l)
		var p peak
		for i := range 20 {
			r.Go(func(context.Context) (int, error) { p.enter(); runtime.Gosched(); p.leave(); return i, nil })
		}
		got, err := r.Wait()
		require.NoError(t, err)
		require.Len(t, got, 20)
		require.EqualValues(t, 1, p.most.Load(), "Results tasks at once under a limiter of 1")
		requireAllFree(t, l, 1, "after Wait")
	})
}

func TestWithLimiter(t *testing.T) {
	t.Run("Map, ForEach and a group sharing a limiter run at most its size at once", func(t *testing.T) {
		const size = 3
		l := task.NewLimiter(size)
		var all peak
		work := func() { all.enter(); runtime.Gosched(); all.leave() }
		in := make([]int, 200)
		var wg sync.WaitGroup
		wg.Go(func() {
			out, err := task.MapWithLimiter(context.Background(), in, -1, l, func(_ context.Context, v int) (int, error) { work(); return v + 1, nil })
			require.NoError(t, err)
			require.Len(t, out, len(in))
		})
		wg.Go(func() {
			err := task.ForEachWithLimiter(context.Background(), in, 2, l, func(context.Context, int) error { work(); return nil })
			require.NoError(t, err)
		})
		wg.Go(func() {
			var g task.Group
			g.SetLimiter(l)
			for range 200 {
				g.Go(func() error { work(); return nil })
			}
			require.NoError(t, g.Wait())
		})
		wg.Wait()
		require.LessOrEqual(t, all.most.Load(), int32(size), "calls at once across Map, ForEach and a group")
		requireAllFree(t, l, size, "after all returned")
	})

	t.Run("no more goroutines than the limiter's size", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := task.NewLimiter(2)
			var most atomic.Int64
			err := task.ForEachWithLimiter(context.Background(), make([]int, 50), -1, l, func(context.Context, int) error {
				n := int64(countMapWorkers())
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				return nil
			})
			require.NoError(t, err)
			require.LessOrEqual(t, most.Load(), int64(2), "goroutines of ForEachWithLimiter(50 elements, no limit, limiter of 2)")
			require.Positive(t, most.Load(), "countMapWorkers found no goroutine running f")
		})
	})

	t.Run("a call waiting for a permit gives up when the context is done", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := task.NewLimiter(1)
			require.True(t, l.TryAcquire(1)) // held elsewhere
			ctx, cancel := context.WithCancelCause(context.Background())
			var calls atomic.Int32
			done := make(chan error)
			go func() {
				_, err := task.MapWithLimiter(ctx, []int{1, 2, 3}, 2, l, func(context.Context, int) (int, error) {
					calls.Add(1)
					return 0, nil
				})
				done <- err
			}()
			synctest.Wait()
			cancel(errDoom)
			err := <-done
			require.Same(t, errDoom, err, "MapWithLimiter() = %v; want the context's cause %v", err, errDoom)
			require.Zero(t, calls.Load(), "calls made without a permit")
			l.Release(1)
			requireAllFree(t, l, 1, "after MapWithLimiter returned")
		})
	})

	t.Run("errors, Goexit and a size of zero", func(t *testing.T) {
		l := task.NewLimiter(2)
		err := task.ForEachWithLimiter(context.Background(), []int{1, 2, 3, 4}, 1, l, func(_ context.Context, v int) error {
			if v == 2 {
				return errDoom
			}
			return nil
		})
		require.Same(t, errDoom, err, "ForEachWithLimiter() = %v; want %v", err, errDoom)
		_, err = task.MapWithLimiter(context.Background(), []int{1, 2}, -1, l, func(_ context.Context, v int) (int, error) {
			if v == 2 {
				runtime.Goexit()
			}
			return v, nil
		})
		require.ErrorIs(t, err, cleanup.ErrGoexit)
		requireAllFree(t, l, 2, "after an error and a Goexit")

		zero := task.NewLimiter(0)
		require.PanicsWithValue(t, "task: MapWithLimiter with a limiter that has no permit: no element can ever start", func() {
			_, _ = task.MapWithLimiter(context.Background(), []int(nil), 1, zero, func(context.Context, int) (int, error) { return 0, nil })
		})
		require.PanicsWithValue(t, "task: ForEachWithLimiter with a limit of 0: no element can ever start", func() {
			_ = task.ForEachWithLimiter(context.Background(), []int{1}, 0, l, func(context.Context, int) error { return nil })
		})
		out, err := task.MapWithLimiter(context.Background(), []int{1, 2}, 1, nil, func(_ context.Context, v int) (int, error) { return v * 2, nil })
		require.NoError(t, err)
		require.Equal(t, []int{2, 4}, out, "MapWithLimiter with a nil limiter")
	})
}

func TestSharedLimiterProperties(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 100
	properties := gopter.NewProperties(params)

	properties.Property("groups, maps and loops sharing a limiter respect it and give every permit back", prop.ForAll(
		func(size int64, owns []int, tasks int, cancelAt int) string {
			l := task.NewLimiter(size)
			var all peak
			var wg sync.WaitGroup
			parent, cancel := context.WithCancel(context.Background())
			defer cancel()
			var msg atomic.Value
			for gi, own := range owns {
				wg.Go(func() {
					g, ctx := task.WithContext(parent)
					g.SetLimit(own)
					g.SetLimiter(l)
					var mine peak
					for i := range tasks {
						if gi == 0 && i == cancelAt {
							cancel()
						}
						body := func() { all.enter(); mine.enter(); runtime.Gosched(); mine.leave(); all.leave() }
						switch i % 3 {
						case 0:
							g.Go(func() error { body(); return nil })
						case 1:
							g.GoContext(func(context.Context) error { body(); return nil })
						case 2:
							g.TryGo(func() error { body(); return nil })
						}
					}
					_ = g.Wait()
					_ = task.ForEachWithLimiter(ctx, make([]int, tasks), own, l, func(context.Context, int) error {
						body := func() { all.enter(); runtime.Gosched(); all.leave() }
						body()
						return nil
					})
					if own > 0 && mine.most.Load() > int32(own) {
						msg.Store(fmt.Sprintf("group %d ran %d tasks at once; own limit %d", gi, mine.most.Load(), own))
					}
				})
			}
			wg.Wait()
			if m, ok := msg.Load().(string); ok {
				return m
			}
			if all.most.Load() > int32(size) {
				return fmt.Sprintf("%d tasks at once under a limiter of %d", all.most.Load(), size)
			}
			if !l.TryAcquire(size) {
				return fmt.Sprintf("TryAcquire(%d) = false after every Wait: a permit was not given back", size)
			}
			return ""
		},
		gen.Int64Range(1, 4),
		gen.SliceOfN(4, gen.OneConstOf(-1, 1, 2, 3)),
		gen.IntRange(1, 30),
		gen.IntRange(0, 40),
	))
	properties.TestingRun(t)
}

// BenchmarkSharedLimiter backs running the tasks of a group with a limiter
// and no limit on reused workers that wait for the permits ("workers"),
// against what the group did before, and what the errgroup idiom does:
// take the permit in Go, then start a goroutine per task ("goroutines").
// BenchmarkGroupSharedLimit's load: 16 groups of 1,000 no-op tasks sharing
// a limiter of 8.
func BenchmarkSharedLimiter(b *testing.B) {
	const groups, tasks, size = 16, 1000, 8
	noop := func() error { return nil }
	b.Run("workers", func(b *testing.B) {
		b.ReportAllocs()
		l := task.NewLimiter(size)
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
	b.Run("goroutines", func(b *testing.B) {
		b.ReportAllocs()
		l := task.NewLimiter(size)
		ctx := context.Background()
		for b.Loop() {
			var wg sync.WaitGroup
			for range groups {
				wg.Go(func() {
					var g task.Group
					for range tasks {
						if err := l.Acquire(ctx, 1); err != nil {
							b.Errorf("Acquire() = %v; want nil", err)
							break
						}
						g.Go(func() error {
							defer l.Release(1)
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
