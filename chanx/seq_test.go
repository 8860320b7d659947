package chanx_test

import (
	"context"
	"slices"
	"testing"
	"testing/synctest"

	"github.com/boundgo/bound/chanx"
	"github.com/stretchr/testify/require"
)

func TestFromSeq(t *testing.T) {
	t.Run("every value of the iterator arrives in order", func(t *testing.T) {
		p := chanx.FromSeq(context.Background(), 2, slices.Values(seqOf(50)))
		require.Equal(t, seqOf(50), slices.Collect(p.Values()))
		require.NoError(t, p.Err())
	})
	t.Run("a consumer that stops ends the iteration", func(t *testing.T) {
		iterating := true
		naturals := func(yield func(int) bool) {
			defer func() { iterating = false }()
			for i := 0; yield(i); i++ {
			}
		}
		p := chanx.FromSeq(context.Background(), 0, naturals)
		for v := range p.Values() {
			if v == 5 {
				break
			}
		}
		require.False(t, iterating, "the iterator is still running after the break")
	})
}

func TestRecvAll(t *testing.T) {
	t.Run("it ranges until the channel closes", func(t *testing.T) {
		ch := make(chan int, 3)
		ch <- 1
		ch <- 2
		close(ch)
		require.Equal(t, []int{1, 2}, slices.Collect(chanx.RecvAll(context.Background(), ch)))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ch = make(chan int, 3)
		ch <- 3
		close(ch)
		require.Equal(t, []int{3}, slices.Collect(chanx.RecvAll(ctx, ch)))
	})
	t.Run("breaking out stops receiving", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		for _, c := range []context.Context{context.Background(), ctx} {
			ch := make(chan int, 3)
			ch <- 1
			ch <- 2
			for range chanx.RecvAll(c, ch) {
				break
			}
			require.Equal(t, 1, len(ch))
		}
	})
	t.Run("it stops when the context ends", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			ch := make(chan int) // nobody will ever close it
			got := make(chan []int)
			go func() { got <- slices.Collect(chanx.RecvAll(ctx, ch)) }()
			ch <- 1
			synctest.Wait()
			select {
			case <-got:
				t.Fatal("the loop ended before the context did")
			default:
			}
			cancel()
			require.Equal(t, []int{1}, <-got, "values received before the context ended")
		})
	})
}
