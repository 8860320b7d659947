package task_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/boundgo/bound/task"
	"github.com/stretchr/testify/require"
)

func TestResults(t *testing.T) {
	t.Run("values come back in submission order", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var r task.Results[int]
			r.SetLimit(3)
			for i := range 10 {
				r.Go(func(context.Context) (int, error) {
					time.Sleep(time.Duration(10-i) * time.Second) // finish in reverse
					return i, nil
				})
			}
			got, err := r.Wait()
			require.NoError(t, err)
			require.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, got)
		})
	})

	t.Run("a failed task leaves the zero value and its error", func(t *testing.T) {
		var r task.Results[string] // no context: the failure cancels nothing
		r.Go(func(context.Context) (string, error) { return "a", nil })
		r.Go(func(context.Context) (string, error) { return "b", errDoom })
		got, err := r.Wait()
		require.Same(t, errDoom, err, "error = %v; want %v", err, errDoom)
		require.Equal(t, []string{"a", ""}, got)
	})

	t.Run("a refused TryGo takes no place", func(t *testing.T) {
		var r task.Results[int]
		r.SetLimit(1)
		release := make(chan struct{})
		require.True(t, r.TryGo(func(context.Context) (int, error) { <-release; return 1, nil }))
		require.False(t, r.TryGo(func(context.Context) (int, error) { return 2, nil }))
		close(release)
		got, err := r.Wait()
		require.NoError(t, err)
		require.Equal(t, []int{1}, got)
	})

	t.Run("results may be used again after wait and expose their group", func(t *testing.T) {
		var r task.Results[int]
		r.Group().SetErrorPolicy(task.AllErrors)
		r.Go(func(context.Context) (int, error) { return 1, nil })
		got, _ := r.Wait()
		require.Equal(t, []int{1}, got)
		r.Go(func(context.Context) (int, error) { return 2, nil })
		got, _ = r.Wait()
		require.Equal(t, []int{2}, got)
	})

	t.Run("with a context, a failure cancels the rest", func(t *testing.T) {
		r, ctx := task.ResultsWithContext[string](context.Background())
		r.Go(func(context.Context) (string, error) { return "", errDoom })
		got, err := r.Wait()
		require.Same(t, errDoom, err, "error = %v; want %v", err, errDoom)
		require.Equal(t, []string{""}, got)
		require.Same(t, errDoom, context.Cause(ctx), "Cause(ctx) = %v; want %v", context.Cause(ctx), errDoom)
	})

	t.Run("nil functions panic", func(t *testing.T) {
		var r task.Results[int]
		require.PanicsWithValue(t, "task: nil function passed to Results.Go", func() { r.Go(nil) })
		require.PanicsWithValue(t, "task: nil function passed to Results.TryGo", func() { r.TryGo(nil) })
	})

	t.Run("SetErrorPolicy reaches the group", func(t *testing.T) {
		errA, errB := errors.New("a"), errors.New("b")
		var r task.Results[int]
		r.SetErrorPolicy(task.AllErrors)
		r.Go(func(context.Context) (int, error) { return 0, errA })
		r.Go(func(context.Context) (int, error) { return 2, nil })
		r.Go(func(context.Context) (int, error) { return 0, errB })
		got, err := r.Wait()
		require.ErrorIs(t, err, errA)
		require.ErrorIs(t, err, errB)
		require.Equal(t, []int{0, 2, 0}, got)
	})
}

func TestResultsWaitFirst(t *testing.T) {
	t.Run("the first success wins even when its value is the zero value", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r, _ := task.ResultsWithContext[int](context.Background())
			r.SetErrorPolicy(task.FirstSuccess)
			r.Go(func(ctx context.Context) (int, error) { <-ctx.Done(); return 7, ctx.Err() })
			r.Go(func(context.Context) (int, error) { time.Sleep(2 * time.Second); return 0, nil })
			r.Go(func(context.Context) (int, error) { time.Sleep(time.Second); return 0, errDoom })
			r.Go(func(ctx context.Context) (int, error) {
				select {
				case <-time.After(time.Hour):
					return 9, nil
				case <-ctx.Done():
					return 0, ctx.Err()
				}
			})
			v, i, err := r.WaitFirst()
			require.NoError(t, err, "WaitFirst() error")
			require.Equal(t, 1, i, "WaitFirst() index = %d; want 1", i)
			require.Equal(t, 0, v, "WaitFirst() value = %d; want 0", v)
		})
	})

	t.Run("the winner is the first to return, not the first submitted", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			r, _ := task.ResultsWithContext[string](context.Background())
			r.SetErrorPolicy(task.FirstSuccess)
			for i, d := range []time.Duration{3, 1, 2} {
				r.Go(func(ctx context.Context) (string, error) {
					time.Sleep(d * time.Second)
					return fmt.Sprint("replica ", i), nil
				})
			}
			v, i, err := r.WaitFirst()
			require.NoError(t, err)
			require.Equal(t, 1, i, "WaitFirst() index = %d; want 1", i)
			require.Equal(t, "replica 1", v)
		})
	})

	t.Run("no success: the zero value, -1 and every error", func(t *testing.T) {
		errA := errors.New("a")
		var r task.Results[int]
		r.SetErrorPolicy(task.FirstSuccess)
		r.Go(func(context.Context) (int, error) { return 1, errA })
		r.Go(func(context.Context) (int, error) { return 2, errDoom })
		v, i, err := r.WaitFirst()
		require.Equal(t, -1, i, "WaitFirst() index = %d; want -1", i)
		require.Zero(t, v, "WaitFirst() value")
		require.ErrorIs(t, err, errA)
		require.ErrorIs(t, err, errDoom)
	})

	t.Run("no task: the zero value, -1 and nil", func(t *testing.T) {
		var r task.Results[int]
		v, i, err := r.WaitFirst()
		require.Equal(t, -1, i, "WaitFirst() index = %d; want -1", i)
		require.Zero(t, v)
		require.NoError(t, err)
	})

	t.Run("under FirstError the first success comes with the error", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var r task.Results[int]
			r.Go(func(context.Context) (int, error) { time.Sleep(time.Second); return 0, errDoom })
			r.Go(func(context.Context) (int, error) { return 5, nil })
			v, i, err := r.WaitFirst()
			require.Same(t, errDoom, err, "WaitFirst() error = %v; want %v", err, errDoom)
			require.Equal(t, 1, i, "WaitFirst() index = %d; want 1", i)
			require.Equal(t, 5, v)
		})
	})

	t.Run("WaitFirst empties r, and the value is the winner's under a race", func(t *testing.T) {
		var r task.Results[int]
		r.SetErrorPolicy(task.FirstSuccess)
		r.SetLimit(4)
		for round := range 50 {
			for i := range 20 {
				r.Go(func(context.Context) (int, error) { return 100*round + i, nil })
			}
			v, i, err := r.WaitFirst()
			require.NoError(t, err)
			require.Equal(t, 100*round+i, v, "round %d: WaitFirst() = %d at index %d; want the value of that index", round, v, i)
		}
		_, i, err := r.WaitFirst()
		require.Equal(t, -1, i, "WaitFirst() on an emptied Results: index = %d; want -1", i)
		require.NoError(t, err)
	})
}
