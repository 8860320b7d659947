// Package kuberesolver has the shapes of sercand/kuberesolver v5.1.0
// (fixed by sercand/kuberesolver#64) and of coredns v1.6.5's transfer
// plugin (fixed by coredns/coredns#3433).
package kuberesolver

import (
	"context"
	"sync"
	"time"
)

type resolver struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// until calls f every period until stop is closed.
func until(f func(), period time.Duration, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		f()
		time.Sleep(period)
	}
}

// The literal handed to the function started with go runs in the new
// goroutine; the method it calls marks the group done.
func build() *resolver {
	ctx, cancel := context.WithCancel(context.Background())
	r := &resolver{ctx: ctx, cancel: cancel}
	go until(func() {
		r.wg.Add(1) // want `r.wg.Add is called inside the goroutine it counts`
		r.watch()
	}, time.Second, ctx.Done())
	return r
}

func (r *resolver) watch() {
	defer r.wg.Done()
	<-r.ctx.Done()
}

// Close waits for the watcher, which may not have added itself yet.
func (r *resolver) Close() {
	r.cancel()
	r.wg.Wait()
}

// The fix: the Add before the go statement, the literal only counting down.
func buildFixed() *resolver {
	ctx, cancel := context.WithCancel(context.Background())
	r := &resolver{ctx: ctx, cancel: cancel}
	r.wg.Add(1)
	go until(func() {
		r.watch()
	}, time.Second, ctx.Done())
	return r
}

// The method counts goroutines of its own: the literal does not count
// itself.
func (r *resolver) spawn() {
	r.wg.Add(1)
	go r.watch()
}

func buildSpawner() *resolver {
	r := &resolver{}
	go until(func() {
		r.wg.Add(1)
		go r.watch()
	}, time.Second, nil)
	return r
}

// coredns v1.6.5, plugin/transfer: a local group, the Add first in the
// goroutine, the Wait after the sends.
func transfer(out func(chan int), records []int) {
	ch := make(chan int)
	wg := new(sync.WaitGroup)
	go func() {
		wg.Add(1) // want `wg.Add is called inside the goroutine it counts`
		out(ch)
		wg.Done()
	}()
	for _, r := range records {
		ch <- r
	}
	close(ch)
	wg.Wait()
}

// openfga v1.5.3's check reducer: a goroutine counted before it starts,
// which counts each worker it starts (wg.Add(1); go checker(fn)) through a
// func value the check cannot see into.
func reduce(handlers []func(), limiter chan struct{}) func() {
	var wg sync.WaitGroup
	checker := func(fn func()) {
		defer wg.Done()
		fn()
		<-limiter
	}
	wg.Add(1)
	go func() {
		for _, fn := range handlers {
			select {
			case limiter <- struct{}{}:
				wg.Add(1)
				go checker(fn)
			default:
			}
		}
		wg.Done()
	}()
	return func() { wg.Wait() }
}
