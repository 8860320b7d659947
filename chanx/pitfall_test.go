package chanx_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/boundgo/bound/chanx"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestPitfallA1RangeOverUnclosedChannel pins pitfall A1: a goroutine ranging
// over a channel that nobody closes blocks forever; a Producer's channel is
// closed whenever the producer returns, fails or panics.
func TestPitfallA1RangeOverUnclosedChannel(t *testing.T) {
	t.Run("in plain Go the range never ends when the sender forgets close", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ch := make(chan int)
			ended := make(chan struct{})
			go func() {
				for range ch {
				}
				close(ended)
			}()
			go func() {
				ch <- 1
				// forgot close(ch)
			}()
			synctest.Wait() // every goroutine in the bubble is durably blocked
			select {
			case <-ended:
				t.Fatal("the range ended without a close")
			default:
			}
			close(ch) // let the bubble end
			<-ended
		})
	})
	endings := map[string]func(context.Context, func(int) bool) error{
		"returns": count(3, nil),
		"fails":   count(3, errors.New("boom")),
		"panics": func(_ context.Context, yield func(int) bool) error {
			yield(0)
			panic("boom")
		},
	}
	for how, f := range endings {
		t.Run("with Produce the range ends when the producer "+how, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := chanx.Produce(context.Background(), 0, f)
				for range p.C() {
				}
				if how == "returns" {
					require.NoError(t, p.Err())
				} else {
					require.Error(t, p.Err())
				}
			})
		})
	}
}

// TestPitfallA2SenderOutlivesReceiver pins pitfall A2: a sender on an
// unbuffered channel whose receiver has gone blocks forever; a consumer that
// stops a Producer releases it, and Send with a context gives up.
func TestPitfallA2SenderOutlivesReceiver(t *testing.T) {
	t.Run("in plain Go the sender blocks forever once the receiver returned", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ch := make(chan int)
			sent := make(chan struct{})
			go func() {
				for i := range 10 {
					ch <- i
				}
				close(sent)
			}()
			<-ch // the receiver takes one value and leaves
			synctest.Wait()
			select {
			case <-sent:
				t.Fatal("the sender finished without a receiver")
			default:
			}
			for range 9 { // let the bubble end
				<-ch
			}
			<-sent
		})
	})
	t.Run("a consumer that stops releases its producer", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := chanx.Produce(context.Background(), 0, forever)
			<-p.C()
			p.Stop()
			require.NoError(t, p.Err())
		})
	})
	t.Run("breaking out of a range releases the producer", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			p := chanx.Produce(context.Background(), 0, forever)
			for range p.Values() {
				break
			}
		})
	})
	t.Run("Send gives up when its context ends", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			start := time.Now()
			require.ErrorIs(t, chanx.Send(ctx, make(chan int), 1), context.DeadlineExceeded)
			require.Equal(t, time.Second, time.Since(start))
		})
	})
}

// TestPitfallA6CancelNeverCalled pins pitfall A6: a context whose cancel is
// never called lives until its parent ends or its timer fires; every context
// the package creates is cancelled by the package.
func TestPitfallA6CancelNeverCalled(t *testing.T) {
	t.Run("in plain Go a forgotten cancel keeps the context alive until its timer fires", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
			time.Sleep(59 * time.Minute) // fake time: the bubble's clock
			require.NoError(t, ctx.Err(), "the context ended before its timer")
			cancel()
		})
	})
	t.Run("a Producer cancels its context once it is done", func(t *testing.T) {
		var inner context.Context
		p := chanx.Produce(context.Background(), 0, func(ctx context.Context, yield func(int) bool) error {
			inner = ctx
			return nil
		})
		require.NoError(t, p.Err())
		require.Error(t, inner.Err(), "the producer's context is still alive")
	})
	t.Run("a Group cancels its context once it is done", func(t *testing.T) {
		g := chanx.NewGroup[int](context.Background(), 0)
		ctxs := make(chan context.Context, 1)
		require.NoError(t, g.Go(func(ctx context.Context, _ func(int) bool) error { ctxs <- ctx; return nil }))
		g.Close()
		require.NoError(t, g.Err())
		require.Error(t, (<-ctxs).Err())
	})
	t.Run("a Pipeline cancels its context in Err and Stop", func(t *testing.T) {
		p := chanx.NewPipeline(context.Background())
		require.NoError(t, p.Err())
		require.Error(t, p.Context().Err())
		p = chanx.NewPipeline(context.Background())
		p.Stop()
		require.NoError(t, p.Err())
		require.ErrorIs(t, context.Cause(p.Context()), chanx.ErrStopped)
	})
}

// TestPitfallA8LeakChecks pins pitfall A8: Stop returns once the producer
// function has returned, but its goroutine may still be unwinding, so a
// runtime.NumGoroutine count taken at that moment can be off by one. goleak
// retries until the goroutine is gone, which is how this package's tests
// check for leaks.
func TestPitfallA8LeakChecks(t *testing.T) {
	p := chanx.Produce(context.Background(), 0, forever)
	<-p.C()
	p.Stop()
	require.NoError(t, p.Err())
	require.NoError(t, goleak.Find())
}
