package chanx

import "sync/atomic"

// Merge sends on every value from each of ins (fan-in), in the order each
// input delivers them; values of different inputs interleave in no fixed
// order. The output is closed when every input is closed.
func Merge[T any](p *Pipeline, ins ...<-chan T) <-chan T {
	out := make(chan T)
	if len(ins) == 0 {
		close(out)
		return out
	}
	done := p.ctx.Done()
	var left atomic.Int32
	left.Store(int32(len(ins)))
	for _, in := range ins {
		p.goStage(func() error {
			for {
				v, ok := recv(done, in)
				if !ok || !send(done, out, v) {
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

// Tee copies every value from in to each of n outputs (broadcast), in
// order. Each output holds at most one value its reader has not taken, so
// the stage moves at the pace of the slowest reader: read every output, or
// stop the pipeline. Tee panics if n < 1.
func Tee[T any](p *Pipeline, in <-chan T, n int) []<-chan T {
	checkWorkers("Tee", n, false)
	done := p.ctx.Done()
	outs := make([]<-chan T, n)
	hands := make([]chan T, n) // tee → forwarder i, which holds one value for reader i
	for i := range n {
		out := make(chan T)
		outs[i] = out
		hands[i] = make(chan T)
		p.goStage(func() error {
			for v := range hands[i] { // owned: closed by the tee
				if !send(done, out, v) {
					return nil
				}
			}
			return nil
		}, func() { close(out) })
	}
	p.goStage(func() error {
		for {
			v, ok := recv(done, in)
			if !ok {
				return nil
			}
			for _, h := range hands {
				if !send(done, h, v) {
					return nil
				}
			}
		}
	}, func() {
		for _, h := range hands {
			close(h)
		}
	})
	return outs
}

// Distribute sends each value from in to exactly one of n outputs (fan-out):
// to whichever output's reader is ready first. Each output keeps the order
// of in. Distribute panics if n < 1.
func Distribute[T any](p *Pipeline, in <-chan T, n int) []<-chan T {
	checkWorkers("Distribute", n, false)
	done := p.ctx.Done()
	outs := make([]<-chan T, n)
	for i := range n {
		out := make(chan T)
		outs[i] = out
		p.goStage(func() error {
			for {
				v, ok := recv(done, in)
				if !ok || !send(done, out, v) {
					return nil
				}
			}
		}, func() { close(out) })
	}
	return outs
}
