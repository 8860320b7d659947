package chanx

import "time"

// Batch groups the values from in, in order, into slices of size values,
// sending a batch when it is full or, if maxWait > 0, when maxWait has
// passed since its first value arrived, whichever comes first. The last,
// possibly shorter, batch is sent when in is closed; an empty batch is never
// sent. Each batch is a new slice the receiver may keep. size is a count,
// not a limit: Batch panics if size < 1. maxWait <= 0 means batches are cut
// by size only.
func Batch[T any](p *Pipeline, in <-chan T, size int, maxWait time.Duration) <-chan []T {
	if size < 1 {
		panic("chanx: Batch with size < 1")
	}
	out := make(chan []T)
	done := p.done()
	p.goStage(func() error {
		var (
			batch []T
			timer *time.Timer
			tick  <-chan time.Time // nil while no batch is open
		)
		if maxWait > 0 {
			timer = time.NewTimer(maxWait)
			timer.Stop()
			defer timer.Stop()
		}
		flush := func() bool {
			if tick != nil {
				timer.Stop()
				tick = nil
			}
			b := batch
			batch = nil
			return send(done, out, b)
		}
		for {
			select {
			case v, ok := <-in:
				if !ok {
					if len(batch) > 0 {
						flush()
					}
					return nil
				}
				if batch == nil {
					batch = make([]T, 0, min(size, 1024))
					if timer != nil {
						timer.Reset(maxWait)
						tick = timer.C
					}
				}
				batch = append(batch, v)
				if len(batch) >= size && !flush() {
					return nil
				}
			case <-tick:
				tick = nil
				if !flush() {
					return nil
				}
			case <-done:
				return nil
			}
		}
	}, func() { close(out) })
	return out
}
