// Package lib holds functions other packages start with go: barego learns
// by fact which of them tie their goroutine.
package lib

import (
	"context"
	"sync"
	"time"
)

// Serve loops until ctx is done.
func Serve(ctx context.Context) { <-ctx.Done() } // want Serve:"tied"

// Pump forwards until in is closed.
func Pump(in <-chan int, out chan<- int) { // want Pump:"tied"
	for v := range in {
		out <- v
	}
}

// A Worker stops when its quit channel is closed.
type Worker struct {
	quit chan struct{}
	wg   *sync.WaitGroup
}

// Run waits for quit.
func (w *Worker) Run() { // want Run:"tied"
	defer w.wg.Done()
	<-w.quit
}

// Flush writes and returns, tied to nothing.
func Flush() { time.Sleep(time.Millisecond) }

// Forever polls forever.
func Forever(f func()) {
	for {
		f()
		time.Sleep(time.Second)
	}
}
