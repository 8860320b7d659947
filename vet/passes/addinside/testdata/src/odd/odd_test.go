package odd

import (
	"sync"
	"testing"
)

func TestAddInside(t *testing.T) {
	var wg sync.WaitGroup
	for range 3 {
		go func() {
			if testing.Short() {
				t.Skip()
			}
			wg.Add(1) // want `wg.Add is called inside the goroutine it counts`
			defer wg.Done()
		}()
	}
	wg.Wait()
}
