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
