package typed

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/boundgo/bound/cleanup"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSingleflight(t *testing.T) {
	ctx := context.Background()

	t.Run("a lone call returns its result unshared", func(t *testing.T) {
		var g Singleflight[string, int]
		v, err, shared := g.Do(ctx, "k", func(context.Context) (int, error) { return 1, nil })
		require.NoError(t, err)
		assert.Equal(t, 1, v)
		assert.False(t, shared)
		boom := errors.New("boom")
		_, err, _ = g.Do(ctx, "k", func(context.Context) (int, error) { return 0, boom })
		assert.Same(t, boom, err)
	})

	t.Run("concurrent callers share one call", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var g Singleflight[int, string]
			var calls atomic.Int32
			release := make(chan struct{})
			fn := func(context.Context) (string, error) {
				calls.Add(1)
				<-release
				return "v", nil
			}
			var wg sync.WaitGroup
			for range 5 {
				wg.Go(func() {
					v, err, shared := g.Do(ctx, 1, fn)
					assert.NoError(t, err)
					assert.Equal(t, "v", v)
					assert.True(t, shared)
				})
			}
			synctest.Wait() // every caller is waiting
			close(release)
			wg.Wait()
			assert.Equal(t, int32(1), calls.Load())
		})
	})

	t.Run("a caller whose context ends leaves without cancelling the others", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var g Singleflight[string, int]
			release := make(chan struct{})
			var fnCtx context.Context
			fn := func(c context.Context) (int, error) {
				fnCtx = c
				<-release
				return 7, c.Err()
			}
			impatient, cancel := context.WithCancelCause(ctx)
			cause := errors.New("gave up")
			var wg sync.WaitGroup
			wg.Go(func() {
				_, err, _ := g.Do(impatient, "k", fn)
				assert.Same(t, cause, err, "Do with a cancelled context returns its cause")
			})
			synctest.Wait()
			patient := g.DoChan(ctx, "k", fn)
			synctest.Wait()
			cancel(cause)
			wg.Wait()
			require.NoError(t, fnCtx.Err(), "the shared call was cancelled by one caller")
			close(release)
			r := <-patient
			require.NoError(t, r.Err)
			assert.Equal(t, 7, r.Val)
			assert.True(t, r.Shared)
		})
	})

	t.Run("when every caller has left the call is cancelled and forgotten", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var g Singleflight[string, int]
			stopped := make(chan struct{})
			c1, cancel := context.WithCancel(ctx)
			ch := g.DoChan(c1, "k", func(c context.Context) (int, error) {
				<-c.Done()
				close(stopped)
				return 0, c.Err()
			})
			synctest.Wait()
			cancel()
			r := <-ch
			require.ErrorIs(t, r.Err, context.Canceled)
			<-stopped
			v, err, _ := g.Do(ctx, "k", func(context.Context) (int, error) { return 2, nil })
			require.NoError(t, err)
			assert.Equal(t, 2, v, "a later caller starts afresh")
		})
	})

	t.Run("Forget starts a new call while the old one finishes", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var g Singleflight[string, int]
			release := make(chan struct{})
			first := g.DoChan(ctx, "k", func(context.Context) (int, error) { <-release; return 1, nil })
			synctest.Wait()
			g.Forget("k")
			v, _, shared := g.Do(ctx, "k", func(context.Context) (int, error) { return 2, nil })
			assert.Equal(t, 2, v)
			assert.False(t, shared)
			close(release)
			assert.Equal(t, 1, (<-first).Val)
		})
	})

	t.Run("a panic reaches Do callers as a panic and DoChan callers as an error", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var g Singleflight[string, int]
			release := make(chan struct{})
			fn := func(context.Context) (int, error) { <-release; panic("boom") }
			ch := g.DoChan(ctx, "k", fn)
			var wg sync.WaitGroup
			wg.Go(func() {
				defer func() {
					err, _ := recover().(error)
					if assert.Error(t, err, "Do did not panic") {
						var pe *cleanup.PanicError
						if assert.ErrorAs(t, err, &pe) {
							assert.Equal(t, "boom", pe.Value)
						}
						assert.Contains(t, err.Error(), "panic: boom [recovered]")
					}
				}()
				_, err, _ := g.Do(ctx, "k", fn)
				t.Errorf("Do() returned error %v; want it to panic with the function's panic", err)
			})
			synctest.Wait()
			close(release)
			wg.Wait()
			r := <-ch
			require.Error(t, r.Err)
			assert.Contains(t, r.Err.Error(), "boom")
			assert.Nil(t, errors.Unwrap(r.Err))
		})
	})

	t.Run("a panic with an error value unwraps to it", func(t *testing.T) {
		var g Singleflight[string, int]
		boom := errors.New("boom")
		r := <-g.DoChan(ctx, "k", func(context.Context) (int, error) { panic(boom) })
		require.ErrorIs(t, r.Err, boom)
	})

	t.Run("Goexit in the function becomes an error", func(t *testing.T) {
		var g Singleflight[string, int]
		_, err, _ := g.Do(ctx, "k", func(context.Context) (int, error) { runtime.Goexit(); return 0, nil })
		require.ErrorIs(t, err, cleanup.ErrGoexit)
		require.Contains(t, err.Error(), "runtime.Goexit called")
	})
}
