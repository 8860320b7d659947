package a

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/boundgo/bound/task"
	"golang.org/x/sync/errgroup"

	"lib"
)

func work() {}

// --- positives -------------------------------------------------------------

func fireAndForget() {
	go work() // want `this goroutine is tied to nothing that can wait for it or stop it: no WaitGroup, group, context or channel \(start it in a task.Group, or hand it a ctx and wait for it\)`
}

func pollForever(f func()) {
	go func() { // want `this goroutine is tied to nothing`
		for {
			f()
			time.Sleep(time.Second)
		}
	}()
}

func debugServer() {
	go http.ListenAndServe("localhost:6060", nil) // want `this goroutine is tied to nothing`
}

func viaFact(f func()) {
	go lib.Flush()    // want `this goroutine is tied to nothing`
	go lib.Forever(f) // want `this goroutine is tied to nothing`
	go func() {       // want `this goroutine is tied to nothing`
		lib.Flush()
	}()
}

// --- negatives -------------------------------------------------------------

func counted(n int) { // want counted:"tied"
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	wg.Wait()
}

func withContext(ctx context.Context) { // want withContext:"tied"
	go func() {
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
			work()
		}
	}()
}

func resultOnChannel() int { // want resultOnChannel:"tied"
	ch := make(chan int, 1)
	go func() { ch <- 1 }()
	return <-ch
}

func closesWhenDone() <-chan struct{} { // want closesWhenDone:"tied"
	done := make(chan struct{})
	go func() {
		defer close(done)
		work()
	}()
	return done
}

// Tied by fact: the functions started use a context, a channel, a group.
func tiedByFact(ctx context.Context, in chan int, w *lib.Worker) { // want tiedByFact:"tied"
	go lib.Serve(ctx)
	go lib.Pump(in, make(chan int))
	go w.Run()
	go func() {
		lib.Serve(context.WithoutCancel(ctx))
	}()
}

// Handed a context or a channel by the go statement.
func handed(ctx context.Context, f func(context.Context), g func(chan int)) { // want handed:"tied"
	go f(ctx)
	go g(make(chan int))
}

// A function value or interface method: unknown, left alone.
func unknown(f func(), s interface{ Serve() }) {
	go f()
	go s.Serve()
}

// Groups: errgroup and task (no go statement at all), and a goroutine
// that uses one.
func groupsUsed(ctx context.Context) error { // want groupsUsed:"tied"
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return nil })
	tg, _ := task.WithContext(ctx)
	go func() { _ = tg.Wait() }()
	return g.Wait()
}

// A directive silences it.
func ignored() {
	//boundvet:ignore barego the process exits when main returns
	go work()
}

func withRecover(f func()) {
	defer func() { _ = recover() }()
	f()
}

type producer struct{ in chan int }

func (p *producer) dispatch() { // want dispatch:"tied"
	for range p.in {
	}
}

// A wrapper handed a function: the function decides (sarama's
// go withRecover(p.dispatcher)).
func wrapped(p *producer) { // want wrapped:"tied"
	go withRecover(p.dispatch)
	go withRecover(func() { <-p.in })
	go withRecover(work) // want `this goroutine is tied to nothing`
}
