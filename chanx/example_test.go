package chanx_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/boundgo/bound/chanx"
	"github.com/boundgo/bound/cleanup"
)

// A producer is a function; the package runs it, owns its channel and
// closes it when the function returns.
func ExampleProduce() {
	p := chanx.Produce(context.Background(), 0, func(ctx context.Context, yield func(int) bool) error {
		for i := 1; i <= 3; i++ {
			if !yield(i * i) {
				return nil // the consumer stopped
			}
		}
		return nil
	})
	for v := range p.C() {
		fmt.Println(v)
	}
	fmt.Println("err:", p.Err())
	// Output:
	// 1
	// 4
	// 9
	// err: <nil>
}

// Breaking out of the loop stops the producer and waits for it: nothing leaks.
func ExampleProducer() {
	naturals := chanx.Produce(context.Background(), 0, func(ctx context.Context, yield func(int) bool) error {
		for i := 0; ; i++ {
			if !yield(i) {
				return nil
			}
		}
	})
	for v := range naturals.Values() {
		if v == 3 {
			break
		}
		fmt.Println(v)
	}
	fmt.Println("err:", naturals.Err())
	// Output:
	// 0
	// 1
	// 2
	// err: <nil>
}

func ExampleProducer_C() {
	p := chanx.Produce(context.Background(), 2, func(ctx context.Context, yield func(string) bool) error {
		yield("a")
		yield("b")
		return nil
	})
	for s := range p.C() {
		fmt.Print(s)
	}
	fmt.Println()
	// Output: ab
}

func ExampleProducer_Values() {
	p := chanx.FromSeq(context.Background(), 0, strings.SplitSeq("a,b,c", ","))
	fmt.Println(slices.Collect(p.Values()))
	// Output: [a b c]
}

// All hands the producer's error to the same loop as its values.
func ExampleProducer_All() {
	p := chanx.Produce(context.Background(), 0, func(ctx context.Context, yield func(string) bool) error {
		yield("line 1")
		return errors.New("read: connection reset")
	})
	for line, err := range p.All() {
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		fmt.Println(line)
	}
	// Output:
	// line 1
	// error: read: connection reset
}

// A panic in the producer comes back as an error with its stack.
func ExampleProducer_Err() {
	p := chanx.Produce(context.Background(), 0, func(ctx context.Context, yield func(int) bool) error {
		panic("corrupt record")
	})
	for range p.C() {
	}
	var pe *cleanup.PanicError
	fmt.Println(errors.As(p.Err(), &pe), pe.Value)
	// Output: true corrupt record
}

// Stop abandons the channel: the producer's yield reports false, its
// context is cancelled with ErrStopped, and Stop waits for it to return.
func ExampleProducer_Stop() {
	p := chanx.Produce(context.Background(), 0, func(ctx context.Context, yield func(int) bool) error {
		for i := 0; yield(i); i++ {
		}
		fmt.Println("producer: cause", context.Cause(ctx))
		return nil
	})
	fmt.Println("consumer:", <-p.C())
	p.Stop()
	fmt.Println("Err:", p.Err()) // the stop is not an error
	// Output:
	// consumer: 0
	// producer: cause chanx: consumer stopped
	// Err: <nil>
}

func ExampleFromSeq() {
	p := chanx.FromSeq(context.Background(), 0, slices.Values([]string{"x", "y"}))
	defer p.Stop()
	for s := range p.C() {
		fmt.Println(s)
	}
	// Output:
	// x
	// y
}

// RecvAll turns a channel someone else owns into an iterator that also stops
// when its context ends.
func ExampleRecvAll() {
	ch := make(chan int, 3)
	ch <- 1
	ch <- 2
	close(ch)
	for v := range chanx.RecvAll(context.Background(), ch) {
		fmt.Println(v)
	}
	// Output:
	// 1
	// 2
}

// Many producers share one channel; it closes after the last one.
func ExampleGroup() {
	g := chanx.NewGroup[string](context.Background(), 0)
	for _, name := range []string{"a", "b", "c"} {
		// Go fails only once the group is closed.
		_ = g.Go(func(ctx context.Context, yield func(string) bool) error {
			yield(name + "1")
			yield(name + "2")
			return nil
		})
	}
	g.Close() // no more producers: the channel closes when these three return
	fmt.Println(slices.Sorted(g.Values()), g.Err())
	// Output: [a1 a2 b1 b2 c1 c2] <nil>
}

func ExampleNewGroup() {
	g := chanx.NewGroup[int](context.Background(), 4)
	_ = g.Go(func(ctx context.Context, yield func(int) bool) error { yield(42); return nil })
	g.Close()
	fmt.Println(slices.Collect(g.Values()))
	// Output: [42]
}

// The first producer to fail stops the others.
func ExampleGroup_Go() {
	g := chanx.NewGroup[int](context.Background(), 0)
	_ = g.Go(func(ctx context.Context, yield func(int) bool) error {
		for i := 0; yield(i); i++ {
		}
		return ctx.Err()
	})
	_ = g.Go(func(ctx context.Context, yield func(int) bool) error {
		return errors.New("disk full")
	})
	g.Close()
	for range g.C() {
	}
	fmt.Println(g.Err())
	// Output: disk full
}

// Goroutines the group does not own send with Send; after Close, Send
// returns ErrClosed instead of panicking.
func ExampleGroup_Send() {
	ctx := context.Background()
	g := chanx.NewGroup[string](ctx, 1)
	fmt.Println(g.Send(ctx, "hello"))
	g.Close()
	fmt.Println(g.Send(ctx, "too late"))
	fmt.Println(slices.Collect(g.Values()))
	// Output:
	// <nil>
	// chanx: closed
	// [hello]
}

// Closing twice is a no-op.
func ExampleGroup_Close() {
	g := chanx.NewGroup[int](context.Background(), 0)
	g.Close()
	g.Close()
	_, open := <-g.C()
	fmt.Println(open, g.Go(func(context.Context, func(int) bool) error { return nil }))
	// Output: false chanx: closed
}

// Stop releases every producer blocked on the channel.
func ExampleGroup_Stop() {
	g := chanx.NewGroup[int](context.Background(), 0)
	for range 4 {
		_ = g.Go(func(ctx context.Context, yield func(int) bool) error {
			for yield(1) {
			}
			return nil
		})
	}
	<-g.C()
	g.Stop()
	fmt.Println(g.Err())
	// Output: <nil>
}

func ExampleGroup_All() {
	g := chanx.NewGroup[int](context.Background(), 0)
	_ = g.Go(func(ctx context.Context, yield func(int) bool) error { yield(1); return errors.New("bad") })
	g.Close()
	for v, err := range g.All() {
		fmt.Println(v, err)
	}
	// Output:
	// 1 <nil>
	// 0 bad
}

func ExampleSend() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	ch := make(chan int) // nobody receives
	fmt.Println(chanx.Send(ctx, ch, 1))
	// Output: context deadline exceeded
}

func ExampleRecv() {
	ch := make(chan int, 1)
	ch <- 7
	close(ch)
	ctx := context.Background()
	v, err := chanx.Recv(ctx, ch)
	fmt.Println(v, err)
	_, err = chanx.Recv(ctx, ch)
	fmt.Println(err)
	// Output:
	// 7 <nil>
	// chanx: closed
}

func ExampleTrySend() {
	ch := make(chan int, 1)
	ctx := context.Background()
	fmt.Println(chanx.TrySend(ctx, ch, 1))
	fmt.Println(chanx.TrySend(ctx, ch, 2))
	// Output:
	// <nil>
	// chanx: operation would block
}

func ExampleTryRecv() {
	ch := make(chan int, 1)
	ctx := context.Background()
	_, err := chanx.TryRecv(ctx, ch)
	fmt.Println(err)
	ch <- 5
	fmt.Println(chanx.TryRecv(ctx, ch))
	// Output:
	// chanx: operation would block
	// 5 <nil>
}

// A pipeline: source → map (4 workers, ordered) → filter → batch. The first
// error anywhere stops every stage and comes back from Err.
func ExamplePipeline() {
	p := chanx.NewPipeline(context.Background())
	defer p.Stop()
	nums := chanx.Source(p, func(ctx context.Context, yield func(int) bool) error {
		for i := 1; i <= 10; i++ {
			if !yield(i) {
				return nil
			}
		}
		return nil
	})
	squares := chanx.Map(p, nums, 4, func(ctx context.Context, v int) (int, error) { return v * v, nil })
	odd := chanx.Filter(p, squares, func(v int) bool { return v%2 == 1 })
	for b := range chanx.Batch(p, odd, 2, 0) {
		fmt.Println(b)
	}
	fmt.Println("err:", p.Err())
	// Output:
	// [1 9]
	// [25 49]
	// [81]
	// err: <nil>
}

func ExampleNewPipeline() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := chanx.NewPipeline(ctx)
	out := chanx.Source(p, func(ctx context.Context, yield func(string) bool) error {
		yield("only")
		return nil
	})
	fmt.Println(<-out)
	p.Stop()
	fmt.Println(p.Err())
	// Output:
	// only
	// <nil>
}

// Stop is for a consumer that leaves early; every stage returns.
func ExamplePipeline_Stop() {
	p := chanx.NewPipeline(context.Background())
	naturals := chanx.Source(p, func(ctx context.Context, yield func(int) bool) error {
		for i := 0; yield(i); i++ {
		}
		return nil
	})
	for v := range chanx.Map(p, naturals, 2, func(ctx context.Context, v int) (int, error) { return -v, nil }) {
		if v == -2 {
			break
		}
	}
	p.Stop()
	fmt.Println(p.Err())
	// Output: <nil>
}

// Err returns the first error, here from a map stage.
func ExamplePipeline_Err() {
	p := chanx.NewPipeline(context.Background())
	words := chanx.Source(p, func(ctx context.Context, yield func(string) bool) error {
		for _, w := range []string{"1", "2", "three", "4"} {
			if !yield(w) {
				return nil
			}
		}
		return nil
	})
	nums := chanx.Map(p, words, 1, func(ctx context.Context, w string) (int, error) {
		var n int
		_, err := fmt.Sscan(w, &n)
		return n, err
	})
	for n := range nums {
		fmt.Println(n)
	}
	fmt.Println("err:", p.Err() != nil)
	// Output:
	// 1
	// 2
	// err: true
}

// Go runs a sink of the caller's own under the pipeline.
func ExamplePipeline_Go() {
	p := chanx.NewPipeline(context.Background())
	src := chanx.Source(p, func(ctx context.Context, yield func(int) bool) error {
		for i := 1; i <= 4 && yield(i); i++ {
		}
		return nil
	})
	total := 0
	p.Go(func(ctx context.Context) error {
		for v := range chanx.RecvAll(ctx, src) {
			total += v
		}
		return context.Cause(ctx) // nil, unless ctx's end cut the loop short
	})
	fmt.Println(p.Err(), total)
	// Output: <nil> 10
}

func ExamplePipeline_Context() {
	p := chanx.NewPipeline(context.Background())
	fmt.Println(p.Context().Err())
	p.Stop()
	fmt.Println(context.Cause(p.Context()))
	// Output:
	// <nil>
	// chanx: consumer stopped
}

func ExampleSource() {
	p := chanx.NewPipeline(context.Background())
	letters := chanx.Source(p, func(ctx context.Context, yield func(rune) bool) error {
		for _, r := range "go" {
			if !yield(r) {
				return nil
			}
		}
		return nil
	})
	for r := range letters {
		fmt.Println(string(r))
	}
	fmt.Println(p.Err())
	// Output:
	// g
	// o
	// <nil>
}

func ExampleMap() {
	p := chanx.NewPipeline(context.Background())
	defer p.Stop()
	in := chanx.Source(p, func(ctx context.Context, yield func(int) bool) error {
		for i := 1; i <= 5 && yield(i); i++ {
		}
		return nil
	})
	out := chanx.Map(p, in, 3, func(ctx context.Context, v int) (string, error) {
		return strings.Repeat("*", v), nil
	})
	for s := range out {
		fmt.Println(s)
	}
	fmt.Println("err:", p.Err())
	// Output:
	// *
	// **
	// ***
	// ****
	// *****
	// err: <nil>
}

// With no limit every value gets its own call as soon as it arrives; the
// results still come in input order.
func ExampleMap_noLimit() {
	p := chanx.NewPipeline(context.Background())
	defer p.Stop()
	in := chanx.Source(p, func(ctx context.Context, yield func(int) bool) error {
		for i := 1; i <= 4 && yield(i); i++ {
		}
		return nil
	})
	out := chanx.Map(p, in, -1, func(ctx context.Context, v int) (int, error) {
		time.Sleep(time.Duration(5-v) * time.Millisecond) // later values finish first
		return v * v, nil
	})
	fmt.Println(slices.Collect(chanx.RecvAll(context.Background(), out)), p.Err())
	// Output: [1 4 9 16] <nil>
}

func ExampleMapUnordered() {
	p := chanx.NewPipeline(context.Background())
	defer p.Stop()
	in := chanx.Source(p, func(ctx context.Context, yield func(int) bool) error {
		for i := 1; i <= 5 && yield(i); i++ {
		}
		return nil
	})
	out := chanx.MapUnordered(p, in, 3, func(ctx context.Context, v int) (int, error) {
		return 10 * v, nil
	})
	var got []int
	for v := range out {
		got = append(got, v)
	}
	slices.Sort(got) // arrival order varies
	fmt.Println(got, p.Err())
	// Output: [10 20 30 40 50] <nil>
}

func ExampleFilter() {
	p := chanx.NewPipeline(context.Background())
	defer p.Stop()
	in := chanx.Source(p, func(ctx context.Context, yield func(int) bool) error {
		for i := 1; i <= 6 && yield(i); i++ {
		}
		return nil
	})
	even := chanx.Filter(p, in, func(v int) bool { return v%2 == 0 })
	for v := range even {
		fmt.Println(v)
	}
	// Output:
	// 2
	// 4
	// 6
}

func ExampleFlatMap() {
	p := chanx.NewPipeline(context.Background())
	defer p.Stop()
	lines := chanx.Source(p, func(ctx context.Context, yield func(string) bool) error {
		for _, line := range []string{"a b", "c"} {
			if !yield(line) {
				return nil
			}
		}
		return nil
	})
	words := chanx.FlatMap(p, lines, func(ctx context.Context, line string) ([]string, error) {
		return strings.Fields(line), nil
	})
	for w := range words {
		fmt.Println(w)
	}
	// Output:
	// a
	// b
	// c
}

// Batch cuts by size, or after maxWait from a batch's first value.
func ExampleBatch() {
	p := chanx.NewPipeline(context.Background())
	defer p.Stop()
	in := chanx.Source(p, func(ctx context.Context, yield func(int) bool) error {
		for i := 1; i <= 7 && yield(i); i++ {
		}
		return nil
	})
	for b := range chanx.Batch(p, in, 3, time.Minute) {
		fmt.Println(b)
	}
	// Output:
	// [1 2 3]
	// [4 5 6]
	// [7]
}

func ExampleMerge() {
	p := chanx.NewPipeline(context.Background())
	defer p.Stop()
	letters := func(s string) func(context.Context, func(string) bool) error {
		return func(ctx context.Context, yield func(string) bool) error {
			for _, r := range s {
				if !yield(string(r)) {
					return nil
				}
			}
			return nil
		}
	}
	var all []string
	for v := range chanx.Merge(p, chanx.Source(p, letters("ab")), chanx.Source(p, letters("xyz"))) {
		all = append(all, v)
	}
	slices.Sort(all) // interleaving varies
	fmt.Println(all)
	// Output: [a b x y z]
}

func ExampleTee() {
	p := chanx.NewPipeline(context.Background())
	defer p.Stop()
	in := chanx.Source(p, func(ctx context.Context, yield func(int) bool) error {
		for i := 1; i <= 3 && yield(i); i++ {
		}
		return nil
	})
	outs := chanx.Tee(p, in, 2)
	var wg sync.WaitGroup
	res := make([][]int, 2)
	for i, o := range outs {
		wg.Go(func() {
			for v := range o {
				res[i] = append(res[i], v)
			}
		})
	}
	wg.Wait()
	fmt.Println(res[0], res[1])
	// Output: [1 2 3] [1 2 3]
}

func ExampleDistribute() {
	p := chanx.NewPipeline(context.Background())
	defer p.Stop()
	in := chanx.Source(p, func(ctx context.Context, yield func(int) bool) error {
		for i := 1; i <= 6 && yield(i); i++ {
		}
		return nil
	})
	outs := chanx.Distribute(p, in, 2)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var all []int
	for _, o := range outs {
		wg.Go(func() {
			for v := range o {
				mu.Lock()
				all = append(all, v)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.Sort(all) // which reader got which value varies
	fmt.Println(all)
	// Output: [1 2 3 4 5 6]
}

// The zero Buffer is unbounded; Len is exact.
func ExampleBuffer() {
	var b chanx.Buffer[string]
	ctx := context.Background()
	_ = b.Send(ctx, "first") // Send fails only once the buffer is closed
	_ = b.Send(ctx, "second")
	fmt.Println(b.Len())
	v, _ := b.Recv(ctx)
	fmt.Println(v, b.Len())
	// Output:
	// 2
	// first 1
}

// A capped buffer that keeps the latest readings.
func ExampleNewBuffer() {
	b := chanx.NewBuffer[int](2, chanx.OverflowDropOldest)
	ctx := context.Background()
	for i := 1; i <= 5; i++ {
		_ = b.Send(ctx, i)
	}
	b.Close()
	for {
		v, err := b.Recv(ctx)
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(v)
	}
	// Output:
	// 4
	// 5
	// chanx: closed
}

func ExampleOverflow() {
	ctx := context.Background()
	for _, overflow := range []chanx.Overflow{chanx.OverflowDropOldest, chanx.OverflowDropNewest} {
		b := chanx.NewBuffer[int](1, overflow)
		_ = b.Send(ctx, 1)
		_ = b.Send(ctx, 2)
		v, _ := b.TryRecv()
		fmt.Println(v)
	}
	// Output:
	// 2
	// 1
}

func ExampleBuffer_Send() {
	b := chanx.NewBuffer[int](1, chanx.OverflowBlock)
	_ = b.Send(context.Background(), 1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	fmt.Println(b.Send(ctx, 2)) // full: waits, then gives up
	// Output: context deadline exceeded
}

func ExampleBuffer_Recv() {
	var b chanx.Buffer[int]
	go func() { _ = b.Send(context.Background(), 9) }()
	v, err := b.Recv(context.Background()) // waits for the value
	fmt.Println(v, err)
	// Output: 9 <nil>
}

func ExampleBuffer_TryRecv() {
	var b chanx.Buffer[int]
	_, err := b.TryRecv()
	fmt.Println(err)
	// Output: chanx: operation would block
}

func ExampleBuffer_Len() {
	b := chanx.NewBuffer[int](3, chanx.OverflowDropNewest)
	for i := range 5 {
		_ = b.Send(context.Background(), i)
	}
	fmt.Println(b.Len())
	// Output: 3
}

// Close lets receivers drain what is buffered; closing twice is allowed.
func ExampleBuffer_Close() {
	ctx := context.Background()
	var b chanx.Buffer[int]
	_ = b.Send(ctx, 1)
	b.Close()
	b.Close()
	fmt.Println(b.Send(ctx, 2))
	fmt.Println(b.Recv(ctx))
	fmt.Println(b.Recv(ctx))
	// Output:
	// chanx: closed
	// 1 <nil>
	// 0 chanx: closed
}

// CloseAndDiscard drops what is buffered.
func ExampleBuffer_CloseAndDiscard() {
	ctx := context.Background()
	var b chanx.Buffer[int]
	_ = b.Send(ctx, 1)
	b.CloseAndDiscard()
	fmt.Println(b.Len())
	fmt.Println(b.Recv(ctx))
	// Output:
	// 0
	// 0 chanx: closed
}

func ExampleGroup_C() {
	g := chanx.NewGroup[int](context.Background(), 0)
	_ = g.Go(func(ctx context.Context, yield func(int) bool) error { yield(1); return nil })
	g.Close()
	for v := range g.C() {
		fmt.Println(v)
	}
	// Output: 1
}

func ExampleGroup_Values() {
	g := chanx.NewGroup[int](context.Background(), 0)
	_ = g.Go(func(ctx context.Context, yield func(int) bool) error {
		for i := 0; yield(i); i++ {
		}
		return nil
	})
	g.Close()
	for v := range g.Values() {
		if v == 2 {
			break // stops the group and waits for its producers
		}
	}
	fmt.Println(g.Err())
	// Output: <nil>
}

func ExampleGroup_Err() {
	g := chanx.NewGroup[int](context.Background(), 0)
	_ = g.Go(func(ctx context.Context, yield func(int) bool) error { panic("bug") })
	g.Close()
	for range g.C() {
	}
	var pe *cleanup.PanicError
	fmt.Println(errors.As(g.Err(), &pe), pe.Value)
	// Output: true bug
}

// A producer can tell a stopped consumer from other cancellations.
func ExampleErrStopped() {
	p := chanx.Produce(context.Background(), 0, func(ctx context.Context, yield func(int) bool) error {
		<-ctx.Done()
		fmt.Println(errors.Is(context.Cause(ctx), chanx.ErrStopped))
		return context.Cause(ctx) // only reports the stop: Err returns nil
	})
	p.Stop()
	fmt.Println(p.Err())
	// Output:
	// true
	// <nil>
}

func ExampleErrClosed() {
	ch := make(chan int)
	close(ch)
	_, err := chanx.Recv(context.Background(), ch)
	fmt.Println(errors.Is(err, chanx.ErrClosed))
	// Output: true
}

func ExampleErrWouldBlock() {
	_, err := chanx.TryRecv(context.Background(), make(chan int))
	fmt.Println(err == chanx.ErrWouldBlock)
	// Output: true
}

// A Buffer is not itself a channel, so that its Len can be exact. To select
// on it, let a Producer move its values to a channel: the Producer stops
// with the buffer's close or with its consumer.
func ExampleBuffer_asChannel() {
	var b chanx.Buffer[string]
	ctx := context.Background()
	out := chanx.Produce(ctx, 0, func(ctx context.Context, yield func(string) bool) error {
		for {
			v, err := b.Recv(ctx)
			if err != nil {
				return nil // closed, or the consumer stopped
			}
			if !yield(v) {
				return nil
			}
		}
	})
	_ = b.Send(ctx, "a")
	_ = b.Send(ctx, "b")
	b.Close()
	for v := range out.C() {
		fmt.Println(v)
	}
	// Output:
	// a
	// b
}
