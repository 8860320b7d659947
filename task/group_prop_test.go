package task_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/boundgo/bound/task"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

// A spec is one generated task: it sleeps delay seconds of synctest time,
// then fails or not; ctx-form tasks are started with GoContext.
type spec struct {
	delay  time.Duration
	fail   bool
	ctxFrm bool
}

func specs(codes []uint8) []spec {
	s := make([]spec, len(codes))
	for i, c := range codes {
		s[i] = spec{delay: time.Duration(c%4) * time.Second, fail: c/4%3 == 0, ctxFrm: c/12%2 == 0}
	}
	return s
}

// run is one generated scenario, run in a synctest bubble: the tasks are
// submitted in order to a group with the limit, and the parent context is
// cancelled at cancelAt+½ s (never if cancelAt ≥ 10). Times fall on whole
// seconds, cancellations on half seconds, so no two events the checks
// compare can happen at the same instant by chance.
type outcome struct {
	err     error
	events  map[time.Time][]error // failures and skips, by time
	peak    int32
	limit   int
	lateCtx []string // ctx-form tasks that started after the context was done
}

func scenario(t *testing.T, codes []uint8, limit, cancelAt int) (out outcome) {
	synctest.Test(t, func(t *testing.T) {
		out = runScenario(codes, limit, cancelAt)
	})
	return out
}

var errCancel = errors.New("prop: parent cancelled")

func runScenario(codes []uint8, limit, cancelAt int) outcome {
	tasks := specs(codes)
	out := outcome{events: map[time.Time][]error{}, limit: limit}
	parent, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	if cancelAt < 10 {
		time.AfterFunc(time.Duration(cancelAt)*time.Second+time.Second/2, func() { cancel(errCancel) })
	}
	g, ctx := task.WithContext(parent)
	g.SetLimit(limit)

	var mu sync.Mutex
	var doneAt time.Time
	stopAfter := context.AfterFunc(ctx, func() {
		mu.Lock()
		doneAt = time.Now()
		mu.Unlock()
	})
	defer stopAfter()
	event := func(err error) {
		mu.Lock()
		now := time.Now()
		out.events[now] = append(out.events[now], err)
		mu.Unlock()
	}
	var active, peak atomic.Int32
	body := func(i int, sp spec) error {
		n := active.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(sp.delay)
		active.Add(-1)
		if sp.fail {
			err := fmt.Errorf("task %d failed", i)
			event(err)
			return err
		}
		return nil
	}
	for i, sp := range tasks {
		if !sp.ctxFrm {
			g.Go(func() error { return body(i, sp) })
			continue
		}
		ran := false
		g.GoContext(func(ctx context.Context) error {
			mu.Lock()
			if !doneAt.IsZero() && time.Now().After(doneAt) {
				out.lateCtx = append(out.lateCtx, fmt.Sprint(i))
			}
			ran = true
			mu.Unlock()
			return body(i, sp)
		})
		// GoContext returned: the task either runs or was skipped now.
		synctest.Wait()
		mu.Lock()
		skipped := !ran
		mu.Unlock()
		if skipped {
			event(context.Cause(ctx))
		}
	}
	out.err = g.Wait()
	out.peak = peak.Load()
	return out
}

// firstEvents are the errors that happened first.
func (o outcome) firstEvents() []error {
	var first time.Time
	for at := range o.events {
		if first.IsZero() || at.Before(first) {
			first = at
		}
	}
	return o.events[first]
}

func TestGroupProperties(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 150
	properties := gopter.NewProperties(params)

	codes := gen.SliceOfN(12, gen.UInt8())
	limits := gen.OneConstOf(-1, 1, 2, 3, 4)
	cancels := gen.IntRange(0, 12)

	properties.Property("Wait returns the first error to complete", prop.ForAll(
		func(c []uint8, limit, cancelAt int) string {
			o := scenario(t, c, limit, cancelAt)
			first := o.firstEvents()
			if len(first) == 0 {
				if o.err != nil {
					return fmt.Sprintf("Wait() = %v; want nil", o.err)
				}
				return ""
			}
			for _, e := range first {
				if e == o.err {
					return ""
				}
			}
			return fmt.Sprintf("Wait() = %v; want one of %v", o.err, first)
		}, codes, limits, cancels))

	properties.Property("active tasks never exceed the limit", prop.ForAll(
		func(c []uint8, limit, cancelAt int) string {
			o := scenario(t, c, limit, cancelAt)
			if limit > 0 && int(o.peak) > limit {
				return fmt.Sprintf("%d tasks active at once; limit %d", o.peak, limit)
			}
			return ""
		}, codes, limits, cancels))

	properties.Property("no context-form task starts after the context is done", prop.ForAll(
		func(c []uint8, limit, cancelAt int) string {
			o := scenario(t, c, limit, cancelAt)
			if len(o.lateCtx) > 0 {
				return fmt.Sprintf("tasks %v started after the context was done", o.lateCtx)
			}
			return ""
		}, codes, limits, cancels))

	properties.Property("every task ends before the scoped form returns", prop.ForAll(
		func(c []uint8, limit int) string {
			var msg string
			synctest.Test(t, func(t *testing.T) {
				var started, ended atomic.Int32
				_ = task.Run(context.Background(), func(ctx context.Context, g *task.Group) error {
					g.SetLimit(limit)
					for _, sp := range specs(c) {
						g.GoContext(func(ctx context.Context) error {
							started.Add(1)
							defer ended.Add(1)
							time.Sleep(sp.delay)
							if sp.fail {
								return errDoom
							}
							return nil
						})
					}
					return nil
				})
				if s, e := started.Load(), ended.Load(); s != e {
					msg = fmt.Sprintf("Run returned with %d of %d tasks still running", s-e, s)
				}
			})
			return msg
		}, codes, limits))

	properties.Property("results keep submission order", prop.ForAll(
		func(c []uint8, limit int) string {
			var msg string
			synctest.Test(t, func(t *testing.T) {
				var r task.Results[int]
				r.SetLimit(limit)
				for i, sp := range specs(c) {
					r.Go(func(context.Context) (int, error) {
						time.Sleep(sp.delay)
						return i, nil
					})
				}
				got, err := r.Wait()
				if err != nil || len(got) != len(c) {
					msg = fmt.Sprintf("Wait() = %d values, %v; want %d, nil", len(got), err, len(c))
					return
				}
				for i, v := range got {
					if v != i {
						msg = fmt.Sprintf("Wait()[%d] = %d; want %d", i, v, i)
						return
					}
				}
			})
			return msg
		}, codes, limits))

	properties.Property("Map keeps input order and stops at the first error", prop.ForAll(
		func(c []uint8, limit int) string {
			var calls atomic.Int32
			firstFail := -1
			for i, sp := range specs(c) {
				if sp.fail {
					firstFail = i
					break
				}
			}
			in := specs(c)
			outs, err := task.Map(context.Background(), in, limit, func(_ context.Context, sp spec) (time.Duration, error) {
				calls.Add(1)
				if sp.fail {
					return 0, errDoom
				}
				return sp.delay, nil
			})
			switch {
			case firstFail < 0 && err != nil:
				return fmt.Sprintf("Map() error = %v; want nil", err)
			case firstFail >= 0 && err != errDoom:
				return fmt.Sprintf("Map() error = %v; want errDoom", err)
			case firstFail < 0:
				for i, sp := range in {
					if outs[i] != sp.delay {
						return fmt.Sprintf("Map()[%d] = %v; want %v", i, outs[i], sp.delay)
					}
				}
			case limit == 1 && int(calls.Load()) != firstFail+1:
				return fmt.Sprintf("with limit 1, f was called %d times; want %d", calls.Load(), firstFail+1)
			}
			return ""
		}, codes, limits))

	properties.TestingRun(t)
}
