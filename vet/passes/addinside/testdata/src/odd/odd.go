// Package odd holds code of unusual shapes: the check must not crash on it,
// and must still be right.
package odd

import (
	"os"
	"sync"
)

// Generic code.
func Each[T any](xs []T, f func(T)) {
	var wg sync.WaitGroup
	for _, x := range xs {
		go func() {
			defer wg.Done()
			f(x)
			wg.Add(1) // want `wg.Add is called inside the goroutine it counts`
		}()
	}
	wg.Wait()
}

type pool[T any] struct {
	wg    sync.WaitGroup
	items []T
}

// A method of a generic type started with go that counts itself.
func (p *pool[T]) drain() {
	p.wg.Add(1)
	defer p.wg.Done()
	p.items = nil
}

func (p *pool[T]) start() {
	go p.drain() // want `drain adds to p.wg inside the goroutine this go statement starts`
	p.wg.Wait()
}

// Method values: go wg.Done, a method value started as a goroutine.
func methodValues(fs []func()) {
	var wg sync.WaitGroup
	wg.Add(len(fs))
	done := wg.Done
	for range fs {
		go done()
	}
	go wg.Wait()
	wg.Wait()
}

// goto, labels, panics and os.Exit inside the goroutine.
func shapes(rows [][]int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		i := 0
	again:
		if i < len(rows) {
			i++
			goto again
		}
	outer:
		for _, r := range rows {
			for _, v := range r {
				if v < 0 {
					break outer
				}
				if v == 0 {
					panic("zero")
				}
				if v > 100 {
					os.Exit(2)
				}
			}
		}
	}()
	wg.Wait()
}

// A recursive goroutine starter.
func walk(wg *sync.WaitGroup, depth int) {
	if depth == 0 {
		return
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		walk(wg, depth-1)
	}()
}

// A closure kept in a variable and started later: not analysed as the
// goroutine's body.
func stored() {
	var wg sync.WaitGroup
	f := func() {
		wg.Add(1)
		defer wg.Done()
	}
	go f()
	wg.Wait()
}
