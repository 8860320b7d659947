package a

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"limiter"
)

var errBad = errors.New("bad")

// --- positives -------------------------------------------------------------

// The limiter is used and dropped: its refill goroutine runs forever.
func fetchAll(urls []string) error {
	l := limiter.New(10, time.Second) // want `l holds a context cancel that its goroutine waits on, but the return at line 22 never calls l.Stop: the goroutine and its context leak \(call l.Stop on every path, e.g. with defer\)`
	for range urls {
		l.Take()
	}
	return nil
}

// Stopped on the happy path only; the error return is after the object is
// made (the constructor's own failure branch is not a leak).
func stoppedOnce(urls []string) error {
	l, err := limiter.NewChecked(len(urls), time.Millisecond) // want `l holds a context cancel .* the return at line 33 never calls l.Stop`
	if err != nil {
		return err
	}
	if len(urls) > 100 {
		return errBad
	}
	l.Take()
	l.Stop()
	return nil
}

// Derived from Background by the caller: nothing else will stop it.
func background() {
	l := limiter.NewFrom(context.Background(), 1) // want `l holds a context cancel`
	l.Take()
}

// --- negatives -------------------------------------------------------------

func deferredStop(urls []string) error {
	l := limiter.New(10, time.Second)
	defer l.Stop()
	for range urls {
		l.Take()
	}
	return nil
}

func deferredClosure() {
	l := limiter.New(1, time.Second)
	defer func() { l.Stop() }()
	l.Take()
}

// The context is the caller's: cancelling it stops the limiter.
func fromCaller(ctx context.Context) {
	l := limiter.NewFrom(ctx, 1)
	l.Take()
}

// Handed to the caller.
func returned() *limiter.Limiter { // want returned:`starts\(result 0, detached, released by Stop\)`
	l := limiter.New(1, time.Second)
	l.Take()
	return l
}

type client struct{ lim *limiter.Limiter }

// Stored: the client's Close will stop it.
func (c *client) init() {
	l := limiter.New(1, time.Second)
	c.lim = l
}

// Passed on.
func passed(keep func(*limiter.Limiter)) {
	l := limiter.New(1, time.Second)
	keep(l)
}

// The constructor failed: there is nothing to stop.
func failed() error {
	l, err := limiter.NewChecked(0, time.Second)
	if err != nil {
		return err
	}
	defer l.Stop()
	l.Take()
	return nil
}

// A directive silences the finding.
func ignored() {
	//boundvet:ignore fieldcancel the process exits right after this
	l := limiter.New(1, time.Second)
	l.Take()
}

// --- objects made by a literal here ------------------------------------------

type resolver struct { // want resolver:`canceler\(cancel by Close\)`
	ctx    context.Context
	cancel context.CancelFunc
	ready  chan struct{}
}

func (r *resolver) watch() { <-r.ctx.Done() }

func (r *resolver) Close() { r.cancel() }

// A return before the goroutine starts leaks no goroutine (grpc's DNS
// resolver builder fails this way after making its resolver).
func buildResolver(fail bool) (*resolver, error) { // want buildResolver:`starts\(result 0, detached, released by Close\)`
	ctx, cancel := context.WithCancel(context.Background())
	r := &resolver{ctx: ctx, cancel: cancel, ready: make(chan struct{})}
	if fail {
		return nil, errBad
	}
	go r.watch()
	return r, nil
}

// Started here, then dropped on an error path.
func probe(check func() error) error {
	ctx, cancel := context.WithCancel(context.Background())
	r := &resolver{ctx: ctx, cancel: cancel} // want `r holds a context cancel that its goroutine waits on, but the return at line 138 never calls r.Close`
	go r.watch()
	if err := check(); err != nil {
		return err
	}
	r.Close()
	return nil
}

// The object comes back as an interface: Close is called through it.
func firstValue() (int, error) {
	src, err := limiter.Open() // want `src holds a context cancel that its goroutine waits on, but the return at line 150 never calls src.Close`
	if err != nil {
		return 0, err
	}
	return src.Next(), nil
}

func firstValueClosed() (int, error) {
	src, err := limiter.Open()
	if err != nil {
		return 0, err
	}
	defer src.Close()
	return src.Next(), nil
}

func notified() {
	ctx, stop := limiter.Notify(context.Background())
	defer stop()
	<-ctx.Done()
}

func hiddenRelease() {
	h := limiter.Hidden()
	_ = h
}

// The standard library's own: sql.Open starts the pool's connection opener
// on a context that only DB.Close cancels (learned by fact from
// database/sql). Opening a pool per call and dropping it leaks it.
func ping(dsn string) error {
	db, err := sql.Open("postgres", dsn) // want `db holds a context cancel that its goroutine waits on, but the return at line 181 never calls db.Close`
	if err != nil {
		return err
	}
	return db.Ping()
}

func pingClosed(dsn string) error {
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Ping()
}
