package chanx

import (
	"context"
	"sync"

	"github.com/boundgo/bound/internal/panics"
)

// A Pipeline owns the goroutines of a chain of stages (see [Source], [Map],
// [Filter], [FlatMap], [Batch], [Merge], [Tee], [Distribute]), the context
// they share and its cancel function. Every stage closes its output channel
// when it returns, and returns when its input is exhausted, when the
// pipeline's context is done, or when the pipeline is stopped. The first
// stage to fail (an error, a panic or runtime.Goexit in a stage function)
// cancels the context with its error, so every stage stops, and
// [Pipeline.Err] and [Pipeline.Stop] return that error.
//
// The consumer ranges over the last stage's channel and then calls Err, or
// calls Stop to leave early; `defer p.Stop()` is always safe. Build every
// stage before calling Err or Stop. Stage functions receive the pipeline's
// context and should return once it is done: Err and Stop wait for them.
// Stages read their inputs under the context, so an input channel that is
// never closed (one the caller owns) does not keep a stage alive.
//
// Create a Pipeline with [NewPipeline]; the zero Pipeline is not usable.
type Pipeline struct {
	parent context.Context
	ctx    context.Context
	cancel context.CancelCauseFunc
	wg     sync.WaitGroup // one count per stage goroutine

	mu       sync.Mutex
	err      error // first failure; guarded by mu
	cut      error // the parent's cause, as first seen by a stage about to close its output; guarded by mu
	stopped  bool  // Stop was called; guarded by mu
	finished bool  // err is final; guarded by mu
}

// NewPipeline returns an empty pipeline whose stages run under a context
// derived from ctx. The pipeline owns that context's cancel (pitfall A6):
// Err and Stop call it.
func NewPipeline(ctx context.Context) *Pipeline {
	p := &Pipeline{parent: ctx}
	p.ctx, p.cancel = context.WithCancelCause(ctx)
	return p
}

// Context returns the context the stages run under, for use by goroutines the
// caller starts with [Pipeline.Go]. It is done once a stage fails, the
// pipeline is stopped, or Err has returned.
func (p *Pipeline) Context() context.Context { return p.ctx }

// Go runs f in a goroutine the pipeline owns, as a stage of the caller's
// own making (a sink writing to a database, say). Its error, panic or
// runtime.Goexit fails the pipeline like any stage's, and Err waits for it.
func (p *Pipeline) Go(f func(ctx context.Context) error) {
	if f == nil {
		panic("chanx: Pipeline.Go with nil function")
	}
	p.goStage(func() error { return f(p.ctx) }, nil)
}

// Err waits for every stage to return, releases the pipeline's context and
// returns the first error: a stage's error, a [*cleanup.PanicError], or the
// cause of the parent context if it ended the pipeline. It is nil if the
// pipeline completed or was stopped by its consumer. Call it after the last
// stage's channel is drained; called earlier it waits for the consumer to
// drain it. Err may be called any number of times.
func (p *Pipeline) Err() error {
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.finished {
		p.finished = true
		if p.err == nil && !p.stopped {
			p.err = p.cut
		}
		p.cancel(nil)
	}
	return p.err
}

// Stop is for a consumer that leaves early: it cancels the pipeline's
// context with cause [ErrStopped], waits for every stage to return (each
// closes its output) and returns what [Pipeline.Err] returns. A stage error
// that happened before the stop is still returned. Stop may be called any
// number of times, and after Err.
func (p *Pipeline) Stop() error {
	p.mu.Lock()
	p.stopped = true
	p.cancel(ErrStopped)
	p.mu.Unlock()
	return p.Err()
}

// fail records the first error and cancels every stage with it.
func (p *Pipeline) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil || (p.stopped && stopNoise(err)) {
		return
	}
	p.err = err
	p.cancel(err)
}

// goStage runs body in an owned goroutine; then (even after a panic or
// Goexit) it runs after, which closes the stage's output. Just before that
// close the stage notes whether the parent context is done: a consumer
// that cancels the parent once it has seen the last output close cannot be
// what ended the stage, and must not turn a completed pipeline into a
// failed one. A stage without output (after == nil: [Pipeline.Go]) speaks
// for itself through its error.
func (p *Pipeline) goStage(body func() error, after func()) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		if after != nil {
			defer after()
			defer p.noteParent()
		}
		if err := panics.Call(body, p.failPanic); err != nil {
			p.fail(err)
		}
	}()
}

// noteParent records the parent's cause if the parent is done.
func (p *Pipeline) noteParent() {
	if p.parent.Err() == nil {
		return
	}
	cause := context.Cause(p.parent)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut == nil {
		p.cut = cause
	}
}

// failPanic is fail for a stage that called runtime.Goexit.
func (p *Pipeline) failPanic(e *panics.Error) { p.fail(e) }

// send sends v on ch unless done closes first.
func send[T any](done <-chan struct{}, ch chan<- T, v T) bool {
	select {
	case ch <- v:
		return true
	case <-done:
		return false
	}
}

// recv receives from ch unless done closes first; ok is false in both
// ending cases.
func recv[T any](done <-chan struct{}, ch <-chan T) (v T, ok bool) {
	select {
	case v, ok = <-ch:
		return v, ok
	case <-done:
		return v, false
	}
}
