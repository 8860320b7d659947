package fields

import (
	"runtime"
	"sync"
)

// A process-wide pool of workers, made once for a package variable behind
// sync.OnceValue (go-ethereum's SenderCacher): its workers range over the
// task channel for as long as the process runs, by design.
type cacher struct {
	tasks chan []int
}

var cacherOnce = sync.OnceValue(func() *cacher {
	return newCacher(runtime.NumCPU())
})

func Cacher() *cacher { return cacherOnce() }

func newCacher(n int) *cacher {
	c := &cacher{tasks: make(chan []int, n)}
	for range n {
		go c.work()
	}
	return c
}

func (c *cacher) work() {
	for t := range c.tasks {
		_ = t
	}
}

func (c *cacher) Recover(xs []int) { c.tasks <- xs }

// Made in a package variable's initialiser directly.
type logger struct {
	lines chan string
}

var std = startLogger()

func startLogger() *logger {
	l := &logger{lines: make(chan string, 16)}
	go l.run()
	return l
}

func (l *logger) run() {
	for s := range l.lines {
		_ = s
	}
}

func Log(s string) { std.lines <- s }

// The same pool made per call as well: each one made outside the package
// variable leaks its workers.
type jobPool struct {
	jobs chan func()
}

var defaultJobPool = newJobPool()

func newJobPool() *jobPool {
	p := &jobPool{jobs: make(chan func())}
	go p.run()
	return p
}

func (p *jobPool) run() {
	for f := range p.jobs { // want `for range p.jobs waits for the field jobs to be closed`
		f()
	}
}

func (p *jobPool) Do(f func()) { p.jobs <- f }

func WithOwnPool(f func()) {
	newJobPool().Do(f)
	defaultJobPool.Do(f)
}
