package bench

import (
	"context"
	"sync"
	"testing"

	"github.com/boundgo/bound/chanx"
	smallnest "github.com/smallnest/chanx"
)

var chanxSink int

// BenchmarkSendRecv: one send and one receive on a buffered channel with a
// context that can never be done, chanx's context-aware operations against
// the raw operators.
func BenchmarkSendRecv(b *testing.B) {
	b.Run("chanx", func(b *testing.B) {
		ctx := context.Background()
		ch := make(chan int, 1)
		for i := 0; b.Loop(); i++ {
			_ = chanx.Send(ctx, ch, i)
			v, _ := chanx.Recv(ctx, ch)
			chanxSink += v
		}
	})
	b.Run("raw", func(b *testing.B) {
		ch := make(chan int, 1)
		for i := 0; b.Loop(); i++ {
			ch <- i
			v := <-ch
			chanxSink += v
		}
	})
}

const produceN = 1000

// BenchmarkProduceRange: consume 1,000 values from an owned producer, against
// a hand-written goroutine, unbuffered channel and close.
func BenchmarkProduceRange(b *testing.B) {
	b.Run("chanx", func(b *testing.B) {
		ctx := context.Background()
		for b.Loop() {
			p := chanx.Produce(ctx, 0, func(ctx context.Context, yield func(int) bool) error {
				for i := range produceN {
					if !yield(i) {
						return nil
					}
				}
				return nil
			})
			for v := range p.Values() {
				chanxSink += v
			}
			if err := p.Err(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		for b.Loop() {
			ch := make(chan int)
			go func() {
				defer close(ch)
				for i := range produceN {
					ch <- i
				}
			}()
			for v := range ch {
				chanxSink += v
			}
		}
	})
}

const mapN = 10_000

func double(_ context.Context, v int) (int, error) { return 2 * v, nil }

// BenchmarkPipelineMap: an ordered 4-worker map over 10,000 ints, a chanx
// pipeline against the same design written by hand (round-robin dispatch,
// one input and one output channel per worker, every blocking operation
// watching the context).
func BenchmarkPipelineMap(b *testing.B) {
	const workers = 4
	b.Run("chanx", func(b *testing.B) {
		for b.Loop() {
			p := chanx.NewPipeline(context.Background())
			src := chanx.Source(p, func(ctx context.Context, yield func(int) bool) error {
				for i := range mapN {
					if !yield(i) {
						return nil
					}
				}
				return nil
			})
			for v := range chanx.Map(p, src, workers, double) {
				chanxSink += v
			}
			if err := p.Err(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		for b.Loop() {
			ctx, cancel := context.WithCancel(context.Background())
			done := ctx.Done()
			var wg sync.WaitGroup
			src := make(chan int)
			wg.Go(func() {
				defer close(src)
				for i := range mapN {
					select {
					case src <- i:
					case <-done:
						return
					}
				}
			})
			var ins, outs [workers]chan int
			for k := range workers {
				ins[k] = make(chan int, 1)
				outs[k] = make(chan int, 1)
			}
			wg.Go(func() {
				defer func() {
					for _, c := range ins {
						close(c)
					}
				}()
				for i := 0; ; i = (i + 1) % workers {
					var v int
					var ok bool
					select {
					case v, ok = <-src:
					case <-done:
						return
					}
					if !ok {
						return
					}
					select {
					case ins[i] <- v:
					case <-done:
						return
					}
				}
			})
			for k := range workers {
				wg.Go(func() {
					defer close(outs[k])
					for v := range ins[k] {
						r, _ := double(ctx, v)
						select {
						case outs[k] <- r:
						case <-done:
							return
						}
					}
				})
			}
			out := make(chan int)
			wg.Go(func() {
				defer close(out)
				for i := 0; ; i = (i + 1) % workers {
					r, ok := <-outs[i]
					if !ok {
						return
					}
					select {
					case out <- r:
					case <-done:
						return
					}
				}
			})
			for v := range out {
				chanxSink += v
			}
			wg.Wait()
			cancel()
		}
	})
}

const unboundedN = 1000

// BenchmarkUnbounded: 1,000 values through an unbounded buffer, one sending
// goroutine and one receiving, chanx.Buffer against smallnest/chanx's
// UnboundedChan.
func BenchmarkUnbounded(b *testing.B) {
	b.Run("chanx", func(b *testing.B) {
		ctx := context.Background()
		for b.Loop() {
			var buf chanx.Buffer[int]
			go func() {
				for i := range unboundedN {
					_ = buf.Send(ctx, i)
				}
				buf.Close()
			}()
			for {
				v, err := buf.Recv(ctx)
				if err != nil {
					break
				}
				chanxSink += v
			}
		}
	})
	b.Run("smallnest", func(b *testing.B) {
		ctx := context.Background()
		for b.Loop() {
			ch := smallnest.NewUnboundedChan[int](ctx, 64)
			go func() {
				for i := range unboundedN {
					ch.In <- i
				}
				close(ch.In)
			}()
			for v := range ch.Out {
				chanxSink += v
			}
		}
	})
}
