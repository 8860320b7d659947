package chanx

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
)

// Map applies fn to every value from in and sends the results in the order
// of their inputs. The first error from fn fails the pipeline.
//
// workers limits how many calls of fn run at once, by the module's rule for
// limits (package [github.com/boundgo/bound/task], under Limits): n > 0 lets
// at most n run at once; n < 0 sets no limit; 0 panics, since no call could
// ever start.
//
// With a limit n, value i goes to worker i mod n, so a slow value holds back
// the results behind it, and Map reads at most 3n+2 values ahead of its
// consumer. Workers start one at a time, as values arrive: a large n costs
// nothing until that many values are in flight.
//
// With no limit, each value gets a goroutine of its own as soon as it
// arrives, and the results are still sent in input order. Map then reads its
// input as fast as it comes, however far behind the consumer is: every value
// read and not yet delivered holds its result (and, while fn runs, a
// goroutine), so memory grows with the distance between input and consumer.
// Use no limit only where that distance is known to be small.
func Map[In, Out any](p *Pipeline, in <-chan In, workers int, fn func(ctx context.Context, v In) (Out, error)) <-chan Out {
	checkLimit("Map", workers, fn == nil)
	switch {
	case workers == 1:
		// One worker keeps the order by itself.
		return mapUnordered(p, in, 1, fn)
	case workers < 0:
		return mapOrderedUnlimited(p, in, fn)
	}
	return mapOrdered(p, in, workers, fn)
}

// MapUnordered is [Map] without the ordering: each result is sent as soon as
// it is ready, so a slow value holds back no other. The first error from fn
// fails the pipeline. workers is a limit, as for Map.
//
// With a limit n, MapUnordered reads at most n values ahead of its consumer;
// its workers start one at a time, as values arrive. With no limit it reads
// its input as fast as it comes, and every value read and not yet delivered
// holds a goroutine: memory grows with the distance between input and
// consumer.
func MapUnordered[In, Out any](p *Pipeline, in <-chan In, workers int, fn func(ctx context.Context, v In) (Out, error)) <-chan Out {
	checkLimit("MapUnordered", workers, fn == nil)
	if workers < 0 {
		workers = math.MaxInt
	}
	return mapUnordered(p, in, workers, fn)
}

// checkLimit panics on a limit of zero and on a nil function.
func checkLimit(name string, workers int, nilFn bool) {
	if workers == 0 {
		panic("chanx: " + name + " with a limit of 0 workers: no call of fn could ever start (n < 0 means no limit)")
	}
	if nilFn {
		panic("chanx: " + name + " with nil function")
	}
}

// mapUnordered runs up to limit workers, each taking values from in and
// sending fn's results on out. It starts one worker; a worker that takes a
// value while no other waits for one starts another, so a value never waits
// for a worker while fewer than limit are busy, and no more workers run
// than values are in flight (plus one waiting).
func mapUnordered[In, Out any](p *Pipeline, in <-chan In, limit int, fn func(context.Context, In) (Out, error)) <-chan Out {
	out := make(chan Out)
	ctx, done := p.ctx, p.done()
	var (
		started atomic.Int64 // workers started; at most limit
		waiting atomic.Int64 // workers waiting for a value
		left    atomic.Int64 // workers not yet returned; the last one closes out
	)
	exit := func() {
		if left.Add(-1) == 0 {
			close(out)
		}
	}
	var worker func() error
	startAnother := func() {
		for n := started.Load(); n < int64(limit); n = started.Load() {
			if started.CompareAndSwap(n, n+1) {
				left.Add(1) // while this worker runs: out cannot close meanwhile
				p.spawn(worker, exit)
				return
			}
		}
	}
	worker = func() error {
		for {
			waiting.Add(1)
			v, ok := recv(done, in)
			if waiting.Add(-1) == 0 && ok {
				startAnother()
			}
			if !ok {
				return nil
			}
			r, err := fn(ctx, v)
			if err != nil {
				return err
			}
			if !send(done, out, r) {
				return nil
			}
		}
	}
	started.Store(1)
	left.Store(1)
	p.goStage(worker, exit)
	return out
}

// mapOrdered is Map with a limit n > 1: a dispatcher hands value i to worker
// i mod n, each worker has a one-value input and a one-value output, and a
// collector takes the outputs in the same order. Workers are started in the
// first round, one per value, so that a large n costs only what is used.
func mapOrdered[In, Out any](p *Pipeline, in <-chan In, n int, fn func(context.Context, In) (Out, error)) <-chan Out {
	out := make(chan Out)
	ctx, done := p.ctx, p.done()
	w := &orderedWorkers[Out]{
		outs: make([]chan Out, 0, min(n, 16)),
		grew: make(chan struct{}, 1),
	}
	ins := make([]chan In, 0, min(n, 16)) // the dispatcher's own
	p.goStage(func() error {
		for i := 0; ; i = (i + 1) % n {
			v, ok := recv(done, in)
			if !ok {
				return nil
			}
			if i == len(ins) { // first round: start worker i
				wi, wo := make(chan In, 1), make(chan Out, 1)
				ins = append(ins, wi)
				p.spawn(func() error {
					for v := range wi { // owned: closed by the dispatcher
						r, err := fn(ctx, v)
						if err != nil {
							return err
						}
						if !send(done, wo, r) {
							return nil
						}
					}
					return nil
				}, func() { close(wo) })
				w.add(wo)
			}
			if !send(done, ins[i], v) {
				return nil
			}
		}
	}, func() {
		for _, c := range ins {
			close(c)
		}
		w.finish()
	})

	// Collector: results in input order. outs[i] closing means worker i has
	// no value at this position, and so no later position has one.
	p.goStage(func() error {
		var outs []chan Out // the collector's copy of w.outs
		for i := 0; ; i = (i + 1) % n {
			for i == len(outs) { // first round: wait for worker i, or for the end
				var end bool
				outs, end = w.load()
				if i < len(outs) {
					break
				}
				if end {
					return awaitWorkers(outs)
				}
				select {
				case <-w.grew:
				case <-done:
					return nil
				}
			}
			r, ok := <-outs[i] // owned: closed by worker i when it returns
			if !ok {
				select {
				case <-done: // stopped or failing: nothing to settle
					return nil
				default:
				}
				// done is open, so worker i returned because the dispatcher
				// had closed its input: w.outs is final.
				outs, _ = w.load()
				return awaitWorkers(outs)
			}
			if !send(done, out, r) {
				return nil
			}
		}
	}, func() { close(out) })
	return out
}

// orderedWorkers is what the dispatcher of an ordered Map tells its
// collector: the output of each worker started, and when no more will be.
type orderedWorkers[Out any] struct {
	mu       sync.Mutex
	outs     []chan Out    // one per worker started; guarded by mu
	finished bool          // the dispatcher returned: outs is final; guarded by mu
	grew     chan struct{} // a token after each change; closed once finished
}

func (w *orderedWorkers[Out]) add(o chan Out) {
	w.mu.Lock()
	w.outs = append(w.outs, o)
	w.mu.Unlock()
	signal(w.grew)
}

func (w *orderedWorkers[Out]) finish() {
	w.mu.Lock()
	w.finished = true
	w.mu.Unlock()
	close(w.grew)
}

// load returns the outputs of the workers started so far, and whether that
// is all of them. The collector reads only the first len(outs) elements,
// which never change once appended.
func (w *orderedWorkers[Out]) load() ([]chan Out, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.outs, w.finished
}

// awaitWorkers waits, once every result has been sent on, for the other
// workers to return, so that each has settled how it ended before the
// collector closes the output.
func awaitWorkers[Out any](outs []chan Out) error {
	for _, o := range outs {
		for range o {
		}
	}
	return nil
}

// mapSlot carries one value's result from its goroutine to the collector of
// an unlimited ordered Map. The slots form a chain in input order.
type mapSlot[Out any] struct {
	r     Out
	ok    bool               // r is set: fn succeeded; written before ready is closed
	ready chan struct{}      // closed once fn has returned
	next  chan *mapSlot[Out] // the next value's slot; written once, or closed at the end
}

// mapOrderedUnlimited is Map with no limit: a goroutine per value, results
// kept in a chain of slots that the collector follows in input order, so
// that neither the dispatcher nor a finished call ever waits for the
// consumer.
func mapOrderedUnlimited[In, Out any](p *Pipeline, in <-chan In, fn func(context.Context, In) (Out, error)) <-chan Out {
	out := make(chan Out)
	ctx, done := p.ctx, p.done()
	first := make(chan *mapSlot[Out], 1)
	tail := first // the dispatcher's own
	p.goStage(func() error {
		for {
			v, ok := recv(done, in)
			if !ok {
				return nil
			}
			s := &mapSlot[Out]{ready: make(chan struct{}), next: make(chan *mapSlot[Out], 1)}
			p.spawn(func() error {
				r, err := fn(ctx, v)
				if err != nil {
					return err
				}
				s.r, s.ok = r, true
				return nil
			}, func() { close(s.ready) })
			tail <- s // never blocks: room for one, written once
			tail = s.next
		}
	}, func() { close(tail) })

	p.goStage(func() error {
		for next := first; ; {
			s, ok := <-next // owned: the dispatcher writes it or closes it
			if !ok {
				return nil // every value read has been sent on
			}
			select {
			case <-s.ready:
			case <-done:
				return nil
			}
			if !s.ok || !send(done, out, s.r) {
				return nil // fn failed (the pipeline is failing), or done
			}
			next = s.next
		}
	}, func() { close(out) })
	return out
}
