// Package facts exercises the summaries chanflow exports.
package facts

import "context"

func Closes(ch chan int) { close(ch) } // want Closes:`^chanflow\(p0=close\)$`

func SendsOnce(ch chan<- int) { ch <- 1 } // want SendsOnce:`^chanflow\(p0=send\)$`

func SendsInLoop(ch chan<- int, n int) { // want SendsInLoop:`^chanflow\(p0=send\|sendmany\)$`
	for i := range n {
		ch <- i
	}
}

func SendsOnceInLoop(ch chan<- error, f func() error) { // want SendsOnceInLoop:`^chanflow\(p0=send\)$`
	for {
		if err := f(); err != nil {
			ch <- err
			return
		}
	}
}

func SendsGuarded(ctx context.Context, ch chan<- int) { // want SendsGuarded:`^chanflow\(p1=sendguarded\)$`
	select {
	case ch <- 1:
	case <-ctx.Done():
	}
}

func Drains(ch <-chan int) { // want Drains:`^chanflow\(p0=recv\|drain\)$`
	for range ch {
	}
}

func Receives(ch <-chan int) int { return <-ch } // want Receives:`^chanflow\(p0=recv\)$`

type holder struct{ ch chan int }

func Stores(h *holder, ch chan int) { h.ch = ch } // want Stores:`^chanflow\(p1=escape\)$`

func Forwards(ch chan int) { Closes(ch) } // want Forwards:`^chanflow\(p0=close\)$`

func ClosesInGoroutine(ch chan int) { // want ClosesInGoroutine:`^chanflow\(p0=send\|close\|async\)$`
	go func() {
		defer close(ch)
		ch <- 1
	}()
}

func Iterator(ch <-chan int) func(func(int) bool) { // want Iterator:`^chanflow\(p0=recv\)$`
	return func(yield func(int) bool) {
		for v := range ch {
			if !yield(v) {
				return
			}
		}
	}
}

func Unused(ch chan int, n int) int { return n } // want Unused:`^chanflow\(\)$`

func Forever(ch chan<- int) { // want Forever:`^chanflow\(p0=send\|sendmany\ noreturn\)$`
	for {
		ch <- 1
	}
}

func Start(f func() error) <-chan error { // want Start:`^chanflow\(r0=pending\(sends=1\ cap=0\ closes=false\ ends=true\)\)$` Start:`^starter\(p0\)$`
	ch := make(chan error)
	go func() { ch <- f() }()
	return ch
}

func Stream(n int) <-chan int { // want Stream:`^chanflow\(r0=pending\(sends=many\ cap=0\ closes=true\ ends=true\)\)$`
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := range n {
			ch <- i
		}
	}()
	return ch
}

func Buffered(f func() error) <-chan error { // want Buffered:`^chanflow\(\)$` Buffered:`^starter\(p0\)$`
	ch := make(chan error, 1)
	go func() { ch <- f() }()
	return ch
}

func Generic[T any](ch chan T, v T) { ch <- v } // want Generic:`^chanflow\(p0=send\)$`

type T struct{}

func (T) Method(ch chan int) { close(ch) } // want Method:`^chanflow\(p0=close\)$`

func Spawn(ch chan<- error, f func() error) { // want Spawn:`^chanflow\(p0=send\|async\)$` Spawn:`^starter\(p1\)$`
	go func() { ch <- f() }()
}

func SpawnVia(ch chan<- error, f func() error) { Spawn(ch, f) } // want SpawnVia:`^chanflow\(p0=send\|async\)$`

func Ticks() <-chan int { // want Ticks:`^chanflow\(r0=pending\(sends=many\ cap=0\ closes=false\ ends=false\)\)$`
	ch := make(chan int)
	go func() {
		for i := 0; ; i++ {
			ch <- i
		}
	}()
	return ch
}

// A panic-safe go wrapper starts f; the panic handler it calls from a
// deferred closure is not started as such.
func SafeGo(f func(), onPanic func(any)) { // want SafeGo:`^starter\(p0\)$`
	go func() {
		defer func() {
			if r := recover(); r != nil {
				onPanic(r)
			}
		}()
		f()
	}()
}

// Runs f in place: not a starter.
func RunNow(f func()) { f() }

// Starts a method value's goroutine directly.
func GoDirect(f func(int), n int) { go f(n) } // want GoDirect:`^starter\(p0\)$`

// A closure bound to a variable sends at each of its calls: once per path
// here, which a buffer of one holds (nats-server's processStreamRestore).
func Finish(ok bool) <-chan error { // want Finish:`^chanflow\(\)$`
	ch := make(chan error, 1)
	go func() {
		finish := func(err error) { ch <- err }
		if ok {
			finish(nil)
			return
		}
		finish(nil)
	}()
	return ch
}

// Twice on one path, with no buffer.
func FinishTwice() <-chan error { // want FinishTwice:`^chanflow\(r0=pending\(sends=2\ cap=0\ closes=false\ ends=true\)\)$`
	ch := make(chan error)
	go func() {
		finish := func(err error) { ch <- err }
		finish(nil)
		finish(nil)
	}()
	return ch
}
