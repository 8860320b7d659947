// Package helper holds functions that add to a WaitGroup they are given:
// addinside learns what they do by fact, across the package boundary.
package helper

import "sync"

// Track counts one more goroutine on wg.
func Track(wg *sync.WaitGroup) { wg.Add(1) }

// Untrack marks one goroutine done.
func Untrack(wg *sync.WaitGroup) { wg.Done() }

// Fetch counts itself on wg and marks itself done: started with go, its Add
// races with the caller's Wait (lablabs/cloudflare-exporter#176's shape).
func Fetch(wg *sync.WaitGroup, url string, out chan<- string) {
	wg.Add(1)
	defer wg.Done()
	out <- url
}

// Worker only marks itself done: the caller adds, as it should.
func Worker(wg *sync.WaitGroup, f func()) {
	defer wg.Done()
	f()
}

// Fan adds for the goroutines it starts itself: that is not self-counting.
func Fan(wg *sync.WaitGroup, fs []func()) {
	for _, f := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f()
		}()
	}
}

var mu sync.Mutex
var closed bool

// Guarded adds under a mutex, after checking a closed flag.
func Guarded(wg *sync.WaitGroup, f func()) {
	mu.Lock()
	if closed {
		mu.Unlock()
		return
	}
	wg.Add(1)
	mu.Unlock()
	defer wg.Done()
	f()
}
