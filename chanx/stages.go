package chanx

import (
	"context"
	"sync/atomic"
)

// Source starts f as the first stage of p and returns its output channel,
// unbuffered. f has the contract of the function given to [Produce]: it runs
// in a goroutine the pipeline owns, with the pipeline's context; yield sends
// a value and reports false, without sending, once the pipeline's context is
// done, and f should then return. The output is closed when f returns. An
// error, panic or runtime.Goexit in f fails the pipeline; a parent context
// done before f returned is reported by [Pipeline.Err].
func Source[T any](p *Pipeline, f func(ctx context.Context, yield func(T) bool) error) <-chan T {
	if f == nil {
		panic("chanx: Source with nil function")
	}
	out := make(chan T)
	done := p.done()
	var returned atomic.Bool // set before out is closed: a late yield (misuse) reports false
	yield := func(v T) bool {
		if returned.Load() {
			return false
		}
		select {
		case <-done:
			return false
		default:
		}
		return send(done, out, v)
	}
	p.goStage(func() error { return f(p.ctx, yield) }, func() {
		returned.Store(true)
		close(out)
	})
	return out
}

// Filter sends on, in order, the values from in for which keep reports true.
// keep runs in the stage's goroutine, one value at a time; a panic in it
// fails the pipeline.
func Filter[T any](p *Pipeline, in <-chan T, keep func(v T) bool) <-chan T {
	if keep == nil {
		panic("chanx: Filter with nil function")
	}
	out := make(chan T)
	done := p.done()
	p.goStage(func() error {
		for {
			v, ok := recv(done, in)
			if !ok {
				return nil
			}
			if keep(v) && !send(done, out, v) {
				return nil
			}
		}
	}, func() { close(out) })
	return out
}

// FlatMap sends on, in order, every value of fn(v) for each v from in. fn
// runs in the stage's goroutine, one value at a time, with the pipeline's
// context. The first error from fn fails the pipeline.
func FlatMap[In, Out any](p *Pipeline, in <-chan In, fn func(ctx context.Context, v In) ([]Out, error)) <-chan Out {
	if fn == nil {
		panic("chanx: FlatMap with nil function")
	}
	out := make(chan Out)
	ctx, done := p.ctx, p.done()
	p.goStage(func() error {
		for {
			v, ok := recv(done, in)
			if !ok {
				return nil
			}
			rs, err := fn(ctx, v)
			if err != nil {
				return err
			}
			for _, r := range rs {
				if !send(done, out, r) {
					return nil
				}
			}
		}
	}, func() { close(out) })
	return out
}
