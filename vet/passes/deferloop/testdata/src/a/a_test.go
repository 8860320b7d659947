package a

import (
	"os"
	"sync"
	"testing"
)

// In tests only the deadlock is reported: a test's loops are short and its
// files go away with the test.
func TestFiles(t *testing.T) {
	for _, name := range []string{"x", "y"} {
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
	}
}

func TestLocks(t *testing.T) {
	var mu sync.Mutex
	for range 2 {
		mu.Lock()
		defer mu.Unlock() // want `defer mu.Unlock\(\) in a loop`
	}
}

func TestSubtests(t *testing.T) {
	for _, name := range []string{"x", "y"} {
		t.Run(name, func(t *testing.T) {
			f, err := os.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
		})
	}
}

// Each iteration locks another mutex and holds it on purpose: a test may.
func TestHoldAll(t *testing.T) {
	queues := []*sync.Mutex{{}, {}}
	for _, q := range queues {
		mu := q
		mu.Lock()
		defer mu.Unlock()
	}
}
