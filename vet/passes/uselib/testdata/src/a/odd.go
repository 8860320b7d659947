package a

import (
	"sync"
	"sync/atomic"
)

// Shapes that must not crash the check.

type gen[K comparable, V any] struct {
	m sync.Map
	v atomic.Value
}

func (g *gen[K, V]) put(k K, v V) {
	g.m.Store(k, v) // type parameters: V may be an interface; silent
	g.v.Store(v)
}

func methodValue() {
	var m sync.Map
	store := m.Store
	store("a", 1)
}

func nilStore() {
	var v atomic.Value
	v.Store(nil)
}

func labeled() error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var err error
loop:
	for i := 0; i < 2; i++ {
		if i == 1 {
			break loop
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
		}()
	}
	wg.Wait()
	return err
}

type errOnce[E error] struct {
	once sync.Once
	err  error
	f    func() E
}

func (e *errOnce[E]) Close() error {
	e.once.Do(func() { e.err = e.f() }) // want `sync.Once that runs a release`
	return e.err
}
