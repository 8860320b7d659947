package task_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/boundgo/bound/cleanup"
	"github.com/boundgo/bound/task"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

var errDoom = errors.New("task_test: doomed")

func TestGroup(t *testing.T) {
	t.Run("the zero group runs every task and returns the error value itself", func(t *testing.T) {
		var g task.Group
		var ran atomic.Int32
		for i := range 10 {
			g.Go(func() error {
				ran.Add(1)
				if i == 3 {
					return errDoom
				}
				return nil
			})
		}
		err := g.Wait()
		require.Same(t, errDoom, err, "Wait() = %v; want errDoom itself", err)
		require.EqualValues(t, 10, ran.Load())
	})

	t.Run("wait cancels the context with context.Canceled when nothing failed", func(t *testing.T) {
		g, ctx := task.WithContext(context.Background())
		g.Go(func() error { return nil })
		require.NoError(t, g.Wait())
		require.ErrorIs(t, ctx.Err(), context.Canceled)
		require.Same(t, context.Canceled, context.Cause(ctx), "Cause = %v; want context.Canceled", context.Cause(ctx))
	})

	t.Run("the first error cancels the context with itself as cause", func(t *testing.T) {
		g, ctx := task.WithContext(context.Background())
		g.Go(func() error { return errDoom })
		g.Go(func() error { <-ctx.Done(); return ctx.Err() })
		err := g.Wait()
		require.Same(t, errDoom, err, "Wait() = %v; want %v", err, errDoom)
		require.Same(t, errDoom, context.Cause(ctx), "Cause(ctx) = %v; want %v", context.Cause(ctx), errDoom)
	})

	t.Run("a group may be used again after wait", func(t *testing.T) {
		var g task.Group
		g.SetLimit(2)
		for range 3 {
			var n atomic.Int32
			for range 10 {
				g.Go(func() error { n.Add(1); return nil })
			}
			require.NoError(t, g.Wait())
			require.EqualValues(t, 10, n.Load())
		}
		g.SetLimit(-1)
		g.Go(func() error { return nil })
		require.NoError(t, g.Wait())
	})

	t.Run("a nil function panics at the call site", func(t *testing.T) {
		var g task.Group
		require.PanicsWithValue(t, "task: nil function passed to Go", func() { g.Go(nil) })
		require.PanicsWithValue(t, "task: nil function passed to TryGo", func() { g.TryGo(nil) })
		require.PanicsWithValue(t, "task: nil function passed to GoContext", func() { g.GoContext(nil) })
		require.PanicsWithValue(t, "task: nil function passed to TryGoContext", func() { g.TryGoContext(nil) })
		require.PanicsWithValue(t, "task: nil function passed to GoNamed", func() { g.GoNamed("x", nil) })
		require.NoError(t, g.Wait())
	})

	t.Run("changing the limit while tasks are active panics", func(t *testing.T) {
		var g task.Group
		g.SetLimit(2)
		release := make(chan struct{})
		g.Go(func() error { <-release; return nil })
		require.PanicsWithError(t, "task: modify limit while 1 tasks in the group are still active", func() { g.SetLimit(3) })
		close(release)
		require.NoError(t, g.Wait())
		g.SetLimit(3)
	})

	t.Run("the limit may change between tasks once the workers are idle", func(t *testing.T) {
		var g task.Group
		g.SetLimit(1)
		done := make(chan struct{})
		g.Go(func() error { close(done); return nil })
		<-done
		require.Eventually(t, func() bool {
			return !panics(func() { g.SetLimit(4) })
		}, time.Second, time.Millisecond)
		require.NoError(t, g.Wait())
	})

	t.Run("options may be set again between rounds", func(t *testing.T) {
		var g task.Group
		g.Go(func() error { return nil })
		require.NoError(t, g.Wait())
		g.SetName("second")
		g.SetErrorPolicy(task.AllErrors)
		g.CapturePanics()
		g.SetGrace(time.Second)
		g.SetLimit(2)
		g.GoNamed("a", func(ctx context.Context) error {
			name, _ := pprof.Label(ctx, "group")
			if name != "second" {
				return fmt.Errorf("pprof label group = %q; want %q", name, "second")
			}
			panic("captured")
		})
		err := g.Wait()
		var pe *cleanup.PanicError
		require.ErrorAs(t, err, &pe, "Wait() = %v; want the captured panic", err)
	})

	t.Run("every setter panics while a task is active, with or without a limit", func(t *testing.T) {
		for _, limit := range []int{-1, 3} {
			var g task.Group
			g.SetLimit(limit)
			release := make(chan struct{})
			g.Go(func() error { <-release; return nil })
			want := func(method string) string {
				return "task: " + method + " called while 1 tasks of the group are active"
			}
			require.PanicsWithValue(t, want("SetName"), func() { g.SetName("x") }, "limit %d", limit)
			require.PanicsWithValue(t, want("SetErrorPolicy"), func() { g.SetErrorPolicy(task.AllErrors) }, "limit %d", limit)
			require.PanicsWithValue(t, want("CapturePanics"), g.CapturePanics, "limit %d", limit)
			require.PanicsWithValue(t, want("SetGrace"), func() { g.SetGrace(time.Second) }, "limit %d", limit)
			require.PanicsWithError(t, "task: modify limit while 1 tasks in the group are still active", func() { g.SetLimit(5) }, "limit %d", limit)
			close(release)
			require.NoError(t, g.Wait())
			g.SetName("after wait")
			g.SetLimit(5)
		}
	})

	t.Run("an unknown error policy panics", func(t *testing.T) {
		var g task.Group
		require.PanicsWithValue(t, "task: SetErrorPolicy called with an unknown ErrorPolicy 42", func() { g.SetErrorPolicy(task.ErrorPolicy(42)) })
		require.PanicsWithValue(t, "task: SetErrorPolicy called with an unknown ErrorPolicy -1", func() { g.SetErrorPolicy(task.ErrorPolicy(-1)) })
	})
}

func panics(f func()) (p bool) {
	defer func() { p = recover() != nil }()
	f()
	return false
}

func TestGoContext(t *testing.T) {
	t.Run("the function receives the group's context", func(t *testing.T) {
		g, ctx := task.WithContext(context.Background())
		g.GoContext(func(got context.Context) error {
			if got != ctx {
				return errors.New("GoContext handed another context")
			}
			return nil
		})
		require.NoError(t, g.Wait())
	})

	t.Run("the zero group hands context.Background", func(t *testing.T) {
		var g task.Group
		g.GoContext(func(ctx context.Context) error {
			if ctx != context.Background() {
				return errors.New("not Background")
			}
			return nil
		})
		require.NoError(t, g.Wait())
	})

	t.Run("no function starts once the context is done and wait reports the cause", func(t *testing.T) {
		parent, cancel := context.WithCancelCause(context.Background())
		g, _ := task.WithContext(parent)
		cancel(errDoom)
		ran := false
		g.GoContext(func(context.Context) error { ran = true; return nil })
		require.False(t, g.TryGoContext(func(context.Context) error { ran = true; return nil }))
		g.GoNamed("x", func(context.Context) error { ran = true; return nil })
		err := g.Wait()
		require.Same(t, errDoom, err, "Wait() = %v; want %v", err, errDoom)
		require.False(t, ran)
	})

	t.Run("a start blocked behind a failing task never runs its function", func(t *testing.T) {
		// The only slot frees after the failure has cancelled the context,
		// so GoContext either gives up waiting or is handed a slot and then
		// skips: f never runs, whatever the timing.
		for range 100 {
			g, _ := task.WithContext(context.Background())
			g.SetLimit(1)
			g.Go(func() error { return errDoom }) // cancels the context
			var ran atomic.Bool
			g.GoContext(func(context.Context) error { ran.Store(true); return nil })
			err := g.Wait()
			require.Same(t, errDoom, err, "Wait() = %v; want %v", err, errDoom)
			require.False(t, ran.Load(), "GoContext ran its function after the only slot's task failed")
		}
	})

	t.Run("a blocked GoContext gives up when the context is done", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			parent, cancel := context.WithCancelCause(context.Background())
			g, _ := task.WithContext(parent)
			g.SetLimit(1)
			release := make(chan struct{})
			g.Go(func() error { <-release; return nil })
			returned := make(chan struct{})
			ran := false
			go func() {
				defer close(returned)
				g.GoContext(func(context.Context) error { ran = true; return nil })
			}()
			synctest.Wait() // GoContext is blocked on the limit
			cancel(errDoom)
			<-returned
			close(release)
			err := g.Wait()
			require.Same(t, errDoom, err, "Wait() = %v; want %v", err, errDoom)
			require.False(t, ran, "GoContext ran its function after the context was done")
		})
	})

	t.Run("the errgroup forms still run every function after the context is done", func(t *testing.T) {
		for _, limit := range []int{-1, 2} {
			g, ctx := task.WithContext(context.Background())
			g.SetLimit(limit)
			g.Go(func() error { return errDoom })
			<-ctx.Done()
			err := g.Wait() // frees the slot; the error stays
			require.Same(t, errDoom, err, "Wait() = %v; want %v", err, errDoom)
			var ran atomic.Int32
			g.Go(func() error { ran.Add(1); return nil })
			require.True(t, g.TryGo(func() error { ran.Add(1); return nil }), "TryGo() = false after the context was done; want true (limit %d)", limit)
			err = g.Wait()
			require.Same(t, errDoom, err, "Wait() = %v; want %v", err, errDoom)
			require.EqualValues(t, 2, ran.Load(), "functions run after the context was done (limit %d)", limit)
		}
	})
}

func TestWorkers(t *testing.T) {
	t.Run("never more than the limit run at once", func(t *testing.T) {
		const limit = 3
		var g task.Group
		g.SetLimit(limit)
		var active, peak atomic.Int32
		for range 200 {
			g.Go(func() error {
				n := active.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				runtime.Gosched()
				active.Add(-1)
				return nil
			})
		}
		require.NoError(t, g.Wait())
		require.LessOrEqual(t, peak.Load(), int32(limit))
	})

	t.Run("a task that calls Goexit does not poison the next one", func(t *testing.T) {
		var g task.Group
		g.SetLimit(1)
		var ran atomic.Int32
		g.Go(func() error { runtime.Goexit(); return nil })
		for range 5 {
			g.Go(func() error { ran.Add(1); return nil })
		}
		require.NoError(t, g.Wait())
		require.EqualValues(t, 5, ran.Load())
	})

	t.Run("per-task pprof labels do not leak into the next task", func(t *testing.T) {
		var g task.Group
		g.SetLimit(1)
		var first, later atomic.Value
		g.GoNamed("first", func(ctx context.Context) error {
			pprof.SetGoroutineLabels(pprof.WithLabels(ctx, pprof.Labels("mine", "x")))
			first.Store(probeLabels())
			return nil
		})
		for range 3 {
			g.Go(func() error { later.Store(probeLabels()); return nil })
		}
		require.NoError(t, g.Wait())
		require.Contains(t, first.Load(), `"mine":"x"`, "the first task's own labels are in the profile")
		require.Contains(t, first.Load(), `"task":"first"`)
		require.Equal(t, "", later.Load(), "a later task on the same worker saw labels")
	})

	t.Run("named tasks carry group and task labels", func(t *testing.T) {
		var g task.Group
		g.SetName("fetchers")
		g.SetLimit(2)
		var got atomic.Value
		g.GoNamed("fetch", func(ctx context.Context) error {
			group, _ := pprof.Label(ctx, "group")
			name, _ := pprof.Label(ctx, "task")
			got.Store(group + "/" + name)
			return nil
		})
		require.NoError(t, g.Wait())
		require.Equal(t, "fetchers/fetch", got.Load())
	})

	t.Run("a group dropped without wait lets its workers exit once collected", func(t *testing.T) {
		others := goleak.IgnoreCurrent()
		func() {
			g := new(task.Group)
			g.SetLimit(2)
			done := make(chan struct{}, 2)
			for range 2 {
				g.Go(func() error { done <- struct{}{}; return nil })
			}
			<-done
			<-done
			// The early return of errgroup code that forgets Wait.
			//boundvet:ignore nowait the test drops the group on purpose: its parked workers must exit once it is collected
		}()
		require.Eventually(t, func() bool {
			runtime.GC()
			return goleak.Find(others) == nil
		}, 5*time.Second, 10*time.Millisecond, "parked workers of an unreachable group did not exit")
	})

	t.Run("no worker remains after wait", func(t *testing.T) {
		others := goleak.IgnoreCurrent()
		var g task.Group
		g.SetLimit(4)
		for range 100 {
			g.Go(func() error { return nil })
		}
		require.NoError(t, g.Wait())
		// A retired worker may still be returning from its last deferred
		// call; goleak retries until it is gone.
		goleak.VerifyNone(t, others)
	})

	t.Run("tasks may start tasks while wait waits", func(t *testing.T) {
		var g task.Group
		g.SetLimit(2)
		var ran atomic.Int32
		var spawn func(depth int) func() error
		spawn = func(depth int) func() error {
			return func() error {
				ran.Add(1)
				if depth < 6 {
					// TryGo: a blocking Go from every task could fill the
					// limit with tasks that wait for each other.
					for range 2 {
						if !g.TryGo(spawn(depth + 1)) {
							ran.Add(int32(1<<(6-depth) - 1))
						}
					}
				}
				return nil
			}
		}
		g.Go(spawn(0))
		require.NoError(t, g.Wait())
		require.EqualValues(t, 1<<7-1, ran.Load(), "tasks run or accounted for")
	})

	t.Run("every blocked Go starts once slots free up", func(t *testing.T) {
		const limit, blocked = 2, 20
		var g task.Group
		g.SetLimit(limit)
		hold := make(chan struct{})
		for range limit {
			g.Go(func() error { <-hold; return nil })
		}
		var ran atomic.Int32
		var callers sync.WaitGroup
		for range blocked {
			callers.Go(func() {
				g.Go(func() error { ran.Add(1); return nil })
			})
		}
		close(hold)
		callers.Wait()
		require.NoError(t, g.Wait())
		require.EqualValues(t, blocked, ran.Load())
	})

	t.Run("never more workers than the limit exist", func(t *testing.T) {
		const limit = 3
		var g task.Group
		g.SetLimit(limit)
		var peak atomic.Int32
		for i := range 2000 {
			g.Go(func() error {
				if i%20 == 0 {
					n := int32(countWorkers())
					for {
						p := peak.Load()
						if n <= p || peak.CompareAndSwap(p, n) {
							break
						}
					}
				}
				return nil
			})
		}
		require.NoError(t, g.Wait())
		require.LessOrEqual(t, peak.Load(), int32(limit), "workers seen by a task")
		require.Positive(t, peak.Load(), "countWorkers() found no worker running the task")
	})
}

// countWorkers returns how many goroutines are pool workers.
func countWorkers() int {
	var b strings.Builder
	_ = pprof.Lookup("goroutine").WriteTo(&b, 2)
	return strings.Count(b.String(), "task.(*pool).work(")
}

// probeLabels returns the pprof labels of the calling goroutine as a
// goroutine profile shows them ("" if none).
//
//go:noinline
func probeLabels() string {
	var b strings.Builder
	_ = pprof.Lookup("goroutine").WriteTo(&b, 1)
	for _, rec := range strings.Split(b.String(), "\n\n") {
		if !strings.Contains(rec, "task_test.probeLabels") {
			continue
		}
		for _, line := range strings.Split(rec, "\n") {
			if l, ok := strings.CutPrefix(line, "# labels: "); ok {
				return l
			}
		}
		return ""
	}
	return "probe not found"
}

func TestCapturePanics(t *testing.T) {
	t.Run("a panic becomes a PanicError with value and stack and cancels the siblings", func(t *testing.T) {
		g, ctx := task.WithContext(context.Background())
		g.CapturePanics()
		g.Go(func() error { <-ctx.Done(); return nil })
		g.Go(func() error { panic("boom") })
		err := g.Wait()
		var pe *cleanup.PanicError
		require.ErrorAs(t, err, &pe)
		require.Equal(t, "boom", pe.Value)
		require.Contains(t, string(pe.Stack), "group_test.go")
		require.Contains(t, err.Error(), "panic: boom")
	})

	t.Run("Goexit in a task is reported, not lost", func(t *testing.T) {
		var g task.Group
		g.CapturePanics()
		g.SetLimit(1)
		g.Go(func() error { runtime.Goexit(); return nil })
		var ran atomic.Bool
		g.Go(func() error { ran.Store(true); return nil })
		err := g.Wait()
		require.ErrorIs(t, err, cleanup.ErrGoexit)
		require.True(t, ran.Load())
	})

	t.Run("a start that gives up after a captured panic reports the panic once", func(t *testing.T) {
		for _, policy := range []task.ErrorPolicy{task.AllErrors, task.FirstSuccess} {
			synctest.Test(t, func(t *testing.T) {
				g, _ := task.WithContext(context.Background())
				g.SetLimit(1)
				g.CapturePanics()
				g.SetErrorPolicy(policy)
				release := make(chan struct{})
				g.Go(func() error { <-release; panic("boom") })
				returned := make(chan struct{})
				go func() {
					defer close(returned)
					g.GoContext(func(context.Context) error { return nil })
				}()
				synctest.Wait() // GoContext waits for the slot
				close(release)  // the panic cancels the context: GoContext gives up
				<-returned
				err := g.Wait()
				errs := err.(interface{ Unwrap() []error }).Unwrap()
				require.Len(t, errs, 1, "policy %d: Wait() = %v; want the captured panic once", policy, err)
			})
		}
	})

	t.Run("a recovered panic leaves the worker usable", func(t *testing.T) {
		var g task.Group
		g.CapturePanics()
		g.SetErrorPolicy(task.AllErrors)
		g.SetLimit(1)
		for range 3 {
			g.Go(func() error { panic(errDoom) })
		}
		err := g.Wait()
		require.ErrorIs(t, err, errDoom)
		var pe *cleanup.PanicError
		require.ErrorAs(t, err, &pe)
	})
}

func TestPolicies(t *testing.T) {
	t.Run("all errors are joined and each is matchable", func(t *testing.T) {
		errA, errB := errors.New("a"), errors.New("b")
		g, ctx := task.WithContext(context.Background())
		g.SetErrorPolicy(task.AllErrors)
		g.Go(func() error { return errA })
		g.Go(func() error { return errB })
		g.Go(func() error { return nil })
		err := g.Wait()
		require.ErrorIs(t, err, errA)
		require.ErrorIs(t, err, errB)
		require.ErrorIs(t, ctx.Err(), context.Canceled)
	})

	t.Run("an error does not cancel the others when collecting all", func(t *testing.T) {
		g, ctx := task.WithContext(context.Background())
		g.SetErrorPolicy(task.AllErrors)
		g.SetLimit(1)
		g.Go(func() error { return errDoom })
		g.Go(func() error { return ctx.Err() })
		err := g.Wait()
		require.ErrorIs(t, err, errDoom)
		require.NotErrorIs(t, err, context.Canceled)
	})

	t.Run("the first success wins and cancels the rest", func(t *testing.T) {
		g, ctx := task.WithContext(context.Background())
		g.SetErrorPolicy(task.FirstSuccess)
		g.GoContext(func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
		g.GoContext(func(context.Context) error { return nil })
		require.NoError(t, g.Wait())
		require.Error(t, ctx.Err())
	})

	t.Run("if every task fails, first success returns every error joined", func(t *testing.T) {
		errA, errB := errors.New("a"), errors.New("b")
		g, _ := task.WithContext(context.Background())
		g.SetErrorPolicy(task.FirstSuccess)
		g.Go(func() error { return errA })
		g.Go(func() error { return errB })
		err := g.Wait()
		require.ErrorIs(t, err, errA)
		require.ErrorIs(t, err, errB)
	})

	t.Run("a skipped start is reported once under AllErrors", func(t *testing.T) {
		parent, cancel := context.WithCancel(context.Background())
		cancel()
		g, _ := task.WithContext(parent)
		g.SetErrorPolicy(task.AllErrors)
		g.GoContext(func(context.Context) error { return nil })
		g.GoContext(func(context.Context) error { return nil })
		err := g.Wait()
		require.Equal(t, context.Canceled.Error(), err.Error())
	})

	t.Run("fail fast cancels at the first error and still returns every real error", func(t *testing.T) {
		for _, limit := range []int{-1, 3} {
			synctest.Test(t, func(t *testing.T) {
				errLate := errors.New("late")
				g, ctx := task.WithContext(context.Background())
				g.SetErrorPolicy(task.AllErrorsFailFast)
				g.SetLimit(limit)
				g.GoContext(func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
				g.GoContext(func(ctx context.Context) error { <-ctx.Done(); return context.Cause(ctx) })
				g.GoContext(func(ctx context.Context) error { time.Sleep(time.Second); return errDoom })
				g.Go(func() error { <-ctx.Done(); return fmt.Errorf("wrapped: %w", ctx.Err()) })
				g.Go(func() error { <-ctx.Done(); time.Sleep(time.Second); return errLate })
				err := g.Wait()
				require.Same(t, errDoom, context.Cause(ctx), "Cause(ctx) = %v; want the first error", context.Cause(ctx))
				require.ErrorIs(t, err, errDoom)
				require.ErrorIs(t, err, errLate)
				require.NotErrorIs(t, err, context.Canceled, "Wait() = %v collects the echo of its own cancellation", err)
				require.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), 2, "Wait() = %v; want errDoom and errLate", err)
			})
		}
	})

	t.Run("fail fast skips report the first error once", func(t *testing.T) {
		g, ctx := task.WithContext(context.Background())
		g.SetErrorPolicy(task.AllErrorsFailFast)
		g.Go(func() error { return errDoom })
		<-ctx.Done()
		g.GoContext(func(context.Context) error { return nil }) // skipped: the cause is errDoom
		err := g.Wait()
		require.Equal(t, errDoom.Error(), err.Error(), "Wait() = %v; want errDoom alone", err)
	})

	t.Run("fail fast collects everything once the parent was done first", func(t *testing.T) {
		parent, cancel := context.WithCancelCause(context.Background())
		g, _ := task.WithContext(parent)
		g.SetErrorPolicy(task.AllErrorsFailFast)
		started := make(chan struct{}, 2)
		for range 2 {
			g.GoContext(func(ctx context.Context) error { started <- struct{}{}; <-ctx.Done(); return ctx.Err() })
		}
		<-started
		<-started
		cancel(errDoom)
		err := g.Wait()
		require.ErrorIs(t, err, context.Canceled)
		require.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), 2, "Wait() = %v; want both tasks' errors", err)
	})

	t.Run("fail fast captures a panic, cancels with it and keeps later errors", func(t *testing.T) {
		g, ctx := task.WithContext(context.Background())
		g.SetErrorPolicy(task.AllErrorsFailFast)
		g.CapturePanics()
		g.Go(func() error { panic("boom") })
		g.Go(func() error { <-ctx.Done(); return errDoom })
		g.Go(func() error { <-ctx.Done(); return ctx.Err() })
		err := g.Wait()
		var pe *cleanup.PanicError
		require.ErrorAs(t, err, &pe, "Wait() = %v; want the captured panic", err)
		require.ErrorIs(t, err, errDoom)
		require.NotErrorIs(t, err, context.Canceled, "Wait() = %v collects the echo of its own cancellation", err)
	})

	t.Run("fail fast without a context collects every error", func(t *testing.T) {
		var g task.Group
		g.SetErrorPolicy(task.AllErrorsFailFast)
		g.Go(func() error { return errDoom })
		g.Go(func() error { return context.Canceled })
		err := g.Wait()
		require.ErrorIs(t, err, errDoom)
		require.ErrorIs(t, err, context.Canceled)
	})

	t.Run("fail fast compares errors of incomparable types without panicking", func(t *testing.T) {
		g, _ := task.WithContext(context.Background())
		g.SetErrorPolicy(task.AllErrorsFailFast)
		g.Go(func() error { return incomparableError{[]string{"a"}} })
		g.Go(func() error { return incomparableError{[]string{"b"}} })
		err := g.Wait()
		require.Error(t, err)
	})
}

// incomparableError is an error type whose values == cannot compare.
type incomparableError struct{ why []string }

func (e incomparableError) Error() string { return strings.Join(e.why, ", ") }
