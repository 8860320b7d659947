package typed

import (
	"context"
	"sync"

	"github.com/boundgo/bound/cleanup"
	"github.com/boundgo/bound/internal/panics"
)

// A Singleflight suppresses duplicate calls: while a call for a key is in
// flight, callers with the same key wait for its result instead of starting
// their own. It is a typed golang.org/x/sync/singleflight.Group, with one
// change: a caller whose context is done stops waiting, at once, without
// cancelling the shared call for the callers still waiting.
//
// The function runs in a goroutine of its own (so that the caller that started
// it can leave too), with a context that carries the values of the first
// caller's context but not its deadline or cancellation. That context is
// cancelled when every caller has stopped waiting, and the key is then
// forgotten so that a later caller starts afresh: a call nobody waits for is
// told to stop.
//
// The zero Singleflight is ready to use. It must not be copied after first
// use. A call costs a goroutine, a channel and a few small allocations.
type Singleflight[K comparable, V any] struct {
	mu    sync.Mutex
	calls map[K]*flight[V] // in-flight calls; guarded by mu
}

// A SingleflightResult is the outcome of a [Singleflight] call as
// [Singleflight.DoChan] delivers it: what the function returned, or why the
// caller got nothing from it, and whether other callers got it too.
type SingleflightResult[V any] struct {
	// Val is the value the function returned: the zero V if the caller's
	// context ended first or the function panicked.
	Val V

	// Err is the function's error, context.Cause of a caller's context
	// that was done first, or a *[cleanup.PanicError] if the function
	// panicked or called runtime.Goexit.
	Err error

	// Shared reports whether more than one caller joined the call.
	Shared bool
}

type flight[V any] struct {
	ctx    context.Context
	cancel context.CancelFunc

	// guarded by Singleflight.mu:
	waiters []*waiter[V] // still waiting
	callers int          // every caller that joined, for SingleflightResult.Shared
	done    bool
}

type waiter[V any] struct {
	ch   chan SingleflightResult[V] // buffered: one result, sent under Singleflight.mu
	stop func() bool                // stops the context.AfterFunc watching the caller's ctx
}

// Do calls fn for key and returns its results, unless a call for key is
// already in flight: then it waits for that call and returns its results.
// shared reports whether the results went to more than one caller.
//
// If ctx is done first, Do returns the zero V, context.Cause(ctx) and
// shared, and the call goes on for the other callers. If fn panics, Do
// panics in each waiting caller with a *[cleanup.PanicError] holding the panic
// value and fn's stack; if fn calls runtime.Goexit, callers get a
// *cleanup.PanicError that matches [cleanup.ErrGoexit].
func (g *Singleflight[K, V]) Do(ctx context.Context, key K, fn func(ctx context.Context) (V, error)) (v V, err error, shared bool) {
	r := <-g.DoChan(ctx, key, fn)
	if p, ok := r.Err.(*cleanup.PanicError); ok && !p.Goexit {
		panic(p)
	}
	return r.Val, r.Err, r.Shared
}

// DoChan is like [Singleflight.Do] but returns at once a channel that will
// receive the result, exactly once; it is never closed. If ctx is done first
// the channel receives context.Cause(ctx); if it is done already, no call
// starts. If fn panics, the channel receives a *[cleanup.PanicError] holding
// the panic value and stack, where x/sync's DoChan crashes the program; if
// no caller is left to receive it, the panic crashes the program, so that it
// is never lost.
func (g *Singleflight[K, V]) DoChan(ctx context.Context, key K, fn func(ctx context.Context) (V, error)) <-chan SingleflightResult[V] {
	w := &waiter[V]{ch: make(chan SingleflightResult[V], 1)}
	if ctx.Err() != nil {
		// Done already: neither join nor start a call.
		w.ch <- SingleflightResult[V]{Err: context.Cause(ctx)}
		return w.ch
	}
	g.mu.Lock()
	if g.calls == nil {
		g.calls = make(map[K]*flight[V])
	}
	f, ok := g.calls[key]
	if !ok {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &flight[V]{ctx: fctx, cancel: cancel}
		g.calls[key] = f
		go g.run(key, f, fn)
	}
	f.callers++
	f.waiters = append(f.waiters, w)
	// Registered under mu, so the call cannot deliver before stop is set.
	w.stop = context.AfterFunc(ctx, func() { g.leave(key, f, w, context.Cause(ctx)) })
	g.mu.Unlock()
	return w.ch
}

// leave delivers err to w, whose context is done, unless the result was
// delivered first; the last waiter to leave cancels the call.
func (g *Singleflight[K, V]) leave(key K, f *flight[V], w *waiter[V], err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	i := indexOf(f.waiters, w)
	if i < 0 {
		return // the result won the race
	}
	f.waiters = append(f.waiters[:i], f.waiters[i+1:]...)
	w.ch <- SingleflightResult[V]{Err: err, Shared: f.callers > 1}
	if len(f.waiters) == 0 && !f.done {
		f.cancel()
		if g.calls[key] == f {
			delete(g.calls, key)
		}
	}
}

func indexOf[V any](ws []*waiter[V], w *waiter[V]) int {
	for i, x := range ws {
		if x == w {
			return i
		}
	}
	return -1
}

func (g *Singleflight[K, V]) run(key K, f *flight[V], fn func(context.Context) (V, error)) {
	var r SingleflightResult[V]
	r.Err = panics.Call(func() (err error) {
		r.Val, err = fn(f.ctx)
		return err
	}, func(p *panics.Error) { g.deliver(key, f, SingleflightResult[V]{Err: p}) })
	g.deliver(key, f, r)
}

// deliver ends the call f: it hands r to every waiter and forgets the call.
// A panic with nobody left to receive it is raised again here, so that it
// crashes the program rather than being lost.
func (g *Singleflight[K, V]) deliver(key K, f *flight[V], r SingleflightResult[V]) {
	g.mu.Lock()
	f.done = true
	f.cancel()
	if g.calls[key] == f {
		delete(g.calls, key)
	}
	ws := f.waiters
	f.waiters = nil
	r.Shared = f.callers > 1
	for _, w := range ws {
		w.stop()
		w.ch <- r
	}
	g.mu.Unlock()
	if p, ok := r.Err.(*cleanup.PanicError); ok && !p.Goexit && len(ws) == 0 {
		panic(p)
	}
}

// Forget makes the next call for key start a new call instead of waiting for
// the one in flight, whose callers still get its result.
func (g *Singleflight[K, V]) Forget(key K) {
	g.mu.Lock()
	delete(g.calls, key)
	g.mu.Unlock()
}
