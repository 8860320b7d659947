package task_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

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
		require.True(t, err == errDoom, "Run() = %v; want errDoom", err)
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
			g.SetPolicy(task.AllErrors)
			g.Go(func() error { return errDoom })
			g.Go(func() error { return errDoom })
			return nil
		})
		require.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), 2)
	})
}

func TestStop(t *testing.T) {
	t.Run("stop cancels the context and then waits", func(t *testing.T) {
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
		require.NoError(t, g.Stop())
		require.True(t, stopped.Load())
		require.True(t, context.Cause(ctx) == context.Canceled)
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
				return nil
			})
			return errors.New("early")
		}
		require.Error(t, early())
		require.Zero(t, running.Load())
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
			err := g.Stop()
			require.False(t, ran)
			require.True(t, err == errDoom, "Stop() = %v; want errDoom", err)
		})
	})

	t.Run("stop on the zero group is wait", func(t *testing.T) {
		var g task.Group
		g.Go(func() error { return errDoom })
		require.True(t, g.Stop() == errDoom)
	})
}
