package task_test

import (
	"context"
	"math"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/boundgo/bound/task"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// edgeLimits are the positive limits every limit must accept.
var edgeLimits = []int{1, 2, 10_000, 10_000_000, math.MaxInt32, math.MaxInt32 + 1, math.MaxInt}

// allocated returns the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// retained returns how much the live heap grew across f, after collection.
func retained(f func()) int64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

func TestLimits(t *testing.T) {
	t.Run("a group's memory does not grow with its limit", func(t *testing.T) {
		for _, n := range edgeLimits {
			bytes := allocated(func() {
				var g task.Group
				g.SetLimit(n)
				for range 3 {
					g.Go(func() error { return nil })
				}
				require.NoError(t, g.Wait())
			})
			// errgroup allocates 416 B for SetLimit(1e7); a group, its pool
			// and a few workers take a few KiB, whatever n is.
			require.Less(t, bytes, uint64(16<<10), "SetLimit(%d), 3 tasks, Wait allocated %d bytes; want < 16 KiB", n, bytes)
		}
	})

	t.Run("a per-request group with a large limit costs little", func(t *testing.T) {
		const requests = 200
		bytes := allocated(func() {
			for range requests {
				g, _ := task.WithContext(context.Background())
				g.SetLimit(10_000)
				g.Go(func() error { return nil })
				require.NoError(t, g.Wait())
			}
		})
		perRequest := bytes / requests
		require.Less(t, perRequest, uint64(4<<10), "WithContext, SetLimit(10_000), Go, Wait allocated %d bytes per request; want < 4 KiB", perRequest)
	})

	t.Run("repeated SetLimit on one group retains nothing", func(t *testing.T) {
		var g task.Group
		grew := retained(func() {
			for i := range 2000 {
				g.SetLimit(1000 + i%2)
				g.Go(func() error { return nil })
				require.NoError(t, g.Wait())
			}
		})
		require.Less(t, grew, int64(256<<10), "2000 rounds of SetLimit, Go, Wait left the heap %d bytes larger; want < 256 KiB", grew)
	})

	t.Run("switching between a limit and none retains nothing", func(t *testing.T) {
		var g task.Group
		grew := retained(func() {
			for i := range 2000 {
				g.SetLimit(8)
				g.Go(func() error { return nil })
				require.NoError(t, g.Wait())
				g.SetLimit(-1 - i%2)
			}
		})
		require.Less(t, grew, int64(256<<10), "2000 rounds of SetLimit(8), Go, Wait, SetLimit(-1) left the heap %d bytes larger; want < 256 KiB", grew)
	})

	t.Run("a limit lets exactly that many tasks run at once", func(t *testing.T) {
		for _, n := range []int{1, 2, 7} {
			synctest.Test(t, func(t *testing.T) {
				var g task.Group
				g.SetLimit(n)
				var active, peak atomic.Int32
				release := make(chan struct{})
				for range 3 * n {
					go g.Go(func() error {
						a := active.Add(1)
						for p := peak.Load(); a > p && !peak.CompareAndSwap(p, a); p = peak.Load() {
						}
						<-release
						active.Add(-1)
						return nil
					})
				}
				synctest.Wait() // n tasks run, the other Go calls wait
				require.EqualValues(t, n, active.Load(), "tasks running with SetLimit(%d)", n)
				require.False(t, g.TryGo(func() error { return nil }), "TryGo() = true at the limit %d; want false", n)
				close(release)
				synctest.Wait()
				require.NoError(t, g.Wait())
				require.EqualValues(t, n, peak.Load(), "most tasks at once with SetLimit(%d)", n)
			})
		}
	})

	t.Run("no limit, or a huge one, lets every task run at once", func(t *testing.T) {
		for _, n := range []int{-1, -1000, math.MinInt, 10_000, math.MaxInt32, math.MaxInt32 + 1, math.MaxInt} {
			synctest.Test(t, func(t *testing.T) {
				// 100 tasks that each wait for all the others: they finish
				// only if all 100 run at once (synctest reports a deadlock
				// otherwise).
				const tasks = 100
				var g task.Group
				g.SetLimit(n)
				var arrived sync.WaitGroup
				arrived.Add(tasks)
				for range tasks {
					require.True(t, g.TryGo(func() error {
						arrived.Done()
						arrived.Wait()
						return nil
					}), "TryGo() = false below the limit %d; want true", n)
				}
				require.NoError(t, g.Wait())
			})
		}
	})

	t.Run("a limit of zero: calls that would wait panic, calls that try report false", func(t *testing.T) {
		g, _ := task.WithContext(context.Background())
		g.SetLimit(0)
		nop := func() error { return nil }
		nopCtx := func(context.Context) error { return nil }
		require.PanicsWithValue(t, "task: Go on a group whose limit is 0: no task can ever start", func() { g.Go(nop) })
		require.PanicsWithValue(t, "task: GoContext on a group whose limit is 0: no task can ever start", func() { g.GoContext(nopCtx) })
		require.PanicsWithValue(t, "task: GoNamed on a group whose limit is 0: no task can ever start", func() { g.GoNamed("x", nopCtx) })
		require.False(t, g.TryGo(nop), "TryGo() = true with SetLimit(0); want false")
		require.False(t, g.TryGoContext(nopCtx), "TryGoContext() = true with SetLimit(0); want false")
		require.NoError(t, g.Wait())

		var r task.Results[int]
		r.SetLimit(0)
		require.PanicsWithValue(t, "task: Results.Go on a group whose limit is 0: no task can ever start",
			func() { r.Go(func(context.Context) (int, error) { return 1, nil }) })
		require.False(t, r.TryGo(func(context.Context) (int, error) { return 1, nil }), "Results.TryGo() = true with SetLimit(0); want false")
		got, err := r.Wait()
		require.NoError(t, err)
		require.Empty(t, got, "Results.Wait() after refused starts")
	})

	t.Run("a limit of zero panics even once the context is done", func(t *testing.T) {
		parent, cancel := context.WithCancel(context.Background())
		cancel()
		g, _ := task.WithContext(parent)
		g.SetLimit(0)
		require.PanicsWithValue(t, "task: GoContext on a group whose limit is 0: no task can ever start",
			func() { g.GoContext(func(context.Context) error { return nil }) })
		require.NoError(t, g.Wait())
	})

	t.Run("a group with a limit of zero may get a real limit after Wait", func(t *testing.T) {
		var g task.Group
		g.SetLimit(0)
		require.False(t, g.TryGo(func() error { return nil }))
		require.NoError(t, g.Wait())
		g.SetLimit(1)
		var ran atomic.Bool
		g.Go(func() error { ran.Store(true); return nil })
		require.NoError(t, g.Wait())
		require.True(t, ran.Load(), "Go after SetLimit(0), Wait, SetLimit(1) did not run its function")
	})
}

func TestMapLimits(t *testing.T) {
	t.Run("a limit of zero panics, whatever the input", func(t *testing.T) {
		f := func(_ context.Context, v int) (int, error) { return v, nil }
		for _, in := range [][]int{nil, {}, {1, 2, 3}} {
			require.PanicsWithValue(t, "task: Map with a limit of 0: no element can ever start",
				func() { _, _ = task.Map(context.Background(), in, 0, f) }, "Map(%v, limit 0)", in)
		}
	})

	t.Run("Map runs min(limit, len(in)) goroutines, len(in) with no limit", func(t *testing.T) {
		for _, tc := range []struct{ limit, n, want int }{
			{-1, 30, 30},
			{math.MinInt, 5, 5},
			{1, 30, 1},
			{4, 30, 4},
			{30, 30, 30},
			{1000, 30, 30},
			{math.MaxInt32 + 1, 7, 7},
			{math.MaxInt, 7, 7},
		} {
			synctest.Test(t, func(t *testing.T) {
				// The first want calls meet before any returns, so Map runs
				// at least want at once; the last to arrive counts the
				// goroutines running f.
				m := newMeeting(tc.want)
				out, err := task.Map(context.Background(), make([]int, tc.n), tc.limit, func(_ context.Context, v int) (int, error) {
					m.arrive()
					return v + 1, nil
				})
				workers := m.workers
				require.NoError(t, err)
				require.Len(t, out, tc.n)
				require.Equal(t, tc.want, workers, "Map(len %d, limit %d) ran %d goroutines; want %d", tc.n, tc.limit, workers, tc.want)
			})
		}
	})
}

// A meeting holds the first want callers of arrive until all of them have
// arrived, so a test run in a synctest bubble proves that want calls run
// at once (synctest reports a deadlock otherwise); the last to arrive
// counts the goroutines of package task (countMapWorkers) into workers.
// Callers past want go straight on.
type meeting struct {
	want    int
	mu      sync.Mutex
	calls   int
	workers int
	met     chan struct{}
}

func newMeeting(want int) *meeting {
	return &meeting{want: want, met: make(chan struct{})}
}

func (m *meeting) arrive() {
	m.mu.Lock()
	m.calls++
	switch {
	case m.calls < m.want:
		m.mu.Unlock()
		<-m.met
	case m.calls == m.want:
		m.workers = countMapWorkers()
		close(m.met)
		m.mu.Unlock()
	default:
		m.mu.Unlock()
	}
}

// countMapWorkers counts the goroutines that functions of package task
// started, in the caller's synctest bubble if it runs in one (goroutines of
// earlier tests may still be exiting outside it).
func countMapWorkers() int {
	var self [256]byte
	header, _, _ := strings.Cut(string(self[:runtime.Stack(self[:], false)]), "\n")
	bubble := ""
	if i := strings.Index(header, "synctest bubble "); i >= 0 {
		bubble = strings.TrimRight(header[i:], "]:")
	}
	var b strings.Builder
	_ = pprof.Lookup("goroutine").WriteTo(&b, 2)
	n := 0
	for rec := range strings.SplitSeq(b.String(), "\n\n") {
		head, _, _ := strings.Cut(rec, "\n")
		if strings.Contains(rec, "created by github.com/boundgo/bound/task.") &&
			(bubble == "" || strings.Contains(head, bubble+"]") || strings.Contains(head, bubble+",")) {
			n++
		}
	}
	return n
}

// TestNothingOfAGroupRunsAfterWait checks what Wait promises about the
// group's goroutines: every task has returned, and every goroutine of the
// group is gone by the time a retrying leak check looks.
func TestNothingOfAGroupRunsAfterWait(t *testing.T) {
	others := goleak.IgnoreCurrent()
	for round := range 2000 {
		var g task.Group
		limit := []int{-1, 1, 4}[round%3]
		g.SetLimit(limit)
		var running atomic.Int32
		for range 10 {
			g.Go(func() error {
				running.Add(1)
				defer running.Add(-1)
				return nil
			})
		}
		require.NoError(t, g.Wait())
		require.Zero(t, running.Load(), "round %d, limit %d: a task was still running when Wait returned", round, limit)
		if round%50 == 0 {
			require.NoError(t, goleak.Find(others), "round %d, limit %d: a goroutine of the group outlived Wait", round, limit)
		}
	}
	require.NoError(t, goleak.Find(others))
}
