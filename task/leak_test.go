package task_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/boundgo/bound/task"
	"github.com/stretchr/testify/require"
)

func TestGrace(t *testing.T) {
	t.Run("a task that ignores its context is reported by name and stack", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			parent, cancel := context.WithCancel(context.Background())
			g, _ := task.WithContext(parent)
			g.SetName("crawler")
			g.SetGrace(time.Second)
			release := make(chan struct{})
			stuckDone := make(chan struct{})
			g.GoNamed("polite", func(ctx context.Context) error { <-ctx.Done(); return nil })
			g.GoNamed("stuck", func(context.Context) error {
				defer close(stuckDone)
				<-release // ignores ctx: pitfall A4
				return nil
			})
			synctest.Wait()
			start := time.Now()
			cancel()
			err := g.Wait()
			require.Equal(t, time.Second, time.Since(start), "Wait returned after %v; want the grace period", time.Since(start))

			var leak *task.LeakError
			require.ErrorAs(t, err, &leak)
			require.ErrorIs(t, err, context.Canceled)
			require.Equal(t, "crawler", leak.Group)
			require.Len(t, leak.Tasks, 1)
			require.Equal(t, "stuck", leak.Tasks[0].Name)
			require.Contains(t, string(leak.Tasks[0].Stack), "leak_test.go")
			require.Contains(t, err.Error(), `task: 1 task(s) of group "crawler" still running 1s after the context was done`)
			close(release)
			<-stuckDone
		})
	})

	t.Run("tasks that stop within the grace period are not reported", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			g, _ := task.WithContext(context.Background())
			g.SetGrace(time.Second)
			g.GoContext(func(ctx context.Context) error {
				<-ctx.Done()
				time.Sleep(999 * time.Millisecond) // slow to stop, but within grace
				return nil
			})
			g.Go(func() error { return errDoom })
			err := g.Wait()
			require.Same(t, errDoom, err, "Wait() = %v; want errDoom", err)
		})
	})

	t.Run("the grace period starts only once the context is done", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			g, ctx := task.WithContext(context.Background())
			g.SetGrace(time.Second)
			g.SetLimit(2)
			g.Go(func() error { time.Sleep(time.Hour); return nil })
			g.GoContext(func(context.Context) error { time.Sleep(2 * time.Hour); return nil })
			start := time.Now()
			require.NoError(t, g.Wait())
			require.Equal(t, 2*time.Hour, time.Since(start))
			require.Error(t, ctx.Err())
		})
	})

	t.Run("an unnamed leaked task is reported as unnamed, and Wait after Stop reports it", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			g, _ := task.WithContext(context.Background())
			g.SetGrace(time.Minute)
			release := make(chan struct{})
			g.Go(func() error { <-release; return nil })
			g.Stop()
			err := g.Wait()
			var leak *task.LeakError
			require.ErrorAs(t, err, &leak, "Wait() after Stop = %v; want a *LeakError", err)
			require.Equal(t, "", leak.Tasks[0].Name)
			require.Contains(t, err.Error(), "(unnamed)")
			close(release)
			synctest.Wait()
		})
	})

	t.Run("after a leak the group starts nothing and every Wait returns the same error at once", func(t *testing.T) {
		for _, limit := range []int{-1, 2} {
			synctest.Test(t, func(t *testing.T) {
				g, _ := task.WithContext(context.Background())
				g.SetLimit(limit)
				g.SetGrace(time.Second)
				release := make(chan struct{})
				g.GoNamed("stuck", func(context.Context) error { <-release; return nil })
				synctest.Wait() // the stuck task runs
				g.Go(func() error { return errDoom })
				start := time.Now()
				first := g.Wait()
				var leak *task.LeakError
				require.ErrorAs(t, first, &leak, "Wait() = %v; want a *LeakError (limit %d)", first, limit)
				require.Same(t, errDoom, leak.Err, "LeakError.Err = %v; want %v", leak.Err, errDoom)
				require.Equal(t, time.Second, time.Since(start), "the first Wait took %v; want the grace period", time.Since(start))

				ran := false
				g.Go(func() error { ran = true; return nil })
				require.False(t, g.TryGo(func() error { ran = true; return nil }), "TryGo() = true after a leak; want false")
				g.GoContext(func(context.Context) error { ran = true; return nil })
				require.False(t, g.TryGoContext(func(context.Context) error { ran = true; return nil }), "TryGoContext() = true after a leak; want false")

				start = time.Now()
				again := g.Wait()
				require.Same(t, leak, again, "a later Wait() = %v; want the same *LeakError", again)
				require.Zero(t, time.Since(start), "a later Wait waited %v; want no wait", time.Since(start))
				g.Stop()
				require.Zero(t, time.Since(start), "Stop after a leak waited %v; want no wait", time.Since(start))

				close(release) // the leaked task returns; its worker exits
				synctest.Wait()
				require.False(t, ran, "a function started after the leak ran")
				again = g.Wait()
				require.Same(t, leak, again, "Wait() once the leaked task returned = %v; want the same *LeakError", again)
			})
		}
	})

	t.Run("Stop with a grace period reports a stuck task through Wait", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			g, _ := task.WithContext(context.Background())
			g.SetGrace(time.Minute)
			release := make(chan struct{})
			g.GoNamed("stuck", func(context.Context) error { <-release; return nil })
			synctest.Wait() // the task runs
			start := time.Now()
			g.Stop()
			require.Equal(t, time.Minute, time.Since(start), "Stop returned after %v; want the grace period", time.Since(start))
			err := g.Wait()
			var leak *task.LeakError
			require.ErrorAs(t, err, &leak, "Wait() after Stop = %v; want a *LeakError", err)
			require.ErrorIs(t, leak.Err, task.ErrStopped, "LeakError.Err = %v; want the stop cause", leak.Err)
			close(release)
			synctest.Wait()
		})
	})
}
