package task_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/boundgo/bound/cleanup"
	"github.com/boundgo/bound/task"
)

// The zero Group is errgroup.Group: Go, then Wait for the first error.
func ExampleGroup() {
	var g task.Group
	for _, name := range []string{"a", "b", "c"} {
		g.Go(func() error {
			if name == "b" {
				return fmt.Errorf("fetch %s: not found", name)
			}
			return nil
		})
	}
	fmt.Println(g.Wait())
	// Output: fetch b: not found
}

func ExampleWithContext() {
	g, ctx := task.WithContext(context.Background())
	g.Go(func() error { return errors.New("boom") })
	g.Go(func() error {
		<-ctx.Done() // cancelled by the other task's error
		return nil
	})
	fmt.Println(g.Wait(), context.Cause(ctx))
	// Output: boom boom
}

func ExampleGroup_Go() {
	var g task.Group
	results := make([]int, 3)
	for i := range results {
		g.Go(func() error {
			results[i] = i * i
			return nil
		})
	}
	_ = g.Wait()
	fmt.Println(results)
	// Output: [0 1 4]
}

func ExampleGroup_TryGo() {
	var g task.Group
	g.SetLimit(1)
	release := make(chan struct{})
	fmt.Println(g.TryGo(func() error { <-release; return nil }))
	fmt.Println(g.TryGo(func() error { return nil })) // at the limit
	close(release)
	_ = g.Wait()
	// Output:
	// true
	// false
}

func ExampleGroup_SetLimit() {
	var g task.Group
	g.SetLimit(2) // at most two at a time, on reused workers
	var sum [10]int
	for i := range sum {
		g.Go(func() error { sum[i] = i; return nil })
	}
	_ = g.Wait()
	fmt.Println(sum)
	// Output: [0 1 2 3 4 5 6 7 8 9]
}

func ExampleGroup_Wait() {
	errNotFound := errors.New("not found")
	var g task.Group
	g.Go(func() error { return errNotFound })
	err := g.Wait()
	fmt.Println(err == errNotFound) // the error value itself, as errgroup
	// Output: true
}

// GoContext hands each task the group's context: nothing to capture, nothing
// to rebuild from context.Background (pitfall A5). Once the context is done,
// no new task starts.
func ExampleGroup_GoContext() {
	parent, cancel := context.WithCancelCause(context.Background())
	g, _ := task.WithContext(parent)
	cancel(errors.New("shutting down"))
	g.GoContext(func(ctx context.Context) error {
		fmt.Println("never runs")
		return nil
	})
	fmt.Println(g.Wait())
	// Output: shutting down
}

func ExampleGroup_TryGoContext() {
	g, ctx := task.WithContext(context.Background())
	started := g.TryGoContext(func(ctx context.Context) error { return errors.New("boom") })
	_ = g.Wait() // also cancels ctx
	fmt.Println(started, ctx.Err() != nil)
	fmt.Println(g.TryGoContext(func(context.Context) error { return nil }))
	// Output:
	// true true
	// false
}

// A named task carries the pprof labels group=<group name> and
// task=<task name>, in a goroutine profile and on its context.
func ExampleGroup_GoNamed() {
	var g task.Group
	g.SetName("crawler")
	g.GoNamed("fetch", func(ctx context.Context) error {
		group, _ := pprof.Label(ctx, "group")
		name, _ := pprof.Label(ctx, "task")
		fmt.Println(group, name)
		return nil
	})
	_ = g.Wait()
	// Output: crawler fetch
}

func ExampleGroup_SetName() {
	g, _ := task.WithContext(context.Background())
	g.SetName("indexer")
	g.GoContext(func(ctx context.Context) error {
		name, _ := pprof.Label(ctx, "group")
		fmt.Println(name)
		return nil
	})
	_ = g.Wait()
	// Output: indexer
}

// A task that ignores its context is named, with its stack, after the grace
// period, instead of Wait hanging with no word (pitfall A4).
func ExampleGroup_SetGrace() {
	parent, cancel := context.WithCancel(context.Background())
	g, _ := task.WithContext(parent)
	g.SetGrace(10 * time.Millisecond)
	release, started := make(chan struct{}), make(chan struct{})
	g.GoNamed("stubborn", func(ctx context.Context) error {
		close(started)
		<-release // should have selected on ctx.Done() too
		return nil
	})
	<-started
	cancel()
	err := g.Wait()
	var leak *task.LeakError
	if errors.As(err, &leak) {
		fmt.Println(leak.Tasks[0].Name, bytes.Contains(leak.Tasks[0].Stack, []byte("ExampleGroup_SetGrace")))
	}
	close(release)
	// Output: stubborn true
}

func ExampleLeakError() {
	err := error(&task.LeakError{
		Group: "crawler",
		Grace: time.Second,
		Err:   context.Canceled,
		Tasks: []task.LeakedTask{{Name: "fetch", Stack: []byte("goroutine 7 [select]:\n...")}},
	})
	fmt.Println(strings.SplitN(err.Error(), "\n", 2)[0])
	fmt.Println(errors.Is(err, context.Canceled))
	// Output:
	// task: 1 task(s) of group "crawler" still running 1s after the context was done (context canceled): "fetch"
	// true
}

func ExampleLeakedTask() {
	t := task.LeakedTask{Name: "fetch", Stack: []byte("goroutine 7 [select]:")}
	fmt.Println(t.Name)
	// Output: fetch
}

func ExampleGroup_SetErrorPolicy() {
	errA, errB := errors.New("a failed"), errors.New("b failed")
	var g task.Group
	g.SetErrorPolicy(task.AllErrors)
	g.Go(func() error { return errA })
	g.Go(func() error { return errB })
	err := g.Wait()
	fmt.Println(errors.Is(err, errA), errors.Is(err, errB))
	// Output: true true
}

// FirstSuccess hedges: the first replica to answer wins and cancels the
// others.
func ExampleErrorPolicy() {
	g, ctx := task.WithContext(context.Background())
	g.SetErrorPolicy(task.FirstSuccess)
	answer := make(chan string, 2)
	for _, replica := range []string{"slow", "fast"} {
		g.GoContext(func(ctx context.Context) error {
			if replica == "slow" {
				<-ctx.Done()
				return ctx.Err()
			}
			answer <- replica
			return nil
		})
	}
	fmt.Println(g.Wait(), <-answer, ctx.Err() != nil)
	// Output: <nil> fast true
}

// AllErrorsFailFast stops the other tasks at the first error, and still
// reports every error that is not just the echo of that cancellation.
func ExampleErrorPolicy_failFast() {
	g, _ := task.WithContext(context.Background())
	g.SetErrorPolicy(task.AllErrorsFailFast)
	g.SetLimit(1) // one at a time, so the output is the same every run
	g.Go(func() error { return errors.New("disk full") })
	g.GoContext(func(ctx context.Context) error { return errors.New("never runs: cancelled") })
	g.Go(func() error { return errors.New("quota exceeded") }) // Go runs even after the cancel
	fmt.Println(g.Wait())
	// Output:
	// disk full
	// quota exceeded
}

func ExampleGroup_CapturePanics() {
	var g task.Group
	g.CapturePanics()
	g.Go(func() error { panic("boom") })
	err := g.Wait()
	var pe *cleanup.PanicError
	fmt.Println(errors.As(err, &pe), pe.Value)
	// Output: true boom
}

// Run returns only after every task it started has returned: a task cannot
// outlive its scope (pitfall A3).
func ExampleRun() {
	err := task.Run(context.Background(), func(ctx context.Context, g *task.Group) error {
		g.SetLimit(2)
		for i := range 3 {
			g.GoContext(func(ctx context.Context) error {
				if i == 2 {
					return fmt.Errorf("task %d failed", i)
				}
				return nil
			})
		}
		return nil
	})
	fmt.Println(err)
	// Output: task 2 failed
}

// A deferred Stop cancels and waits, so an early return leaves no task
// running; the cancellation it causes is not reported as an error.
func ExampleGroup_Stop() {
	work := func(fail bool) error {
		g, _ := task.WithContext(context.Background())
		defer g.Stop() // cancels, then waits: nothing outlives the return
		g.GoContext(func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		})
		if fail {
			return errors.New("early return")
		}
		g.Stop()        // done early: cancel the task above
		return g.Wait() // nil: its ctx.Err() is the cancellation Stop caused
	}
	fmt.Println(work(true))
	fmt.Println(work(false))
	// Output:
	// early return
	// <nil>
}

func ExampleErrStopped() {
	g, ctx := task.WithContext(context.Background())
	g.Stop()
	fmt.Println(context.Cause(ctx))
	fmt.Println(errors.Is(context.Cause(ctx), task.ErrStopped), errors.Is(context.Cause(ctx), context.Canceled))
	// Output:
	// task: group stopped
	// true true
}

func ExampleResults() {
	var r task.Results[string]
	for _, id := range []int{3, 1, 2} {
		r.Go(func(ctx context.Context) (string, error) {
			return fmt.Sprintf("item-%d", id), nil
		})
	}
	items, err := r.Wait()
	fmt.Println(items, err)
	// Output: [item-3 item-1 item-2] <nil>
}

func ExampleResultsWithContext() {
	r, _ := task.ResultsWithContext[int](context.Background())
	r.SetLimit(2)
	for i := range 4 {
		r.Go(func(ctx context.Context) (int, error) { return i * 10, nil })
	}
	fmt.Println(r.Wait())
	// Output: [0 10 20 30] <nil>
}

func ExampleResults_TryGo() {
	var r task.Results[int]
	r.SetLimit(1)
	release := make(chan struct{})
	fmt.Println(r.TryGo(func(context.Context) (int, error) { <-release; return 1, nil }))
	fmt.Println(r.TryGo(func(context.Context) (int, error) { return 2, nil }))
	close(release)
	fmt.Println(r.Wait())
	// Output:
	// true
	// false
	// [1] <nil>
}

func ExampleResults_Group() {
	var r task.Results[int]
	r.Group().SetErrorPolicy(task.AllErrors)
	r.SetLimit(1) // one at a time, so the errors come in order
	r.Go(func(context.Context) (int, error) { return 0, errors.New("x") })
	r.Go(func(context.Context) (int, error) { return 0, errors.New("y") })
	_, err := r.Wait()
	fmt.Println(err)
	// Output:
	// x
	// y
}

// WaitFirst says which hedged request won: the zero value may be a valid
// answer, so the index is what tells.
func ExampleResults_WaitFirst() {
	r, _ := task.ResultsWithContext[int](context.Background())
	r.SetErrorPolicy(task.FirstSuccess)
	for _, replica := range []string{"slow", "fast"} {
		r.Go(func(ctx context.Context) (int, error) {
			if replica == "slow" {
				<-ctx.Done() // cancelled by the first success
				return 0, ctx.Err()
			}
			return 0, nil // a valid answer that happens to be zero
		})
	}
	v, i, err := r.WaitFirst()
	fmt.Println(v, i, err)
	// Output: 0 1 <nil>
}

func ExampleResults_SetErrorPolicy() {
	var r task.Results[string]
	r.SetErrorPolicy(task.AllErrors)
	r.SetLimit(1) // one at a time, so the errors come in order
	r.Go(func(context.Context) (string, error) { return "", errors.New("x failed") })
	r.Go(func(context.Context) (string, error) { return "y", nil })
	r.Go(func(context.Context) (string, error) { return "", errors.New("z failed") })
	vals, err := r.Wait()
	fmt.Printf("%q\n%v\n", vals, err)
	// Output:
	// ["" "y" ""]
	// x failed
	// z failed
}

func ExampleMap() {
	lengths, err := task.Map(context.Background(), []string{"a", "bb", "ccc"}, 2,
		func(ctx context.Context, s string) (int, error) { return len(s), nil })
	fmt.Println(lengths, err)
	// Output: [1 2 3] <nil>
}

func ExampleMapSeq() {
	words := strings.Fields("the quick brown fox")
	lengths, err := task.MapSeq(context.Background(), slices.Values(words), 2,
		func(ctx context.Context, w string) (int, error) { return len(w), nil })
	fmt.Println(lengths, err)
	// Output: [3 5 5 3] <nil>
}

func ExampleForEach() {
	var total atomic.Int64
	err := task.ForEach(context.Background(), []int{1, 2, 3, 4}, 2,
		func(ctx context.Context, v int) error {
			total.Add(int64(v))
			return nil
		})
	fmt.Println(total.Load(), err)
	// Output: 10 <nil>
}

// ForEachSeq starts nothing after the first error, and stops the iterator.
func ExampleForEachSeq() {
	text := "ok 1\nok 2\nbad 3\nok 4\nok 5\nok 6\n"
	lines := func(yield func(string) bool) {
		for line := range strings.Lines(text) {
			if !yield(strings.TrimSpace(line)) {
				return // ForEachSeq stopped: read no further
			}
		}
	}
	var parsed atomic.Int32
	err := task.ForEachSeq(context.Background(), lines, 1, func(ctx context.Context, line string) error {
		parsed.Add(1)
		if strings.HasPrefix(line, "bad") {
			return fmt.Errorf("parse %q: bad line", line)
		}
		return nil
	})
	fmt.Println(err, parsed.Load())
	// Output: parse "bad 3": bad line 3
}

// Groups that share a Limiter run at most its size of tasks at once between
// them: here every request has its own group, and all of them together make
// at most 2 database calls at once.
func ExampleGroup_SetLimiter() {
	db := task.NewLimiter(2)
	var most, now atomic.Int32
	query := func() error {
		n := now.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		defer now.Add(-1)
		return nil
	}
	serve := func(ctx context.Context) error {
		g, _ := task.WithContext(ctx)
		g.SetLimiter(db)
		for range 10 {
			g.Go(query)
		}
		return g.Wait()
	}
	var requests task.Group
	for range 5 {
		requests.Go(func() error { return serve(context.Background()) })
	}
	fmt.Println(requests.Wait(), most.Load() <= 2)
	// Output: <nil> true
}

func ExampleMapWithLimiter() {
	db := task.NewLimiter(4) // shared with every other user of the database
	ids := []int{7, 3, 5}
	names, err := task.MapWithLimiter(context.Background(), ids, -1, db,
		func(ctx context.Context, id int) (string, error) { return fmt.Sprint("user-", id), nil })
	fmt.Println(names, err)
	// Output: [user-7 user-3 user-5] <nil>
}

func ExampleForEachWithLimiter() {
	db := task.NewLimiter(1)
	var sum atomic.Int64
	err := task.ForEachWithLimiter(context.Background(), []int64{1, 2, 3}, 2, db,
		func(ctx context.Context, v int64) error { sum.Add(v); return nil })
	fmt.Println(sum.Load(), err)
	// Output: 6 <nil>
}

func ExampleResults_SetLimiter() {
	db := task.NewLimiter(2)
	var r task.Results[int]
	r.SetLimiter(db)
	for i := range 4 {
		r.Go(func(ctx context.Context) (int, error) { return i * i, nil })
	}
	fmt.Println(r.Wait())
	// Output: [0 1 4 9] <nil>
}
