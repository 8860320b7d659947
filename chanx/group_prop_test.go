package chanx_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/boundgo/bound/chanx"
	"github.com/boundgo/bound/cleanup"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
	"go.uber.org/goleak"
)

// scenario is one generated run of a Group: producers, their value counts,
// where the consumer stops, whether the parent context is cancelled, and
// which producer fails (and how).
type scenario struct {
	Producers int
	Values    int
	Size      int
	StopAt    int // stop after this many values; < 0: drain
	CancelAt  int // cancel the parent after this many values; < 0: never (see runScenario)
	Failer    int // index of the producer that fails; >= Producers: none
	Panics    bool
}

var errProp = errors.New("producer failed")

type item struct{ producer, seq int }

// runScenario runs s and returns a description of the first broken
// guarantee, or "".
func runScenario(s scenario) string {
	total := s.Producers * s.Values
	// The cancel is made only where it must cut the stream short: after
	// CancelAt values received and at most Size buffered, some value is
	// still unsent, so some producer is still running. A cancel that could
	// come after the last producer returned may rightly go unreported.
	cancelAt := s.CancelAt
	if cancelAt+s.Size >= total {
		cancelAt = -1
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	parent := context.Background()
	if cancelAt >= 0 {
		parent = ctx
	}
	g := chanx.NewGroup[item](parent, s.Size)
	for i := range s.Producers {
		err := g.Go(func(_ context.Context, yield func(item) bool) error {
			for j := range s.Values {
				if !yield(item{i, j}) {
					break
				}
			}
			if i == s.Failer {
				if s.Panics {
					panic(errProp)
				}
				return errProp
			}
			return nil
		})
		if err != nil {
			return "Go() = " + err.Error()
		}
	}
	g.Close()

	next := make([]int, s.Producers) // next sequence number expected from each producer
	n := 0
	stopped := false
	if cancelAt == 0 {
		cancel()
	}
	for v := range g.C() {
		if v.seq != next[v.producer] {
			return fmt.Sprintf("producer %d: got value %d, want %d (lost or duplicated)", v.producer, v.seq, next[v.producer])
		}
		next[v.producer]++
		n++
		if n == cancelAt {
			cancel()
		}
		if n == s.StopAt {
			stopped = true
			break
		}
	}
	if stopped {
		g.Stop()
	}
	err := g.Err()
	if _, open := <-g.C(); open {
		return "channel still open after Stop/Err"
	}
	g.Stop()
	if err2 := g.Err(); err2 != err {
		return fmt.Sprintf("Err() after a second Stop() = %v; want %v", err2, err)
	}

	cancelled := cancelAt >= 0 && cancelAt <= n
	switch {
	case s.Failer < s.Producers && s.Panics:
		var pe *cleanup.PanicError
		if !errors.As(err, &pe) || !errors.Is(err, errProp) {
			return fmt.Sprintf("Err() = %v; want the panic", err)
		}
	case s.Failer < s.Producers:
		if err != errProp {
			return fmt.Sprintf("Err() = %v; want %v", err, errProp)
		}
	case cancelled: // before the consumer stopped, if it did: the parent came first
		if !errors.Is(err, context.Canceled) {
			return fmt.Sprintf("Err() = %v after the parent was cancelled (stopped: %v); want context.Canceled", err, stopped)
		}
	case stopped:
		if err != nil {
			return fmt.Sprintf("Err() after Stop() = %v; want nil", err)
		}
	default:
		if err != nil || n != total {
			return fmt.Sprintf("Err() = %v after %d values; want nil after %d", err, n, total)
		}
	}
	if err := goleak.Find(); err != nil {
		return err.Error()
	}
	return ""
}

func TestGroupProperties(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 150
	if testing.Short() {
		params.MinSuccessfulTests = 30
	}
	props := gopter.NewProperties(params)
	genScenario := gen.Struct(reflect.TypeFor[scenario](), map[string]gopter.Gen{
		"Producers": gen.IntRange(1, 8),
		"Values":    gen.IntRange(0, 200),
		"Size":      gen.IntRange(0, 4),
		"StopAt":    gen.IntRange(-1, 400),
		"CancelAt":  gen.IntRange(-1, 400),
		"Failer":    gen.IntRange(0, 12),
		"Panics":    gen.Bool(),
	})
	props.Property("nothing is lost or duplicated, the channel closes, the error is delivered, no goroutine is left",
		prop.ForAll(func(s scenario) string { return runScenario(s) }, genScenario))
	props.TestingRun(t)
}
