package a

import (
	"errors"
	"io"
	"sync"
	"sync/atomic"
)

type conn struct{ id int }

// C3: a sync.Map with one key type and one value type.
type registry struct {
	conns sync.Map     // want `sync.Map that only stores string keys and \*conn values: typed.Map\[string, \*conn\]`
	cfg   atomic.Value // want `atomic.Value that only stores config: typed.Value\[config\]`
}

type config struct{ limit int }

func (r *registry) add(name string, c *conn) {
	r.conns.Store(name, c)
}

func (r *registry) get(name string) *conn {
	v, ok := r.conns.Load(name)
	if !ok {
		return nil
	}
	return v.(*conn)
}

func (r *registry) setLimit(n int) {
	r.cfg.Store(config{limit: n})
}

func (r *registry) limit() int {
	return r.cfg.Load().(config).limit
}

var cache sync.Map // want `sync.Map that only stores int keys and string values`

func remember(k int, v string) {
	cache.LoadOrStore(k, v)
}

// Negatives.

// Mixed value types.
var mixed sync.Map

func storeMixed() {
	mixed.Store("a", 1)
	mixed.Store("b", "two")
}

// Passed elsewhere: other stores may exist.
var shared sync.Map

func storeShared() {
	shared.Store("a", 1)
	fill(&shared)
}

func fill(m *sync.Map) { m.Store("b", "x") }

// Exported: other packages may store.
var Exported sync.Map

func storeExported() { Exported.Store("a", 1) }

// Values of an interface type: a typed.Map[K, any] gains nothing.
var ifaces sync.Map

func storeIface(r io.Reader) { ifaces.Store("a", r) }

// A3: first error under a mutex, by hand.
func runAll(tasks []func() error) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error // want `WaitGroup, Mutex and first error firstErr kept by hand: task.Group`
	for _, t := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := t(); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// Collects every error: not the first-error shape.
func collect(tasks []func() error) []error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for _, t := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := t()
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return errs
}

// B8: sync.Once with a kept error.
type resource struct {
	once     sync.Once
	closeErr error
	c        io.Closer
}

func (r *resource) Close() error {
	r.once.Do(func() { // want `sync.Once that runs a release and keeps its error in closeErr: cleanup.Releaser`
		r.closeErr = r.c.Close()
	})
	return r.closeErr
}

// A Once that initializes: not a release.
type lazy struct {
	once sync.Once
	err  error
	val  int
}

func (l *lazy) get() (int, error) {
	l.once.Do(func() {
		l.val = 1
	})
	return l.val, l.err
}

var errNope = errors.New("nope")
