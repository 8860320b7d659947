// Package conc is a stub of github.com/sourcegraph/conc for the fixtures:
// the real API of its WaitGroup, with just enough behind it.
package conc

import (
	"sync"

	"github.com/sourcegraph/conc/panics"
)

// WaitGroup is sync.WaitGroup with panic catching.
type WaitGroup struct {
	wg sync.WaitGroup
}

// NewWaitGroup creates a new WaitGroup.
func NewWaitGroup() *WaitGroup { return &WaitGroup{} }

// Go spawns a new goroutine in the WaitGroup.
func (h *WaitGroup) Go(f func()) {
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		f()
	}()
}

// Wait waits for the goroutines and propagates their panics.
func (h *WaitGroup) Wait() { h.wg.Wait() }

// WaitAndRecover waits and returns the first panic.
func (h *WaitGroup) WaitAndRecover() *panics.Recovered {
	h.wg.Wait()
	return nil
}
