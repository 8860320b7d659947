package task

import (
	"context"
	"iter"
)

// Map calls f on every element of in, at most limit at a time, and returns
// the results in the order of in. The limit follows the package's rule (see
// "Limits" in the package documentation): limit < 0 means no limit, and Map
// panics if limit is 0, whatever the length of in (an empty input must not
// hide the mistake).
//
// f receives a context derived from ctx that is cancelled at the first error.
// After the first error (or once ctx is done) no further element is started;
// Map waits for the calls in flight and returns nil and that error (or ctx's
// cause). A call to runtime.Goexit in f is reported as a
// [*github.com/boundgo/bound/cleanup.PanicError] matching
// [github.com/boundgo/bound/cleanup.ErrGoexit], never as a silent zero value.
// A panic in f crashes the program, as in a Group.
//
// Map does not start a goroutine per element: it runs f on at most
// min(limit, len(in)) goroutines (len(in) with no limit), started as
// [ForEach] starts them, which take the next index until none is left, so
// its cost per element is an atomic add. It returns once all of them have
// returned.
func Map[In, Out any](ctx context.Context, in []In, limit int, f func(ctx context.Context, v In) (Out, error)) ([]Out, error) {
	mustLimit("Map", limit, nil)
	return mapIndex(ctx, in, limit, nil, f)
}

// MapWithLimiter is [Map] whose calls each hold one permit of l while they
// run, on top of limit, as the tasks of a group with [Group.SetLimiter] do:
// calls of every Map, ForEach and group sharing l run at most l's size at
// once between them. A call waiting for a permit gives up once the context
// is done, and the elements left are not started, as after an error. Every
// permit is given back before MapWithLimiter returns. It runs no more
// goroutines than l's size. A nil l is no limiter; a limiter of size 0 grants
// no permit, and MapWithLimiter panics, as for a limit of 0.
func MapWithLimiter[In, Out any](ctx context.Context, in []In, limit int, l *Limiter, f func(ctx context.Context, v In) (Out, error)) ([]Out, error) {
	mustLimit("MapWithLimiter", limit, l)
	return mapIndex(ctx, in, limit, l, f)
}

// mapIndex is Map and MapWithLimiter once their arguments are checked.
func mapIndex[In, Out any](ctx context.Context, in []In, limit int, l *Limiter, f func(ctx context.Context, v In) (Out, error)) ([]Out, error) {
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	out := make([]Out, len(in))
	if len(in) == 0 {
		return out, nil
	}
	e := &mapIndexed[In, Out]{in: in, out: out, f: f}
	e.init(ctx, len(in), limit, l)
	if err := e.run(e.work); err != nil {
		return nil, err
	}
	return out, nil
}

// MapSeq is [Map] over an [iter.Seq]: it calls f on every element of seq,
// at most limit at a time, and returns the results in the order of seq.
// The limit, context, error and Goexit rules are Map's.
//
// seq is ranged over by the calling goroutine, once, so it need not be safe
// for concurrent use; calls of f overlap with the iteration. Once the
// context is done MapSeq takes no further element (seq's yield returns
// false). Each element is handed to an idle goroutine, and a new one is
// started only when none is idle and fewer than limit run: MapSeq runs at
// most min(limit, number of elements) goroutines (one per element at most,
// with no limit). If seq panics, the calls in flight are cancelled and
// waited for before the panic goes on.
func MapSeq[In, Out any](ctx context.Context, seq iter.Seq[In], limit int, f func(ctx context.Context, v In) (Out, error)) ([]Out, error) {
	mustLimit("MapSeq", limit, nil)
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	// Results go to chunks that never move, so that a call can write its
	// result while the iteration appends more: chunk k holds 8<<k results.
	type item struct {
		v   In
		out *Out
	}
	var chunks [][]Out
	var cur []Out
	items := func(yield func(item) bool) {
		for v := range seq {
			if len(cur) == cap(cur) {
				cur = make([]Out, 0, 8<<min(len(chunks), 16))
				chunks = append(chunks, cur)
			}
			cur = cur[:len(cur)+1]
			chunks[len(chunks)-1] = cur
			if !yield(item{v, &cur[len(cur)-1]}) {
				return
			}
		}
	}
	err := eachSeq(ctx, items, limit, func(ctx context.Context, it item) error {
		v, err := f(ctx, it.v)
		if err == nil {
			*it.out = v
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	n := 0
	for _, c := range chunks {
		n += len(c)
	}
	out := make([]Out, 0, n)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out, nil
}
