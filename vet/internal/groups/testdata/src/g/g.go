// Package g shows the summaries the groups analyzer exports, one per
// function that does something with a group it is handed.
package g

import (
	"context"
	"sync"

	"github.com/boundgo/bound/task"
	"golang.org/x/sync/errgroup"
)

func waitAll(wg *sync.WaitGroup) { wg.Wait() } // want waitAll:`groups\(0:wait\)`

func worker(wg *sync.WaitGroup, f func()) { // want worker:`groups\(0:done\)`
	defer wg.Done()
	f()
}

func spawn(wg *sync.WaitGroup, f func()) { // want spawn:`groups\(0:add\|doneasync\)`
	wg.Add(1)
	go func() {
		defer wg.Done()
		f()
	}()
}

func countDown(n int, wg *sync.WaitGroup) { wg.Add(-n) } // want countDown:`groups\(1:add\)`

func release(wg *sync.WaitGroup) { wg.Add(-1) } // want release:`groups\(0:done\)`

var mu sync.Mutex

func guarded(wg *sync.WaitGroup) { // want guarded:`groups\(0:lockedadd\)`
	mu.Lock()
	defer mu.Unlock()
	wg.Add(1)
}

var kept []*sync.WaitGroup

func keep(wg *sync.WaitGroup) { kept = append(kept, wg) } // want keep:`groups\(0:escape\)`

func waitLater(wg *sync.WaitGroup) { // want waitLater:`groups\(0:escape\)`
	go wg.Wait()
}

// Through another function of the package: spawn's summary is used.
func spawnTwo(wg *sync.WaitGroup, f func()) { // want spawnTwo:`groups\(0:add\|doneasync\)`
	spawn(wg, f)
	spawn(wg, f)
}

func finish(g *errgroup.Group) error { return g.Wait() } // want finish:`groups\(0:wait\)`

func stopLater(g *task.Group) { // want stopLater:`groups\(0:wait\)`
	defer g.Stop()
	g.SetLimit(2)
}

func run(ctx context.Context) error {
	return task.Run(ctx, func(ctx context.Context, g *task.Group) error {
		g.Go(func() error { return nil })
		return nil
	})
}

type server struct {
	wg   sync.WaitGroup
	quit chan struct{}
}

func (s *server) loop() { // want loop:`groups\(wg:add\|done\)`
	s.wg.Add(1)
	defer s.wg.Done()
	<-s.quit
}

// The receiver's fields, through its other methods.
func (s *server) start() { // want start:`groups\(wg:doneasync\)`
	go s.loop()
}

func (s *server) stop() { // want stop:`groups\(wg:wait\)`
	close(s.quit)
	s.wg.Wait()
}
