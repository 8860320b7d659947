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
// [Results.Group] to set other options before the first task.
type Results[T any] struct {
	g Group

	mu   sync.Mutex
	vals []T // one per submitted task, by submission index; guarded by mu
}

// ResultsWithContext returns a new Results and its context, derived from
// ctx, as [WithContext] does for a Group.
func ResultsWithContext[T any](ctx context.Context) (*Results[T], context.Context) {
	r := new(Results[T])
	return r, r.g.bind(ctx)
}

// Group returns the group that runs r's tasks, to set its options (limit,
// policy, name, grace, panic capture) before the first task. Functions
// started on it directly produce no value in r.
func (r *Results[T]) Group() *Group { return &r.g }

// SetLimit is r.Group().SetLimit(n).
func (r *Results[T]) SetLimit(n int) { r.g.SetLimit(n) }

// Go is [Group.GoContext] for a function returning a value: it blocks while
// the group is at its limit, and does not run f once the context is done.
// The value f returns is kept only if its error is nil. Go panics if f is
// nil.
func (r *Results[T]) Go(f func(ctx context.Context) (T, error)) {
	if f == nil {
		panic("task: nil function passed to Results.Go")
	}
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
	err := r.g.Wait()
	r.mu.Lock()
	vals := r.vals
	r.vals = nil
	r.mu.Unlock()
	return vals, err
}
