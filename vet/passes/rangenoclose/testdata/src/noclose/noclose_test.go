package noclose

import (
	"sync"
	"testing"
)

// nats' check: range over the buffered errors, failing on the first.
func TestNoErrors(t *testing.T) {
	errs := make(chan error, 10)
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := job(1).do(); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		for err := range errs {
			t.Fatalf("%v", err)
		}
	}
}

// A test that ranges to collect, and the senders never close.
func TestCollect(t *testing.T) {
	out := make(chan int)
	for i := range 3 {
		go func() { out <- i }()
	}
	n := 0
	for v := range out { // want `for range out waits for out to be closed`
		n += v
	}
	t.Log(n)
}
