package odd

import (
	"sync"
	"testing"
)

// A test whose failure path calls t.Fatal (no return) and whose early return
// leaves goroutines behind.
func TestWorkers(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(1)
		go func() { defer wg.Done(); _ = i }()
	}
	if testing.Short() {
		t.Fatal("short")
	}
	if t.Failed() {
		return // want `goroutines added to wg`
	}
	wg.Wait()
}
