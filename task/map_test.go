package task_test

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/boundgo/bound/cleanup"
	"github.com/boundgo/bound/task"
	"github.com/stretchr/testify/require"
)

func TestMap(t *testing.T) {
	t.Run("results keep the order of the input", func(t *testing.T) {
		in := make([]int, 100)
		for i := range in {
			in[i] = i
		}
		for _, limit := range []int{-1, 1, 3, 1000} {
			out, err := task.Map(context.Background(), in, limit, func(_ context.Context, v int) (string, error) {
				runtime.Gosched()
				return strconv.Itoa(v), nil
			})
			require.NoError(t, err)
			for i, s := range out {
				require.Equal(t, strconv.Itoa(i), s)
			}
		}
	})

	t.Run("scheduling stops after the first error", func(t *testing.T) {
		var calls atomic.Int32
		in := make([]int, 1000)
		out, err := task.Map(context.Background(), in, 1, func(_ context.Context, v int) (int, error) {
			if calls.Add(1) == 3 {
				return 0, errDoom
			}
			return v, nil
		})
		require.Same(t, errDoom, err, "error = %v; want %v", err, errDoom)
		require.Nil(t, out)
		require.EqualValues(t, 3, calls.Load())
	})

	t.Run("a done context starts nothing", func(t *testing.T) {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(errDoom)
		out, err := task.Map(ctx, []int{1}, 1, func(context.Context, int) (int, error) {
			t.Error("f called after the context was done")
			return 0, nil
		})
		require.Same(t, errDoom, err, "error = %v; want %v", err, errDoom)
		require.Nil(t, out)
	})

	t.Run("a context done midway stops and reports its cause", func(t *testing.T) {
		ctx, cancel := context.WithCancelCause(context.Background())
		out, err := task.Map(ctx, make([]int, 100), 1, func(_ context.Context, v int) (int, error) {
			cancel(errDoom)
			return v, nil
		})
		require.True(t, errors.Is(err, errDoom))
		require.Nil(t, out)
	})

	t.Run("an empty input maps to an empty output", func(t *testing.T) {
		out, err := task.Map(context.Background(), []int(nil), 4, func(context.Context, int) (int, error) { return 0, nil })
		require.NoError(t, err)
		require.Empty(t, out)
	})

	t.Run("Goexit in f is reported, not a silent zero value", func(t *testing.T) {
		_, err := task.Map(context.Background(), []int{1, 2}, 1, func(_ context.Context, v int) (int, error) {
			if v == 2 {
				runtime.Goexit()
			}
			return v, nil
		})
		require.ErrorIs(t, err, cleanup.ErrGoexit)
	})
}

// FuzzMap checks, for any input length and limit, that Map returns every
// result in input order and never runs more than the limit at once, and
// that a limit of 0 panics.
func FuzzMap(f *testing.F) {
	f.Add(uint8(10), int8(3))
	f.Add(uint8(0), int8(0))
	f.Add(uint8(1), int8(-1))
	f.Fuzz(func(t *testing.T, n uint8, limit int8) {
		in := make([]int, n)
		for i := range in {
			in[i] = i
		}
		if limit == 0 {
			require.PanicsWithValue(t, "task: Map with a limit of 0: no element can ever start", func() {
				_, _ = task.Map(context.Background(), in, 0, func(_ context.Context, v int) (int, error) { return v, nil })
			})
			return
		}
		var active, peak atomic.Int32
		out, err := task.Map(context.Background(), in, int(limit), func(_ context.Context, v int) (int, error) {
			a := active.Add(1)
			for p := peak.Load(); a > p && !peak.CompareAndSwap(p, a); p = peak.Load() {
			}
			runtime.Gosched()
			active.Add(-1)
			return -v, nil
		})
		require.NoError(t, err, "Map(len %d, limit %d)", n, limit)
		require.Len(t, out, int(n), "Map(len %d, limit %d)", n, limit)
		for i, v := range out {
			require.Equal(t, -i, v, "Map(len %d, limit %d)[%d]", n, limit, i)
		}
		if limit > 0 {
			require.LessOrEqual(t, peak.Load(), int32(limit), "calls at once in Map(len %d, limit %d)", n, limit)
		}
	})
}
