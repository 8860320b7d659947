package task_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
	"weak"

	"github.com/boundgo/bound/cleanup"
	"github.com/boundgo/bound/task"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	t.Run("run returns only after every task has returned", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var done atomic.Int32
			err := task.Run(context.Background(), func(ctx context.Context, g *task.Group) error {
				for i := range 5 {
					g.GoContext(func(ctx context.Context) error {
						time.Sleep(time.Duration(i) * time.Second)
						done.Add(1)
						return nil
					})
				}
				return nil
			})
			require.NoError(t, err)
			require.EqualValues(t, 5, done.Load())
		})
	})

	t.Run("an error from the body cancels the tasks and is returned", func(t *testing.T) {
		err := task.Run(context.Background(), func(ctx context.Context, g *task.Group) error {
			g.GoContext(func(ctx context.Context) error { <-ctx.Done(); return nil })
			return errDoom
		})
		require.Same(t, errDoom, err, "Run() = %v; want errDoom", err)
	})

	t.Run("a panicking body still waits for its tasks", func(t *testing.T) {
		var finished atomic.Bool
		require.PanicsWithValue(t, "body", func() {
			_ = task.Run(context.Background(), func(ctx context.Context, g *task.Group) error {
				started := make(chan struct{})
				g.GoContext(func(ctx context.Context) error {
					close(started)
					<-ctx.Done()
					finished.Store(true)
					return nil
				})
				<-started
				panic("body")
			})
		})
		require.True(t, finished.Load(), "a task was still running when the panic left Run")
	})

	t.Run("the body may set options before starting tasks", func(t *testing.T) {
		err := task.Run(context.Background(), func(ctx context.Context, g *task.Group) error {
			g.SetLimit(2)
			g.SetErrorPolicy(task.AllErrors)
			g.Go(func() error { return errDoom })
			g.Go(func() error { return errDoom })
			return nil
		})
		require.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), 2)
	})
}

func TestStop(t *testing.T) {
	t.Run("stop cancels the context with ErrStopped and then waits", func(t *testing.T) {
		g, ctx := task.WithContext(context.Background())
		var stopped atomic.Bool
		started := make(chan struct{})
		g.GoContext(func(ctx context.Context) error {
			close(started)
			<-ctx.Done()
			stopped.Store(true)
			return nil
		})
		<-started
		g.Stop()
		require.True(t, stopped.Load(), "Stop returned before the task did")
		require.ErrorIs(t, context.Cause(ctx), task.ErrStopped)
		require.ErrorIs(t, context.Cause(ctx), context.Canceled)
		require.ErrorIs(t, task.ErrStopped, context.Canceled)
		require.Same(t, context.Canceled, ctx.Err(), "ctx.Err() = %v; want %v", ctx.Err(), context.Canceled)
		require.NoError(t, g.Wait())
	})

	t.Run("the cancellation stop caused is not an error of the group", func(t *testing.T) {
		returns := map[string]func(ctx context.Context) error{
			"ctx.Err()":          func(ctx context.Context) error { return ctx.Err() },
			"context.Cause(ctx)": func(ctx context.Context) error { return context.Cause(ctx) },
			"a wrapped ctx.Err()": func(ctx context.Context) error {
				return fmt.Errorf("fetch: %w", ctx.Err())
			},
		}
		for name, ret := range returns {
			for _, policy := range []task.ErrorPolicy{task.FirstError, task.AllErrors, task.FirstSuccess} {
				for _, limit := range []int{-1, 2, 4} {
					g, _ := task.WithContext(context.Background())
					g.SetErrorPolicy(policy)
					g.SetLimit(limit)
					started := make(chan struct{}, 1)
					g.GoContext(func(ctx context.Context) error {
						started <- struct{}{}
						<-ctx.Done()
						return ret(ctx)
					})
					g.GoContext(func(ctx context.Context) error { <-ctx.Done(); return ret(ctx) })
					<-started
					g.Stop()
					g.GoContext(func(ctx context.Context) error { return errDoom }) // never runs
					err := g.Wait()
					require.NoError(t, err, "tasks returning %s, policy %d, limit %d: Wait() after Stop = %v; want nil", name, policy, limit, err)
				}
			}
		}
	})

	t.Run("real errors before, during and after stop are reported", func(t *testing.T) {
		t.Run("before", func(t *testing.T) {
			g, ctx := task.WithContext(context.Background())
			g.Go(func() error { return errDoom })
			<-ctx.Done()
			g.Go(func() error { <-ctx.Done(); return ctx.Err() })
			g.Stop()
			err := g.Wait()
			require.Same(t, errDoom, err, "Wait() = %v; want %v", err, errDoom)
		})
		t.Run("during", func(t *testing.T) {
			for _, policy := range []task.ErrorPolicy{task.FirstError, task.AllErrors} {
				g, _ := task.WithContext(context.Background())
				g.SetErrorPolicy(policy)
				g.SetLimit(2)
				var started sync.WaitGroup
				started.Add(2)
				g.GoContext(func(ctx context.Context) error { started.Done(); <-ctx.Done(); return ctx.Err() })
				g.GoContext(func(ctx context.Context) error { started.Done(); <-ctx.Done(); return errDoom })
				started.Wait()
				g.Stop()
				err := g.Wait()
				require.ErrorIs(t, err, errDoom, "policy %d: Wait() = %v; want %v", policy, err, errDoom)
				require.NotErrorIs(t, err, context.Canceled, "policy %d: Wait() = %v reports Stop's cancellation", policy, err)
			}
		})
		t.Run("after", func(t *testing.T) {
			g, _ := task.WithContext(context.Background())
			g.Stop()
			g.Go(func() error { return errDoom }) // errgroup's form runs after the context is done
			err := g.Wait()
			require.Same(t, errDoom, err, "Wait() = %v; want %v", err, errDoom)
		})
		t.Run("a panic after stop is reported even if its value is context.Canceled", func(t *testing.T) {
			g, _ := task.WithContext(context.Background())
			g.CapturePanics()
			started := make(chan struct{})
			g.GoContext(func(ctx context.Context) error { close(started); <-ctx.Done(); panic(ctx.Err()) })
			<-started
			g.Stop()
			err := g.Wait()
			var pe *cleanup.PanicError
			require.ErrorAs(t, err, &pe, "Wait() = %v; want the captured panic", err)
		})
	})

	t.Run("if the parent was done first, wait reports its cause as before", func(t *testing.T) {
		parent, cancel := context.WithCancelCause(context.Background())
		g, _ := task.WithContext(parent)
		started := make(chan struct{})
		g.GoContext(func(ctx context.Context) error { close(started); <-ctx.Done(); return context.Cause(ctx) })
		<-started
		cancel(errDoom)
		g.Stop()
		err := g.Wait()
		require.Same(t, errDoom, err, "Wait() = %v; want the parent's cause %v", err, errDoom)

		parent, cancelPlain := context.WithCancel(context.Background())
		g, _ = task.WithContext(parent)
		cancelPlain()
		g.GoContext(func(context.Context) error { return nil }) // skipped: the parent is done
		g.Stop()
		err = g.Wait()
		require.Same(t, context.Canceled, err, "Wait() = %v; want the parent's cause %v", err, context.Canceled)
	})

	t.Run("a parent cancelled with ErrStopped is not mistaken for stop", func(t *testing.T) {
		parent, cancel := context.WithCancelCause(context.Background())
		g, _ := task.WithContext(parent)
		cancel(task.ErrStopped)
		g.GoContext(func(context.Context) error { return nil })
		g.Stop()
		err := g.Wait()
		require.Same(t, task.ErrStopped, err, "Wait() = %v; want the parent's cause, ErrStopped itself", err)
	})

	t.Run("stop racing the parent's cancellation reports whichever took effect", func(t *testing.T) {
		for i := range 500 {
			parent, cancel := context.WithCancelCause(context.Background())
			g, ctx := task.WithContext(parent)
			g.SetLimit([]int{-1, 3, 4}[i%3])
			for range 3 {
				g.GoContext(func(ctx context.Context) error { <-ctx.Done(); return context.Cause(ctx) })
			}
			var wg sync.WaitGroup
			wg.Go(func() { cancel(errDoom) })
			wg.Go(g.Stop)
			wg.Wait()
			err := g.Wait()
			if cause := context.Cause(ctx); cause == errDoom {
				require.Same(t, errDoom, err, "round %d: the parent's cancellation took effect; Wait() = %v; want %v", i, err, errDoom)
			} else {
				require.ErrorIs(t, cause, task.ErrStopped, "round %d: Cause(ctx) = %v; want errDoom or ErrStopped", i, cause)
				require.NoError(t, err, "round %d: Stop's cancellation took effect; Wait() = %v; want nil", i, err)
			}
		}
	})

	t.Run("a deferred stop ends the tasks of an early return", func(t *testing.T) {
		var running atomic.Int32
		early := func() error {
			g, ctx := task.WithContext(context.Background())
			defer g.Stop()
			g.Go(func() error {
				running.Add(1)
				defer running.Add(-1)
				<-ctx.Done()
				return ctx.Err()
			})
			return errors.New("early")
		}
		require.Error(t, early())
		require.Zero(t, running.Load(), "a task was running after the deferred Stop")
	})

	t.Run("a context-form task waiting for a slot when the context ends never runs", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			parent, cancel := context.WithCancelCause(context.Background())
			g, _ := task.WithContext(parent)
			g.SetLimit(1)
			release := make(chan struct{})
			g.Go(func() error {
				<-release
				cancel(errDoom) // the waiting task is handed over, or gives up, now
				return nil
			})
			ran := false
			returned := make(chan struct{})
			go func() {
				defer close(returned)
				g.GoContext(func(context.Context) error { ran = true; return nil })
			}()
			synctest.Wait()
			close(release)
			<-returned
			g.Stop()
			err := g.Wait()
			require.False(t, ran, "GoContext ran its function after the context was done")
			require.Same(t, errDoom, err, "Wait() = %v; want %v", err, errDoom)
		})
	})

	t.Run("a second stop keeps filtering the cancellation the first caused", func(t *testing.T) {
		g, ctx := task.WithContext(context.Background())
		g.Stop()
		g.Stop()
		g.Go(func() error { return ctx.Err() }) // errgroup's form runs after Stop
		g.Stop()
		require.NoError(t, g.Wait())
	})

	t.Run("a stopped group with a limit is garbage once dropped", func(t *testing.T) {
		var gone weak.Pointer[task.Group]
		var ctx context.Context // outlives the group
		func() {
			var g *task.Group
			g, ctx = task.WithContext(context.Background())
			g.SetLimit(2)
			g.GoContext(func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
			g.Stop()
			gone = weak.Make(g)
		}()
		require.Eventually(t, func() bool {
			runtime.GC()
			return gone.Value() == nil
		}, 5*time.Second, time.Millisecond, "a stopped group is still reachable")
		require.ErrorIs(t, context.Cause(ctx), task.ErrStopped)
	})

	t.Run("stop on the zero group waits, and wait reports the error", func(t *testing.T) {
		var g task.Group
		var done atomic.Bool
		g.Go(func() error { done.Store(true); return errDoom })
		g.Stop()
		require.True(t, done.Load(), "Stop returned before the task did")
		err := g.Wait()
		require.Same(t, errDoom, err, "Wait() = %v; want %v", err, errDoom)
	})
}
