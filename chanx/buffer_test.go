package chanx_test

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/boundgo/bound/chanx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuffer(t *testing.T) {
	bg := context.Background()
	t.Run("the zero Buffer is unbounded and first in, first out", func(t *testing.T) {
		var b chanx.Buffer[int]
		for i := range 1000 {
			require.NoError(t, b.Send(bg, i))
		}
		require.Equal(t, 1000, b.Len())
		for i := range 1000 {
			v, err := b.Recv(bg)
			require.NoError(t, err)
			require.Equal(t, i, v)
		}
		require.Zero(t, b.Len())
		_, err := b.TryRecv()
		require.Equal(t, chanx.ErrWouldBlock, err)
	})
	t.Run("the ring wraps and grows without reordering", func(t *testing.T) {
		b := chanx.NewBuffer[int](0, chanx.OverflowBlock)
		next, want := 0, 0
		for round := range 50 {
			for range round % 13 {
				require.NoError(t, b.Send(bg, next))
				next++
			}
			for range round % 7 {
				v, err := b.TryRecv()
				if err != nil {
					require.Equal(t, chanx.ErrWouldBlock, err)
					break
				}
				require.Equal(t, want, v)
				want++
			}
			require.Equal(t, next-want, b.Len())
		}
	})
	t.Run("OverflowDropOldest keeps the newest values", func(t *testing.T) {
		b := chanx.NewBuffer[int](3, chanx.OverflowDropOldest)
		for i := range 10 {
			require.NoError(t, b.Send(bg, i))
		}
		require.Equal(t, 3, b.Len())
		b.Close()
		require.Equal(t, []int{7, 8, 9}, drain(t, b))
	})
	t.Run("OverflowDropNewest keeps the oldest values", func(t *testing.T) {
		b := chanx.NewBuffer[int](3, chanx.OverflowDropNewest)
		for i := range 10 {
			require.NoError(t, b.Send(bg, i))
		}
		b.Close()
		require.Equal(t, []int{0, 1, 2}, drain(t, b))
	})
	t.Run("OverflowBlock waits for room and honours its context", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			b := chanx.NewBuffer[int](1, chanx.OverflowBlock)
			require.NoError(t, b.Send(bg, 1))
			sent := make(chan error)
			go func() { sent <- b.Send(bg, 2) }()
			synctest.Wait()
			require.Equal(t, 1, b.Len(), "a blocked Send changed Len")
			v, err := b.Recv(bg)
			require.NoError(t, err)
			require.Equal(t, 1, v)
			require.NoError(t, <-sent)
			require.Equal(t, 1, b.Len())

			why := errors.New("gave up")
			ctx, cancel := context.WithCancelCause(bg)
			go func() { sent <- b.Send(ctx, 3) }()
			synctest.Wait()
			cancel(why)
			require.Equal(t, why, <-sent)
		})
	})
	t.Run("Recv waits for a value and honours its context", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var b chanx.Buffer[string]
			got := make(chan string)
			go func() {
				v, err := b.Recv(bg)
				assert.NoError(t, err)
				got <- v
			}()
			synctest.Wait()
			require.NoError(t, b.Send(bg, "hello"))
			require.Equal(t, "hello", <-got)

			ctx, cancel := context.WithCancel(bg)
			errc := make(chan error)
			go func() { _, err := b.Recv(ctx); errc <- err }()
			synctest.Wait()
			cancel()
			require.ErrorIs(t, <-errc, context.Canceled)
		})
	})
	t.Run("Close lets receivers drain what is buffered, then ErrClosed", func(t *testing.T) {
		var b chanx.Buffer[int]
		require.NoError(t, b.Send(bg, 1))
		b.Close()
		require.Equal(t, chanx.ErrClosed, b.Send(bg, 2))
		require.Equal(t, []int{1}, drain(t, &b))
		_, err := b.TryRecv()
		require.Equal(t, chanx.ErrClosed, err)
	})
	t.Run("CloseAndDiscard drops what is buffered", func(t *testing.T) {
		var b chanx.Buffer[int]
		require.NoError(t, b.Send(bg, 1))
		b.CloseAndDiscard()
		require.Zero(t, b.Len())
		_, err := b.Recv(bg)
		require.Equal(t, chanx.ErrClosed, err)
	})
	t.Run("CloseAndDiscard after Close drops what is left; closing again does nothing", func(t *testing.T) {
		var b chanx.Buffer[int]
		require.NoError(t, b.Send(bg, 1))
		b.Close()
		b.Close()
		require.Equal(t, 1, b.Len())
		b.CloseAndDiscard()
		require.Zero(t, b.Len())
	})
	t.Run("Close after CloseAndDiscard leaves it empty", func(t *testing.T) {
		var b chanx.Buffer[int]
		require.NoError(t, b.Send(bg, 1))
		b.CloseAndDiscard()
		b.Close()
		require.Zero(t, b.Len())
		_, err := b.TryRecv()
		require.Equal(t, chanx.ErrClosed, err)
	})
	t.Run("a done context bounds only the wait", func(t *testing.T) {
		done, cancel := context.WithCancel(bg)
		cancel()
		b := chanx.NewBuffer[int](1, chanx.OverflowBlock)
		require.NoError(t, b.Send(done, 1), "Send() with room and a done context")
		require.ErrorIs(t, b.Send(done, 2), context.Canceled, "Send() to a full buffer with a done context")
		v, err := b.Recv(done)
		require.NoError(t, err, "Recv() of a buffered value with a done context")
		require.Equal(t, 1, v)
		_, err = b.Recv(done)
		require.ErrorIs(t, err, context.Canceled, "Recv() from an empty buffer with a done context")
	})
	t.Run("a million values keep their order and an exact Len", func(t *testing.T) {
		const n = 1_000_000
		var b chanx.Buffer[int]
		for i := range n {
			require.NoError(t, b.Send(bg, i))
		}
		require.Equal(t, n, b.Len())
		for i := range n {
			v, err := b.TryRecv()
			if err != nil || v != i {
				require.Equal(t, i, v, "TryRecv() number %d, error %v", i, err)
			}
		}
		require.Zero(t, b.Len())
	})
	t.Run("a capacity near MaxInt is a cap, not an allocation", func(t *testing.T) {
		for _, overflow := range []chanx.Overflow{chanx.OverflowBlock, chanx.OverflowDropOldest, chanx.OverflowDropNewest} {
			b := chanx.NewBuffer[int](math.MaxInt, overflow)
			for i := range 100 {
				require.NoError(t, b.Send(bg, i))
			}
			require.Equal(t, 100, b.Len())
		}
	})
	t.Run("a negative capacity means unbounded", func(t *testing.T) {
		b := chanx.NewBuffer[int](-1, chanx.OverflowDropNewest)
		for i := range 100 {
			require.NoError(t, b.Send(bg, i))
		}
		require.Equal(t, 100, b.Len())
	})
	t.Run("Close releases blocked senders and receivers", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			full := chanx.NewBuffer[int](1, chanx.OverflowBlock)
			require.NoError(t, full.Send(bg, 1))
			var empty chanx.Buffer[int]
			errs := make(chan error, 2)
			go func() { errs <- full.Send(bg, 2) }()
			go func() { _, err := empty.Recv(bg); errs <- err }()
			synctest.Wait()
			full.CloseAndDiscard()
			empty.Close()
			require.Equal(t, chanx.ErrClosed, <-errs)
			require.Equal(t, chanx.ErrClosed, <-errs)
		})
	})
	t.Run("many senders and receivers lose and duplicate nothing", func(t *testing.T) {
		for _, capacity := range []int{0, 1, 4} {
			b := chanx.NewBuffer[int](capacity, chanx.OverflowBlock)
			var senders, receivers sync.WaitGroup
			seen := make([]int, 4000)
			var mu sync.Mutex
			for s := range 4 {
				senders.Go(func() {
					for i := range 1000 {
						assert.NoError(t, b.Send(bg, s*1000+i))
					}
				})
			}
			for range 4 {
				receivers.Go(func() {
					for {
						v, err := b.Recv(bg)
						if err != nil {
							return
						}
						mu.Lock()
						seen[v]++
						mu.Unlock()
					}
				})
			}
			senders.Wait()
			b.Close()
			receivers.Wait()
			for v, n := range seen {
				require.Equal(t, 1, n, "value %d received %d times (capacity %d)", v, n, capacity)
			}
		}
	})
	t.Run("an unknown Overflow panics", func(t *testing.T) {
		assert.PanicsWithValue(t, "chanx: NewBuffer with unknown Overflow", func() {
			chanx.NewBuffer[int](1, chanx.Overflow(9))
		})
	})
}

func drain[T any](t *testing.T, b *chanx.Buffer[T]) []T {
	t.Helper()
	var s []T
	for {
		v, err := b.Recv(context.Background())
		if err != nil {
			require.Equal(t, chanx.ErrClosed, err)
			return s
		}
		s = append(s, v)
	}
}
