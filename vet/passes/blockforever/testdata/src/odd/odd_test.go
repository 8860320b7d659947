package odd

import (
	"context"
	"testing"
	"time"
)

// A test that leaks when it times out.
func TestLeaky(t *testing.T) {
	ch := make(chan int)
	go func() { ch <- 1 }()
	select {
	case <-ch:
	case <-time.After(time.Second):
		t.Log("timeout")
		return
	}
}

// t.Fatal does not return: not a return path.
func TestFatal(t *testing.T) {
	ch := make(chan int)
	go func() { ch <- 1 }()
	select {
	case <-ch:
	case <-time.After(time.Second):
		t.Fatal("timeout")
	}
}

func TestGeneric(t *testing.T) {
	if _, err := First(context.Background(), func() int { return 1 }); err != nil {
		t.Fatal(err)
	}
}
