package chanx_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/boundgo/bound/chanx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGroup(t *testing.T) {
	t.Run("the channel closes after Close and the last producer", func(t *testing.T) {
		g := chanx.NewGroup[int](context.Background(), 0)
		for range 4 {
			require.NoError(t, g.Go(count(50, nil)))
		}
		g.Close()
		got := slices.Collect(g.Values())
		require.Len(t, got, 200)
		require.NoError(t, g.Err())
	})
	t.Run("Close with no producer closes the channel at once", func(t *testing.T) {
		g := chanx.NewGroup[int](context.Background(), 0)
		g.Close()
		g.Close() // a second Close does nothing
		_, open := <-g.C()
		require.False(t, open)
		require.NoError(t, g.Err())
	})
	t.Run("Go and Send after Close return ErrClosed", func(t *testing.T) {
		g := chanx.NewGroup[int](context.Background(), 1)
		g.Close()
		require.Equal(t, chanx.ErrClosed, g.Go(forever))
		require.Equal(t, chanx.ErrClosed, g.Send(context.Background(), 1))
	})
	t.Run("Send from goroutines the group does not own", func(t *testing.T) {
		for _, ctx := range []context.Context{context.Background(), context.TODO()} {
			g := chanx.NewGroup[int](ctx, 0)
			var wg sync.WaitGroup
			for i := range 10 {
				wg.Go(func() { assert.NoError(t, g.Send(ctx, i)) })
			}
			go func() { wg.Wait(); g.Close() }()
			got := slices.Sorted(g.Values())
			require.Equal(t, seqOf(10), got)
		}
	})
	t.Run("Send gives up when its context ends", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			g := chanx.NewGroup[int](context.Background(), 0)
			ctx, cancel := context.WithCancelCause(context.Background())
			why := errors.New("client went away")
			errc := make(chan error)
			go func() { errc <- g.Send(ctx, 1) }()
			synctest.Wait()
			cancel(why)
			require.Equal(t, why, <-errc)
			g.Stop()
			require.NoError(t, g.Err())
		})
	})
	t.Run("a Send that watches a context is released by Stop with ErrStopped", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			g := chanx.NewGroup[int](context.Background(), 0)
			errc := make(chan error)
			go func() { errc <- g.Send(ctx, 1) }()
			synctest.Wait() // Send is parked in its select
			g.Stop()        // cancels the group's context before it drains the channel
			require.ErrorIs(t, <-errc, chanx.ErrStopped, "Send() blocked when Stop was called")
			require.NoError(t, g.Err())
		})
	})
	t.Run("a plain Send is released by Stop's drain", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			for _, ctx := range []context.Context{context.Background(), context.TODO()} {
				g := chanx.NewGroup[int](ctx, 0)
				errc := make(chan error)
				go func() { errc <- g.Send(ctx, 1) }()
				synctest.Wait() // Send is parked in a plain send: no context can end it
				g.Stop()
				require.NoError(t, <-errc, "Send() blocked when Stop was called: its value was taken and discarded")
				require.NoError(t, g.Err())
			}
		})
	})
	t.Run("Send after a producer failed reports that failure", func(t *testing.T) {
		boom := errors.New("boom")
		g := chanx.NewGroup[int](context.Background(), 0)
		cancelled := make(chan struct{})
		require.NoError(t, g.Go(func(ctx context.Context, _ func(int) bool) error {
			<-ctx.Done()
			close(cancelled)
			return nil
		}))
		require.NoError(t, g.Go(count(0, boom)))
		<-cancelled
		require.Equal(t, boom, g.Send(context.Background(), 1))
		g.Close()
		require.Equal(t, boom, g.Err())
	})
	t.Run("the first producer error stops the others", func(t *testing.T) {
		boom := errors.New("boom")
		g := chanx.NewGroup[int](context.Background(), 0)
		for range 3 {
			require.NoError(t, g.Go(forever))
		}
		require.NoError(t, g.Go(count(1, boom)))
		g.Close()
		for range g.C() {
		}
		require.Equal(t, boom, g.Err())
	})
	t.Run("Stop releases every blocked producer", func(t *testing.T) {
		for _, size := range []int{0, 3} {
			g := chanx.NewGroup[int](context.Background(), size)
			for range 8 {
				require.NoError(t, g.Go(forever))
			}
			<-g.C()
			g.Stop()
			require.NoError(t, g.Err())
			require.Equal(t, chanx.ErrClosed, g.Go(forever))
		}
	})
	t.Run("All reports the group's error last", func(t *testing.T) {
		boom := errors.New("boom")
		g := chanx.NewGroup[int](context.Background(), 0)
		require.NoError(t, g.Go(count(2, boom)))
		g.Close()
		var last error
		n := 0
		for _, err := range g.All() {
			n++
			last = err
		}
		require.Equal(t, 3, n)
		require.Equal(t, boom, last)
	})
	t.Run("Go with a nil function panics", func(t *testing.T) {
		g := chanx.NewGroup[int](context.Background(), 0)
		defer g.Stop()
		assert.PanicsWithValue(t, "chanx: Group.Go with nil function", func() { _ = g.Go(nil) })
	})
}

// TestGroupStop pins what Err reports after Stop, as TestProducerStop does
// for one producer.
func TestGroupStop(t *testing.T) {
	t.Run("a parent done before Stop is reported, even if producers were still running", func(t *testing.T) {
		for round := range 200 {
			why := errors.New("request cancelled")
			ctx, cancel := context.WithCancelCause(context.Background())
			g := chanx.NewGroup[int](ctx, 0)
			for range 3 {
				require.NoError(t, g.Go(forever))
			}
			<-g.C()
			cancel(why)
			g.Stop()
			require.Equal(t, why, g.Err(), "round %d: Err() after the parent's cancel, then Stop", round)
		}
	})
	t.Run("Stop after the drain keeps the group's result, whatever the parent does next", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		g := chanx.NewGroup[int](ctx, 0)
		require.NoError(t, g.Go(count(3, nil)))
		g.Close()
		require.Equal(t, seqOf(3), slices.Collect(g.Values()))
		cancel()
		g.Stop()
		require.NoError(t, g.Err(), "Err() after the drain, the parent's cancel and Stop")
	})
	t.Run("a failure racing with Stop is reported whichever comes first", func(t *testing.T) {
		boom := errors.New("flush failed")
		for round := range 200 {
			start := make(chan struct{})
			g := chanx.NewGroup[int](context.Background(), 0)
			require.NoError(t, g.Go(forever))
			require.NoError(t, g.Go(func(context.Context, func(int) bool) error {
				<-start
				return boom
			}))
			go close(start)
			g.Stop()
			require.Equal(t, boom, g.Err(), "round %d: Err() after Stop raced with a producer's failure", round)
		}
	})
}
