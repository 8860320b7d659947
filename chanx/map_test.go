package chanx_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/boundgo/bound/chanx"
	"github.com/boundgo/bound/cleanup"
	"github.com/stretchr/testify/require"
)

// mapFunc is Map or MapUnordered.
type mapFunc func(p *chanx.Pipeline, in <-chan int, workers int, fn func(context.Context, int) (int, error)) <-chan int

var mapFuncs = map[string]mapFunc{
	"Map":          chanx.Map[int, int],
	"MapUnordered": chanx.MapUnordered[int, int],
}

// gate counts the calls of fn running at once and holds each until it is
// opened.
type gate struct {
	running, most atomic.Int64
	open          chan struct{}
}

func newGate() *gate { return &gate{open: make(chan struct{})} }

func (g *gate) fn(ctx context.Context, v int) (int, error) {
	n := g.running.Add(1)
	for m := g.most.Load(); n > m && !g.most.CompareAndSwap(m, n); m = g.most.Load() {
	}
	defer g.running.Add(-1)
	select {
	case <-g.open:
		return v, nil
	case <-ctx.Done():
		return 0, context.Cause(ctx)
	}
}

// counted yields 0..n-1 and counts the values taken from it.
func counted(n int, taken *atomic.Int64) func(context.Context, func(int) bool) error {
	return func(_ context.Context, yield func(int) bool) error {
		for i := range n {
			if !yield(i) {
				return nil
			}
			taken.Add(1)
		}
		return nil
	}
}

func TestMapLimits(t *testing.T) {
	for name, mapf := range mapFuncs {
		for _, tc := range []struct {
			workers, values, want int
		}{
			{1, 20, 1},
			{2, 20, 2},
			{3, 20, 3},
			{8, 20, 8},
			{8, 5, 5},
			{-1, 100, 100},
			{math.MaxInt, 100, 100},
		} {
			t.Run(fmt.Sprintf("%s with a limit of %d over %d values runs %d calls at once, and no more", name, tc.workers, tc.values, tc.want), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					p := chanx.NewPipeline(context.Background())
					g := newGate()
					out := mapf(p, chanx.Source(p, count(tc.values, nil)), tc.workers, g.fn)
					got := make(chan []int)
					go func() { got <- collect(out) }()
					synctest.Wait() // every call that can start has started
					require.Equal(t, int64(tc.want), g.running.Load(),
						"calls running with a limit of %d and %d values", tc.workers, tc.values)
					close(g.open)
					res := <-got
					slices.Sort(res)
					require.Equal(t, seqOf(tc.values), res)
					require.Equal(t, int64(tc.want), g.most.Load(), "most calls at once")
					require.NoError(t, p.Err())
				})
			})
		}
	}

	t.Run("Map reads at most 3n+2 values ahead of a consumer that waits", func(t *testing.T) {
		for _, tc := range []struct{ workers, want int }{{1, 1}, {2, 8}, {3, 11}, {8, 26}} {
			synctest.Test(t, func(t *testing.T) {
				var taken atomic.Int64
				p := chanx.NewPipeline(context.Background())
				out := chanx.Map(p, chanx.Source(p, counted(1000, &taken)), tc.workers, func(_ context.Context, v int) (int, error) {
					return v, nil
				})
				synctest.Wait()
				require.Equal(t, int64(tc.want), taken.Load(), "values taken by Map(%d workers) before the consumer reads", tc.workers)
				require.Equal(t, 0, <-out)
				p.Stop()
				require.NoError(t, p.Err())
			})
		}
	})
	t.Run("MapUnordered reads at most n values ahead of a consumer that waits", func(t *testing.T) {
		for _, workers := range []int{1, 2, 8} {
			synctest.Test(t, func(t *testing.T) {
				var taken atomic.Int64
				p := chanx.NewPipeline(context.Background())
				chanx.MapUnordered(p, chanx.Source(p, counted(1000, &taken)), workers, func(_ context.Context, v int) (int, error) {
					return v, nil
				})
				synctest.Wait()
				require.Equal(t, int64(workers), taken.Load(), "values taken by MapUnordered(%d workers) before the consumer reads", workers)
				p.Stop()
				require.NoError(t, p.Err())
			})
		}
	})
	for name, mapf := range mapFuncs {
		t.Run(name+" with no limit reads its whole input while the consumer waits", func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var taken atomic.Int64
				p := chanx.NewPipeline(context.Background())
				out := mapf(p, chanx.Source(p, counted(1000, &taken)), -1, func(_ context.Context, v int) (int, error) {
					return v, nil
				})
				synctest.Wait()
				require.Equal(t, int64(1000), taken.Load(), "values taken with no limit before the consumer reads")
				res := collect(out)
				slices.Sort(res)
				require.Equal(t, seqOf(1000), res)
				require.NoError(t, p.Err())
			})
		})
	}
	for _, workers := range []int{2, 5, -1, math.MaxInt} {
		t.Run(fmt.Sprintf("Map with a limit of %d keeps the input order when calls finish out of order", workers), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := chanx.NewPipeline(context.Background())
				out := chanx.Map(p, chanx.Source(p, count(200, nil)), workers, func(_ context.Context, v int) (int, error) {
					time.Sleep(time.Duration(rand.IntN(1000)) * time.Millisecond) // fake time: the bubble's clock
					return v, nil
				})
				require.Equal(t, seqOf(200), collect(out), "Map with a limit of %d", workers)
				require.NoError(t, p.Err())
			})
		})
	}
	for name, mapf := range mapFuncs {
		t.Run(name+" with no limit turns a panic into a PanicError", func(t *testing.T) {
			p := chanx.NewPipeline(context.Background())
			out := mapf(p, chanx.Source(p, count(100, nil)), -1, func(_ context.Context, v int) (int, error) {
				if v == 7 {
					panic("bad value")
				}
				return v, nil
			})
			for range out {
			}
			var pe *cleanup.PanicError
			require.ErrorAs(t, p.Err(), &pe)
			require.Equal(t, "bad value", pe.Value)
		})
		t.Run(name+" with no limit stops every call when the consumer stops", func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := chanx.NewPipeline(context.Background())
				g := newGate()
				out := mapf(p, chanx.Source(p, count(50, nil)), -1, g.fn)
				synctest.Wait()
				require.Equal(t, int64(50), g.running.Load(), "calls running with no limit")
				p.Stop()
				require.Zero(t, g.running.Load(), "calls running after Stop")
				_, open := <-out
				require.False(t, open, "the output is open after Stop")
				require.NoError(t, p.Err())
			})
		})
	}
	t.Run("a limit near MaxInt is a limit, not an allocation", func(t *testing.T) {
		for name, mapf := range mapFuncs {
			for _, workers := range []int{math.MaxInt, math.MaxInt - 1, math.MaxInt32} {
				p := chanx.NewPipeline(context.Background())
				out := mapf(p, chanx.Source(p, count(3, nil)), workers, func(_ context.Context, v int) (int, error) {
					return v, nil
				})
				res := collect(out)
				slices.Sort(res)
				require.Equal(t, seqOf(3), res, "%s with a limit of %d", name, workers)
				require.NoError(t, p.Err())
			}
		}
	})
	t.Run("the first error of a call with no limit comes back, and ordered results stop before it", func(t *testing.T) {
		boom := errors.New("boom")
		for range 20 {
			p := chanx.NewPipeline(context.Background())
			out := chanx.Map(p, chanx.Source(p, count(200, nil)), -1, func(_ context.Context, v int) (int, error) {
				if v == 100 {
					return 0, boom
				}
				return v, nil
			})
			got := append([]int{}, collect(out)...)
			require.Equal(t, seqOf(len(got)), got, "results before the failure")
			require.LessOrEqual(t, len(got), 100, "results delivered past the failing value")
			require.Equal(t, boom, p.Err())
		}
	})
}

func TestMapManyValues(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	for _, workers := range []int{1, 4, -1} {
		t.Run(fmt.Sprintf("Map with a limit of %d keeps the order of %d values", workers, n), func(t *testing.T) {
			p := chanx.NewPipeline(context.Background())
			out := chanx.Map(p, chanx.Source(p, count(n, nil)), workers, func(_ context.Context, v int) (int, error) {
				return v, nil
			})
			next := 0
			for v := range out {
				if v != next {
					require.Equal(t, next, v, "value number %d", next)
				}
				next++
			}
			require.Equal(t, n, next, "values received")
			require.NoError(t, p.Err())
		})
	}
}
