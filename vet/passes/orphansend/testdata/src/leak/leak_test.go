package leak

import (
	"testing"
	"time"
)

// A test that has already failed on the timeout path.
func TestFailedPath(t *testing.T) {
	ch := make(chan int)
	go func() { ch <- 1 }()
	select {
	case <-ch:
	case <-time.After(time.Second):
		t.Errorf("timed out")
	}
}

// The deferred send reports a Goexit that replaces the plain one.
func TestGoexitSignal(t *testing.T) {
	returned := make(chan bool)
	go func() {
		defer func() { returned <- false }()
		work()
		returned <- true
	}()
	if <-returned {
		t.Log("returned")
	}
}

// Two goroutines, started and received one after the other.
func TestOneAfterOther(t *testing.T) {
	got := make(chan any)
	go func() {
		defer func() { got <- recover() }()
		work()
	}()
	<-got
	go func() {
		defer func() { got <- recover() }()
		work()
	}()
	<-got
}

// The second goroutine is never waited for.
func TestSecondForgotten(t *testing.T) {
	got := make(chan any)
	go func() { got <- 1 }()
	<-got
	go func() { got <- 2 }()
} // want `goroutines started on line 50 send on got, but the end of the function is reached`
