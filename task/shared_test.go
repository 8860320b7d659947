package task_test

import (
	"context"
	"fmt"
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

	t.Run("a cancelled group's waiting starts return at once without running", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := task.NewLimiter(1)
			var holder task.Group
			holder.SetLimiter(l)
			release := make(chan struct{})
			holder.Go(func() error { <-release; return nil })

			parent, cancel := context.WithCancelCause(context.Background())
			g, _ := task.WithContext(parent)
			g.SetLimiter(l)
			var ran atomic.Int32
			returned := make(chan string, 3)
			go func() { g.Go(func() error { ran.Add(1); return nil }); returned <- "Go" }()
			go func() {
				g.GoContext(func(context.Context) error { ran.Add(1); return nil })
				returned <- "GoContext"
			}()
			go func() {
				g.GoNamed("n", func(context.Context) error { ran.Add(1); return nil })
				returned <- "GoNamed"
			}()
			synctest.Wait() // all three wait for the one permit
			require.Empty(t, returned, "a start returned while the permit was held")
			cancel(errDoom)
			synctest.Wait()
			require.Len(t, returned, 3, "starts still waiting after the group's context was cancelled")
			err := g.Wait()
			require.Same(t, errDoom, err, "Wait() = %v; want the context's cause %v", err, errDoom)
			require.Zero(t, ran.Load(), "functions run after their start gave up")
			close(release)
			require.NoError(t, holder.Wait())
			requireAllFree(t, l, 1, "after both groups' Wait")
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
		release := make(chan struct{})
		g.Go(func() error { <-release; return nil })
		require.PanicsWithValue(t, "task: SetLimiter called while 1 tasks of the group are active", func() { g.SetLimiter(l2) })
		require.False(t, l1.TryAcquire(1), "the task does not hold l1's permit")
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
