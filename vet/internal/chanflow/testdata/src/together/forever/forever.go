// Package forever holds channel operations that can never complete, and
// their correct neighbours.
package forever

import (
	"context"
	"errors"
)

func start() error { return nil }
func run() error   { return nil }

// The error is sent before the goroutine that would carry the channel's
// receiver exists: the caller never gets errC back.
func serve() <-chan error {
	errC := make(chan error)
	if err := start(); err != nil {
		errC <- err
		return errC
	}
	go func() { errC <- run() }()
	return errC
}

// Straight line.
func straight() chan int {
	ch := make(chan int)
	ch <- 1
	return ch
}

// A select with the send alone still blocks.
func lonelySelect() chan int {
	ch := make(chan int)
	select {
	case ch <- 1:
	}
	return ch
}

// Nothing sends, nothing closes: the receive waits for ever.
func neverSignalled(work func()) {
	done := make(chan struct{})
	go func() {
		work()
	}()
	<-done
}

// A goroutine waiting on a channel nobody signals leaks.
func leakedWaiter(stop func()) {
	quit := make(chan bool)
	go func() {
		<-quit
		stop()
	}()
}

// A range over a channel that nobody feeds.
func emptyRange() int {
	ch := make(chan int, 4)
	n := 0
	for v := range ch {
		n += v
	}
	return n
}

// --- negatives ---

// The fix: a buffer.
func serveBuffered() <-chan error {
	errC := make(chan error, 1)
	if err := start(); err != nil {
		errC <- err
		return errC
	}
	go func() { errC <- run() }()
	return errC
}

// The receiver is started first.
func receiverFirst(use func(int)) {
	ch := make(chan int)
	go func() { use(<-ch) }()
	ch <- 1
}

// A receiver on one path only: not certain, not reported.
func maybe(async bool, use func(int)) {
	ch := make(chan int)
	if async {
		go func() { use(<-ch) }()
	}
	ch <- 1
}

// Shared through a field before the send.
type box struct{ ch chan int }

func (b *box) fill() {
	ch := make(chan int)
	b.ch = ch
	ch <- 1
}

// A send with a way out.
func tryLater() chan int {
	ch := make(chan int)
	select {
	case ch <- 1:
	default:
	}
	return ch
}

// Closed later: the receive is woken.
func closedLater(ctx context.Context) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
	}()
	<-done
}

// A receive in a select among others does not block for ever.
func selectOthers(ctx context.Context) error {
	never := make(chan struct{})
	select {
	case <-never:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Handed to a function that cannot be seen: it may send.
func handed(register func(chan<- int)) int {
	ch := make(chan int)
	register(ch)
	return <-ch
}

// Sends in a loop, the make inside: each round has its own channel, and
// the goroutine started after the first send's round is too late, so the
// send blocks.
func perRound(n int) {
	for range n {
		ch := make(chan int)
		ch <- 1
		go func() { <-ch }()
	}
}

var errNone = errors.New("none")

// A test helper that starts a proxy container (shape from a public test
// suite): the early error is sent on the unbuffered channel it has not
// returned yet.
func startProxy(getwd func() (string, error), run func(string) error) <-chan error {
	errCh := make(chan error)
	wd, err := getwd()
	if err != nil {
		errCh <- err
		return errCh
	}
	go func(errCh chan error) {
		errCh <- run(wd)
	}(errCh)
	return errCh
}

// A generic subscriber that reports errors on a channel it only returns
// at the start: every send on it, early or in the loop, blocks.
func receiveMessages[K any](connect func() error, msgs <-chan K, apply func(K) error) chan error {
	errCh := make(chan error)
	if err := connect(); err != nil {
		errCh <- err
		return errCh
	}
	for msg := range msgs {
		if err := apply(msg); err != nil {
			errCh <- err
			continue
		}
	}
	return errCh
}
