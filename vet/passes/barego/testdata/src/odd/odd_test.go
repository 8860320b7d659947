package odd

import "testing"

func TestBare(t *testing.T) {
	go func() { // want `this goroutine is tied to nothing`
		t.Log("late")
	}()
}
