package task

import (
	"context"
	"iter"
)

// ForEach calls f on every element of in, at most limit at a time, and
// returns the first error: [Map] without results, with Map's rules. The
// limit follows the package's rule (see "Limits" in the package
// documentation): limit < 0 means no limit, and ForEach panics if limit is
// 0, whatever the length of in.
//
// f receives a context derived from ctx that is cancelled at the first error.
// After the first error (or once ctx is done) no further element is started;
// ForEach waits for the calls in flight and returns that error (or ctx's
// cause, if an element was left unstarted). A call to runtime.Goexit in f is
// reported as a [*github.com/boundgo/bound/cleanup.PanicError] matching
// [github.com/boundgo/bound/cleanup.ErrGoexit]; a panic in f crashes the
// program, as in a Group. Calls start in the order of in, but may end in any
// order.
//
// ForEach calls f on at most min(limit, len(in)) goroutines (len(in) with
// no limit), which take the next index until none is left, and returns once
// all of them have returned. Each goroutine is started by the one before
// it, as soon as that one has taken an element and before it calls f on
// it: calls that block or take long get all of them, while a loop of quick
// calls may be done before the later ones would have found an element, and
// those are then never started.
func ForEach[T any](ctx context.Context, in []T, limit int, f func(ctx context.Context, v T) error) error {
	mustLimit("ForEach", limit, nil)
	return forEachIndex(ctx, in, limit, nil, f)
}

// ForEachWithLimiter is [ForEach] whose calls each hold one permit of l
// while they run, on top of limit, with the rules of [MapWithLimiter].
func ForEachWithLimiter[T any](ctx context.Context, in []T, limit int, l *Limiter, f func(ctx context.Context, v T) error) error {
	mustLimit("ForEachWithLimiter", limit, l)
	return forEachIndex(ctx, in, limit, l, f)
}

// forEachIndex is ForEach and ForEachWithLimiter once their arguments are
// checked.
func forEachIndex[T any](ctx context.Context, in []T, limit int, l *Limiter, f func(ctx context.Context, v T) error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	if len(in) == 0 {
		return nil
	}
	e := &eachIndexed[T]{in: in, f: f}
	e.init(ctx, len(in), limit, l)
	return e.run(e.work)
}

// ForEachSeq is [ForEach] over an [iter.Seq], with its rules. seq is
// ranged over by the calling goroutine, once, so it need not be safe for
// concurrent use; calls of f overlap with the iteration. Once the context
// is done ForEachSeq takes no further element (seq's yield returns false).
// Each element is handed to an idle goroutine, and a new one is started
// only when none is idle and fewer than limit run: ForEachSeq runs at most
// min(limit, number of elements) goroutines. If seq panics, the calls in
// flight are cancelled and waited for before the panic goes on.
func ForEachSeq[T any](ctx context.Context, seq iter.Seq[T], limit int, f func(ctx context.Context, v T) error) error {
	mustLimit("ForEachSeq", limit, nil)
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return eachSeq(ctx, seq, limit, f)
}
