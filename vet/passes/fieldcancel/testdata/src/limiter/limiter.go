// Package limiter is a token bucket whose refill goroutine runs on a
// context of its own (projectdiscovery/ratelimit#19's shape): the only way
// to stop it is Stop. fieldcancel learns that by fact.
package limiter

import (
	"context"
	"errors"
	"time"
)

// A Limiter hands out tokens at a fixed rate.
type Limiter struct { // want Limiter:`canceler\(cancelFunc by Stop\)`
	ticker     *time.Ticker
	tokens     chan struct{}
	cancelFunc context.CancelFunc
}

// New starts a limiter on a context of its own.
func New(max int, d time.Duration) *Limiter { // want New:`starts\(result 0, detached, released by Stop\)`
	ctx, cancel := context.WithCancel(context.TODO())
	l := &Limiter{ticker: time.NewTicker(d), tokens: make(chan struct{}), cancelFunc: cancel}
	go l.run(ctx)
	return l
}

// NewChecked is New with a validation error.
func NewChecked(max int, d time.Duration) (*Limiter, error) { // want NewChecked:`starts\(result 0, detached, released by Stop\)`
	if max <= 0 {
		return nil, errors.New("limiter: max must be positive")
	}
	return New(max, d), nil
}

// NewFrom starts a limiter whose context derives from ctx: cancelling ctx
// stops it too.
func NewFrom(ctx context.Context, max int) *Limiter { // want NewFrom:`starts\(result 0, from param 0, released by Stop\)`
	ctx, cancel := context.WithCancel(ctx)
	l := &Limiter{tokens: make(chan struct{}), cancelFunc: cancel}
	go l.run(ctx)
	return l
}

func (l *Limiter) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case l.tokens <- struct{}{}:
		}
	}
}

// Take waits for a token.
func (l *Limiter) Take() { <-l.tokens }

// Stop stops the refill goroutine.
func (l *Limiter) Stop() {
	if l.cancelFunc != nil {
		l.cancelFunc()
	}
}

// A Source hands out values until closed.
type Source interface {
	Next() int
	Close()
}

type source struct { // want source:`canceler\(cancel by Close\)`
	ctx    context.Context
	cancel context.CancelFunc
	ch     chan int
}

func (s *source) Next() int { return <-s.ch }

func (s *source) Close() { s.cancel() }

func (s *source) run() {
	for i := 0; ; i++ {
		select {
		case <-s.ctx.Done():
			return
		case s.ch <- i:
		}
	}
}

// Open returns a Source whose goroutine runs until Close: the fact carries
// the release methods, since the result is an interface.
func Open() (Source, error) { // want Open:`starts\(result 0, detached, released by Close\)`
	ctx, cancel := context.WithCancel(context.Background())
	s := &source{ctx: ctx, cancel: cancel, ch: make(chan int)}
	go s.run()
	return s, nil
}

type notifier struct { // want notifier:`canceler\(cancel by stop\)`
	context.Context
	cancel context.CancelFunc
}

func (n *notifier) stop() { n.cancel() }

// Notify returns the object and its release together (signal.NotifyContext's
// shape): the caller holds stop, a value of its own.
func Notify(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	n := &notifier{Context: ctx, cancel: cancel}
	go func() { <-n.Done() }()
	return n, n.stop
}

type hidden struct { // want hidden:`canceler\(cancel by close\)`
	ctx    context.Context
	cancel context.CancelFunc
}

func (h *hidden) close() { h.cancel() }

func (h *hidden) run() { <-h.ctx.Done() }

// Hidden returns an object only this package can release: a caller
// elsewhere cannot be blamed for not calling close.
func Hidden() *hidden { // want Hidden:`starts\(result 0, detached, released by close\)`
	ctx, cancel := context.WithCancel(context.Background())
	h := &hidden{ctx: ctx, cancel: cancel}
	go h.run()
	return h
}
