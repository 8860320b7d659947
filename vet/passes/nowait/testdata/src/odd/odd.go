// Package odd holds code of unusual shapes: the check must not crash on it,
// and must still be right.
package odd

import (
	"context"
	"log"
	"os"
	"sync"

	"github.com/boundgo/bound/task"
)

// Generic code with a group.
func Each[T any](xs []T, f func(T)) {
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() { defer wg.Done(); f(x) }()
	}
	wg.Wait()
}

// A generic function that returns early without waiting.
func EachUntil[T comparable](xs []T, stop T, f func(T)) bool {
	var wg sync.WaitGroup
	for _, x := range xs {
		if x == stop {
			return false // want `goroutines added to wg`
		}
		wg.Add(1)
		go func() { defer wg.Done(); f(x) }()
	}
	wg.Wait()
	return true
}

type pool[T any] struct{ items []T }

// A method of a generic type, with a method value handed to wg.Go.
func (p *pool[T]) run(f func(T)) {
	var wg sync.WaitGroup
	for _, it := range p.items {
		wg.Go(func() { f(it) })
	}
	done := wg.Wait
	done()
}

// Method values of the group: wg.Done handed on is not a Wait, wg.Wait is an
// escape (whoever holds it can wait).
func methodValues(f func(func())) {
	var wg sync.WaitGroup
	wg.Add(1)
	go f(wg.Done)
	wait := wg.Wait
	wait()
}

// goto and labels.
func gotoLoop(n int) int {
	var wg sync.WaitGroup
	i := 0
again:
	if i < n {
		wg.Add(1)
		go func() { defer wg.Done() }()
		i++
		goto again
	}
	wg.Wait()
	return i
}

// A labeled loop whose break skips nothing: the Wait is after it.
func labeled(rows [][]int) {
	var wg sync.WaitGroup
outer:
	for _, r := range rows {
		for _, v := range r {
			if v < 0 {
				break outer
			}
			if v == 0 {
				continue outer
			}
			wg.Add(1)
			go func() { defer wg.Done() }()
		}
	}
	wg.Wait()
}

// A labeled loop whose inner return leaves goroutines behind.
func labeledReturn(rows [][]int) error {
	var wg sync.WaitGroup
outer:
	for _, r := range rows {
		for _, v := range r {
			switch {
			case v < 0:
				return os.ErrInvalid // want `goroutines added to wg`
			case v == 0:
				continue outer
			}
			wg.Add(1)
			go func() { defer wg.Done() }()
		}
	}
	wg.Wait()
	return nil
}

// Paths that end in os.Exit or log.Fatal are not returns.
func exits(items []int) {
	var wg sync.WaitGroup
	for range items {
		wg.Add(1)
		go func() { defer wg.Done() }()
	}
	switch len(items) {
	case 0:
		os.Exit(1)
	case 1:
		log.Fatal("one")
	case 2:
		log.Fatalf("two")
	}
	wg.Wait()
}

// A closure that owns its own group.
func closureOwnsGroup(ctx context.Context) func() error {
	return func() error {
		g, ctx := task.WithContext(ctx)
		g.Go(func() error { return nil })
		if ctx.Err() != nil {
			return ctx.Err() // want `goroutines added to g`
		}
		return g.Wait()
	}
}

// A group inside a select with many cases, and a nil channel.
func manyCases(a, b chan int, c chan struct{}) int {
	var wg sync.WaitGroup
	var never chan int
	wg.Add(1)
	go func() { defer wg.Done(); a <- 1 }()
	select {
	case v := <-a:
		wg.Wait()
		return v
	case v := <-b:
		wg.Wait()
		return v
	case <-never:
		return -1 // want `goroutines added to wg`
	case <-c:
	}
	wg.Wait()
	return 0
}

// A recursive function with a group parameter: its summary is unknown while
// it is computed, and that must not loop.
func recurse(wg *sync.WaitGroup, n int) {
	if n == 0 {
		return
	}
	wg.Add(1)
	go func() { defer wg.Done(); recurse(wg, n-1) }()
}

func useRecurse() {
	var wg sync.WaitGroup
	recurse(&wg, 3)
	wg.Wait()
}

// Comparisons and conversions.
func compare(wg *sync.WaitGroup) bool {
	var local sync.WaitGroup
	local.Add(1)
	go func() { defer local.Done() }()
	ok := wg != nil && wg == &local
	var anyv any = &local // escapes into an interface
	_ = anyv
	return ok
}

// A panic under a deferred recover: the function may return normally after
// it, with the goroutine still running, but a path that ends in panic is not
// followed (as in vet's lostcancel): silent.
func recovered() (err error) {
	var wg sync.WaitGroup
	defer func() {
		if r := recover(); r != nil {
			err = os.ErrClosed
		}
	}()
	wg.Add(1)
	go func() { defer wg.Done() }()
	panic("boom")
}
