package task

import (
	"context"
	"sync"
)

// Results is a Group whose tasks each return a value; Wait returns the
// values in the order the tasks were submitted, whatever order they finished
// in.
//
// A zero Results is valid: no limit, no context cancellation (its tasks get
// [context.Background]). Use [ResultsWithContext] for a cancelling one, and
// [Results.Group] for the options Results does not forward. As a Group's,
// its options may be set while no task is active.
type Results[T any] struct {
	g Group

	mu   sync.Mutex
	vals []T // one per submitted task, by submission index; guarded by mu
	won  int // 1 + the index of the first task to succeed, 0 if none; guarded by mu
}

// ResultsWithContext returns a new Results and its context, derived from
// ctx, as [WithContext] does for a Group.
func ResultsWithContext[T any](ctx context.Context) (*Results[T], context.Context) {
	r := new(Results[T])
	return r, r.g.bind(ctx)
}

// Group returns the group that runs r's tasks, to set its options (limit,
// error policy, name, grace, panic capture) while no task is active.
// Functions started on it directly produce no value in r.
func (r *Results[T]) Group() *Group { return &r.g }

// SetLimit is r.Group().SetLimit(n).
func (r *Results[T]) SetLimit(n int) { r.g.SetLimit(n) }

// SetErrorPolicy is r.Group().SetErrorPolicy(p). With [FirstSuccess],
// [Results.WaitFirst] returns the winner.
func (r *Results[T]) SetErrorPolicy(p ErrorPolicy) { r.g.SetErrorPolicy(p) }

// SetLimiter is r.Group().SetLimiter(l): every task holds one permit of l
// while it runs.
func (r *Results[T]) SetLimiter(l *Limiter) { r.g.SetLimiter(l) }

// Go is [Group.GoContext] for a function returning a value: it blocks while
// the group is at its limit, and does not run f once the context is done.
// The value f returns is kept only if its error is nil. Go panics if f is
// nil, or if the limit is 0 or the limiter has no permit.
func (r *Results[T]) Go(f func(ctx context.Context) (T, error)) {
	if f == nil {
		panic("task: nil function passed to Results.Go")
	}
	r.g.mayStart("Results.Go")
	r.mu.Lock()
	i := len(r.vals)
	var zero T
	r.vals = append(r.vals, zero)
	r.mu.Unlock()
	r.g.GoContext(r.task(i, f))
}

// TryGo is Go without blocking; it reports false when the group is at its
// limit or its context is done. A refused function takes no place in the
// results. TryGo panics if f is nil.
func (r *Results[T]) TryGo(f func(ctx context.Context) (T, error)) bool {
	if f == nil {
		panic("task: nil function passed to Results.TryGo")
	}
	// Holding mu across TryGoContext, which never blocks, keeps the index
	// and the place in vals in step; the task takes mu only to store.
	r.mu.Lock()
	defer r.mu.Unlock()
	i := len(r.vals)
	if !r.g.TryGoContext(r.task(i, f)) {
		return false
	}
	var zero T
	r.vals = append(r.vals, zero)
	return true
}

// task wraps f to store its value at index i.
func (r *Results[T]) task(i int, f func(ctx context.Context) (T, error)) func(context.Context) error {
	return func(ctx context.Context) error {
		v, err := f(ctx)
		if err == nil {
			r.mu.Lock()
			r.vals[i] = v
			if r.won == 0 {
				r.won = i + 1
			}
			r.mu.Unlock()
		}
		return err
	}
}

// Wait blocks until every task has returned and returns their values in
// submission order, with what [Group.Wait] returns. A task that failed, or
// that never ran because the context was done, leaves the zero value in its
// place. Wait empties r, which may then be used again.
func (r *Results[T]) Wait() ([]T, error) {
	vals, _, err := r.wait()
	return vals, err
}

// WaitFirst waits as Wait does and returns the value of the task that
// succeeded first (the first to return a nil error, in the order the tasks
// returned, not the order they were submitted) and its index in submission
// order, with what Wait returns. If no task succeeded, it returns the zero T
// and index -1: then err is not nil, unless no task was submitted at all.
//
// It is made for the [FirstSuccess] policy (hedged requests), where the
// first success cancels the others and err is nil as soon as one task
// succeeded: index says which one won, since the zero T may be a valid
// result. Under the other policies it still reports the first success,
// next to the error Wait returns. Like Wait, it empties r.
func (r *Results[T]) WaitFirst() (v T, index int, err error) {
	vals, won, err := r.wait()
	if won == 0 {
		return v, -1, err
	}
	return vals[won-1], won - 1, err
}

// wait is Wait, with the first success.
func (r *Results[T]) wait() ([]T, int, error) {
	err := r.g.Wait()
	r.mu.Lock()
	vals, won := r.vals, r.won
	r.vals, r.won = nil, 0
	r.mu.Unlock()
	return vals, won, err
}
