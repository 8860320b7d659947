// Package odd holds code of unusual shapes: the check must not crash on it.
package odd

import (
	"os"
	"sync"
)

type box[T any] struct {
	v    T
	done chan struct{}
}

// A generic method started with go, tied by its channel.
func (b *box[T]) fill(v T) { // want fill:"tied"
	b.v = v
	close(b.done)
}

func start[T any](v T) *box[T] { // want start:"tied"
	b := &box[T]{done: make(chan struct{})}
	go b.fill(v)
	return b
}

// A generic function started bare.
func spin[T any](f func(T), v T) {
	go f(v)
	go func() { // want `this goroutine is tied to nothing`
		f(v)
	}()
}

// Method values.
func methodValues(wg *sync.WaitGroup, b *box[int]) { // want methodValues:"tied"
	done := wg.Done
	go done()
	fill := b.fill
	go fill(1)
}

// goto, labels, panic and os.Exit in a goroutine that is tied.
func shapes(rows [][]int, quit chan struct{}) { // want shapes:"tied"
	go func() {
		i := 0
	again:
		if i < len(rows) {
			i++
			goto again
		}
	outer:
		for _, r := range rows {
			for _, v := range r {
				switch {
				case v < 0:
					break outer
				case v == 0:
					panic("zero")
				case v > 100:
					os.Exit(3)
				}
			}
		}
		<-quit
	}()
}
