package fix

import "sync"

func work(int) {}

// The Add is the first statement: moving it before the go statement is safe.
func first(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		go func() {
			wg.Add(1) // want `wg.Add is called inside the goroutine it counts`
			defer wg.Done()
			work(it)
		}()
	}
	wg.Wait()
}

// After straight-line statements, with a length for argument.
func afterStraight(batches [][]int) {
	var wg sync.WaitGroup
	for _, b := range batches {
		go func() {
			defer wg.Done()
			n := len(b)
			wg.Add(1) // want `wg.Add is called inside the goroutine it counts`
			work(n)
		}()
	}
	wg.Wait()
}

// On one line.
func oneLine(f func()) {
	var wg sync.WaitGroup
	go func() { wg.Add(1); defer wg.Done(); f() }() // want `wg.Add is called inside the goroutine it counts`
	wg.Wait()
}

// The argument is computed inside the goroutine: no fix.
func localArg(batches [][]int) {
	var wg sync.WaitGroup
	for _, b := range batches {
		go func() {
			n := 1
			wg.Add(n) // want `wg.Add is called inside the goroutine it counts`
			defer wg.Done()
			work(len(b))
		}()
	}
	wg.Wait()
}

// A return may come first: no fix.
func mayReturn(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		go func() {
			if it < 0 {
				return
			}
			wg.Add(1) // want `wg.Add is called inside the goroutine it counts`
			defer wg.Done()
			work(it)
		}()
	}
	wg.Wait()
}
