package chanx_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	"github.com/boundgo/bound/chanx"
	"github.com/stretchr/testify/require"
)

func TestOps(t *testing.T) {
	never := map[string]context.Context{
		"context.Background": context.Background(),
		"context.TODO":       context.TODO(),
		"WithoutCancel":      context.WithoutCancel(context.Background()),
	}
	for name, ctx := range never {
		t.Run("with "+name+" they are plain channel operations", func(t *testing.T) {
			ch := make(chan int, 1)
			require.NoError(t, chanx.Send(ctx, ch, 7))
			v, err := chanx.Recv(ctx, ch)
			require.NoError(t, err)
			require.Equal(t, 7, v)
			require.NoError(t, chanx.TrySend(ctx, ch, 8))
			require.Equal(t, chanx.ErrWouldBlock, chanx.TrySend(ctx, ch, 9))
			v, err = chanx.TryRecv(ctx, ch)
			require.NoError(t, err)
			require.Equal(t, 8, v)
			_, err = chanx.TryRecv(ctx, ch)
			require.Equal(t, chanx.ErrWouldBlock, err)
			close(ch)
			_, err = chanx.Recv(ctx, ch)
			require.Equal(t, chanx.ErrClosed, err)
			_, err = chanx.TryRecv(ctx, ch)
			require.Equal(t, chanx.ErrClosed, err)
		})
	}

	t.Run("with a live context they behave like the raw operations", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ch := make(chan int, 1)
		require.NoError(t, chanx.Send(ctx, ch, 1))
		v, err := chanx.Recv(ctx, ch)
		require.NoError(t, err)
		require.Equal(t, 1, v)
		require.NoError(t, chanx.TrySend(ctx, ch, 2))
		v, err = chanx.TryRecv(ctx, ch)
		require.NoError(t, err)
		require.Equal(t, 2, v)
		close(ch)
		_, err = chanx.Recv(ctx, ch)
		require.Equal(t, chanx.ErrClosed, err)
	})

	t.Run("a done context wins over a ready channel", func(t *testing.T) {
		why := errors.New("shutting down")
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(why)
		ch := make(chan int, 1)
		require.Equal(t, why, chanx.Send(ctx, ch, 1))
		require.Equal(t, why, chanx.TrySend(ctx, ch, 1))
		require.Zero(t, len(ch), "a value was sent after the context ended")
		ch <- 1
		_, err := chanx.Recv(ctx, ch)
		require.Equal(t, why, err)
		_, err = chanx.TryRecv(ctx, ch)
		require.Equal(t, why, err)
		require.Equal(t, 1, len(ch), "a value was received after the context ended")
	})

	t.Run("a blocked Send or Recv returns when its context ends", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			ch := make(chan int)
			errs := make(chan error, 2)
			go func() { errs <- chanx.Send(ctx, ch, 1) }()
			go func() { _, err := chanx.Recv(ctx, make(chan int)); errs <- err }()
			synctest.Wait()
			require.Empty(t, errs, "Send or Recv returned before the context ended")
			cancel()
			require.ErrorIs(t, <-errs, context.Canceled)
			require.ErrorIs(t, <-errs, context.Canceled)
		})
	})

	t.Run("a context with a timeout bounds a send on a nil channel", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5)
			defer cancel()
			var ch chan int
			require.ErrorIs(t, chanx.Send(ctx, ch, 1), context.DeadlineExceeded)
		})
	})
}
