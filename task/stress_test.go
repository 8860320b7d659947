package task_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/boundgo/bound/task"
)

// TestStress runs 10,000 tasks across 100 groups at once, with random
// limits, forms, failures and cancellations, and checks the invariants of
// each group; goleak (TestMain) checks that nothing outlives them.
func TestStress(t *testing.T) {
	const groups, perGroup = 100, 100
	var wg sync.WaitGroup
	for gi := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if msg := stressGroup(rand.New(rand.NewPCG(uint64(gi), 42)), perGroup); msg != "" {
				t.Errorf("group %d: %s", gi, msg)
			}
		}()
	}
	wg.Wait()
}

func stressGroup(rng *rand.Rand, n int) string {
	parent, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	g, ctx := task.WithContext(parent)
	limit := -1
	if rng.IntN(3) > 0 {
		limit = 1 + rng.IntN(8)
	}
	g.SetLimit(limit)
	cancelAt := rng.IntN(2 * n) // half the groups are cancelled midway
	errCancelled := errors.New("stress: cancelled")

	var active, peak, started, ended atomic.Int32
	var errs sync.Map // every error a task returned
	body := func(i int, fail bool) error {
		started.Add(1)
		defer ended.Add(1)
		a := active.Add(1)
		for p := peak.Load(); a > p && !peak.CompareAndSwap(p, a); p = peak.Load() {
		}
		runtime.Gosched()
		active.Add(-1)
		if fail {
			err := fmt.Errorf("task %d", i)
			errs.Store(err, true)
			return err
		}
		return nil
	}
	for i := range n {
		if i == cancelAt {
			cancel(errCancelled)
		}
		fail := rng.IntN(20) == 0
		switch rng.IntN(3) {
		case 0:
			g.Go(func() error { return body(i, fail) })
		case 1:
			g.TryGo(func() error { return body(i, fail) })
		case 2:
			g.GoContext(func(ctx context.Context) error { return body(i, fail) })
		}
	}
	err := g.Wait()
	switch {
	case limit > 0 && int(peak.Load()) > limit:
		return fmt.Sprintf("%d tasks active; limit %d", peak.Load(), limit)
	case started.Load() != ended.Load():
		return fmt.Sprintf("Wait returned with %d tasks running", started.Load()-ended.Load())
	case ctx.Err() == nil:
		return "Wait did not cancel the context"
	case err == errCancelled:
		return ""
	case err == nil:
		failed := false
		errs.Range(func(any, any) bool { failed = true; return false })
		if failed {
			return "Wait() = nil after a task failed"
		}
		return ""
	}
	if _, ok := errs.Load(err); !ok {
		return fmt.Sprintf("Wait() = %v; not an error any task returned", err)
	}
	return ""
}
