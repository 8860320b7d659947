package task_test

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/boundgo/bound/task"
)

// One Limiter caps the database calls of every request at once, while each
// request keeps its own Group, context and lifetime.
func ExampleLimiter() {
	dbCalls := task.NewLimiter(2) // shared by the whole server
	var inFlight, peak atomic.Int64
	query := func(ctx context.Context, q string) (int, error) {
		if err := dbCalls.Acquire(ctx, 1); err != nil {
			return 0, err
		}
		defer dbCalls.Release(1)
		n := inFlight.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		defer inFlight.Add(-1)
		return len(q), nil
	}

	// Two requests, each with its own group of five queries.
	handle := func(ctx context.Context, queries []string) (int, error) {
		rows, err := task.Map(ctx, queries, -1, query)
		total := 0
		for _, r := range rows {
			total += r
		}
		return total, err
	}
	g, ctx := task.WithContext(context.Background())
	var a, b int
	g.Go(func() (err error) { a, err = handle(ctx, []string{"a", "bb", "ccc", "dddd", "eeeee"}); return err })
	g.Go(func() (err error) { b, err = handle(ctx, []string{"f", "g", "h", "i", "j"}); return err })
	fmt.Println(a, b, g.Wait())
	fmt.Println("at most 2 calls at once:", peak.Load() <= 2)
	// Output:
	// 15 5 <nil>
	// at most 2 calls at once: true
}

// Weights need not be 1: here a budget of bytes in flight, where each
// upload takes as many permits as it has bytes.
func ExampleNewLimiter() {
	memory := task.NewLimiter(1 << 20) // 1 MiB of uploads in memory at once
	upload := func(ctx context.Context, data []byte) error {
		if err := memory.Acquire(ctx, int64(len(data))); err != nil {
			return err
		}
		defer memory.Release(int64(len(data)))
		return nil // send data
	}
	fmt.Println(upload(context.Background(), make([]byte, 512<<10)))
	fmt.Println(memory.TryAcquire(1 << 20)) // the budget is whole again
	// Output:
	// <nil>
	// true
}

// Acquire gives up when its context is done, and then holds nothing.
func ExampleLimiter_Acquire() {
	l := task.NewLimiter(1)
	_ = l.Acquire(context.Background(), 1) // the only permit

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	fmt.Println(l.Acquire(ctx, 1))

	l.Release(1)
	fmt.Println(l.TryAcquire(1)) // the timed-out call took nothing
	// Output:
	// context deadline exceeded
	// true
}

// TryAcquire sheds load instead of queueing it.
func ExampleLimiter_TryAcquire() {
	l := task.NewLimiter(2)
	for i := range 3 {
		if !l.TryAcquire(1) {
			fmt.Println("request", i, "refused: busy")
			continue
		}
		fmt.Println("request", i, "accepted")
	}
	// Output:
	// request 0 accepted
	// request 1 accepted
	// request 2 refused: busy
}

// Release wakes waiters in the order they came; a request at the head of
// the queue is served before smaller ones that would fit, so a writer that
// needs every permit is not starved by readers that take one each.
func ExampleLimiter_Release() {
	ctx := context.Background()
	l := task.NewLimiter(3)
	_ = l.Acquire(ctx, 2) // two readers hold a permit each

	writer := make(chan string)
	go func() {
		_ = l.Acquire(ctx, 3) // waits for every permit
		writer <- "writer has all 3 permits"
		l.Release(3)
	}()
	// Wait until the writer is queued: from then on TryAcquire fails.
	for l.TryAcquire(1) {
		l.Release(1)
		runtime.Gosched()
	}
	fmt.Println("a new reader gets the free permit:", l.TryAcquire(1))

	l.Release(2) // the readers leave
	fmt.Println(<-writer)
	// Output:
	// a new reader gets the free permit: false
	// writer has all 3 permits
}
