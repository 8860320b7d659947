// Package b stores cancel funcs in fields.
package b

import (
	"context"
	"time"
)

// --- positives -------------------------------------------------------------

// A watcher whose cancel nothing calls: its loop waits on the context held
// in a field.
type watcher struct {
	ctx    context.Context
	cancel context.CancelFunc
	events chan string
}

func newWatcher() *watcher {
	ctx, cancel := context.WithCancel(context.Background())
	w := &watcher{ctx: ctx, cancel: cancel, events: make(chan string)} // want `the cancel func stored in field cancel is never called: nothing in this package reads the field, and a goroutine waits on the context, so it never stops \(call it in a Close or Stop method, or let a task.Group own the goroutine\)`
	go w.loop()
	return w
}

func (w *watcher) loop() {
	for {
		select {
		case <-w.ctx.Done():
			return
		case e := <-w.events:
			_ = e
		}
	}
}

// Close closes the events channel only: the cancel is forgotten.
func (w *watcher) Close() { close(w.events) }

// Assigned after the fact, with a goroutine on the local context.
type poller struct {
	stop func()
}

func startPoller(every time.Duration, f func()) *poller {
	p := new(poller)
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	p.stop = cancel // want `the cancel func stored in field stop is never called`
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				f()
			}
		}
	}()
	return p
}

// Stored directly from the call.
type session struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
}

func (s *session) open(parent context.Context) {
	s.ctx, s.cancel = context.WithCancelCause(parent) // want `the cancel func stored in field cancel is never called`
	go s.keepAlive()
}

func (s *session) keepAlive() {
	<-s.ctx.Done()
}

// --- negatives -------------------------------------------------------------

// The cancel is called by Stop.
type server struct { // want server:`canceler\(cancel by Stop\)`
	ctx    context.Context
	cancel context.CancelFunc
}

func newServer() *server { // want newServer:`starts\(result 0, detached, released by Stop\)`
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{ctx: ctx, cancel: cancel}
	go s.serve()
	return s
}

func (s *server) serve() { <-s.ctx.Done() }

func (s *server) Stop() { s.cancel() }

// No goroutine waits on the context: a plain context leak, lostcancel's
// business if anyone's, not a goroutine that never stops.
type request struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newRequest(d time.Duration) *request {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	return &request{ctx: ctx, cancel: cancel}
}

// An exported field: another package may call it.
type Job struct {
	Cancel context.CancelFunc
}

func NewJob() *Job {
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-ctx.Done() }()
	return &Job{Cancel: cancel}
}

// The cancel is handed on by reading the field.
type handle struct {
	cancel context.CancelFunc
}

func newHandle() (*handle, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	h := &handle{cancel: cancel}
	go func() { <-ctx.Done() }()
	return h, h.cancel
}

// --- positives, again -------------------------------------------------------

// A positional literal.
type pair struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newPair() pair {
	ctx, cancel := context.WithCancel(context.Background())
	p := pair{ctx, cancel} // want `the cancel func stored in field cancel is never called`
	go func() { <-p.ctx.Done() }()
	return p
}

// --- negatives, again ------------------------------------------------------

// The local cancel is also kept in a map: whoever reads the map may call it.
type entry struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newEntry(m map[string]context.CancelFunc) *entry {
	ctx, cancel := context.WithCancel(context.Background())
	m["x"] = cancel
	e := &entry{ctx, cancel}
	go func() { <-e.ctx.Done() }()
	return e
}

// The field is never read, but the local cancel is called by the goroutine
// itself (etcd's grpcproxy pipe streams).
type stream struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newStream(parent context.Context, work func()) *stream {
	ctx, cancel := context.WithCancel(parent)
	s := &stream{ctx: ctx, cancel: cancel}
	go func() {
		work()
		cancel()
	}()
	return s
}
