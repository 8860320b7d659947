package odd

import (
	"testing"
	"testing/synctest"
)

func TestBare(t *testing.T) {
	go func() { // want `this goroutine is tied to nothing`
		t.Log("late")
	}()
}

// A synctest bubble accounts for the goroutines started in it.
func TestBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		go func() {
			t.Log("inside")
		}()
		synctest.Wait()
	})
}
