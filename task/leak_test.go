package task_test

import (
	"context"
	"errors"
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
			require.True(t, err == errDoom, "Wait() = %v; want errDoom", err)
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

	t.Run("an unnamed leaked task is reported as unnamed and Stop reports it too", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			g, _ := task.WithContext(context.Background())
			g.SetGrace(time.Minute)
			release := make(chan struct{})
			g.Go(func() error { <-release; return nil })
			err := g.Stop()
			var leak *task.LeakError
			require.True(t, errors.As(err, &leak))
			require.Equal(t, "", leak.Tasks[0].Name)
			require.Contains(t, err.Error(), "(unnamed)")
			close(release)
			synctest.Wait()
		})
	})
}
