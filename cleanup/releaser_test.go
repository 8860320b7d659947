package cleanup

import (
	"context"
	"errors"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var _ io.Closer = (*Releaser)(nil)

func TestReleaser(t *testing.T) {
	t.Run("release runs the function once and returns the same error every time", func(t *testing.T) {
		want := errors.New("boom")
		calls := 0
		r := NewReleaser(func() error { calls++; return want })
		require.False(t, r.Released())
		for range 3 {
			err := r.Release()
			require.Same(t, want, err, "Release() = %v; want %v", err, want)
		}
		require.Equal(t, 1, calls)
		require.True(t, r.Released())
		require.Same(t, want, r.Close())
	})

	t.Run("the zero releaser releases to nil", func(t *testing.T) {
		var r Releaser
		require.False(t, r.Released())
		require.NoError(t, r.Release())
		require.True(t, r.Released())
		require.NoError(t, r.Close())
		<-r.Done()
	})

	t.Run("a nil function releases to nil", func(t *testing.T) {
		r := NewReleaser(nil)
		require.NoError(t, r.Release())
		require.True(t, r.Released())
	})

	t.Run("a panic is captured once with its stack and returned to every caller", func(t *testing.T) {
		calls := 0
		r := NewReleaser(func() error { calls++; panic("kaboom") })
		err := r.Release()
		var pe *PanicError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "kaboom", pe.Value)
		assert.False(t, pe.Goexit)
		assert.Contains(t, string(pe.Stack), "releaser_test.go")
		require.Same(t, err, r.Release())
		require.Equal(t, 1, calls)
	})

	t.Run("a panic with an error value is matchable", func(t *testing.T) {
		sentinel := errors.New("sentinel")
		r := NewReleaser(func() error { panic(sentinel) })
		require.ErrorIs(t, r.Release(), sentinel)
	})

	t.Run("Goexit in the function ends its goroutine and is reported to the others", func(t *testing.T) {
		calls := 0
		r := NewReleaser(func() error { calls++; runtime.Goexit(); return nil })
		returned := make(chan bool)
		go func() {
			defer func() { returned <- false }()
			_ = r.Release()
			returned <- true // not reached
		}()
		require.False(t, <-returned, "Release returned to the goroutine that called Goexit")
		err := r.Release()
		require.ErrorIs(t, err, ErrGoexit)
		var pe *PanicError
		require.ErrorAs(t, err, &pe)
		assert.True(t, pe.Goexit)
		assert.Nil(t, pe.Value)
		require.Equal(t, 1, calls)
	})

	t.Run("Done is closed once released and does not start the release", func(t *testing.T) {
		r := NewReleaser(func() error { return nil })
		d := r.Done()
		require.Equal(t, d, r.Done(), "Done() twice gave two channels")
		select {
		case <-d:
			t.Fatal("Done() closed before release")
		default:
		}
		require.False(t, r.Released())
		require.NoError(t, r.Release())
		<-d
		<-r.Done()
	})
}

func TestReleaserWaiters(t *testing.T) {
	t.Run("callers arriving while it runs wait on a channel and get the same error", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			want := errors.New("slow")
			gate := make(chan struct{})
			var calls atomic.Int32
			r := NewReleaser(func() error { calls.Add(1); <-gate; return want })
			const n = 5
			errs := make(chan error, n)
			for range n {
				go func() { errs <- r.Release() }()
			}
			synctest.Wait() // every caller durably blocked: one in f, the rest on the channel
			require.False(t, r.Released())
			require.Len(t, errs, 0)
			done := r.Done()
			close(gate)
			for range n {
				require.Same(t, want, <-errs)
			}
			<-done
			require.EqualValues(t, 1, calls.Load())
		})
	})

	t.Run("Done called while running is closed when it finishes", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			gate := make(chan struct{})
			r := NewReleaser(func() error { <-gate; return nil })
			go func() { _ = r.Release() }()
			synctest.Wait()
			d := r.Done()
			go func() { _ = r.Release() }() // waits on the same channel
			synctest.Wait()
			close(gate)
			<-d
			require.True(t, r.Released())
		})
	})
}

func TestReleaserStress(t *testing.T) {
	iterations := 10000
	if testing.Short() {
		iterations = 1000
	}
	n := runtime.GOMAXPROCS(0) * 4
	for i := range iterations {
		var calls atomic.Int32
		var want error
		if i%2 == 0 {
			want = errors.New("odd")
		}
		r := NewReleaser(func() error { calls.Add(1); return want })
		var start, wg sync.WaitGroup
		start.Add(1)
		errs := make([]error, n)
		for g := range n {
			wg.Go(func() {
				start.Wait()
				if g%3 == 0 {
					<-r.Done()
					errs[g] = r.Release()
					return
				}
				errs[g] = r.Release()
			})
		}
		start.Done()
		go func() { _ = r.Release() }()
		wg.Wait()
		<-r.Done()
		if c := calls.Load(); c != 1 {
			t.Fatalf("iteration %d: release function ran %d times; want 1", i, c)
		}
		for g, err := range errs {
			if err != want {
				t.Fatalf("iteration %d: goroutine %d: Release() = %v; want %v", i, g, err, want)
			}
		}
	}
}

func TestReleaserReleaseWhenDone(t *testing.T) {
	t.Run("the context ending releases it", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			var calls atomic.Int32
			r := NewReleaser(func() error { calls.Add(1); return nil })
			stop := r.ReleaseWhenDone(ctx)
			synctest.Wait()
			require.False(t, r.Released())
			cancel()
			synctest.Wait()
			require.True(t, r.Released())
			require.False(t, stop(), "stop() after release = true; want false")
			require.EqualValues(t, 1, calls.Load())
		})
	})

	t.Run("stop before the context ends prevents the release", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			r := NewReleaser(func() error { return nil })
			stop := r.ReleaseWhenDone(ctx)
			require.True(t, stop())
			require.False(t, stop(), "second stop() = true; want false")
			cancel()
			synctest.Wait()
			require.False(t, r.Released())
		})
	})

	t.Run("stop waits for a release already running (golang/go#60156)", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			gate := make(chan struct{})
			r := NewReleaser(func() error { <-gate; return nil })
			stop := r.ReleaseWhenDone(ctx)
			cancel()
			synctest.Wait() // the release is running, blocked on gate
			stopped := make(chan bool)
			go func() { stopped <- stop() }()
			synctest.Wait()
			select {
			case <-stopped:
				t.Fatal("stop() returned while the release was running")
			default:
			}
			close(gate)
			require.False(t, <-stopped)
			require.True(t, r.Released())
		})
	})
}

func TestReleaserReleaseAgainDoesNotAllocate(t *testing.T) {
	r := NewReleaser(func() error { return errors.New("x") })
	_ = r.Release()
	if n := testing.AllocsPerRun(100, func() { _ = r.Release() }); n != 0 {
		t.Errorf("Release() after release allocates %v times; want 0", n)
	}
}

// TestReleaserGoexitContrastOnceFunc pins the behaviour the Releaser's doc
// contrasts itself with (golang/go#73159).
func TestReleaserGoexitContrastOnceFunc(t *testing.T) {
	f := sync.OnceFunc(func() { runtime.Goexit() })
	got := make(chan any)
	go func() {
		defer func() { got <- recover() }()
		f()
	}()
	var pn *runtime.PanicNilError
	require.ErrorAs(t, (<-got).(error), &pn, "sync.OnceFunc turns Goexit into a PanicNilError panic")
	require.PanicsWithError(t, pn.Error(), f, "and every later caller panics with one too")

	r := NewReleaser(func() error { runtime.Goexit(); return nil })
	go func() {
		defer func() { got <- recover() }()
		_ = r.Release()
	}()
	require.Nil(t, <-got, "a Releaser lets the Goexit go on, without a panic")
	require.ErrorIs(t, r.Release(), ErrGoexit)
}
