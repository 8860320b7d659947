package cleanup

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

func TestReleaserProperties(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 200
	properties := gopter.NewProperties(params)

	errOutcome := errors.New("outcome")
	properties.Property("however many goroutines release it, the function runs once and all see one result", prop.ForAll(
		func(outcome stepKind, callers int, watchers int) bool {
			var calls atomic.Int32
			r := NewReleaser(func() error {
				calls.Add(1)
				switch outcome {
				case kindErr:
					return errOutcome
				case kindPanic, kindPanicErr:
					panic(errOutcome)
				case kindGoexit:
					runtime.Goexit()
				}
				return nil
			})
			var wg sync.WaitGroup
			for range watchers {
				wg.Go(func() { <-r.Done() })
			}
			errs := make([]error, callers)
			exited := make([]bool, callers)
			for i := range callers {
				wg.Go(func() {
					exited[i] = true
					errs[i] = r.Release()
					exited[i] = false
				})
			}
			wg.Wait()
			final := r.Release()
			if calls.Load() != 1 || !r.Released() {
				return false
			}
			for i, err := range errs {
				if exited[i] {
					continue // this caller ran the function and exited with it
				}
				if err != final {
					return false
				}
			}
			switch outcome {
			case kindOK:
				return final == nil
			case kindErr:
				return final == errOutcome
			case kindGoexit:
				return errors.Is(final, ErrGoexit)
			default:
				var pe *PanicError
				return errors.As(final, &pe) && errors.Is(final, errOutcome)
			}
		},
		gen.IntRange(0, int(numKinds)-1).Map(func(v int) stepKind { return stepKind(v) }),
		gen.IntRange(1, 16),
		gen.IntRange(0, 4),
	))
	properties.TestingRun(t)
}
