package a

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/boundgo/bound/task"
	"golang.org/x/sync/errgroup"

	"waiter"
)

var errBad = errors.New("bad")

func work(int) error { return nil }
func flush() error   { return nil }

// --- positives -------------------------------------------------------------

// The loop starts goroutines, then an error check returns before Wait
// (buildkite/agent#2477's shape).
func loopThenCheck(items []int) error {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = work(it)
		}()
	}
	if err := flush(); err != nil {
		return err // want `this return is reached without waiting for the goroutines added to wg at line 27: they outlive the call \(call wg.Wait\(\) on every path, or use task.Run\)`
	}
	wg.Wait()
	return nil
}

// An errgroup whose Go runs before a failing step (chaos-mesh#722's shape;
// golang/go#57534 describes it).
func errgroupEarlyReturn(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return work(1) })
	if err := ctx.Err(); err != nil {
		return err // want `goroutines added to g at line 44: .*make it with task.WithContext and defer g.Stop\(\)`
	}
	return g.Wait()
}

// A select whose timeout case returns, leaving the workers behind.
func selectTimeout(ctx context.Context, results chan int) (int, error) {
	wg := new(sync.WaitGroup)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- i
		}()
	}
	select {
	case v := <-results:
		wg.Wait()
		return v, nil
	case <-time.After(time.Second):
		return 0, errBad // want `goroutines added to wg at line 55`
	}
}

// A return inside the loop that collects results, before Wait
// (mtlynch/whatgotdone#676's shape).
func returnWhileCollecting(ids []int) ([]int, error) {
	var wg sync.WaitGroup
	out := make([]int, len(ids))
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = id, work(id)
		}()
	}
	for _, err := range errs {
		if err != nil {
			return nil, err // want `goroutines added to wg at line 77`
		}
	}
	wg.Wait()
	return out, nil
}

// No Wait at all: the function falls off its end.
func neverWaits(jobs []func()) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(j)
	}
} // want `the end of the function is reached without waiting for the goroutines added to wg at line 96`

// A task.Group from WithContext, returned from early.
func taskEarly(ctx context.Context) error {
	g, ctx := task.WithContext(ctx)
	g.GoContext(func(ctx context.Context) error { return work(2) })
	if ctx.Err() != nil {
		return ctx.Err() // want `goroutines added to g at line 103: .*defer g.Stop\(\), or use task.Run`
	}
	return g.Wait()
}

// task.Results: a value-returning group.
func resultsEarly(ctx context.Context, n int) ([]int, error) {
	r, _ := task.ResultsWithContext[int](ctx)
	for i := range n {
		r.Go(func(ctx context.Context) (int, error) { return i, nil })
	}
	if n > 10 {
		return nil, errBad // want `goroutines added to r at line 114: .*call r.Wait\(\) on every path, or use task.Map`
	}
	return r.Wait()
}

// A helper in another package that adds goroutines counts as an Add (by fact).
func spawnedByHelper(fs []func()) error {
	var wg sync.WaitGroup
	for _, f := range fs {
		waiter.Spawn(&wg, f)
	}
	if len(fs) > 3 {
		return errBad // want `goroutines added to wg at line 126`
	}
	wg.Wait()
	return nil
}

// A helper that only marks done is not a Wait (by fact).
func workerIsNotAWait(f func()) error {
	var wg sync.WaitGroup
	wg.Add(1)
	go waiter.Worker(&wg, f)
	if f == nil {
		return errBad // want `goroutines added to wg at line 138`
	}
	wg.Wait()
	return nil
}

// A zero errgroup.Group value, waited on one path only.
func zeroErrgroup(urls []string) error {
	if len(urls) == 0 {
		return nil
	}
	var g errgroup.Group
	for _, u := range urls {
		g.Go(func() error { return work(len(u)) })
	}
	if urls[0] == "" {
		return errBad // want `goroutines added to g at line 154`
	}
	return g.Wait()
}

// --- negatives -------------------------------------------------------------

// Waits on every path.
func waitsOnEveryPath(items []int) error {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() { defer wg.Done(); _ = work(it) }()
	}
	if err := flush(); err != nil {
		wg.Wait()
		return err
	}
	wg.Wait()
	return nil
}

// A deferred Wait covers every return.
func deferredWait(items []int) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, it := range items {
		wg.Add(1)
		go func() { defer wg.Done(); _ = work(it) }()
	}
	if err := flush(); err != nil {
		return err
	}
	return nil
}

// A deferred closure that waits.
func deferredClosureWait(items []int) error {
	wg := &sync.WaitGroup{}
	defer func() {
		wg.Wait()
	}()
	for range items {
		wg.Add(1)
		go func() { defer wg.Done() }()
	}
	return flush()
}

// task.Group.Stop, deferred right after WithContext: the documented fix.
func deferredStop(ctx context.Context) error {
	g, ctx := task.WithContext(ctx)
	defer g.Stop()
	g.Go(func() error { return work(3) })
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return g.Wait()
}

// The group is waited for in a callee in another package (by fact).
func waitedByCallee(f func()) error {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); f() }()
	if f == nil {
		waiter.WaitAll(&wg)
		return errBad
	}
	waiter.WaitLater(&wg, f)
	return nil
}

// An errgroup finished by a callee.
func errgroupFinishedByCallee(ctx context.Context) error {
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { return nil })
	if ctx.Err() != nil {
		return waiter.Finish(g)
	}
	return g.Wait()
}

// Returning the group hands it to the caller.
func returnsGroup(f func()) *sync.WaitGroup {
	wg := &sync.WaitGroup{}
	wg.Add(1)
	go func() { defer wg.Done(); f() }()
	return wg
}

type server struct{ wg *sync.WaitGroup }

// Storing the group hands it on.
func (s *server) storesGroup(f func()) error {
	wg := new(sync.WaitGroup)
	wg.Add(1)
	go func() { defer wg.Done(); f() }()
	s.wg = wg
	if f == nil {
		return errBad
	}
	return nil
}

// A closure that waits and escapes: whoever calls it waits.
func closureEscapes(f func()) (wait func(), err error) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); f() }()
	if f == nil {
		return wg.Wait, errBad
	}
	return func() { wg.Wait() }, nil
}

// A goroutine that waits and closes a channel: the classic fan-in.
func fanIn(ins []chan int) chan int {
	out := make(chan int)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range in {
				out <- v
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Handed to an unknown function value: it may wait.
func unknownCallee(run func(*sync.WaitGroup), f func()) error {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); f() }()
	run(&wg)
	return nil
}

// Kept by a callee that stores it (by fact), or waited from another goroutine.
func keptByCallee(f func(), done chan struct{}) error {
	var wg, wg2 sync.WaitGroup
	wg.Add(1)
	wg2.Add(1)
	go func() { defer wg.Done(); defer wg2.Done(); f() }()
	waiter.Keep(&wg)
	waiter.WaitEventually(&wg2, done)
	return nil
}

// A path that ends in panic is not a return.
func panics(items []int) {
	var wg sync.WaitGroup
	for range items {
		wg.Add(1)
		go func() { defer wg.Done() }()
	}
	if len(items) > 100 {
		panic("too many")
	}
	wg.Wait()
}

// Nothing started before the early return.
func returnsBeforeAdd(items []int) error {
	var wg sync.WaitGroup
	if len(items) == 0 {
		return errBad
	}
	for range items {
		wg.Add(1)
		go func() { defer wg.Done() }()
	}
	wg.Wait()
	return nil
}

// A group made fresh in each iteration, waited for in each.
func perIteration(batches [][]int) error {
	for _, b := range batches {
		var wg sync.WaitGroup
		for range b {
			wg.Add(1)
			go func() { defer wg.Done() }()
		}
		wg.Wait()
		if len(b) == 0 {
			return errBad
		}
	}
	return nil
}

// A group that is not this function's: an alias of a field.
func (s *server) alias(f func()) error {
	wg := s.wg
	wg.Add(1)
	go func() { defer wg.Done(); f() }()
	return nil
}

// Adds that happen only inside goroutines are not this function's.
func addInGoroutine(f func()) error {
	var wg sync.WaitGroup
	go func() {
		wg.Add(1)
		defer wg.Done()
		f()
	}()
	return nil
}

// task.Run: the group is not a local, and cannot be left behind.
func scoped(ctx context.Context) error {
	return task.Run(ctx, func(ctx context.Context, g *task.Group) error {
		g.Go(func() error { return work(4) })
		return nil
	})
}

// A directive silences a finding that is intended.
func ignored(f func()) error {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); f() }()
	if f == nil {
		//boundvet:ignore nowait the goroutine only logs; it may outlive us
		return errBad
	}
	wg.Wait()
	return nil
}

// A latch: the function counts itself down and the goroutines wait on it
// (nats-server's benchmarks start publishers this way). Not a group to wait for.
func latch(pubs []func()) {
	var ready sync.WaitGroup
	ready.Add(1 + len(pubs))
	for _, p := range pubs {
		go func() {
			ready.Done()
			ready.Wait()
			p()
		}()
	}
	ready.Done()
}

// A release barrier: goroutines block on it until the function opens it.
func barrier(n int, f func()) {
	var release sync.WaitGroup
	release.Add(1)
	for range n {
		go func() {
			release.Wait()
			f()
		}()
	}
	release.Done()
}

// A group made and never waited for at all: the Wait was forgotten (as in a
// nats-server test that adds, starts, sleeps and shuts down).
func forgotten(shutdown func()) {
	wg := sync.WaitGroup{}
	wg.Add(1)
	go func() {
		defer wg.Done()
		shutdown()
	}()
	shutdown()
} // want `the end of the function is reached without waiting for the goroutines added to wg`

// Goroutines started under a flag and waited for under the same flag
// (badger's bank test): the path that skips the Wait skipped the Add too.
func sameFlag(check bool, f func()) error {
	var wg sync.WaitGroup
	if check {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	f()
	if check {
		wg.Wait()
	}
	return nil
}

type opts struct{ async struct{ off bool } }

// The same, negated, through a field path; and a later test of another flag
// does not excuse the leak.
func sameFieldFlag(o *opts, other bool, f func()) error {
	var wg sync.WaitGroup
	if !o.async.off {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	if o.async.off {
		return nil
	}
	if other {
		return errBad // want `goroutines added to wg`
	}
	wg.Wait()
	return nil
}

// Wait cancels a task group's context: a context-aware task started after
// it never runs (the library's own TryGoContext example).
func afterWait(ctx context.Context) bool {
	g, _ := task.WithContext(ctx)
	g.TryGoContext(func(ctx context.Context) error { return nil })
	_ = g.Wait()
	return g.TryGoContext(func(context.Context) error { return nil })
}

// But Go runs its function even then, as errgroup's does.
func goAfterWait(ctx context.Context) {
	g, _ := task.WithContext(ctx)
	g.Go(func() error { return nil })
	_ = g.Wait()
	g.Go(func() error { return nil })
} // want `the end of the function is reached without waiting for the goroutines added to g`

// No go statement: the Add counts something else (the standard library's
// synctest tests add to a WaitGroup to provoke a fatal error).
func noGoroutine(f func(func())) {
	var wg sync.WaitGroup
	wg.Add(1)
	f(func() { wg.Add(1) })
}

// Started in the else-branch of a flag and waited for under the flag
// (go-ethereum's trie committer): where the flag is false nothing ran.
func elseFlag(serial bool, fs []func()) {
	var wg sync.WaitGroup
	for _, f := range fs {
		if serial {
			f()
		} else {
			wg.Add(1)
			go func() { defer wg.Done(); f() }()
		}
	}
	if !serial {
		wg.Wait()
	}
}

// The else-branch of one flag, and a return under another.
func elseFlagLeak(serial, stop bool, fs []func()) error {
	var wg sync.WaitGroup
	for _, f := range fs {
		if serial {
			f()
		} else {
			wg.Add(1)
			go func() { defer wg.Done(); f() }()
		}
	}
	if stop {
		return errBad // want `goroutines added to wg`
	}
	wg.Wait()
	return nil
}

// A start latch (containerd's shim I/O copiers): each goroutine counts
// itself down as it starts, and the function waits for them to have
// started, not ended. They are meant to outlive the call.
func startLatchCopy(srcs []func() error, open func() error) error {
	var started sync.WaitGroup
	for _, src := range srcs {
		started.Add(1)
		go func() {
			started.Done()
			_ = src()
		}()
	}
	if err := open(); err != nil {
		return err
	}
	started.Wait()
	return nil
}

// Counted down at the end by one goroutine: not a latch.
func startLatchMixed(a, b func(), open func() error) error {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		wg.Done()
		a()
	}()
	go func() {
		defer wg.Done()
		b()
	}()
	if err := open(); err != nil {
		return err // want `goroutines added to wg`
	}
	wg.Wait()
	return nil
}

// The WaitGroup counts the syncs queued to a writer that marks them done
// (pebble's log writer test), and the one go statement starts something
// unrelated: no goroutine counted here outlives the call.
type syncer struct{ queue []*sync.WaitGroup }

func (s *syncer) SyncRecord(wg *sync.WaitGroup) error {
	s.queue = append(s.queue, wg)
	return nil
}

func queuedSyncs(s *syncer, release func()) error {
	var wg sync.WaitGroup
	wg.Add(10)
	for range 10 {
		if err := s.SyncRecord(&wg); err != nil {
			return err
		}
	}
	go func() {
		time.Sleep(time.Millisecond)
		release()
	}()
	return nil
}

// A closure held in a variable and started with go counts the group down.
func closureStarted(open func() error) error {
	var wg sync.WaitGroup
	work := func() { defer wg.Done() }
	wg.Add(1)
	go work()
	if err := open(); err != nil {
		return err // want `goroutines added to wg`
	}
	wg.Wait()
	return nil
}
