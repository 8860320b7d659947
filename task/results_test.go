package task_test

import (
	"context"
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
		require.True(t, err == errDoom)
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
		r.Group().SetPolicy(task.AllErrors)
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
		require.True(t, err == errDoom)
		require.Equal(t, []string{""}, got)
		require.True(t, context.Cause(ctx) == errDoom)
	})

	t.Run("nil functions panic", func(t *testing.T) {
		var r task.Results[int]
		require.PanicsWithValue(t, "task: nil function passed to Results.Go", func() { r.Go(nil) })
		require.PanicsWithValue(t, "task: nil function passed to Results.TryGo", func() { r.TryGo(nil) })
	})
}
