package chanx

import (
	"context"
	"sync"

	"github.com/boundgo/bound/internal/panics"
)

// A Pipeline owns the goroutines of a chain of stages (see [Source], [Map],
// [MapUnordered], [Filter], [FlatMap], [Batch], [Merge], [Tee], [Distribute]
// and [Pipeline.Go]), the context they share and its cancel function. Every
// stage closes its output channel when it returns, and returns when its
// input is exhausted, when the pipeline's context is done, or when the
// pipeline is stopped. The first stage to fail (an error, a panic or
// runtime.Goexit in a stage function) cancels the context with its error,
// so every stage stops, and [Pipeline.Err] returns that error.
//
// The consumer ranges over the last stage's channel and then calls Err, or
// calls Stop to leave early: `defer p.Stop()` is always safe. Build every
// stage before calling Err or Stop; adding one afterwards panics. Stage
// functions receive the pipeline's context and should return once it is
// done: Err and Stop wait for them, so a stage function must not call Err
// or Stop itself. Stages read their inputs under the context, so an input
// channel that is never closed (one the caller owns) does not keep a stage
// alive.
//
// Create a Pipeline with [NewPipeline]; the zero Pipeline is not usable.
type Pipeline struct {
	parent context.Context
	ctx    context.Context
	cancel context.CancelCauseFunc
	wg     sync.WaitGroup // one count per stage goroutine

	mu          sync.Mutex
	err         error // first failure; guarded by mu
	cut         error // the parent's cause, as first seen by a stage about to close its output; guarded by mu
	stopped     bool  // Stop was called; guarded by mu
	parentFirst bool  // the parent was done when Stop was first called; guarded by mu
	finished    bool  // err is final; guarded by mu
}

// NewPipeline returns an empty pipeline whose stages run under a context
// derived from ctx. The pipeline owns that context's cancel (pitfall A6 in
// the README's catalogue): Err and Stop call it.
func NewPipeline(ctx context.Context) *Pipeline {
	p := &Pipeline{parent: ctx}
	p.ctx, p.cancel = context.WithCancelCause(ctx)
	return p
}

// Context returns the context the stages run under, for use by goroutines the
// caller starts with [Pipeline.Go]. It is done once the parent is done, a
// stage fails, the pipeline is stopped, or Err has returned.
func (p *Pipeline) Context() context.Context {
	p.check()
	return p.ctx
}

// done returns the stages' Done channel; it is how every stage constructor
// starts, so the zero Pipeline panics there with a clear message.
func (p *Pipeline) done() <-chan struct{} {
	p.check()
	return p.ctx.Done()
}

func (p *Pipeline) check() {
	if p.ctx == nil {
		panic("chanx: Pipeline not made by NewPipeline")
	}
}

// Go runs f in a goroutine the pipeline owns, as a stage of the caller's
// own making (a sink writing to a database, say). Its error, panic or
// runtime.Goexit fails the pipeline like any stage's, and Err waits for it.
//
// The pipeline closes no output for f, so it cannot tell an f that finished
// its work from one that the parent's end cut short: f says so itself. An f
// that stops early because ctx is done should return context.Cause(ctx) (or
// ctx.Err()); a nil error means f completed.
func (p *Pipeline) Go(f func(ctx context.Context) error) {
	if f == nil {
		panic("chanx: Pipeline.Go with nil function")
	}
	p.check()
	p.goStage(func() error { return f(p.ctx) }, nil)
}

// Err waits for every stage to return, releases the pipeline's context and
// reports what went wrong: a stage's error, a [*github.com/boundgo/bound/cleanup.PanicError], or the
// cause of the parent context if the parent was done before some stage had
// closed its output (a pipeline cut short never looks complete; a parent
// that ends after the last output closed is not reported). It is nil if the
// pipeline completed.
//
// After [Pipeline.Stop], Err never reports the cancellation Stop caused: an
// error matching [ErrStopped] or context.Canceled that a stage returns once
// Stop has cancelled it is not an error of the pipeline, so a pipeline Stop
// cut short reports nil, while a stage's own error is still reported. If the
// parent was done before Stop was called, Err reports its cause as above.
//
// Call Err after the last stage's channel is drained; called earlier it
// waits for the consumer to drain it. Err may be called any number of
// times, from any goroutine, and returns the same error each time.
func (p *Pipeline) Err() error {
	p.check()
	p.wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// wait waits for every stage to return and, the first time, settles err
// and releases the context.
func (p *Pipeline) wait() {
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	p.finished = true
	if p.err == nil && (!p.stopped || p.parentFirst) {
		p.err = p.cut
	}
	p.cancel(nil)
}

// Stop is for a consumer that leaves early: it cancels the pipeline's
// context with cause [ErrStopped] and waits for every stage to return (each
// closes its output). [Pipeline.Err] then reports what went wrong before or
// apart from the stop. Stop may be called any number of times, from any
// goroutine, and after Err.
func (p *Pipeline) Stop() {
	p.check()
	p.mu.Lock()
	if !p.stopped {
		p.stopped = true
		p.parentFirst = p.parent.Err() != nil
	}
	p.cancel(ErrStopped)
	p.mu.Unlock()
	p.wait()
}

// fail records the first error and cancels every stage with it.
func (p *Pipeline) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil || (p.stopped && !p.parentFirst && stopNoise(err)) {
		return
	}
	p.err = err
	p.cancel(err)
}

// goStage runs body in an owned goroutine; then (even after a panic or
// Goexit) it runs after, which closes the stage's output.
func (p *Pipeline) goStage(body func() error, after func()) {
	p.mu.Lock()
	if p.stopped || p.finished {
		p.mu.Unlock()
		panic("chanx: stage added to a Pipeline after Stop or Err")
	}
	p.wg.Add(1)
	p.mu.Unlock()
	go p.run(body, after)
}

// spawn is goStage for a goroutine that a running stage starts: that stage
// keeps the WaitGroup above zero, and a Stop that came meanwhile is no
// misuse.
func (p *Pipeline) spawn(body func() error, after func()) {
	p.wg.Add(1)
	go p.run(body, after)
}

// run is the body of every stage goroutine. Just before after closes the
// stage's output, the stage notes whether the parent context is done: a
// consumer that cancels the parent once it has seen the last output close
// cannot be what ended the stage, and must not turn a completed pipeline
// into a failed one. A stage without output (after == nil: [Pipeline.Go])
// speaks for itself through its error.
func (p *Pipeline) run(body func() error, after func()) {
	defer p.wg.Done()
	if after != nil {
		defer after()
		defer p.noteParent()
	}
	if err := panics.Call(body, p.failPanic); err != nil {
		p.fail(err)
	}
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
