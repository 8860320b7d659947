package nilchan

import (
	"context"
	"errors"
	"time"
)

// The shape of DefangLabs/defang#1625: the error channel is declared but
// never made, so the first failure blocks its goroutine for good and the
// caller waits for an error that never comes.
func deploy(ctx context.Context, steps []func() error) error {
	var errChan chan error
	for _, step := range steps {
		go func() {
			if err := step(); err != nil {
				errChan <- err // want `this send on errChan blocks forever: errChan is a nil channel, declared without a value and never assigned \(make it with make\(chan error\)\)`
			}
		}()
	}
	select {
	case err := <-errChan: // beside another case: a nil channel here only disables it
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func results() []int {
	var out chan int
	var got []int
	for v := range out { // want `for range out blocks forever: out is a nil channel`
		got = append(got, v)
	}
	return got
}

func first() int {
	var in <-chan int
	v := <-in // want `this receive from in blocks forever: in is a nil channel`
	return v
}

func alone() error {
	var errs chan error
	select {
	case err := <-errs: // want `this receive from errs blocks forever`
		return err
	}
}

func paren() {
	var ch chan int
	(ch) <- 1 // want `this send on ch blocks forever`
}

// Negatives.

// The idiom of a function that means to block for good: the value of the
// receive is not used.
func serveForever() {
	var forever chan struct{}
	<-forever
}

// Assigned on some path: nil only where it was not, and a select case.
func timeoutOrValue(in <-chan int, d time.Duration) (int, error) {
	var timeout <-chan time.Time
	if d > 0 {
		timeout = time.After(d)
	}
	select {
	case v := <-in:
		return v, nil
	case <-timeout:
		return 0, errors.New("timeout")
	}
}

// Assigned later, in a closure: not nil when used.
func assignedInClosure() int {
	var ch chan int
	start := func() { ch = make(chan int, 1) }
	start()
	ch <- 1
	return <-ch
}

// Its address escapes: anything may store a channel through it.
func addressTaken() int {
	var ch chan int
	fill(&ch)
	return <-ch
}

func fill(p *chan int) { *p = make(chan int, 1); *p <- 1 }

// With a default, a nil channel's case is never chosen: a common way to
// turn a case off.
func tryDisabled() bool {
	var ch chan int
	select {
	case ch <- 1:
		return true
	default:
		return false
	}
}

// A parameter may hold a channel.
func param(ch chan int) { ch <- 1 }

// Declared with a value.
func made() int {
	var ch = make(chan int, 1)
	ch <- 1
	return <-ch
}

// Passing it along or closing it is not an operation that blocks (closing
// a nil channel panics, which the runtime reports at once).
func passed() {
	var ch chan int
	use(ch)
	_ = len(ch)
}

func use(chan int) {}

// Generic element type.
func generic[T any]() T {
	var ch chan T
	return <-ch // want `this receive from ch blocks forever`
}
