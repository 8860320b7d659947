// Package odd holds shapes that must not crash the channel checks:
// generics, method values, closures, channels of channels, nil channels,
// selects with many cases, labels, goto, defer close.
package odd

import (
	"context"
	"time"
)

// Generic producer and consumer.
func First[T any](ctx context.Context, f func() T) (T, error) {
	ch := make(chan T)
	go func() { ch <- f() }()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

type Pipe[T any] struct{ c chan T }

func (p *Pipe[T]) Send(v T) { p.c <- v }

func NewPipe[T any]() *Pipe[T] { return &Pipe[T]{c: make(chan T)} }

// A method value started as a goroutine: the callee is not static.
type sink struct{}

func (sink) put(ch chan<- int) { ch <- 1 }

func methodValue(ctx context.Context) {
	ch := make(chan int)
	f := sink{}.put
	go f(ch)
	select {
	case <-ch:
	case <-ctx.Done():
	}
}

// A method expression: the receiver is the first argument.
func methodExpr(ctx context.Context) error {
	ch := make(chan int)
	go sink.put(sink{}, ch)
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Channels of channels: the reply channel is sent, so it escapes.
func request(reqs chan chan int) int {
	reply := make(chan int)
	reqs <- reply
	return <-reply
}

func serve(reqs chan chan int) {
	for r := range reqs {
		go func() { r <- 1 }()
	}
}

// A nil channel blocks, and is the select-disabling idiom.
func merge(a, b <-chan int, out chan<- int) {
	for a != nil || b != nil {
		select {
		case v, ok := <-a:
			if !ok {
				a = nil
				continue
			}
			out <- v
		case v, ok := <-b:
			if !ok {
				b = nil
				continue
			}
			out <- v
		}
	}
	close(out)
}

// A select with many cases, labels, goto.
func many(ctx context.Context, in <-chan int, tick <-chan time.Time) (n int) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(time.Millisecond)
	}()
loop:
	for {
		select {
		case <-done:
			break loop
		case v, ok := <-in:
			if !ok {
				goto out
			}
			n += v
			continue loop
		case <-tick:
		case <-ctx.Done():
			return n
		default:
		}
	}
out:
	return n
}

// defer close, and a closure that sends.
func deferClose(n int) <-chan int {
	ch := make(chan int, n)
	defer close(ch)
	send := func(v int) { ch <- v }
	for i := range n {
		send(i)
	}
	return ch
}

// A parenthesized, converted channel.
func converted(ctx context.Context) {
	ch := make(chan int)
	go func(out chan<- int) { (out) <- 1 }((chan<- int)(ch))
	select {
	case <-(<-chan int)(ch):
	case <-ctx.Done():
	}
}

// Recursion through a channel parameter.
func countdown(ch chan int, n int) {
	if n == 0 {
		close(ch)
		return
	}
	ch <- n
	countdown(ch, n-1)
}

func useCountdown() int {
	ch := make(chan int)
	go countdown(ch, 3)
	s := 0
	for v := range ch {
		s += v
	}
	return s
}

// Function with no body (assembly or linkname) and a variadic channel list.
func external(ch chan int)

func variadic(chs ...chan int) {
	for _, c := range chs {
		close(c)
	}
}

func callOdd() {
	ch := make(chan int)
	external(ch)
	variadic(ch)
}
