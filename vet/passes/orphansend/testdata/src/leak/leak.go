// Package leak holds the shapes orphansend reports and the close cousins
// it must leave alone. Several come from fixed leaks in public projects.
package leak

import (
	"context"
	"errors"
	"sync"
	"time"
)

type result struct {
	val int
	err error
}

func work() result         { return result{} }
func fetch(s string) error { return nil }

// The classic: the caller gives up on ctx, the worker's send never ends.
func classic(ctx context.Context) (int, error) {
	ch := make(chan result)
	go func() { ch <- work() }()
	select {
	case r := <-ch:
		return r.val, r.err
	case <-ctx.Done():
		return 0, ctx.Err() // want `the goroutine started on line 23 sends on ch, but this return is reached without receiving everything: the send blocks forever \(give ch a buffer of 1, or receive from it on this path\)`
	}
}

// The same with a timer (moby rm_test, cadvisor runner: "done" sent after
// the work, the caller's select times out).
func waitTimeout(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan bool)
	go func() {
		wg.Wait()
		done <- true
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false // want `the goroutine started on line 36 sends on done`
	}
}

// An early error return between the start and the receive.
func earlyError(validate func() error) error {
	errc := make(chan error, 0)
	go func() { errc <- fetch("a") }()
	if err := validate(); err != nil {
		return err // want `sends on errc, but this return is reached without receiving`
	}
	return <-errc
}

// A loop of workers, one unbuffered channel, the first error returns
// (the errgroup-before-errgroup shape).
func firstError(urls []string) error {
	errc := make(chan error)
	for _, u := range urls {
		go func() { errc <- fetch(u) }()
	}
	for range urls {
		if err := <-errc; err != nil {
			return err // want `goroutines started on line 63 send on errc, but this return is reached without receiving everything: the send blocks forever \(have the senders select on ctx.Done\(\) or a done channel, give errc a buffer for every send, or use chanx.Produce\)`
		}
	}
	return nil
}

// Hedged requests: the first answer wins, the others block.
func firstAnswer(servers []string) error {
	ch := make(chan error, 1)
	for _, s := range servers {
		go func() { ch <- fetch(s) }()
	}
	return <-ch // want `goroutines started on line 77 send on ch`
}

// A producer that sends until it is done, a consumer that leaves early.
func consumeUntilBad(xs []int) error {
	out := make(chan int)
	go func() {
		defer close(out)
		for _, x := range xs {
			out <- x
		}
	}()
	for v := range out {
		if v < 0 {
			return errors.New("negative") // want `sends on out, but this return is reached without receiving everything`
		}
	}
	return nil
}

// health-go: a check per iteration, a timeout per check, the loop moves
// on and the goroutine of the timed-out check stays blocked.
func checkAll(checks []func() error, d time.Duration) []error {
	var errs []error
	for _, c := range checks {
		resCh := make(chan error)
		go func() { resCh <- c() }()
		select {
		case err := <-resCh:
			errs = append(errs, err)
		case <-time.After(d):
			errs = append(errs, errors.New("timeout"))
		}
	}
	return errs // want `the goroutine started on line 105 sends on resCh, but this return`
}

// A stop channel that makes a forever loop return.
func pump(stop <-chan struct{}, handle func(int)) {
	ticks := make(chan int)
	go func() {
		for i := 0; ; i++ {
			ticks <- i
		}
	}()
	for {
		select {
		case v := <-ticks:
			handle(v)
		case <-stop:
			return // want `sends on ticks`
		}
	}
}

// A named function sends, started with go x.m(ch).
type worker struct{}

func (worker) run(out chan<- error) { out <- fetch("w") }

func named(ctx context.Context, w worker) error {
	errc := make(chan error)
	go w.run(errc)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err() // want `the goroutine started on line 141 sends on errc`
	}
}

// A func literal called with the channel as its argument.
func litArg(ctx context.Context) error {
	errc := make(chan error)
	go func(out chan<- error) { out <- fetch("x") }(errc)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err() // want `sends on errc`
	}
}

// The end of the function is a return too.
func fallOff(ctx context.Context, use func(int)) {
	ch := make(chan int)
	go func() { ch <- 1 }()
	select {
	case v := <-ch:
		use(v)
	case <-ctx.Done():
	}
} // want `the end of the function is reached`

// --- negatives ---

// The buffer holds the one send: the fix.
func buffered(ctx context.Context) (int, error) {
	ch := make(chan result, 1)
	go func() { ch <- work() }()
	select {
	case r := <-ch:
		return r.val, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// A buffer sized at run time is assumed to hold every send.
func bufferedAll(urls []string) error {
	errc := make(chan error, len(urls))
	for _, u := range urls {
		go func() { errc <- fetch(u) }()
	}
	for range urls {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// The sender selects on ctx.Done(): it can give up.
func guardedSend(ctx context.Context) (int, error) {
	ch := make(chan int)
	go func() {
		select {
		case ch <- 1:
		case <-ctx.Done():
		}
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// The cancel branch drains before it returns.
func drainOnCancel(ctx context.Context) (int, error) {
	ch := make(chan int)
	go func() { ch <- 1 }()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		<-ch
		return 0, ctx.Err()
	}
}

// Every path receives.
func always() int {
	ch := make(chan int)
	go func() { ch <- 1 }()
	return <-ch
}

// close does not block: waiting with a timeout on a closed done channel
// is fine.
func closeDone(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// Handed on: the channel escapes to a field; someone else may receive.
type server struct{ errc chan error }

func (s *server) start() {
	errc := make(chan error)
	go func() { errc <- fetch("s") }()
	s.errc = errc
}

// A receiving goroutine exists.
func relay(ctx context.Context) {
	ch := make(chan int)
	go func() { ch <- 1 }()
	go func() { <-ch }()
}

// The receiving loop runs to its end before the error return.
func collectThenFail(urls []string) error {
	errc := make(chan error)
	for _, u := range urls {
		go func() { errc <- fetch(u) }()
	}
	var first error
	for range urls {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// A handler that drains the rest before it leaves.
func drainRest(xs []int) error {
	out := make(chan int)
	go func() {
		defer close(out)
		for _, x := range xs {
			out <- x
		}
	}()
	for v := range out {
		if v < 0 {
			for range out {
			}
			return errors.New("negative")
		}
	}
	return nil
}

// Sent by a callee that receives: handed on.
func drain(ch <-chan int) {
	for range ch {
	}
}

func handedToDrainer(ctx context.Context) error {
	ch := make(chan int)
	go func() { ch <- 1 }()
	select {
	case <-ch:
	case <-ctx.Done():
		drain(ch)
		return ctx.Err()
	}
	return nil
}

// Two sends, two receives, no early exit.
func twoSends() int {
	ch := make(chan int)
	go func() { ch <- 1 }()
	go func() { ch <- 2 }()
	return <-ch + <-ch
}

// Two sends on exclusive branches count as one.
func oneOfTwo(ctx context.Context, f func() (int, error)) (int, error) {
	ch := make(chan result, 1)
	go func() {
		v, err := f()
		if err != nil {
			ch <- result{err: err}
			return
		}
		ch <- result{val: v}
	}()
	select {
	case r := <-ch:
		return r.val, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// A constant buffer that covers the counted sends.
func counted() int {
	ch := make(chan int, 2)
	go func() { ch <- 1 }()
	go func() { ch <- 2 }()
	return <-ch
}

// A read loop that sends its one error and returns (grpc's fake xDS
// server): the loop does not repeat the send.
func readLoop(recv func() error, other func() error) error {
	errCh := make(chan error, 2)
	go func() {
		for {
			if err := recv(); err != nil {
				errCh <- err
				return
			}
		}
	}()
	go func() {
		var err error
		defer func() { errCh <- err }()
		err = other()
	}()
	return <-errCh
}

// Workers started in a loop over a constant-sized buffer: sized for them.
func sizedForLoop(n int) int {
	ch := make(chan int, 16)
	for i := range n {
		go func() { ch <- i }()
	}
	return <-ch
}

// The sender signals its own end on another channel (grpc's goaway test):
// receiving that signal means it will not send.
func signalled(read func() error) error {
	done := make(chan struct{})
	errCh := make(chan error)
	go func() {
		for {
			if err := read(); err != nil {
				errCh <- err
				return
			}
			close(done)
			return
		}
	}()
	select {
	case <-done:
		return nil
	case err := <-errCh:
		return err
	}
}

// A large buffer for a loop of sends it cannot count (nats' error
// channels): the size is a judgement this check leaves alone.
func bigBuffer(stop <-chan struct{}, get func() error) {
	errCh := make(chan error, 100)
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
				if err := get(); err != nil {
					errCh <- err
				}
			}
		}
	}()
	<-stop
}

// The send is in a callback handed to a subscriber: it runs on someone
// else's goroutine, when they decide.
func callback(subscribe func(func(int)), done <-chan struct{}) error {
	errCh := make(chan error)
	go func() {
		subscribe(func(v int) {
			if v < 0 {
				errCh <- errors.New("negative")
			}
		})
	}()
	select {
	case err := <-errCh:
		return err
	case <-done:
		return nil
	}
}

// Kubernetes' etcd migrate server (kubernetes#114070): two goroutines, a
// timer and a watcher; whichever way the watcher leaves, the other side's
// send has nobody to take it.
func stopServer(wait func() error, kill func(), grace time.Duration) error {
	stopped := make(chan bool)
	timedout := make(chan bool)
	go func() {
		time.Sleep(grace)
		timedout <- true
	}()
	go func() {
		select {
		case <-stopped:
			return // want `the goroutine started on line 453 sends on timedout, but the goroutine receiving from it \(line 457\) returns here without receiving everything`
		case <-timedout:
			kill()
			return // want `this function sends on stopped, but the goroutine receiving from it \(line 457\) returns here`
		}
	}()
	err := wait()
	stopped <- true
	return err
}

// A worker that leaves on ctx.Done() while its feeder still sends.
func feedCtx(ctx context.Context, xs []int, handle func(int)) {
	work := make(chan int)
	go func() {
		for {
			select {
			case x := <-work:
				handle(x)
			case <-ctx.Done():
				return // want `this function sends on work, but the goroutine receiving from it \(line 474\) returns here`
			}
		}
	}()
	for _, x := range xs {
		work <- x
	}
}

// The worker leaves only when the feeder says it is done.
func feedQuit(xs []int, handle func(int)) {
	work := make(chan int)
	quit := make(chan struct{})
	go func() {
		for {
			select {
			case x := <-work:
				handle(x)
			case <-quit:
				return
			}
		}
	}()
	for _, x := range xs {
		work <- x
	}
	close(quit)
}

// hashicorp/raft's leadership transfer: the channel is made in each round
// of the loop, sent on either here (then continue) or by the transfer
// goroutine, and its buffer of one holds that one send.
func transfer(futures <-chan string, pick func(string) bool, run func(string, chan error)) {
	for f := range futures {
		doneCh := make(chan error, 1)
		go func() {
			select {
			case <-time.After(time.Second):
				<-doneCh
			case err := <-doneCh:
				_ = err
			}
		}()
		if !pick(f) {
			doneCh <- errors.New("cannot find peer")
			continue
		}
		go run(f, doneCh)
	}
}

func runTransfer(f string, doneCh chan error) { doneCh <- fetch(f) }

// A one-shot start signal sent from inside a loop (nats' tests).
func startOnce(publish func(int)) error {
	startCh, doneCh := make(chan bool), make(chan error, 1)
	go func() {
		<-startCh
		doneCh <- fetch("x")
	}()
	for i := 0; i < 1000; i++ {
		publish(i)
		if i == 222 {
			startCh <- true
		}
	}
	return <-doneCh
}

// nats' watchdog: if it fires, the final send has nobody to take it and
// the test hangs.
func watchdog(closeConn func()) {
	ch := make(chan bool)
	go func() {
		select {
		case <-ch:
			return
		case <-time.After(3 * time.Second):
			println("closeConnection is blocked")
			return // want `this function sends on ch, but the goroutine receiving from it \(line 553\) returns here without receiving everything`
		}
	}()
	closeConn()
	ch <- true
}

// The goroutine is started by a helper that the channel is handed to.
func submit(out chan<- result) {
	go func() { out <- work() }()
}

func viaHelper(ctx context.Context) (int, error) {
	resp := make(chan result)
	submit(resp)
	select {
	case r := <-resp:
		return r.val, r.err
	case <-ctx.Done():
		return 0, ctx.Err() // want `the goroutine that submit starts on line 573 sends on resp, but this return is reached without receiving everything`
	}
}

// Waiting for the senders before receiving: a deadlock, not a leak, but
// the same mistake.
func waitFirst(xs []int, f func(int) int) []int {
	results := make(chan int)
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- f(x)
		}()
	}
	wg.Wait() // want `goroutines started on line 589 send on results, but this Wait waits for those goroutines before anything receives from results: it never returns`
	close(results)
	var out []int
	for r := range results {
		out = append(out, r)
	}
	return out
}

// The fix: wait and close in a goroutine, range here.
func waitInGoroutine(xs []int, f func(int) int) []int {
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

// Two goroutines from a constant loop, two receives (runtime's tests).
func constantLoop() {
	done := make(chan bool)
	for i := 0; i < 2; i++ {
		go func() { done <- true }()
	}
	<-done
	<-done
}

// A goroutine that sends at most twice from its loop (a first-time flag,
// then the error that ends it), read twice (os' root tests).
func flagged(open func() error) error {
	ch := make(chan error, 1)
	go func() {
		defer close(ch)
		first := true
		for {
			if err := open(); err != nil {
				ch <- err
				return
			}
			if first {
				ch <- nil
				first = false
			}
		}
	}()
	if err := <-ch; err != nil {
		return err
	}
	return <-ch
}

// Only the last of the goroutines sends (runtime's tests): the count is
// not one this check can know.
func lastOneSignals(p int, add func() int) {
	done := make(chan bool)
	for i := 0; i < p; i++ {
		go func() {
			if add() == p {
				done <- true
			}
		}()
	}
	<-done
}

// The server's result is never received (crypto/tls' handshake tests).
func neverReceived(handshake func() error, client func() error) error {
	done := make(chan error)
	go func() {
		done <- handshake()
	}()
	return client() // want `the goroutine started on line 676 sends on done, but this return is reached without receiving everything`
}

// cAdvisor's integration runner before google/cadvisor#2549: the goroutine
// reports a failure of the process it runs on an unbuffered channel, and
// the wait loop that polls for health receives it only while it polls.
func runAndWait(start func() error, healthy func() bool, timeout time.Duration) error {
	errChan := make(chan error)
	go func() {
		if err := start(); err != nil {
			errChan <- err
		}
	}()
	end := time.Now().Add(timeout)
	done := false
	for end.After(time.Now()) && !done {
		select {
		case err := <-errChan:
			return err
		case <-time.After(500 * time.Millisecond):
			done = healthy()
		}
	}
	if !done {
		return errors.New("timed out")
	}
	return nil // want `the goroutine started on line [0-9]+ sends on errChan, but this return is reached without receiving everything`
}

// The fix cAdvisor made: a buffer for the one send.
func runAndWaitFixed(start func() error, healthy func() bool, timeout time.Duration) error {
	errChan := make(chan error, 1)
	go func() {
		if err := start(); err != nil {
			errChan <- err
		}
	}()
	end := time.Now().Add(timeout)
	for end.After(time.Now()) {
		select {
		case err := <-errChan:
			return err
		case <-time.After(500 * time.Millisecond):
			if healthy() {
				return nil
			}
		}
	}
	return errors.New("timed out")
}
