// Package use relies on lib's facts.
package use

import "closer/lib"

// Closed by a callee in another package.
func Filled() int {
	ch := make(chan int)
	go lib.Fill(ch, 3)
	s := 0
	for v := range ch {
		s += v
	}
	return s
}

// Emit does not close, and this function ranges.
func Emitted() int {
	ch := make(chan int)
	go lib.Emit(ch, 3)
	s := 0
	for v := range ch { // want `for range ch waits for ch to be closed`
		s += v
	}
	return s
}

// The drainer is in another package; the sender here never closes.
func Summed() int {
	ch := make(chan int)
	go func() {
		ch <- 1
		ch <- 2
	}()
	return lib.Sum(ch) // want `Sum ranges over ch until it is closed, but nothing closes ch`
}

// Both ends in lib, the close too.
func Both() int {
	ch := make(chan int)
	go lib.Fill(ch, 3)
	return lib.Sum(ch)
}

// Kept by a registry: it may be closed there.
func Registered(r *lib.Registry) {
	ch := make(chan int)
	r.Add(ch)
	go lib.Emit(ch, 1)
	for range ch {
	}
}

// The iterator is left after the first value.
func FirstOf() int {
	ch := make(chan int, 2)
	ch <- 1
	ch <- 2
	for v := range lib.All(ch) {
		return v
	}
	return 0
}

// Ranging over a generator that never closes.
func SumGen() int {
	s := 0
	for v := range lib.Gen(3) { // want `for range over the channel Gen returns waits for it to be closed, but the goroutine Gen starts never closes it`
		s += v
	}
	return s
}

func SumGenVar() int {
	g := lib.Gen(3)
	s := 0
	for v := range g { // want `for range g waits for it to be closed, but the goroutine Gen starts never closes it`
		s += v
	}
	return s
}

func SumClosed() int {
	s := 0
	for v := range lib.GenClosed(3) {
		s += v
	}
	return s
}

func Forever(handle func(int)) {
	for v := range lib.Ticks() {
		handle(v)
	}
}

// Takes three and leaves (an orphaned sender, but not a range that waits).
func FirstThree() int {
	s, n := 0, 0
	for v := range lib.Gen(10) {
		s += v
		n++
		if n == 3 {
			break
		}
	}
	return s
}
