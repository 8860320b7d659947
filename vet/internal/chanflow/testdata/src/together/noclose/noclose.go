// Package noclose holds loops over channels that nobody closes, and the
// correct code next to them.
package noclose

import (
	"errors"
	"net"
	"os"
	"os/signal"
	"sync"
)

type job int

func (j job) do() error { return nil }

func worker(jobs <-chan job, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		_ = j.do()
	}
}

// The worker pool whose producer forgets close: the workers never stop,
// and wg.Wait never returns.
func pool(list []job) {
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go worker(jobs, &wg)
	}
	for _, j := range list {
		jobs <- j
	}
	wg.Wait()
}

// Results gathered with range, but no WaitGroup closes them: the caller
// deadlocks after the last result.
func collect(xs []int, f func(int) int) []int {
	results := make(chan int)
	for _, x := range xs {
		go func() { results <- f(x) }()
	}
	var out []int
	for r := range results {
		out = append(out, r)
	}
	return out
}

// An error return inside the loop does not save the success path.
func firstFailure(xs []int, f func(int) error) error {
	errs := make(chan error)
	for _, x := range xs {
		go func() { errs <- f(x) }()
	}
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// A consumer goroutine, the function sends and returns.
func logAll(lines []string, write func(string)) {
	ch := make(chan string)
	go func() {
		for l := range ch {
			write(l)
		}
	}()
	for _, l := range lines {
		ch <- l
	}
}

// The v, ok form in a loop waits for close just the same.
func okLoop(n int, use func(int)) {
	ch := make(chan int)
	go func() {
		for i := range n {
			ch <- i
		}
	}()
	for {
		v, ok := <-ch
		if !ok {
			return
		}
		use(v)
	}
}

// An accept loop that returns on error leaves its handlers ranging.
func serve(l net.Listener, handle func(net.Conn)) error {
	conns := make(chan net.Conn)
	for range 8 {
		go func() {
			for c := range conns {
				handle(c)
			}
		}()
	}
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		conns <- c
	}
}

// --- negatives ---

// The fix: the sender closes when it is done.
func poolFixed(list []job) {
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go worker(jobs, &wg)
	}
	for _, j := range list {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
}

// Several senders, a WaitGroup, one close.
func collectFixed(xs []int, f func(int) int) []int {
	results := make(chan int)
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- f(x)
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var out []int
	for r := range results {
		out = append(out, r)
	}
	return out
}

// A counted loop: the range leaves after len(xs) values.
func counted(xs []int, f func(int) int) int {
	results := make(chan int)
	for _, x := range xs {
		go func() { results <- f(x) }()
	}
	sum, n := 0, 0
	for r := range results {
		sum += r
		n++
		if n == len(xs) {
			break
		}
	}
	return sum
}

// Takes the first value and leaves.
func first(f func() int) int {
	ch := make(chan int)
	go func() { ch <- f() }()
	for v := range ch {
		return v
	}
	return 0
}

// An endless producer: an endless consumer is the design.
func ticker(handle func(int)) {
	ch := make(chan int)
	go func() {
		for i := 0; ; i++ {
			ch <- i
		}
	}()
	for v := range ch {
		handle(v)
	}
}

// Stored in a struct field and closed by a method.
type queue struct{ ch chan int }

func newQueue() *queue {
	ch := make(chan int)
	q := &queue{ch: ch}
	go func() {
		for v := range ch {
			_ = v
		}
	}()
	return q
}

func (q *queue) Close() { close(q.ch) }

// Handed to signal.Notify: the runtime owns it.
func signals(handle func(os.Signal)) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	for s := range sigs {
		handle(s)
	}
}

// Nobody sends: blockforever's case, not this one.
func nobody() {
	ch := make(chan int)
	for range ch {
	}
}

// Closed by a goroutine after the sends.
func closedByGoroutine(n int) int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := range n {
			ch <- i
		}
	}()
	s := 0
	for v := range ch {
		s += v
	}
	return s
}

// Handed to code that cannot be seen.
func handedOn(start func(chan<- int)) {
	ch := make(chan int)
	start(ch)
	go func() { ch <- 1 }()
	for range ch {
	}
}

var errStop = errors.New("stop")

// go-deep's batch trainer (fixed by closing the work channel): workers
// take the channel as a func literal's argument and range over it; the
// trainer feeds them batch after batch and returns without closing it.
type example struct{ in, out []float64 }

func train(batches [][]example, workers int, step func(int, example)) {
	workCh := make(chan example)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		go func(id int, work <-chan example) {
			for e := range work {
				step(id, e)
				wg.Done()
			}
		}(i, workCh)
	}
	for _, batch := range batches {
		for _, e := range batch {
			wg.Add(1)
			workCh <- e
		}
		wg.Wait()
	}
}

// A counted loop of v, ok receives knows how many it wants (runtime's
// channel tests).
func countedOk(use func(int)) {
	c := make(chan int)
	go func() {
		for i := 0; i < 100; i++ {
			c <- i
		}
	}()
	for i := 0; i < 100; i++ {
		v, ok := <-c
		if !ok {
			return
		}
		use(v)
	}
}
