package chanx_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/boundgo/bound/chanx"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"go.uber.org/goleak"
)

type pipeScenario struct {
	N       int
	Workers int
	Ordered bool
	StopAt  int // stop after this many results; 0: drain
	FailAt  int // the stage function fails on this input; < 0: never
}

// runPipeScenario builds Source → Map → Filter and checks what comes out.
func runPipeScenario(s pipeScenario) string {
	p := chanx.NewPipeline(context.Background())
	src := chanx.Source(p, count(s.N, nil))
	fn := func(_ context.Context, v int) (int, error) {
		if v == s.FailAt {
			return 0, errProp
		}
		return 3 * v, nil
	}
	var mapped <-chan int
	if s.Ordered {
		mapped = chanx.Map(p, src, s.Workers, fn)
	} else {
		mapped = chanx.MapUnordered(p, src, s.Workers, fn)
	}
	out := chanx.Filter(p, mapped, func(int) bool { return true })

	seen := make(map[int]bool)
	n := 0
	stopped := false
	for v := range out {
		if v%3 != 0 || seen[v] {
			return fmt.Sprintf("unexpected or duplicated result %d", v)
		}
		if s.Ordered && v != 3*n {
			return fmt.Sprintf("result %d = %d; want %d", n, v, 3*n)
		}
		seen[v] = true
		n++
		if n == s.StopAt {
			stopped = true
			break
		}
	}
	if stopped {
		p.Stop()
	}
	err := p.Err()
	fails := s.FailAt >= 0 && s.FailAt < s.N
	switch {
	case fails && !stopped && err != errProp:
		return fmt.Sprintf("Err() = %v; want %v", err, errProp)
	case fails && stopped && err != nil && err != errProp:
		return fmt.Sprintf("Err() after Stop() = %v; want nil or %v", err, errProp)
	case !fails && err != nil:
		return fmt.Sprintf("Err() = %v; want nil", err)
	case !fails && !stopped && n != s.N:
		return fmt.Sprintf("got %d results; want %d", n, s.N)
	case fails && s.Ordered && !stopped && n > s.FailAt:
		return fmt.Sprintf("got %d results past the failing input %d", n, s.FailAt)
	}
	if err := goleak.Find(); err != nil {
		return err.Error()
	}
	return ""
}

// noLimitForZero maps a generated 0 to -1, no limit: a limit of 0 panics.
func noLimitForZero(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

func TestPipelineProperties(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 150
	if testing.Short() {
		params.MinSuccessfulTests = 30
	}
	props := gopter.NewProperties(params)
	props.Property("ordered output is a prefix, nothing is duplicated, the first error comes back, no goroutine is left",
		prop.ForAll(runPipeScenario, gen.Struct(reflect.TypeFor[pipeScenario](), map[string]gopter.Gen{
			"N":       gen.IntRange(0, 300),
			"Workers": gen.IntRange(0, 6).Map(noLimitForZero),
			"Ordered": gen.Bool(),
			"StopAt":  gen.IntRange(0, 300),
			"FailAt":  gen.IntRange(-1, 400),
		})))
	props.TestingRun(t)
}

// chainScenario is one generated pipeline: a source of N values, then a
// chain of stages that each keep every value (or double each, for a tee
// merged back), then one way for it to end.
type chainScenario struct {
	N      int
	Stages []int // kinds, see buildChain; the first Len are used
	Len    int
	Limit  int // workers of the map stages; 0 stands for no limit
	End    int // 0: drain; 1: the consumer stops; 2: the parent is cancelled; 3: a map fails
	At     int // how many values before the stop or the cancel; the failing value
}

const chainKinds = 8

// buildChain adds s.Stages to p after in and returns the last output and
// how many copies of each value it carries.
func buildChain(p *chanx.Pipeline, in <-chan int, s chainScenario) (<-chan int, int) {
	limit := noLimitForZero(s.Limit)
	fn := func(_ context.Context, v int) (int, error) {
		if s.End == 3 && v == s.At {
			return 0, errProp
		}
		return v, nil
	}
	copies := 1
	for _, kind := range s.Stages[:s.Len] {
		switch kind {
		case 0:
			in = chanx.Map(p, in, limit, fn)
		case 1:
			in = chanx.MapUnordered(p, in, limit, fn)
		case 2:
			in = chanx.Filter(p, in, func(int) bool { return true })
		case 3:
			in = chanx.FlatMap(p, in, func(_ context.Context, v int) ([]int, error) { return []int{v}, nil })
		case 4:
			in = chanx.FlatMap(p, chanx.Batch(p, in, 3, 0), func(_ context.Context, b []int) ([]int, error) { return b, nil })
		case 5:
			in = chanx.FlatMap(p, chanx.Batch(p, in, 4, time.Microsecond), func(_ context.Context, b []int) ([]int, error) { return b, nil })
		case 6:
			in = chanx.Merge(p, chanx.Tee(p, in, 2)...)
			copies *= 2
		case 7:
			in = chanx.Merge(p, chanx.Distribute(p, in, 3)...)
		}
	}
	return in, copies
}

// runChainScenario returns a description of the first broken guarantee, or "".
func runChainScenario(s chainScenario) (msg string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := chanx.NewPipeline(ctx)
	out, copies := buildChain(p, chanx.Source(p, count(s.N, nil)), s)
	total := s.N * copies
	end, at := s.End, s.At
	if (end == 1 || end == 2) && at >= total || end == 3 && (at >= s.N || !slices.ContainsFunc(s.Stages[:s.Len], func(k int) bool { return k < 2 })) {
		end = 0 // the stop, cancel or failure would never happen
	}
	seen := make(map[int]int)
	n := 0
	if end == 2 && at == 0 {
		cancel()
	}
	for v := range out {
		seen[v]++
		n++
		if end == 1 && n == at {
			break
		}
		if end == 2 && n == at {
			cancel() // fewer than total values arrived: some stage is still running
		}
	}
	if end == 1 {
		p.Stop()
		if _, open := <-out; open {
			return "the output is open after Stop"
		}
	}
	err := p.Err()
	for v, c := range seen {
		if v < 0 || v >= s.N || c > copies {
			return fmt.Sprintf("value %d arrived %d times; want at most %d of 0..%d", v, c, copies, s.N-1)
		}
	}
	switch end {
	case 0:
		if err != nil || n != total {
			return fmt.Sprintf("Err() = %v after %d values; want nil after %d", err, n, total)
		}
	case 1:
		if err != nil {
			return fmt.Sprintf("Err() after Stop() = %v; want nil", err)
		}
	case 2:
		if !errors.Is(err, context.Canceled) {
			return fmt.Sprintf("Err() after the parent's cancel = %v; want context.Canceled", err)
		}
	case 3:
		if err != errProp {
			return fmt.Sprintf("Err() = %v; want %v", err, errProp)
		}
	}
	if err := goleak.Find(); err != nil {
		return err.Error()
	}
	return ""
}

func TestPipelineChainProperties(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 200
	if testing.Short() {
		params.MinSuccessfulTests = 40
	}
	props := gopter.NewProperties(params)
	props.Property("every stage closes its output once, keeps every value, and Err says how the pipeline ended",
		prop.ForAll(runChainScenario, gen.Struct(reflect.TypeFor[chainScenario](), map[string]gopter.Gen{
			"N":      gen.IntRange(0, 200),
			"Stages": gen.SliceOfN(5, gen.IntRange(0, chainKinds-1)),
			"Len":    gen.IntRange(1, 5),
			"Limit":  gen.IntRange(0, 5),
			"End":    gen.IntRange(0, 3),
			"At":     gen.IntRange(0, 400),
		})))
	props.TestingRun(t)
}
