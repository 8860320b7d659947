package a

import (
	"sync"

	"helper"
)

func work(int) {}

// --- positives -------------------------------------------------------------

// The Add is not the goroutine's first statement: vet's waitgroup pass and
// staticcheck's SA2000 do not see it.
func notFirst(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		go func() {
			v := it * 2
			wg.Add(1) // want `wg.Add is called inside the goroutine it counts: it races with wg.Wait, which may return before the goroutine starts \(call wg.Add before the go statement, or use wg.Go\)`
			defer wg.Done()
			work(v)
		}()
	}
	wg.Wait()
}

// Under a condition inside the goroutine (no fix offered: moving it out
// would change when it runs).
func conditional(items []int, verbose bool) {
	wg := &sync.WaitGroup{}
	for _, it := range items {
		go func() {
			if verbose {
				wg.Add(1) // want `wg.Add is called inside the goroutine it counts`
				defer wg.Done()
			}
			work(it)
		}()
	}
	wg.Wait()
}

type server struct {
	mu    sync.Mutex
	wg    sync.WaitGroup
	quit  chan struct{}
	conns []int
}

// A field of a captured receiver (gansidui/gotcp#8's shape).
func (s *server) serve() {
	go func() {
		s.wg.Add(1) // want `s.wg.Add is called inside the goroutine it counts`
		defer s.wg.Done()
		<-s.quit
	}()
}

func (s *server) stop() {
	close(s.quit)
	s.wg.Wait()
}

// Through a helper in another package that adds (by fact).
func viaHelper(n int) {
	var wg sync.WaitGroup
	for i := range n {
		go func() {
			helper.Track(&wg) // want `Track adds to wg inside the goroutine it counts: the Add races with wg.Wait`
			defer helper.Untrack(&wg)
			work(i)
		}()
	}
	wg.Wait()
}

// A function started with go that adds to the group it is given and marks
// it done (lablabs/cloudflare-exporter#176's shape).
func startedWithGo(urls []string) []string {
	var wg sync.WaitGroup
	out := make(chan string, len(urls))
	for _, u := range urls {
		go helper.Fetch(&wg, u, out) // want `Fetch adds to wg inside the goroutine this go statement starts, and marks it done there`
	}
	wg.Wait()
	close(out)
	var res []string
	for u := range out {
		res = append(res, u)
	}
	return res
}

// A method started with go that counts itself on a field of its receiver.
func (s *server) loop() {
	s.wg.Add(1)
	defer s.wg.Done()
	<-s.quit
}

func (s *server) start() {
	go s.loop() // want `loop adds to s.wg inside the goroutine this go statement starts`
}

// --- negatives -------------------------------------------------------------

// The right way.
func addBefore(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(it)
		}()
	}
	wg.Wait()
}

// wg.Go counts before it starts the goroutine.
func withGo(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() { work(it) })
	}
	wg.Wait()
}

// A goroutine that adds for the goroutines it starts itself: the counter is
// already above zero (its parent added for it), so those Adds are safe.
func nested(batches [][]int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, b := range batches {
			for _, it := range b {
				wg.Add(1)
				go func() {
					defer wg.Done()
					work(it)
				}()
			}
		}
	}()
	wg.Wait()
}

// A dispatcher goroutine that adds for workers it starts, without marking
// itself done.
func dispatcher(jobs chan int) *sync.WaitGroup {
	var wg sync.WaitGroup
	go func() {
		for j := range jobs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				work(j)
			}()
		}
	}()
	return &wg
}

// The guarded Add: under the mutex that stop takes before it waits, after a
// closed check (grpc's Serve does this).
func (s *server) accept(c int) {
	go func() {
		s.mu.Lock()
		if s.conns == nil {
			s.mu.Unlock()
			return
		}
		s.wg.Add(1)
		s.conns = append(s.conns, c)
		s.mu.Unlock()
		defer s.wg.Done()
		work(c)
	}()
}

// A group nobody waits for: the Add races with nothing.
func neverWaited(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		go func() {
			wg.Add(1)
			defer wg.Done()
			work(it)
		}()
	}
}

// A group local to the goroutine.
func localToGoroutine(items []int) {
	go func() {
		var wg sync.WaitGroup
		for _, it := range items {
			wg.Add(1)
			go func() { defer wg.Done(); work(it) }()
		}
		wg.Wait()
	}()
}

// Helpers that only mark done, add for their own goroutines, or add under a
// mutex (all by fact).
func goodHelpers(fs []func()) {
	var wg sync.WaitGroup
	wg.Add(len(fs))
	for _, f := range fs {
		go helper.Worker(&wg, f)
	}
	go func() {
		helper.Fan(&wg, fs)
	}()
	for _, f := range fs {
		go helper.Guarded(&wg, f)
	}
	wg.Wait()
}

// The Add is for later work, not for this goroutine: it never marks done.
func addForLater(ch chan int) {
	var wg sync.WaitGroup
	go func() {
		wg.Add(1)
		ch <- 1
	}()
	<-ch
	wg.Done()
	wg.Wait()
}

// A directive silences the finding.
func ignored(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		go func() {
			//boundvet:ignore addinside Wait runs only after a barrier these goroutines pass
			wg.Add(1)
			defer wg.Done()
			work(it)
		}()
	}
	wg.Wait()
}

// Counted right before the go statement (prometheus's treecache): the
// loop marks that count done at its end, so the Adds it makes while it runs
// (through wg.Go, in a method it calls) find the counter above zero.
type tree struct {
	wg   *sync.WaitGroup
	stop chan struct{}
}

func newTree() *tree {
	t := &tree{wg: &sync.WaitGroup{}, stop: make(chan struct{})}
	t.wg.Add(1)
	go t.loop()
	return t
}

func (t *tree) loop() {
	defer t.wg.Done()
	t.watch()
	<-t.stop
}

func (t *tree) watch() {
	t.wg.Go(func() { <-t.stop })
}

func (t *tree) Stop() {
	close(t.stop)
	t.wg.Wait()
}

// The same loop started without the count before it: its own Adds race
// with Stop's Wait.
func newTreeUncounted() *tree {
	t := &tree{wg: &sync.WaitGroup{}, stop: make(chan struct{})}
	go t.loop() // want `loop adds to t.wg inside the goroutine this go statement starts`
	return t
}
