package chanx_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"testing"
	"testing/synctest"

	"github.com/boundgo/bound/chanx"
	"github.com/boundgo/bound/cleanup"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// count yields 0..n-1 and returns err.
func count(n int, err error) func(context.Context, func(int) bool) error {
	return func(_ context.Context, yield func(int) bool) error {
		for i := range n {
			if !yield(i) {
				return nil
			}
		}
		return err
	}
}

// forever yields 0, 1, 2, ... until yield reports false.
func forever(_ context.Context, yield func(int) bool) error {
	for i := 0; ; i++ {
		if !yield(i) {
			return nil
		}
	}
}

func seqOf(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func TestProduce(t *testing.T) {
	contexts := map[string]func() (context.Context, context.CancelFunc){
		"background": func() (context.Context, context.CancelFunc) { return context.Background(), func() {} },
		"cancellable": func() (context.Context, context.CancelFunc) {
			return context.WithCancel(context.Background())
		},
	}
	for name, mk := range contexts {
		t.Run("with a "+name+" context", func(t *testing.T) {
			t.Run("every value arrives in order and the channel closes", func(t *testing.T) {
				ctx, cancel := mk()
				defer cancel()
				for _, size := range []int{0, 1, 16} {
					p := chanx.Produce(ctx, size, count(100, nil))
					var got []int
					for v := range p.C() {
						got = append(got, v)
					}
					require.Equal(t, seqOf(100), got)
					require.NoError(t, p.Err())
				}
			})
			t.Run("Err reports the producer's error after the drain", func(t *testing.T) {
				ctx, cancel := mk()
				defer cancel()
				boom := errors.New("boom")
				p := chanx.Produce(ctx, 0, count(3, boom))
				require.Equal(t, []int{0, 1, 2}, slices.Collect(p.Values()))
				require.Equal(t, boom, p.Err())
				p.Stop()
				require.Equal(t, boom, p.Err(), "Err() after a Stop after the drain")
			})
			t.Run("Stop releases a producer blocked in yield", func(t *testing.T) {
				ctx, cancel := mk()
				defer cancel()
				p := chanx.Produce(ctx, 0, forever)
				require.Equal(t, 0, <-p.C())
				p.Stop()
				require.NoError(t, p.Err())
				p.Stop()
				require.NoError(t, p.Err(), "Err() after a second Stop()")
				_, open := <-p.C()
				require.False(t, open, "channel open after Stop")
			})
			t.Run("breaking out of Values stops the producer", func(t *testing.T) {
				ctx, cancel := mk()
				defer cancel()
				p := chanx.Produce(ctx, 4, forever)
				for v := range p.Values() {
					if v == 10 {
						break
					}
				}
				require.NoError(t, p.Err())
			})
			t.Run("All yields every value and then the error", func(t *testing.T) {
				ctx, cancel := mk()
				defer cancel()
				boom := errors.New("boom")
				p := chanx.Produce(ctx, 0, count(2, boom))
				var vals []int
				var errs []error
				for v, err := range p.All() {
					if err != nil {
						errs = append(errs, err)
						continue
					}
					vals = append(vals, v)
				}
				require.Equal(t, []int{0, 1}, vals)
				require.Equal(t, []error{boom}, errs)
			})
			t.Run("breaking out of All stops the producer", func(t *testing.T) {
				ctx, cancel := mk()
				defer cancel()
				p := chanx.Produce(ctx, 0, forever)
				for v, err := range p.All() {
					require.NoError(t, err)
					if v == 3 {
						break
					}
				}
				require.NoError(t, p.Err())
			})
			t.Run("a completed All yields no error", func(t *testing.T) {
				ctx, cancel := mk()
				defer cancel()
				n := 0
				for _, err := range chanx.Produce(ctx, 0, count(5, nil)).All() {
					require.NoError(t, err)
					n++
				}
				require.Equal(t, 5, n)
			})
		})
	}

	t.Run("a panic becomes a PanicError with its stack", func(t *testing.T) {
		p := chanx.Produce(context.Background(), 0, func(_ context.Context, yield func(int) bool) error {
			yield(1)
			panic("kaboom")
		})
		require.Equal(t, []int{1}, slices.Collect(p.Values()))
		var pe *cleanup.PanicError
		require.ErrorAs(t, p.Err(), &pe)
		require.Equal(t, "kaboom", pe.Value)
		require.Contains(t, string(pe.Stack), "producer_test.go")
		require.False(t, pe.Goexit)
	})
	t.Run("a panic with an error value is matchable", func(t *testing.T) {
		boom := errors.New("boom")
		p := chanx.Produce(context.Background(), 0, func(context.Context, func(int) bool) error { panic(boom) })
		p.Stop()
		require.ErrorIs(t, p.Err(), boom)
	})
	t.Run("runtime.Goexit becomes a PanicError matching ErrGoexit", func(t *testing.T) {
		p := chanx.Produce(context.Background(), 0, func(context.Context, func(int) bool) error {
			runtime.Goexit()
			return nil
		})
		for range p.C() {
		}
		require.ErrorIs(t, p.Err(), cleanup.ErrGoexit)
	})
	t.Run("the producer's context is cancelled with ErrStopped", func(t *testing.T) {
		cause := make(chan error, 1)
		p := chanx.Produce(context.Background(), 0, func(ctx context.Context, _ func(int) bool) error {
			<-ctx.Done()
			cause <- context.Cause(ctx)
			return ctx.Err()
		})
		p.Stop()
		require.NoError(t, p.Err(), "Err() after Stop, when the producer returns ctx.Err()")
		require.ErrorIs(t, <-cause, chanx.ErrStopped)
	})
	t.Run("a real error returned after Stop is still reported", func(t *testing.T) {
		boom := errors.New("flush failed")
		p := chanx.Produce(context.Background(), 0, func(ctx context.Context, yield func(int) bool) error {
			for yield(0) {
			}
			return boom
		})
		p.Stop()
		require.Equal(t, boom, p.Err())
	})
	t.Run("a context that ends cuts the stream short and Err says why", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			why := errors.New("deadline for the report")
			ctx, cancel := context.WithCancelCause(context.Background())
			p := chanx.Produce(ctx, 0, forever)
			<-p.C()
			cancel(why)
			for range p.C() {
			}
			require.Equal(t, why, p.Err())
		})
	})
	t.Run("a producer already cancelled yields nothing", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		p := chanx.Produce(ctx, 8, forever)
		require.Empty(t, slices.Collect(p.Values()))
		require.ErrorIs(t, p.Err(), context.Canceled)
	})
	t.Run("a yield kept past its producer's return reports false", func(t *testing.T) {
		var kept func(int) bool
		p := chanx.Produce(context.Background(), 0, func(_ context.Context, yield func(int) bool) error {
			kept = yield
			return nil
		})
		require.NoError(t, p.Err())
		require.False(t, kept(1))
	})
	t.Run("a panic in the loop body still stops the producer", func(t *testing.T) {
		p := chanx.Produce(context.Background(), 0, forever)
		require.PanicsWithValue(t, "consumer bug", func() {
			for range p.Values() {
				panic("consumer bug")
			}
		})
		require.NoError(t, p.Err())
		g := chanx.NewGroup[int](context.Background(), 0)
		require.NoError(t, g.Go(forever))
		require.PanicsWithValue(t, "consumer bug", func() {
			for _, err := range g.All() {
				if err == nil {
					panic("consumer bug")
				}
			}
		})
		require.NoError(t, g.Err())
	})
	t.Run("misuse panics with a chanx message", func(t *testing.T) {
		assert.PanicsWithValue(t, "chanx: Produce with nil function", func() {
			chanx.Produce[int](context.Background(), 0, nil)
		})
		assert.PanicsWithValue(t, "chanx: negative buffer size", func() {
			chanx.Produce(context.Background(), -1, forever)
		})
		assert.PanicsWithValue(t, "chanx: FromSeq with nil iterator", func() {
			chanx.FromSeq[int](context.Background(), 0, nil)
		})
		assert.PanicsWithValue(t, "chanx: negative buffer size", func() {
			chanx.NewGroup[int](context.Background(), -1)
		})
		tooLarge := fmt.Sprintf("chanx: buffer size %d is too large: makechan: size out of range", math.MaxInt)
		assert.PanicsWithValue(t, tooLarge, func() {
			chanx.Produce(context.Background(), math.MaxInt, forever)
		})
		assert.PanicsWithValue(t, tooLarge, func() {
			chanx.NewGroup[int](context.Background(), math.MaxInt)
		})
		var zero chanx.Producer[int]
		assert.PanicsWithValue(t, "chanx: Producer not made by Produce or FromSeq", func() { zero.Stop() })
		assert.PanicsWithValue(t, "chanx: Producer not made by Produce or FromSeq", func() { _ = zero.Err() })
		assert.PanicsWithValue(t, "chanx: Producer not made by Produce or FromSeq", func() { zero.C() })
		var zeroGroup chanx.Group[int]
		assert.PanicsWithValue(t, "chanx: Group not made by NewGroup", func() { _ = zeroGroup.Go(forever) })
		assert.PanicsWithValue(t, "chanx: Group not made by NewGroup", func() { _ = zeroGroup.Send(context.Background(), 1) })
		assert.PanicsWithValue(t, "chanx: Group not made by NewGroup", func() { zeroGroup.Close() })
		assert.PanicsWithValue(t, "chanx: Group not made by NewGroup", func() { zeroGroup.Stop() })
	})
}

// TestProducerStop pins what Err reports after Stop: never the cancellation
// Stop caused, always an error of the producer's own, and the parent's
// cause when the parent was done first.
func TestProducerStop(t *testing.T) {
	t.Run("a parent done before Stop is reported, even if the producer was still running", func(t *testing.T) {
		for round := range 200 {
			why := errors.New("request cancelled")
			ctx, cancel := context.WithCancelCause(context.Background())
			p := chanx.Produce(ctx, 0, forever)
			<-p.C()
			cancel(why)
			p.Stop()
			require.Equal(t, why, p.Err(), "round %d: Err() after the parent's cancel, then Stop", round)
		}
	})
	t.Run("a parent cancelled after Stop is not reported", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		p := chanx.Produce(ctx, 0, forever)
		<-p.C()
		p.Stop()
		cancel()
		require.NoError(t, p.Err(), "Err() after Stop, then the parent's cancel")
	})
	t.Run("Stop after the drain keeps the stream's result, whatever the parent does next", func(t *testing.T) {
		for round := range 200 {
			ctx, cancel := context.WithCancel(context.Background())
			p := chanx.Produce(ctx, 0, count(3, nil))
			require.Equal(t, seqOf(3), slices.Collect(p.Values()))
			cancel()
			p.Stop()
			require.NoError(t, p.Err(), "round %d: Err() after the drain, the parent's cancel and Stop", round)
		}
	})
	t.Run("a failure racing with Stop is reported whichever comes first", func(t *testing.T) {
		boom := errors.New("flush failed")
		for round := range 200 {
			start := make(chan struct{})
			p := chanx.Produce(context.Background(), 0, func(context.Context, func(int) bool) error {
				<-start
				return boom
			})
			go close(start)
			p.Stop()
			require.Equal(t, boom, p.Err(), "round %d: Err() after Stop raced with the producer's failure", round)
		}
	})
	t.Run("ErrStopped or context.Canceled returned after Stop is not an error", func(t *testing.T) {
		for _, returned := range []func(context.Context) error{
			context.Cause,
			func(ctx context.Context) error { return ctx.Err() },
			func(ctx context.Context) error { return fmt.Errorf("read: %w", ctx.Err()) },
		} {
			p := chanx.Produce(context.Background(), 0, func(ctx context.Context, _ func(int) bool) error {
				<-ctx.Done()
				return returned(ctx)
			})
			p.Stop()
			require.NoError(t, p.Err(), "Err() after Stop, when the producer returns its context's end")
		}
	})
	t.Run("context.Canceled returned after the parent's cancel is reported, even after Stop", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		returned := make(chan struct{})
		p := chanx.Produce(ctx, 0, func(ctx context.Context, _ func(int) bool) error {
			defer close(returned)
			<-ctx.Done()
			return ctx.Err()
		})
		cancel()
		p.Stop()
		<-returned
		require.ErrorIs(t, p.Err(), context.Canceled, "Err() after the parent's cancel, then Stop")
	})
}
