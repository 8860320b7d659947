package chanx

import (
	"context"
	"sync/atomic"
)

// Map applies fn to every value from in, with the given number of worker
// goroutines, and sends the results in the order of their inputs. Value i
// goes to worker i mod workers, so a slow value holds back the results
// behind it; about 3×workers values are in flight at a time. The
// first error from fn fails the pipeline. Map panics if workers < 1.
//
// Cost: per value, about three channel hand-offs more than calling fn in a
// loop; use [MapUnordered] when order does not matter.
func Map[In, Out any](p *Pipeline, in <-chan In, workers int, fn func(ctx context.Context, v In) (Out, error)) <-chan Out {
	checkWorkers("Map", workers, fn == nil)
	out := make(chan Out)
	ctx, done := p.ctx, p.ctx.Done()
	if workers == 1 {
		p.goStage(func() error {
			for {
				v, ok := recv(done, in)
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
		}, func() { close(out) })
		return out
	}

	ins := make([]chan In, workers)
	outs := make([]chan Out, workers)
	for i := range ins {
		ins[i] = make(chan In, 1)
		outs[i] = make(chan Out, 1)
	}
	// Dispatcher: value i to worker i mod workers.
	p.goStage(func() error {
		for i := 0; ; i = (i + 1) % workers {
			v, ok := recv(done, in)
			if !ok || !send(done, ins[i], v) {
				return nil
			}
		}
	}, func() {
		for _, c := range ins {
			close(c)
		}
	})
	for k := range workers {
		p.goStage(func() error {
			for v := range ins[k] { // owned: closed by the dispatcher
				r, err := fn(ctx, v)
				if err != nil {
					return err
				}
				if !send(done, outs[k], r) {
					return nil
				}
			}
			return nil
		}, func() { close(outs[k]) })
	}
	// Collector: results in input order. outs[i] closing means worker i has
	// no value at this position, and so no later position has one.
	p.goStage(func() error {
		for i := 0; ; i = (i + 1) % workers {
			r, ok := <-outs[i] // owned: closed by worker i when it returns
			if !ok {
				break
			}
			if !send(done, out, r) {
				return nil
			}
		}
		// Every result is out; wait for the other workers to return, so
		// that each has settled how it ended before out closes.
		for _, o := range outs {
			for range o {
			}
		}
		return nil
	}, func() { close(out) })
	return out
}

// MapUnordered is [Map] without the ordering: each result is sent as soon as
// it is ready, so a slow value holds back no other. The first error from fn
// fails the pipeline. It panics if workers < 1.
func MapUnordered[In, Out any](p *Pipeline, in <-chan In, workers int, fn func(ctx context.Context, v In) (Out, error)) <-chan Out {
	checkWorkers("MapUnordered", workers, fn == nil)
	out := make(chan Out)
	ctx, done := p.ctx, p.ctx.Done()
	var left atomic.Int32
	left.Store(int32(workers))
	for range workers {
		p.goStage(func() error {
			for {
				v, ok := recv(done, in)
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
		}, func() {
			if left.Add(-1) == 0 {
				close(out)
			}
		})
	}
	return out
}

func checkWorkers(name string, workers int, nilFn bool) {
	if workers < 1 {
		panic("chanx: " + name + " with fewer than 1 worker")
	}
	if nilFn {
		panic("chanx: " + name + " with nil function")
	}
}
