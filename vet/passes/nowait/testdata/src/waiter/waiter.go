// Package waiter holds helpers that take a group from their caller: the
// nowait fixtures learn what each does by fact, across the package boundary.
package waiter

import (
	"sync"

	"golang.org/x/sync/errgroup"
)

// WaitAll waits for wg: a caller that hands its group here has waited.
func WaitAll(wg *sync.WaitGroup) { wg.Wait() }

// WaitLater waits for wg when it returns.
func WaitLater(wg *sync.WaitGroup, f func()) {
	defer wg.Wait()
	f()
}

// Worker only marks itself done: handing the group here waits for nothing.
func Worker(wg *sync.WaitGroup, f func()) {
	defer wg.Done()
	f()
}

// Spawn adds a goroutine to wg and starts it.
func Spawn(wg *sync.WaitGroup, f func()) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		f()
	}()
}

// Finish waits for the errgroup and reports its error.
func Finish(g *errgroup.Group) error { return g.Wait() }

// registry keeps groups for a later shutdown.
var registry []*sync.WaitGroup

// Keep stores wg: someone else will wait for it.
func Keep(wg *sync.WaitGroup) { registry = append(registry, wg) }

// WaitEventually waits for wg from another goroutine.
func WaitEventually(wg *sync.WaitGroup, done chan<- struct{}) {
	go func() {
		wg.Wait()
		close(done)
	}()
}
