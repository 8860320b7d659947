package task_test

import (
	"context"
	"fmt"
	"iter"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/boundgo/bound/cleanup"
	"github.com/boundgo/bound/task"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"github.com/stretchr/testify/require"
)

// forms are the four functions that call f over a collection, each turned
// into one signature: in is the input, and the results are in input order
// (nil for the ForEach forms, which return none).
var forms = map[string]func(ctx context.Context, in []int, limit int, f func(context.Context, int) (int, error)) ([]int, error){
	"Map": task.Map[int, int],
	"MapSeq": func(ctx context.Context, in []int, limit int, f func(context.Context, int) (int, error)) ([]int, error) {
		return task.MapSeq(ctx, slices.Values(in), limit, f)
	},
	"ForEach": func(ctx context.Context, in []int, limit int, f func(context.Context, int) (int, error)) ([]int, error) {
		return nil, task.ForEach(ctx, in, limit, func(ctx context.Context, v int) error { _, err := f(ctx, v); return err })
	},
	"ForEachSeq": func(ctx context.Context, in []int, limit int, f func(context.Context, int) (int, error)) ([]int, error) {
		return nil, task.ForEachSeq(ctx, slices.Values(in), limit, func(ctx context.Context, v int) error { _, err := f(ctx, v); return err })
	},
}

func TestForms(t *testing.T) {
	for name, form := range forms {
		t.Run(name+": every element once, results in input order", func(t *testing.T) {
			in := make([]int, 1000) // across MapSeq's chunk boundaries
			for i := range in {
				in[i] = i
			}
			for _, limit := range []int{-1, 1, 3, 1000, math.MaxInt} {
				seen := make([]atomic.Int32, len(in))
				out, err := form(context.Background(), in, limit, func(_ context.Context, v int) (int, error) {
					seen[v].Add(1)
					runtime.Gosched()
					return -v, nil
				})
				require.NoError(t, err, "%s(limit %d)", name, limit)
				for i := range seen {
					require.EqualValues(t, 1, seen[i].Load(), "%s(limit %d): calls for element %d", name, limit, i)
				}
				if out != nil {
					for i, v := range out {
						require.Equal(t, -i, v, "%s(limit %d)[%d]", name, limit, i)
					}
					require.Len(t, out, len(in))
				}
			}
		})

		t.Run(name+": never more than the limit at once", func(t *testing.T) {
			for _, limit := range []int{1, 2, 5} {
				var active, peak atomic.Int32
				_, err := form(context.Background(), make([]int, 200), limit, func(_ context.Context, v int) (int, error) {
					a := active.Add(1)
					for p := peak.Load(); a > p && !peak.CompareAndSwap(p, a); p = peak.Load() {
					}
					runtime.Gosched()
					active.Add(-1)
					return v, nil
				})
				require.NoError(t, err)
				require.LessOrEqual(t, peak.Load(), int32(limit), "%s(limit %d): calls at once", name, limit)
			}
		})

		t.Run(name+": the first error stops scheduling and is returned", func(t *testing.T) {
			var calls atomic.Int32
			out, err := form(context.Background(), make([]int, 1000), 1, func(_ context.Context, v int) (int, error) {
				if calls.Add(1) == 3 {
					return 0, errDoom
				}
				return v, nil
			})
			require.Same(t, errDoom, err, "%s() error = %v; want %v", name, err, errDoom)
			require.Nil(t, out)
			require.EqualValues(t, 3, calls.Load(), "%s(limit 1) calls after the error", name)
		})

		t.Run(name+": the error cancels the context of the calls in flight", func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var cancelled atomic.Int32
				_, err := form(context.Background(), []int{0, 1, 2}, -1, func(ctx context.Context, v int) (int, error) {
					if v == 0 {
						time.Sleep(time.Second)
						return 0, errDoom
					}
					<-ctx.Done()
					if context.Cause(ctx) == errDoom {
						cancelled.Add(1)
					}
					return 0, ctx.Err()
				})
				require.Same(t, errDoom, err, "%s() error = %v; want %v", name, err, errDoom)
				require.EqualValues(t, 2, cancelled.Load(), "%s: calls cancelled with the error as cause", name)
			})
		})

		t.Run(name+": a done context starts nothing", func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(context.Background())
			cancel(errDoom)
			out, err := form(ctx, []int{1, 2}, 1, func(context.Context, int) (int, error) {
				t.Errorf("%s: f called after the context was done", name)
				return 0, nil
			})
			require.Same(t, errDoom, err, "%s() error = %v; want %v", name, err, errDoom)
			require.Nil(t, out)
		})

		t.Run(name+": a context done midway stops and reports its cause", func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(context.Background())
			var calls atomic.Int32
			out, err := form(ctx, make([]int, 100), 1, func(_ context.Context, v int) (int, error) {
				calls.Add(1)
				cancel(errDoom)
				return v, nil
			})
			require.Same(t, errDoom, err, "%s() error = %v; want %v", name, err, errDoom)
			require.Nil(t, out)
			require.EqualValues(t, 1, calls.Load(), "%s(limit 1) calls after the context was done", name)
		})

		t.Run(name+": Goexit in f is reported", func(t *testing.T) {
			for _, limit := range []int{1, -1} {
				_, err := form(context.Background(), []int{1, 2, 3}, limit, func(_ context.Context, v int) (int, error) {
					if v == 2 {
						runtime.Goexit()
					}
					return v, nil
				})
				require.ErrorIs(t, err, cleanup.ErrGoexit, "%s(limit %d)", name, limit)
			}
		})

		t.Run(name+": an empty input calls nothing", func(t *testing.T) {
			out, err := form(context.Background(), nil, 4, func(context.Context, int) (int, error) {
				t.Errorf("%s: f called on an empty input", name)
				return 0, nil
			})
			require.NoError(t, err)
			require.Empty(t, out)
		})

		t.Run(name+": a limit of zero panics", func(t *testing.T) {
			require.PanicsWithValue(t, "task: "+name+" with a limit of 0: no element can ever start", func() {
				_, _ = form(context.Background(), nil, 0, func(context.Context, int) (int, error) { return 0, nil })
			})
		})
	}
}

// counted is an iter.Seq of 0..n-1 that counts the elements it yields and
// records whether it was stopped.
type counted struct {
	n       int
	yielded atomic.Int32
	stopped atomic.Bool
}

func (c *counted) all() iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range c.n {
			c.yielded.Add(1)
			if !yield(i) {
				c.stopped.Store(true)
				return
			}
		}
	}
}

func TestSeqForms(t *testing.T) {
	t.Run("the iteration stops at the first error", func(t *testing.T) {
		c := &counted{n: 1000}
		err := task.ForEachSeq(context.Background(), c.all(), 1, func(_ context.Context, v int) error {
			if v == 4 {
				return errDoom
			}
			return nil
		})
		require.Same(t, errDoom, err, "ForEachSeq() = %v; want %v", err, errDoom)
		require.True(t, c.stopped.Load(), "the iterator's yield never returned false")
		require.LessOrEqual(t, c.yielded.Load(), int32(6), "elements taken from seq after the error at the 5th")
	})

	t.Run("the iteration runs on the caller's goroutine, overlapping the calls", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			// The seq waits for the first call to start before it yields
			// the second element: it deadlocks unless calls overlap with
			// the iteration.
			started := make(chan struct{})
			seq := func(yield func(int) bool) {
				if !yield(0) {
					return
				}
				<-started
				yield(1)
			}
			var once sync.Once
			out, err := task.MapSeq(context.Background(), seq, 2, func(_ context.Context, v int) (string, error) {
				once.Do(func() { close(started) })
				return fmt.Sprint("v", v), nil
			})
			require.NoError(t, err)
			require.Equal(t, []string{"v0", "v1"}, out)
		})
	})

	t.Run("a stream of quick calls runs on few goroutines, never more than the limit", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var peak atomic.Int64
			c := &counted{n: 500}
			err := task.ForEachSeq(context.Background(), c.all(), 4, func(context.Context, int) error {
				n := int64(countMapWorkers())
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				return nil
			})
			require.NoError(t, err)
			require.LessOrEqual(t, peak.Load(), int64(4), "goroutines running calls of ForEachSeq(limit 4)")
			require.Positive(t, peak.Load(), "countMapWorkers found no goroutine running f")
		})
	})

	t.Run("with no limit, no more goroutines than elements", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			// Five calls that wait for each other: all five run at once
			// (synctest reports a deadlock otherwise); the last to arrive
			// counts the goroutines while the others wait, so that none has
			// left yet.
			var (
				mu      sync.Mutex
				arrived int
				workers int
				met     = make(chan struct{})
			)
			err := task.ForEachSeq(context.Background(), (&counted{n: 5}).all(), -1, func(context.Context, int) error {
				mu.Lock()
				arrived++
				if arrived < 5 {
					mu.Unlock()
					<-met
					return nil
				}
				workers = countMapWorkers()
				close(met)
				mu.Unlock()
				return nil
			})
			require.NoError(t, err)
			require.Equal(t, 5, workers, "goroutines of ForEachSeq(5 elements, no limit)")
		})
	})

	t.Run("a panicking seq waits for the calls in flight and panics on", func(t *testing.T) {
		var finished atomic.Bool
		started := make(chan struct{})
		seq := func(yield func(int) bool) {
			yield(0)
			<-started
			panic("seq broke")
		}
		require.PanicsWithValue(t, "seq broke", func() {
			_ = task.ForEachSeq(context.Background(), seq, 2, func(ctx context.Context, v int) error {
				close(started)
				<-ctx.Done() // cancelled because seq panicked
				finished.Store(true)
				return nil
			})
		})
		require.True(t, finished.Load(), "a call was still running when the panic left ForEachSeq")
	})
}

func TestFormsProperties(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 200
	properties := gopter.NewProperties(params)
	inputs := gen.SliceOf(gen.IntRange(-50, 50))
	limits := gen.OneConstOf(-1, 1, 2, 3, 8, 100)

	properties.Property("every form agrees with a sequential loop", prop.ForAll(
		func(in []int, limit int) string {
			// The model: f fails on negative values; the loop returns the
			// first such value's error, or every result in order.
			f := func(_ context.Context, v int) (int, error) {
				runtime.Gosched()
				if v < 0 {
					return 0, fmt.Errorf("negative %d", v)
				}
				return v * v, nil
			}
			var want []int
			wantErr := false
			for _, v := range in {
				if v < 0 {
					wantErr = true
					break
				}
				want = append(want, v*v)
			}
			for name, form := range forms {
				out, err := form(context.Background(), in, limit, f)
				switch {
				case wantErr && err == nil:
					return fmt.Sprintf("%s(%v, limit %d) error = nil; want a negative value's error", name, in, limit)
				case !wantErr && err != nil:
					return fmt.Sprintf("%s(%v, limit %d) error = %v; want nil", name, in, limit, err)
				case !wantErr && (name == "Map" || name == "MapSeq") && !slices.Equal(out, want) && len(in) > 0:
					return fmt.Sprintf("%s(%v, limit %d) = %v; want %v", name, in, limit, out, want)
				}
			}
			return ""
		}, inputs, limits))

	properties.TestingRun(t)
}

// indexForms are the forms that call f over a slice, with a limiter (nil
// for Map and ForEach, which take none).
var indexForms = map[string]func(ctx context.Context, in []int, limit int, l *task.Limiter, f func(context.Context, int) error) error{
	"Map": func(ctx context.Context, in []int, limit int, _ *task.Limiter, f func(context.Context, int) error) error {
		_, err := task.Map(ctx, in, limit, func(ctx context.Context, v int) (int, error) { return v, f(ctx, v) })
		return err
	},
	"ForEach": func(ctx context.Context, in []int, limit int, _ *task.Limiter, f func(context.Context, int) error) error {
		return task.ForEach(ctx, in, limit, f)
	},
	"MapWithLimiter": func(ctx context.Context, in []int, limit int, l *task.Limiter, f func(context.Context, int) error) error {
		_, err := task.MapWithLimiter(ctx, in, limit, l, func(ctx context.Context, v int) (int, error) { return v, f(ctx, v) })
		return err
	},
	"ForEachWithLimiter": task.ForEachWithLimiter[int],
}

func TestIndexForms(t *testing.T) {
	for name, form := range indexForms {
		t.Run(name+": calls that wait for each other get every goroutine the limit allows", func(t *testing.T) {
			for _, tc := range []struct {
				limit int
				size  int64 // of the limiter, for the WithLimiter forms
			}{
				{1, 1000}, {4, 1000}, {30, 1000}, {1000, 1000}, {-1, 1000},
				{math.MaxInt, math.MaxInt64}, {-1, 1}, {8, 3},
			} {
				want := 30 // min(limit, len(in), the limiter's size)
				if tc.limit > 0 {
					want = min(want, tc.limit)
				}
				if strings.HasSuffix(name, "WithLimiter") {
					want = min(want, int(tc.size))
				}
				synctest.Test(t, func(t *testing.T) {
					// The first want calls meet before any returns; the
					// last to arrive counts the goroutines.
					m := newMeeting(want)
					err := form(context.Background(), make([]int, 30), tc.limit, task.NewLimiter(tc.size), func(context.Context, int) error {
						m.arrive()
						return nil
					})
					require.NoError(t, err)
					require.Equal(t, want, m.workers, "%s(30 elements, limit %d, limiter of %d): goroutines", name, tc.limit, tc.size)
				})
			}
		})

		t.Run(name+": the first error stops the others, whether or not the parent can be done", func(t *testing.T) {
			never := context.Background()
			can, cancel := context.WithCancel(context.Background())
			defer cancel()
			for _, parent := range []context.Context{never, can} {
				var calls atomic.Int32
				err := form(parent, make([]int, 1000), 1, task.NewLimiter(1), func(context.Context, int) error {
					if calls.Add(1) == 3 {
						return errDoom
					}
					return nil
				})
				require.Same(t, errDoom, err, "%s() = %v; want %v", name, err, errDoom)
				require.EqualValues(t, 3, calls.Load(), "%s(limit 1): calls, the third failing", name)
			}
		})

		t.Run(name+": a limiter whose permits are all held elsewhere waits, then runs everything", func(t *testing.T) {
			if !strings.HasSuffix(name, "WithLimiter") {
				return
			}
			synctest.Test(t, func(t *testing.T) {
				l := task.NewLimiter(1)
				require.True(t, l.TryAcquire(1))
				var calls atomic.Int32
				done := make(chan error)
				go func() {
					done <- form(context.Background(), make([]int, 50), -1, l, func(context.Context, int) error { calls.Add(1); return nil })
				}()
				synctest.Wait()
				require.Zero(t, calls.Load(), "%s: calls while no permit was free", name)
				l.Release(1)
				require.NoError(t, <-done)
				require.EqualValues(t, 50, calls.Load(), "%s: calls once the permit was free", name)
				requireAllFree(t, l, 1, "after "+name)
			})
		})
	}
}

func TestHugeInputs(t *testing.T) {
	t.Run("math.MaxInt elements stop at the first error", func(t *testing.T) {
		// Four calls meet; the first fails, and the other three return
		// once it has, each worker then taking one more index past the
		// last: the count must not wrap into a negative index.
		in := make([]struct{}, math.MaxInt)
		for range 20 {
			var arrived atomic.Int32
			met := make(chan struct{})
			err := task.ForEach(context.Background(), in, 4, func(ctx context.Context, _ struct{}) error {
				switch n := arrived.Add(1); {
				case n < 4:
					<-met
					<-ctx.Done()
					return nil
				case n == 4:
					close(met)
					return errDoom
				default:
					return nil // taken before the error: allowed
				}
			})
			require.Same(t, errDoom, err, "ForEach(math.MaxInt elements) = %v; want %v", err, errDoom)
			out, err := task.Map(context.Background(), in, 2, func(context.Context, struct{}) (struct{}, error) {
				return struct{}{}, errDoom
			})
			require.Same(t, errDoom, err, "Map(math.MaxInt elements) = %v; want %v", err, errDoom)
			require.Nil(t, out)
		}
	})

	t.Run("allocations depend neither on the input's length nor on the limit", func(t *testing.T) {
		ctx := context.Background()
		var want float64
		for i, n := range []int{1, 16, 10_000} {
			in := make([]int, n)
			for j, limit := range []int{1, 8, -1, math.MaxInt} {
				each := testing.AllocsPerRun(50, func() {
					_ = task.ForEach(ctx, in, limit, func(context.Context, int) error { return nil })
				})
				mapped := testing.AllocsPerRun(50, func() {
					_, _ = task.Map(ctx, in, limit, func(_ context.Context, v int) (int, error) { return v, nil })
				})
				if i == 0 && j == 0 {
					want = each
				}
				require.Equal(t, want, each, "allocations of ForEach(%d elements, limit %d)", n, limit)
				require.Equal(t, want+1, mapped, "allocations of Map(%d elements, limit %d): ForEach's and the results", n, limit)
			}
		}
	})
}
