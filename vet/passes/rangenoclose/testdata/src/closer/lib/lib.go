// Package lib has helpers that close, drain or keep the channels they are
// given.
package lib

// Fill sends n values and closes ch.
func Fill(ch chan<- int, n int) {
	defer close(ch)
	for i := range n {
		ch <- i
	}
}

// Emit sends n values and does not close ch.
func Emit(ch chan<- int, n int) {
	for i := range n {
		ch <- i
	}
}

// Sum drains ch until it is closed.
func Sum(ch <-chan int) int {
	s := 0
	for v := range ch {
		s += v
	}
	return s
}

// Registry keeps channels.
type Registry struct{ chs []chan<- int }

// Add stores ch; someone else closes it later.
func (r *Registry) Add(ch chan<- int) { r.chs = append(r.chs, ch) }

// All returns an iterator over ch: its range runs as long as the caller
// wants, so it does not drain ch by itself.
func All(ch <-chan int) func(yield func(int) bool) {
	return func(yield func(int) bool) {
		for v := range ch {
			if !yield(v) {
				return
			}
		}
	}
}

// Gen is the generator of a patterns collection before its fix: it sends
// n values and returns without closing, so a range over it never ends.
func Gen(n int) <-chan int {
	ch := make(chan int)
	go func() {
		for i := range n {
			ch <- i
		}
	}()
	return ch
}

// GenClosed is Gen with the fix.
func GenClosed(n int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := range n {
			ch <- i
		}
	}()
	return ch
}

// Ticks never ends: ranging over it for ever is its use.
func Ticks() <-chan int {
	ch := make(chan int)
	go func() {
		for i := 0; ; i++ {
			ch <- i
		}
	}()
	return ch
}
