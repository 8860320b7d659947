package chanx_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/boundgo/bound/chanx"
	"github.com/boundgo/bound/cleanup"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func collect[T any](ch <-chan T) []T {
	var s []T
	for v := range ch {
		s = append(s, v)
	}
	return s
}

func TestPipeline(t *testing.T) {
	bg := context.Background()
	t.Run("Map keeps the order of its input with any worker count", func(t *testing.T) {
		for _, workers := range []int{1, 2, 3, 8, -1, math.MaxInt} {
			p := chanx.NewPipeline(bg)
			out := chanx.Map(p, chanx.Source(p, count(100, nil)), workers, func(_ context.Context, v int) (string, error) {
				return strconv.Itoa(v), nil
			})
			got := collect(out)
			want := make([]string, 100)
			for i := range want {
				want[i] = strconv.Itoa(i)
			}
			require.Equal(t, want, got, "Map with %d workers", workers)
			require.NoError(t, p.Err())
		}
	})
	t.Run("MapUnordered delivers every result once", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		out := chanx.MapUnordered(p, chanx.Source(p, count(100, nil)), 4, func(_ context.Context, v int) (int, error) {
			return v * 2, nil
		})
		got := slices.Sorted(slices.Values(collect(out)))
		for i, v := range got {
			require.Equal(t, 2*i, v)
		}
		require.Len(t, got, 100)
		require.NoError(t, p.Err())
	})
	t.Run("Filter and FlatMap keep order", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		evens := chanx.Filter(p, chanx.Source(p, count(10, nil)), func(v int) bool { return v%2 == 0 })
		pairs := chanx.FlatMap(p, evens, func(_ context.Context, v int) ([]int, error) { return []int{v, v}, nil })
		require.Equal(t, []int{0, 0, 2, 2, 4, 4, 6, 6, 8, 8}, collect(pairs))
		require.NoError(t, p.Err())
	})
	t.Run("Batch cuts by size and sends the rest at the end", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		got := collect(chanx.Batch(p, chanx.Source(p, count(7, nil)), 3, 0))
		require.Equal(t, [][]int{{0, 1, 2}, {3, 4, 5}, {6}}, got)
		require.NoError(t, p.Err())
	})
	t.Run("Batch sends a partial batch after its max wait", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := chanx.NewPipeline(bg)
			in := make(chan int)
			out := chanx.Batch(p, in, 10, time.Second)
			start := time.Now()
			in <- 1
			time.Sleep(500 * time.Millisecond) // fake time: the bubble's clock
			in <- 2
			require.Equal(t, []int{1, 2}, <-out)
			require.Equal(t, time.Second, time.Since(start), "the batch waited from its first value")
			in <- 3
			close(in)
			require.Equal(t, []int{3}, <-out)
			_, open := <-out
			require.False(t, open)
			require.NoError(t, p.Err())
		})
	})
	t.Run("Batch with a max wait still cuts by size", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := chanx.NewPipeline(bg)
			out := chanx.Batch(p, chanx.Source(p, count(4, nil)), 2, time.Hour)
			require.Equal(t, [][]int{{0, 1}, {2, 3}}, collect(out))
			require.NoError(t, p.Err())
		})
	})
	t.Run("Merge delivers every value of every input", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		a, b := chanx.Source(p, count(50, nil)), chanx.Source(p, count(50, nil))
		got := collect(chanx.Merge(p, a, b))
		slices.Sort(got)
		want := slices.Sorted(slices.Values(append(seqOf(50), seqOf(50)...)))
		require.Equal(t, want, got)
		require.Empty(t, collect(chanx.Merge[int](p)), "Merge of no input")
		require.NoError(t, p.Err())
	})
	t.Run("Tee gives every reader every value", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		outs := chanx.Tee(p, chanx.Source(p, count(20, nil)), 3)
		got := make([][]int, 3)
		var wg sync.WaitGroup
		for i, o := range outs {
			wg.Go(func() { got[i] = collect(o) })
		}
		wg.Wait()
		for _, g := range got {
			require.Equal(t, seqOf(20), g)
		}
		require.NoError(t, p.Err())
	})
	t.Run("Tee lets one goroutine read its outputs in turn", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		outs := chanx.Tee(p, chanx.Source(p, count(5, nil)), 2)
		for i := range 5 {
			require.Equal(t, i, <-outs[0])
			require.Equal(t, i, <-outs[1])
		}
		p.Stop()
		require.NoError(t, p.Err())
	})
	t.Run("Distribute gives each value to exactly one reader, in order", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		outs := chanx.Distribute(p, chanx.Source(p, count(100, nil)), 3)
		got := make([][]int, 3)
		var wg sync.WaitGroup
		for i, o := range outs {
			wg.Go(func() { got[i] = collect(o) })
		}
		wg.Wait()
		var all []int
		for _, g := range got {
			require.IsIncreasing(t, g, "one output of Distribute")
			all = append(all, g...)
		}
		slices.Sort(all)
		require.Equal(t, seqOf(100), all)
		require.NoError(t, p.Err())
	})
	t.Run("Go runs a stage of the caller's making", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		src := chanx.Source(p, count(10, nil))
		sum := 0
		p.Go(func(ctx context.Context) error {
			for v := range chanx.RecvAll(ctx, src) {
				sum += v
			}
			return nil
		})
		require.NoError(t, p.Err())
		require.Equal(t, 45, sum)
		require.Error(t, p.Context().Err(), "the context is released after Err")
	})

	boom := errors.New("boom")
	failAt50 := func(_ context.Context, v int) (int, error) {
		if v == 50 {
			return 0, boom
		}
		return v, nil
	}
	failing := map[string]func(p *chanx.Pipeline, in <-chan int) <-chan int{
		"Map": func(p *chanx.Pipeline, in <-chan int) <-chan int {
			return chanx.Map(p, in, 3, failAt50)
		},
		"Map with one worker": func(p *chanx.Pipeline, in <-chan int) <-chan int {
			return chanx.Map(p, in, 1, failAt50)
		},
		"Map with no limit": func(p *chanx.Pipeline, in <-chan int) <-chan int {
			return chanx.Map(p, in, -1, failAt50)
		},
		"MapUnordered": func(p *chanx.Pipeline, in <-chan int) <-chan int {
			return chanx.MapUnordered(p, in, 3, failAt50)
		},
		"MapUnordered with no limit": func(p *chanx.Pipeline, in <-chan int) <-chan int {
			return chanx.MapUnordered(p, in, -1, failAt50)
		},
		"FlatMap": func(p *chanx.Pipeline, in <-chan int) <-chan int {
			return chanx.FlatMap(p, in, func(ctx context.Context, v int) ([]int, error) {
				r, err := failAt50(ctx, v)
				return []int{r}, err
			})
		},
	}
	for name, stage := range failing {
		t.Run("the first error in "+name+" stops the pipeline and comes back", func(t *testing.T) {
			p := chanx.NewPipeline(bg)
			out := stage(p, chanx.Source(p, forever))
			for range out {
			}
			require.Equal(t, boom, p.Err())
			p.Stop()
			require.Equal(t, boom, p.Err())
		})
	}

	t.Run("a panicking stage fails the pipeline with a PanicError", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		out := chanx.Filter(p, chanx.Source(p, forever), func(v int) bool {
			if v == 3 {
				panic("bad predicate")
			}
			return true
		})
		for range out {
		}
		var pe *cleanup.PanicError
		require.ErrorAs(t, p.Err(), &pe)
		require.Equal(t, "bad predicate", pe.Value)
	})
	t.Run("runtime.Goexit in a stage fails the pipeline", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		p.Go(func(context.Context) error { runtime.Goexit(); return nil })
		require.ErrorIs(t, p.Err(), cleanup.ErrGoexit)
	})
	t.Run("a failing source fails the pipeline", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		got := collect(chanx.Source(p, count(3, boom)))
		require.Equal(t, []int{0, 1, 2}, got)
		require.Equal(t, boom, p.Err())
	})

	t.Run("Stop ends every stage of a long pipeline", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		src := chanx.Source(p, forever)
		outs := chanx.Tee(p, src, 2)
		a := chanx.Map(p, outs[0], 2, func(_ context.Context, v int) (int, error) { return v, nil })
		b := chanx.MapUnordered(p, outs[1], 2, func(_ context.Context, v int) (int, error) { return v, nil })
		m := chanx.Merge(p, a, b)
		d := chanx.Distribute(p, chanx.Batch(p, chanx.Filter(p, m, func(int) bool { return true }), 3, time.Millisecond), 2)
		f := chanx.FlatMap(p, chanx.Merge(p, d...), func(_ context.Context, b []int) ([]int, error) { return b, nil })
		for range 100 {
			<-f
		}
		p.Stop()
		require.NoError(t, p.Err())
		p.Stop()
		require.NoError(t, p.Err(), "Err() after a second Stop()")
	})
	t.Run("a stage error before Stop is still returned", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		out := chanx.Source(p, func(ctx context.Context, yield func(int) bool) error {
			yield(1)
			return boom
		})
		<-out
		for range out {
		}
		p.Stop()
		require.Equal(t, boom, p.Err())
	})
	t.Run("a parent context that ends stops the pipeline and Err says why", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			why := errors.New("request cancelled")
			ctx, cancel := context.WithCancelCause(bg)
			p := chanx.NewPipeline(ctx)
			out := chanx.Map(p, chanx.Source(p, forever), 2, func(_ context.Context, v int) (int, error) { return v, nil })
			<-out
			cancel(why)
			for range out {
			}
			require.Equal(t, why, p.Err())
		})
	})
	t.Run("a parent that ends after the last stage returned is not reported", func(t *testing.T) {
		ctx, cancel := context.WithCancel(bg)
		p := chanx.NewPipeline(ctx)
		require.Equal(t, seqOf(3), collect(chanx.Source(p, count(3, nil))))
		cancel()
		require.NoError(t, p.Err())
	})
	t.Run("a yield kept past its source's return reports false", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		var kept func(int) bool
		out := chanx.Source(p, func(_ context.Context, yield func(int) bool) error {
			kept = yield
			return nil
		})
		for range out {
		}
		require.False(t, kept(1))
		require.NoError(t, p.Err())
	})
	t.Run("stages stop when their consumer stops reading", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		in := make(chan int) // never closed: the stage must still stop
		out := chanx.Batch(p, in, 2, 0)
		in <- 1
		in <- 2
		require.Equal(t, []int{1, 2}, <-out)
		p.Stop()
		require.NoError(t, p.Err())
	})

	t.Run("misuse panics with a chanx message", func(t *testing.T) {
		p := chanx.NewPipeline(bg)
		defer p.Stop()
		id := func(_ context.Context, v int) (int, error) { return v, nil }
		var in chan int
		assert.PanicsWithValue(t, "chanx: Map with a limit of 0 workers: no call of fn could ever start (n < 0 means no limit)", func() {
			chanx.Map(p, in, 0, id)
		})
		assert.PanicsWithValue(t, "chanx: MapUnordered with a limit of 0 workers: no call of fn could ever start (n < 0 means no limit)", func() {
			chanx.MapUnordered(p, in, 0, id)
		})
		assert.PanicsWithValue(t, "chanx: Map with nil function", func() {
			chanx.Map[int, int](p, in, -1, nil)
		})
		assert.PanicsWithValue(t, "chanx: MapUnordered with nil function", func() {
			chanx.MapUnordered[int, int](p, in, 1, nil)
		})
		assert.PanicsWithValue(t, "chanx: Tee with fewer than 1 output", func() { chanx.Tee(p, in, 0) })
		assert.PanicsWithValue(t, "chanx: Tee with fewer than 1 output", func() { chanx.Tee(p, in, -1) })
		assert.PanicsWithValue(t, "chanx: Distribute with fewer than 1 output", func() { chanx.Distribute(p, in, 0) })
		assert.PanicsWithValue(t, "chanx: Distribute with fewer than 1 output", func() { chanx.Distribute(p, in, -1) })
		assert.PanicsWithValue(t, "chanx: Batch with size < 1", func() { chanx.Batch(p, in, -1, 0) })
		assert.PanicsWithValue(t, "chanx: Batch with size < 1", func() { chanx.Batch(p, in, 0, 0) })
		assert.PanicsWithValue(t, "chanx: Filter with nil function", func() { chanx.Filter(p, in, nil) })
		assert.PanicsWithValue(t, "chanx: FlatMap with nil function", func() {
			chanx.FlatMap[int, int](p, in, nil)
		})
		assert.PanicsWithValue(t, "chanx: Source with nil function", func() { chanx.Source[int](p, nil) })
		assert.PanicsWithValue(t, "chanx: Pipeline.Go with nil function", func() { p.Go(nil) })
		var zero chanx.Pipeline
		for name, use := range map[string]func(){
			"Source": func() { chanx.Source(&zero, forever) },
			"Map":    func() { chanx.Map(&zero, in, 2, id) },
			"Merge":  func() { chanx.Merge[int](&zero) },
			"Go":     func() { zero.Go(func(context.Context) error { return nil }) },
			"Err":    func() { _ = zero.Err() },
			"Stop":   zero.Stop,
		} {
			assert.PanicsWithValue(t, "chanx: Pipeline not made by NewPipeline", use, "%s on the zero Pipeline", name)
		}
	})
}

// drainAll returns a function that receives from every channel of outs, at
// the same time, until each is closed.
func drainAll[T any](outs ...<-chan T) func() {
	return func() {
		var wg sync.WaitGroup
		for _, o := range outs {
			wg.Go(func() {
				for range o {
				}
			})
		}
		wg.Wait()
	}
}

// stageKinds builds, for each kind of stage, a pipeline fed by src and
// returns the function that drains its outputs.
func stageKinds() map[string]func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
	id := func(_ context.Context, v int) (int, error) { return v, nil }
	return map[string]func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func(){
		"Source": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			return drainAll(chanx.Source(p, src))
		},
		"Map with one worker": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			return drainAll(chanx.Map(p, chanx.Source(p, src), 1, id))
		},
		"Map with 4 workers": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			return drainAll(chanx.Map(p, chanx.Source(p, src), 4, id))
		},
		"Map with no limit": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			return drainAll(chanx.Map(p, chanx.Source(p, src), -1, id))
		},
		"Map with a limit near MaxInt": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			return drainAll(chanx.Map(p, chanx.Source(p, src), math.MaxInt, id))
		},
		"MapUnordered": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			return drainAll(chanx.MapUnordered(p, chanx.Source(p, src), 4, id))
		},
		"MapUnordered with no limit": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			return drainAll(chanx.MapUnordered(p, chanx.Source(p, src), -1, id))
		},
		"Filter": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			return drainAll(chanx.Filter(p, chanx.Source(p, src), func(int) bool { return true }))
		},
		"FlatMap": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			return drainAll(chanx.FlatMap(p, chanx.Source(p, src), func(_ context.Context, v int) ([]int, error) {
				return []int{v, v}, nil
			}))
		},
		"Batch": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			return drainAll(chanx.Batch(p, chanx.Source(p, src), 2, 0))
		},
		"Batch with a max wait": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			return drainAll(chanx.Batch(p, chanx.Source(p, src), 2, time.Hour))
		},
		"Merge": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			return drainAll(chanx.Merge(p, chanx.Source(p, src), chanx.Source(p, src)))
		},
		"Tee": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			return drainAll(chanx.Tee(p, chanx.Source(p, src), 3)...)
		},
		"Distribute": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			return drainAll(chanx.Distribute(p, chanx.Source(p, src), 3)...)
		},
		"Go writing to a channel it closes": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			out := make(chan int)
			p.Go(func(ctx context.Context) error {
				defer close(out)
				var err error
				_ = src(ctx, func(v int) bool { // its own error is nil: err says how it ended
					err = chanx.Send(ctx, out, v)
					return err == nil
				})
				return err // a stage of the caller's own says itself that it was cut short
			})
			return drainAll[int](out)
		},
		"Go as a sink that says when it is done": func(p *chanx.Pipeline, src func(context.Context, func(int) bool) error) func() {
			in := chanx.Source(p, src)
			sunk := make(chan struct{})
			p.Go(func(ctx context.Context) error {
				defer close(sunk)
				for range in {
				}
				return nil
			})
			return func() { <-sunk }
		},
	}
}

// TestPipelineParentEnd checks what Err says when the parent context ends:
// nothing once the pipeline completed, its cause when it cut the pipeline
// short. Once the consumer has seen the last output close, a cancel of the
// parent cannot be what ended any stage.
func TestPipelineParentEnd(t *testing.T) {
	rounds := 2000
	if testing.Short() {
		rounds = 200
	}
	for name, build := range stageKinds() {
		t.Run(name+": a pipeline that completed reports no error after its parent is cancelled", func(t *testing.T) {
			for round := range rounds {
				ctx, cancel := context.WithCancel(context.Background())
				p := chanx.NewPipeline(ctx)
				drain := build(p, count(3, nil))
				drain()
				cancel()
				require.NoError(t, p.Err(), "round %d: Err() after the drain and then the parent's cancel", round)
			}
		})
		t.Run(name+": a pipeline cut short by its parent reports the parent's cause", func(t *testing.T) {
			for round := range rounds / 20 {
				why := errors.New("request cancelled")
				ctx, cancel := context.WithCancelCause(context.Background())
				src := func(_ context.Context, yield func(int) bool) error {
					for i := 0; ; i++ {
						if i == 10 {
							cancel(why)
						}
						if !yield(i) {
							return nil
						}
					}
				}
				p := chanx.NewPipeline(ctx)
				drain := build(p, src)
				drain()
				require.Equal(t, why, p.Err(), "round %d: Err() after the parent was cancelled mid-stream", round)
			}
		})
	}
}

// TestPipelineStop pins what Err reports after Stop: never the cancellation
// Stop caused, always a stage's own error, and the parent's cause when the
// parent was done first.
func TestPipelineStop(t *testing.T) {
	id := func(_ context.Context, v int) (int, error) { return v, nil }
	t.Run("a parent done before Stop is reported", func(t *testing.T) {
		for round := range 200 {
			why := errors.New("request cancelled")
			ctx, cancel := context.WithCancelCause(context.Background())
			p := chanx.NewPipeline(ctx)
			out := chanx.Map(p, chanx.Source(p, forever), 2, id)
			<-out
			cancel(why)
			p.Stop()
			require.Equal(t, why, p.Err(), "round %d: Err() after the parent's cancel, then Stop", round)
		}
	})
	t.Run("a parent cancelled after Stop is not reported", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		p := chanx.NewPipeline(ctx)
		<-chanx.Map(p, chanx.Source(p, forever), 2, id)
		p.Stop()
		cancel()
		require.NoError(t, p.Err(), "Err() after Stop, then the parent's cancel")
	})
	t.Run("Stop after the drain keeps the pipeline's result, whatever the parent does next", func(t *testing.T) {
		for round := range 200 {
			ctx, cancel := context.WithCancel(context.Background())
			p := chanx.NewPipeline(ctx)
			require.Equal(t, seqOf(3), collect(chanx.Map(p, chanx.Source(p, count(3, nil)), 2, id)))
			cancel()
			p.Stop()
			require.NoError(t, p.Err(), "round %d: Err() after the drain, the parent's cancel and Stop", round)
		}
	})
	t.Run("a failure racing with Stop is reported whichever comes first", func(t *testing.T) {
		boom := errors.New("flush failed")
		for round := range 200 {
			start := make(chan struct{})
			p := chanx.NewPipeline(context.Background())
			chanx.Source(p, forever)
			p.Go(func(context.Context) error {
				<-start
				return boom
			})
			go close(start)
			p.Stop()
			require.Equal(t, boom, p.Err(), "round %d: Err() after Stop raced with a stage's failure", round)
		}
	})
	t.Run("ErrStopped or context.Canceled returned after Stop is not an error", func(t *testing.T) {
		for _, returned := range []func(context.Context) error{
			context.Cause,
			func(ctx context.Context) error { return ctx.Err() },
			func(ctx context.Context) error { return fmt.Errorf("write: %w", ctx.Err()) },
		} {
			p := chanx.NewPipeline(context.Background())
			p.Go(func(ctx context.Context) error {
				<-ctx.Done()
				return returned(ctx)
			})
			out := chanx.Map(p, chanx.Source(p, forever), 2, func(ctx context.Context, v int) (int, error) {
				if v == 5 {
					<-ctx.Done()
					return 0, returned(ctx)
				}
				return v, nil
			})
			<-out
			p.Stop()
			require.NoError(t, p.Err(), "Err() after Stop, when stages return their context's end")
		}
	})
	t.Run("context.Canceled returned after the parent's cancel is reported, even after Stop", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		p := chanx.NewPipeline(ctx)
		returned := make(chan struct{})
		p.Go(func(ctx context.Context) error {
			defer close(returned)
			<-ctx.Done()
			return ctx.Err()
		})
		cancel()
		p.Stop()
		<-returned
		require.ErrorIs(t, p.Err(), context.Canceled, "Err() after the parent's cancel, then Stop")
	})
	t.Run("a stage added after Stop or Err panics", func(t *testing.T) {
		for _, end := range []func(*chanx.Pipeline){(*chanx.Pipeline).Stop, func(p *chanx.Pipeline) { _ = p.Err() }} {
			p := chanx.NewPipeline(context.Background())
			end(p)
			require.PanicsWithValue(t, "chanx: stage added to a Pipeline after Stop or Err", func() {
				chanx.Source(p, forever)
			})
			require.PanicsWithValue(t, "chanx: stage added to a Pipeline after Stop or Err", func() {
				p.Go(func(context.Context) error { return nil })
			})
		}
	})
}
