package chanx

import "sync/atomic"

// Merge sends on every value from each of ins (fan-in), in the order each
// input delivers them; values of different inputs interleave in no fixed
// order. The output is closed when every input is closed; with no input it
// is closed at once. Merge runs a goroutine per input.
func Merge[T any](p *Pipeline, ins ...<-chan T) <-chan T {
	done := p.done()
	out := make(chan T)
	if len(ins) == 0 {
		close(out)
		return out
	}
	var left atomic.Int64
	left.Store(int64(len(ins)))
	for _, in := range ins {
		p.goStage(func() error { return forward(done, in, out) }, func() {
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
// stop the pipeline. n is a count of outputs, not a limit: Tee panics if
// n < 1. It runs n+1 goroutines.
func Tee[T any](p *Pipeline, in <-chan T, n int) []<-chan T {
	checkOutputs("Tee", n)
	done := p.done()
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
// of in. n is a count of outputs, not a limit: Distribute panics if n < 1.
// It runs a goroutine per output.
func Distribute[T any](p *Pipeline, in <-chan T, n int) []<-chan T {
	checkOutputs("Distribute", n)
	done := p.done()
	outs := make([]<-chan T, n)
	for i := range n {
		out := make(chan T)
		outs[i] = out
		p.goStage(func() error { return forward(done, in, out) }, func() { close(out) })
	}
	return outs
}

// forward sends on every value from in until in is closed or done is:
// the loop of one Merge input and of one Distribute output, which differ
// only in how many of them share in and out.
func forward[T any](done <-chan struct{}, in <-chan T, out chan<- T) error {
	for {
		v, ok := recv(done, in)
		if !ok || !send(done, out, v) {
			return nil
		}
	}
}

func checkOutputs(name string, n int) {
	if n < 1 {
		panic("chanx: " + name + " with fewer than 1 output")
	}
}
