// Package fields holds loops over channels kept in struct fields that
// nothing in the package closes, and the correct code next to them.
package fields

import (
	"sync"
	"time"
)

// badger's y.WaterMark before dgraph-io/badger#688: Init starts a
// goroutine that ranges over markCh, Begin and Done send on it, and no
// code closes it, so every opened and closed DB leaks that goroutine.
type mark struct {
	ts   uint64
	done bool
}

type WaterMark struct {
	markCh chan mark
	min    uint64
}

func (w *WaterMark) Init() {
	w.markCh = make(chan mark, 100)
	go w.process()
}

func (w *WaterMark) Begin(ts uint64) { w.markCh <- mark{ts: ts} }
func (w *WaterMark) Done(ts uint64)  { w.markCh <- mark{ts: ts, done: true} }

func (w *WaterMark) process() {
	for m := range w.markCh { // want `for range w.markCh waits for the field markCh to be closed, but nothing in this package closes it`
		if m.done {
			w.min = m.ts
		}
	}
}

// pulsar-client-go's connection before v0.5.0 (apache/pulsar-client-go#498):
// on close it drains the requests with a range and closes the channel
// after the loop, which the loop waits for.
type request struct{ id uint64 }

type connection struct {
	incomingRequestsCh chan *request
	closeCh            chan struct{}
	log                func(string)
}

func newConnection() *connection {
	return &connection{
		incomingRequestsCh: make(chan *request, 10),
		closeCh:            make(chan struct{}),
	}
}

func (c *connection) SendRequest(r *request) { c.incomingRequestsCh <- r }

func (c *connection) run() {
	for {
		select {
		case <-c.closeCh:
			c.failLeftRequestsWhenClose()
			return
		case req := <-c.incomingRequestsCh:
			c.send(req)
		}
	}
}

func (c *connection) send(*request) {}

func (c *connection) failLeftRequestsWhenClose() {
	for req := range c.incomingRequestsCh { // want `for range c.incomingRequestsCh waits for the field incomingRequestsCh to be closed, but the only close of incomingRequestsCh runs after such a loop has ended`
		c.send(req)
	}
	close(c.incomingRequestsCh)
}

func (c *connection) TriggerClose() { close(c.closeCh) }

// A worker started on the field through a helper that drains it.
type pool struct {
	jobs chan func()
}

func drain(jobs <-chan func()) {
	for j := range jobs {
		j()
	}
}

func newPool(n int) *pool {
	p := &pool{jobs: make(chan func())}
	for range n {
		go drain(p.jobs) // want `drain ranges over the field jobs until it is closed, but nothing in this package closes it`
	}
	return p
}

func (p *pool) Submit(f func()) { p.jobs <- f }

// A generic queue whose consumer is never stopped.
type queue[T any] struct {
	items chan T
	sink  func(T)
}

func newQueue[T any](sink func(T)) *queue[T] {
	q := &queue[T]{items: make(chan T, 16), sink: sink}
	go q.loop()
	return q
}

func (q *queue[T]) Push(v T) { q.items <- v }

func (q *queue[T]) loop() {
	for v := range q.items { // want `for range q.items waits for the field items to be closed`
		q.sink(v)
	}
}

// --- negatives ---

// The fix badger made: Stop closes the channel.
type fixedMark struct {
	markCh chan mark
}

func (w *fixedMark) Init() {
	w.markCh = make(chan mark, 100)
	go w.process()
}

func (w *fixedMark) Done(ts uint64) { w.markCh <- mark{ts: ts, done: true} }
func (w *fixedMark) Stop()          { close(w.markCh) }

func (w *fixedMark) process() {
	for range w.markCh {
	}
}

// The fix pulsar made: drain what is queued with a counted loop, then close.
type fixedConn struct {
	reqs chan *request
}

func (c *fixedConn) Send(r *request) { c.reqs <- r }

func (c *fixedConn) failLeft() {
	n := len(c.reqs)
	for range n {
		<-c.reqs
	}
	close(c.reqs)
}

// Closed after the range on one path, but another path closes it without
// ranging: the close is reachable.
type either struct {
	ch chan int
}

func (e *either) Put(v int) { e.ch <- v }

func (e *either) finish(wait bool) {
	if wait {
		for range e.ch {
		}
	}
	close(e.ch)
}

// The channel comes from the caller, who may close it.
type consumer struct {
	in chan int
}

func newConsumer(in chan int) *consumer {
	c := &consumer{in: in}
	go c.run()
	return c
}

func (c *consumer) Put(v int) { c.in <- v }

func (c *consumer) run() {
	for range c.in {
	}
}

// Handed to code this cannot see.
type registry interface{ Add(chan int) }

type watcher struct {
	events chan int
}

func newWatcher(r registry) *watcher {
	w := &watcher{events: make(chan int)}
	r.Add(w.events)
	go func() {
		for range w.events {
		}
	}()
	return w
}

func (w *watcher) Notify(v int) { w.events <- v }

// Copied into a variable, which is closed.
type copied struct {
	ch chan int
}

func (c *copied) Put(v int) { c.ch <- v }

func (c *copied) run() {
	for range c.ch {
	}
}

func (c *copied) Close() {
	ch := c.ch
	close(ch)
}

// Exported: another package may close it.
type Exported struct {
	C chan int
}

func (e *Exported) Put(v int) { e.C <- v }

func (e *Exported) Run() {
	for range e.C {
	}
}

// Nobody sends: blockforever's business, not this check's.
type silent struct {
	ch chan int
}

func (s *silent) run() {
	for range s.ch {
	}
}

// The loop has its own way out.
type counted struct {
	ch chan int
	n  int
}

func (c *counted) Put(v int) { c.ch <- v }

func (c *counted) run() {
	got := 0
	for range c.ch {
		got++
		if got == c.n {
			return
		}
	}
}

// Closed by a closure kept for later, under a sync.Once.
type onceClosed struct {
	ch    chan int
	once  sync.Once
	close func()
}

func newOnceClosed() *onceClosed {
	o := &onceClosed{ch: make(chan int)}
	o.close = func() { o.once.Do(func() { close(o.ch) }) }
	go func() {
		for range o.ch {
		}
	}()
	return o
}

func (o *onceClosed) Put(v int) { o.ch <- v }

// A ticker-driven select loop, not a range: the select is the design.
type ticking struct {
	ch   chan int
	stop chan struct{}
}

func (t *ticking) Put(v int) { t.ch <- v }

func (t *ticking) run() {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-t.ch:
		case <-tick.C:
		case <-t.stop:
			return
		}
	}
}
