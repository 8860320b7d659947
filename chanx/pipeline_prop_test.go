package chanx_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

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
