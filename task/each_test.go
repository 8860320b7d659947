package task

import (
	"context"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkIndexedTricks is the A/B benchmark of the two speed tricks of
// the engine of Map and ForEach, on BenchmarkForEach's loop (1,000 quick
// calls, at most 8 at a time): "tricks" is what the engine does; "eager"
// starts every worker at once instead of each worker starting the next
// (lazyWorkers); "watch" looks at the context before each element although
// its parent can never be done (skipWatch); "plain" does neither trick.
func BenchmarkIndexedTricks(b *testing.B) {
	in := make([]int, 1000)
	for i := range in {
		in[i] = i
	}
	ctx := context.Background()
	for _, c := range []struct {
		name        string
		lazy, watch bool
	}{{"tricks", true, false}, {"eager", false, false}, {"watch", true, true}, {"plain", false, true}} {
		b.Run(c.name, func(b *testing.B) {
			lazyWorkers, skipWatch = c.lazy, !c.watch
			defer func() { lazyWorkers, skipWatch = true, true }()
			b.ReportAllocs()
			out := make([]int, len(in))
			for b.Loop() {
				err := ForEach(ctx, in, 8, func(_ context.Context, v int) error {
					out[v] = v * v
					return nil
				})
				if err != nil {
					b.Fatalf("ForEach() = %v; want nil", err)
				}
			}
		})
	}
}

func TestIndexedWorkers(t *testing.T) {
	t.Run("each worker starts the next only once it has taken an element", func(t *testing.T) {
		// On one P, the first worker's successor waits for the first
		// worker to block or be preempted; 200 quick calls are done long
		// before (a time slice is 10ms), so that successor finds nothing
		// left and starts no other.
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
		const limit = 8
		in := make([]int, 200)
		for range 20 {
			e := &eachIndexed[int]{in: in, f: func(context.Context, int) error { return nil }}
			e.init(context.Background(), len(in), limit, nil)
			require.NoError(t, e.run(e.work))
			require.Less(t, e.started, limit, "workers started for 200 quick calls with a limit of %d", limit)
			require.GreaterOrEqual(t, e.started, 1)
		}
	})

	t.Run("without the trick every worker starts", func(t *testing.T) {
		lazyWorkers = false
		defer func() { lazyWorkers = true }()
		e := &eachIndexed[int]{in: make([]int, 200), f: func(context.Context, int) error { return nil }}
		e.init(context.Background(), 200, 8, nil)
		require.NoError(t, e.run(e.work))
		require.Equal(t, 8, e.started, "workers started by the plain half of BenchmarkIndexedTricks")
	})

	t.Run("a parent that can never be done is not looked at; one that can is", func(t *testing.T) {
		var e indexed
		e.init(context.Background(), 10, 2, nil)
		require.False(t, e.watch, "watch with context.Background() as parent")
		e.cancel(nil)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		e.init(ctx, 10, 2, nil)
		require.True(t, e.watch, "watch with a cancellable parent")
		e.cancel(nil)
	})
}
