package task

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/boundgo/bound/internal/panics"
)

// Map calls f on every element of in, at most limit at a time, and returns
// the results in the order of in. The limit follows the package's rule (see
// "Limits" in the package documentation): limit < 0 means no limit, and Map
// panics if limit is 0, whatever the length of in (an empty input must not
// hide the mistake).
//
// f receives a context derived from ctx that is cancelled at the first
// error. After the first error (or once ctx is done) no further element is
// started; Map waits for the calls in flight and returns nil and that error
// (or ctx's cause). A call to runtime.Goexit in f is reported as a
// [*cleanup.PanicError] matching [cleanup.ErrGoexit], never as a silent zero
// value. A panic in f crashes the program, as in a Group.
//
// Map does not start a goroutine per element: it starts min(limit, len(in))
// goroutines (len(in) with no limit) that take the next index until none is
// left, so its cost per element is an atomic add. It returns once all of
// them have returned.
func Map[In, Out any](ctx context.Context, in []In, limit int, f func(ctx context.Context, v In) (Out, error)) ([]Out, error) {
	if limit == 0 {
		panic("task: Map with a limit of 0: no element can ever start")
	}
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	n := len(in)
	if limit < 0 || limit > n {
		limit = n
	}
	out := make([]Out, n)
	if n == 0 {
		return out, nil
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		next    atomic.Int64
		stopped atomic.Bool // an element was left unstarted
		errOnce sync.Once
		first   error
		wg      sync.WaitGroup
	)
	fail := func(err error) {
		errOnce.Do(func() {
			first = err
			cancel(err)
		})
	}
	done := ctx.Done()
	loop := func() error {
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return nil
			}
			select {
			case <-done:
				stopped.Store(true)
				return nil
			default:
			}
			v, err := f(ctx, in[i])
			if err != nil {
				fail(err)
				stopped.Store(true)
				return nil
			}
			out[i] = v
		}
	}
	// runtime.Goexit in f is reported, never left as a silent zero value;
	// a panic is not recovered and crashes the program anyway.
	aborted := func() { fail(panics.New(nil)) }
	work := func() {
		defer wg.Done()
		_ = panics.Watch(loop, aborted)
	}
	wg.Add(limit)
	for range limit {
		go work()
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	if stopped.Load() {
		return nil, context.Cause(ctx)
	}
	return out, nil
}
