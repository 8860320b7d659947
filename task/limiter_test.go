package task

import (
	"context"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"
)

// pendingAcquire is an Acquire running in a goroutine of its own.
type pendingAcquire struct {
	cancel context.CancelFunc
	err    chan error // receives Acquire's result
}

// startAcquire calls l.Acquire(ctx, n) in a new goroutine with a context of
// its own, and, in a synctest bubble, waits until it has returned or blocked.
func startAcquire(l *Limiter, n int64) *pendingAcquire {
	ctx, cancel := context.WithCancel(context.Background())
	p := &pendingAcquire{cancel: cancel, err: make(chan error, 1)}
	go func() { p.err <- l.Acquire(ctx, n) }()
	synctest.Wait()
	return p
}

// returned reports whether the Acquire has returned, and with what; call
// it after synctest.Wait.
func (p *pendingAcquire) returned() (err error, ok bool) {
	select {
	case err = <-p.err:
		p.err <- err // keep it for the next look
		return err, true
	default:
		return nil, false
	}
}

// requireGranted fails unless the Acquire returned nil.
func requireGranted(t *testing.T, p *pendingAcquire, what string) {
	t.Helper()
	synctest.Wait()
	err, ok := p.returned()
	require.True(t, ok, "%s: Acquire still blocked; want it to have returned nil", what)
	require.NoError(t, err, "%s: Acquire() = %v; want nil", what, err)
}

// requireBlocked fails unless the Acquire is still blocked.
func requireBlocked(t *testing.T, p *pendingAcquire, what string) {
	t.Helper()
	synctest.Wait()
	err, ok := p.returned()
	require.False(t, ok, "%s: Acquire returned %v; want it still blocked", what, err)
}

// requireFailed fails unless the Acquire returned an error matching want.
func requireFailed(t *testing.T, p *pendingAcquire, want error, what string) {
	t.Helper()
	synctest.Wait()
	err, ok := p.returned()
	require.True(t, ok, "%s: Acquire still blocked; want it to have returned %v", what, want)
	require.ErrorIs(t, err, want, "%s: Acquire() = %v; want %v", what, err, want)
}

// requireHeld fails unless the limiter holds held permits and its queued bit
// agrees with its queue.
func requireHeld(t *testing.T, l *Limiter, held int64) {
	t.Helper()
	l.mu.Lock()
	s, head := l.state.Load(), l.head
	l.mu.Unlock()
	require.Equal(t, head != nil, s&limiterQueued != 0, "queued bit = %v with head %p", s&limiterQueued != 0, head)
	require.Equal(t, held, int64(s&^limiterQueued), "permits held = %d; want %d", int64(s&^limiterQueued), held)
}

// panicMessage returns what f panicked with, or nil.
func panicMessage(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

func TestLimiter(t *testing.T) {
	ctx := context.Background()

	t.Run("NewLimiter panics on a negative size", func(t *testing.T) {
		got := panicMessage(func() { NewLimiter(-1) })
		require.Equal(t, "task: NewLimiter with a negative size", got, "NewLimiter(-1) panicked with %v", got)
	})

	t.Run("the zero Limiter grants weight 0 and nothing more", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var l Limiter
			require.True(t, l.TryAcquire(0), "TryAcquire(0) = false; want true")
			require.NoError(t, l.Acquire(ctx, 0), "Acquire(ctx, 0)")
			require.False(t, l.TryAcquire(1), "TryAcquire(1) = true; want false")
			start := time.Now()
			tctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			err := l.Acquire(tctx, 1)
			require.ErrorIs(t, err, context.DeadlineExceeded, "Acquire(ctx with 1s timeout, 1) = %v", err)
			require.Equal(t, time.Second, time.Since(start), "Acquire returned after %v; want at the deadline", time.Since(start))
			got := panicMessage(func() { l.Release(1) })
			require.Equal(t, "task: Limiter released more than held", got, "Release(1) panicked with %v", got)
			requireHeld(t, &l, 0)
		})
	})

	t.Run("Acquire and TryAcquire take permits until none are free", func(t *testing.T) {
		l := NewLimiter(3)
		require.NoError(t, l.Acquire(ctx, 2), "Acquire(ctx, 2)")
		require.False(t, l.TryAcquire(2), "TryAcquire(2) with 1 free = true; want false")
		require.True(t, l.TryAcquire(1), "TryAcquire(1) with 1 free = false; want true")
		require.True(t, l.TryAcquire(0), "TryAcquire(0) with none free = false; want true")
		require.NoError(t, l.Acquire(ctx, 0), "Acquire(ctx, 0) with none free")
		require.False(t, l.TryAcquire(1), "TryAcquire(1) with none free = true; want false")
		requireHeld(t, l, 3)
		l.Release(3)
		requireHeld(t, l, 0)
		require.True(t, l.TryAcquire(3), "TryAcquire(3) after Release(3) = false; want true")
	})

	t.Run("any goroutine may release permits another acquired", func(t *testing.T) {
		l := NewLimiter(1)
		require.NoError(t, l.Acquire(ctx, 1), "Acquire(ctx, 1)")
		done := make(chan struct{})
		go func() {
			defer close(done)
			l.Release(1)
		}()
		<-done
		requireHeld(t, l, 0)
	})

	t.Run("Acquire fails with a done context even when permits are free", func(t *testing.T) {
		l := NewLimiter(2)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		err := l.Acquire(cctx, 1)
		require.ErrorIs(t, err, context.Canceled, "Acquire(cancelled ctx, 1) = %v", err)
		dctx, cancel := context.WithDeadline(ctx, time.Unix(0, 0))
		defer cancel()
		err = l.Acquire(dctx, 0)
		require.ErrorIs(t, err, context.DeadlineExceeded, "Acquire(expired ctx, 0) = %v", err)
		requireHeld(t, l, 0)
	})

	t.Run("Acquire returns ctx.Err, not the cause", func(t *testing.T) {
		l := NewLimiter(0)
		cctx, cancel := context.WithCancelCause(ctx)
		cause := context.DeadlineExceeded
		cancel(cause)
		err := l.Acquire(cctx, 1)
		require.Same(t, context.Canceled, err, "Acquire(ctx cancelled with a cause, 1) = %v; want ctx.Err()", err)
	})

	t.Run("a context cancelled while waiting fails the Acquire and holds nothing", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := NewLimiter(2)
			require.NoError(t, l.Acquire(ctx, 2), "Acquire(ctx, 2)")
			p := startAcquire(l, 1)
			requireBlocked(t, p, "Acquire(1) with none free")
			p.cancel()
			requireFailed(t, p, context.Canceled, "Acquire(1) cancelled")
			requireHeld(t, l, 2)
			l.Release(2)
			requireHeld(t, l, 0)
		})
	})

	t.Run("a large request at the head blocks smaller ones behind it", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := NewLimiter(4)
			require.NoError(t, l.Acquire(ctx, 2), "Acquire(ctx, 2)")
			big := startAcquire(l, 4)
			requireBlocked(t, big, "Acquire(4) with 2 free")
			small := startAcquire(l, 1)
			requireBlocked(t, small, "Acquire(1) with 2 free, behind Acquire(4)")
			zero := startAcquire(l, 0)
			requireBlocked(t, zero, "Acquire(0) behind Acquire(4)")
			require.False(t, l.TryAcquire(1), "TryAcquire(1) with 2 free, behind Acquire(4) = true; want false")
			require.False(t, l.TryAcquire(0), "TryAcquire(0) behind Acquire(4) = true; want false")

			l.Release(2)
			requireGranted(t, big, "Acquire(4) after Release(2)")
			requireBlocked(t, small, "Acquire(1) with none free")
			requireBlocked(t, zero, "Acquire(0) behind Acquire(1)")
			requireHeld(t, l, 4)

			l.Release(4)
			requireGranted(t, small, "Acquire(1) after Release(4)")
			requireGranted(t, zero, "Acquire(0) after Release(4)")
			requireHeld(t, l, 1)
			l.Release(1)
		})
	})

	t.Run("Release grants, in order, every waiter that fits, and stops at the first that does not", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := NewLimiter(3)
			require.NoError(t, l.Acquire(ctx, 3), "Acquire(ctx, 3)")
			a, b, c, d := startAcquire(l, 1), startAcquire(l, 1), startAcquire(l, 2), startAcquire(l, 1)
			l.Release(3)
			requireGranted(t, a, "first Acquire(1)")
			requireGranted(t, b, "second Acquire(1)")
			requireBlocked(t, c, "Acquire(2) with 1 free")
			requireBlocked(t, d, "Acquire(1) behind Acquire(2)")
			requireHeld(t, l, 2)
			l.Release(1)
			requireGranted(t, c, "Acquire(2) after Release(1)")
			requireBlocked(t, d, "Acquire(1) with none free")
			d.cancel()
			requireFailed(t, d, context.Canceled, "cancelled Acquire(1)")
			requireHeld(t, l, 3)
		})
	})

	t.Run("cancelling the head waiter wakes the requests behind it that fit", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := NewLimiter(4)
			require.NoError(t, l.Acquire(ctx, 2), "Acquire(ctx, 2)")
			big := startAcquire(l, 3)
			a, b, c := startAcquire(l, 1), startAcquire(l, 1), startAcquire(l, 1)
			requireBlocked(t, a, "Acquire(1) behind Acquire(3)")
			big.cancel()
			requireFailed(t, big, context.Canceled, "cancelled Acquire(3)")
			requireGranted(t, a, "first Acquire(1) after the head left")
			requireGranted(t, b, "second Acquire(1) after the head left")
			requireBlocked(t, c, "third Acquire(1) with none free")
			requireHeld(t, l, 4)
			l.Release(1)
			requireGranted(t, c, "third Acquire(1) after Release(1)")
		})
	})

	t.Run("cancelling a waiter behind the head keeps the order of the others", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := NewLimiter(2)
			require.NoError(t, l.Acquire(ctx, 2), "Acquire(ctx, 2)")
			a, b, c := startAcquire(l, 2), startAcquire(l, 1), startAcquire(l, 1)
			b.cancel()
			requireFailed(t, b, context.Canceled, "cancelled middle Acquire(1)")
			requireBlocked(t, a, "head Acquire(2)")
			requireBlocked(t, c, "last Acquire(1)")
			l.Release(1)
			requireBlocked(t, c, "last Acquire(1) behind Acquire(2) with 1 free")
			l.Release(1)
			requireGranted(t, a, "head Acquire(2)")
			requireBlocked(t, c, "last Acquire(1) with none free")
			c.cancel()
			requireFailed(t, c, context.Canceled, "cancelled last Acquire(1)")
			requireHeld(t, l, 2)
		})
	})

	t.Run("a request larger than the size waits for its context and blocks nobody", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := NewLimiter(2)
			start := time.Now()
			tctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			tooBig := make(chan error, 1)
			go func() { tooBig <- l.Acquire(tctx, 3) }()
			synctest.Wait()
			requireHeld(t, l, 0)
			require.True(t, l.TryAcquire(2), "TryAcquire(2) while Acquire(3) waits = false; want true")
			l.Release(2)
			a := startAcquire(l, 1)
			requireGranted(t, a, "Acquire(1) while Acquire(3) waits")
			err := <-tooBig
			require.ErrorIs(t, err, context.DeadlineExceeded, "Acquire(ctx, 3) on a Limiter of 2 = %v", err)
			require.Equal(t, time.Minute, time.Since(start), "Acquire(ctx, 3) returned after %v; want at the deadline", time.Since(start))
		})
	})

	t.Run("permits granted just after the context was cancelled are given back", func(t *testing.T) {
		// Cancel, then Release at once: the waiter, woken by the
		// cancellation, finds its permits granted or not, depending on
		// when it runs; either way it fails and they go to the next.
		for range 100 {
			synctest.Test(t, func(t *testing.T) {
				l := NewLimiter(2)
				require.NoError(t, l.Acquire(ctx, 2), "Acquire(ctx, 2)")
				p := startAcquire(l, 2)
				behind := startAcquire(l, 1)
				p.cancel()
				l.Release(2)
				requireFailed(t, p, context.Canceled, "Acquire(2) cancelled as it was granted")
				requireGranted(t, behind, "Acquire(1) behind it")
				requireHeld(t, l, 1)
			})
		}
	})

	t.Run("Release of more than held panics and changes nothing", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := NewLimiter(3)
			require.NoError(t, l.Acquire(ctx, 1), "Acquire(ctx, 1)")
			got := panicMessage(func() { l.Release(2) })
			require.Equal(t, "task: Limiter released more than held", got, "Release(2) holding 1 panicked with %v", got)
			requireHeld(t, l, 1)

			// The same with a waiter queued, which takes the locked path.
			require.NoError(t, l.Acquire(ctx, 2), "Acquire(ctx, 2)")
			p := startAcquire(l, 1)
			got = panicMessage(func() { l.Release(4) })
			require.Equal(t, "task: Limiter released more than held", got, "Release(4) holding 3 panicked with %v", got)
			requireHeld(t, l, 3)
			requireBlocked(t, p, "Acquire(1) after a failed Release")
			l.Release(3)
			requireGranted(t, p, "Acquire(1) after Release(3)")
		})
	})

	t.Run("a negative weight or a nil context panics", func(t *testing.T) {
		l := NewLimiter(1)
		var nilCtx context.Context // the misuse under test
		for _, c := range []struct {
			call string
			f    func()
			want string
		}{
			{"Acquire(ctx, -1)", func() { _ = l.Acquire(ctx, -1) }, "task: Limiter.Acquire with a negative weight (-1)"},
			{"TryAcquire(-2)", func() { l.TryAcquire(-2) }, "task: Limiter.TryAcquire with a negative weight (-2)"},
			{"Release(-3)", func() { l.Release(-3) }, "task: Limiter.Release with a negative weight (-3)"},
			{"Release(MinInt64)", func() { l.Release(math.MinInt64) }, "task: Limiter.Release with a negative weight (-9223372036854775808)"},
			{"Acquire(nil, 1)", func() { _ = l.Acquire(nilCtx, 1) }, "task: Limiter.Acquire called with a nil Context"},
		} {
			got := panicMessage(c.f)
			require.Equal(t, c.want, got, "%s panicked with %v", c.call, got)
		}
		requireHeld(t, l, 0)
	})

	t.Run("sizes and weights near MaxInt64 neither overflow nor wrap", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := NewLimiter(math.MaxInt64)
			require.True(t, l.TryAcquire(math.MaxInt64), "TryAcquire(MaxInt64) = false; want true")
			require.False(t, l.TryAcquire(1), "TryAcquire(1) with none free = true; want false")
			got := panicMessage(func() { l.Release(math.MaxInt64 - 1) })
			require.Nil(t, got, "Release(MaxInt64-1) panicked with %v", got)
			requireHeld(t, l, 1)
			big := startAcquire(l, math.MaxInt64)
			requireBlocked(t, big, "Acquire(MaxInt64) holding 1")
			require.False(t, l.TryAcquire(math.MaxInt64-1), "TryAcquire(MaxInt64-1) behind Acquire(MaxInt64) = true; want false")
			got = panicMessage(func() { l.Release(math.MaxInt64) })
			require.Equal(t, "task: Limiter released more than held", got, "Release(MaxInt64) holding 1 panicked with %v", got)
			l.Release(1)
			requireGranted(t, big, "Acquire(MaxInt64) after Release(1)")
			requireHeld(t, l, math.MaxInt64)
			got = panicMessage(func() { l.Release(math.MaxInt64) })
			require.Nil(t, got, "Release(MaxInt64) holding MaxInt64 panicked with %v", got)
			requireHeld(t, l, 0)

			small := NewLimiter(1)
			got = panicMessage(func() { small.Release(math.MaxInt64) })
			require.Equal(t, "task: Limiter released more than held", got, "Release(MaxInt64) holding 0 panicked with %v", got)
			tctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			err := small.Acquire(tctx, math.MaxInt64)
			require.ErrorIs(t, err, context.DeadlineExceeded, "Acquire(ctx, MaxInt64) on a Limiter of 1 = %v", err)
			requireHeld(t, small, 0)
		})
	})

	t.Run("ten thousand waiters are granted in the order they came", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			const n = 10_000
			l := NewLimiter(1)
			require.NoError(t, l.Acquire(ctx, 1), "Acquire(ctx, 1)")
			var order []int
			var mu sync.Mutex
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					if err := l.Acquire(ctx, 1); err != nil {
						t.Errorf("Acquire(ctx, 1) = %v; want nil", err)
						return
					}
					mu.Lock()
					order = append(order, i)
					mu.Unlock()
					l.Release(1)
				})
				synctest.Wait() // queued: the next one comes after it
			}
			l.mu.Lock()
			queued := len(waitersOf(l))
			l.mu.Unlock()
			require.Equal(t, n, queued, "waiters queued = %d; want %d", queued, n)
			l.Release(1)
			wg.Wait()
			require.Len(t, order, n, "grants = %d; want %d", len(order), n)
			for i, got := range order {
				if got != i {
					require.Equal(t, i, got, "grant %d went to waiter %d; want %d", i, got, i)
				}
			}
			requireHeld(t, l, 0)
		})
	})

	t.Run("a million calls in random amounts leave nothing held", func(t *testing.T) {
		l := NewLimiter(1 << 20)
		r := rand.New(rand.NewPCG(1, 2))
		var held int64
		for range 1_000_000 {
			switch n := r.Int64N(8); {
			case r.IntN(2) == 0 && n <= held:
				l.Release(n)
				held -= n
			case l.TryAcquire(n):
				held += n
			default:
				require.Greater(t, held+n, int64(1<<20), "TryAcquire(%d) holding %d = false; want true", n, held)
			}
		}
		l.Release(held)
		requireHeld(t, l, 0)
	})
}

// waitersOf lists the queue; mu is held.
func waitersOf(l *Limiter) []*limiterWaiter {
	var ws []*limiterWaiter
	for w := l.head; w != nil; w = w.next {
		ws = append(ws, w)
	}
	return ws
}

// TestLimiterAcquireDone covers acquire, the form Group uses with its own
// done channel.
func TestLimiterAcquireDone(t *testing.T) {
	t.Run("with a nil done it waits until granted", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := NewLimiter(1)
			require.True(t, l.acquire(nil, 1), "acquire(nil, 1) = false; want true")
			got := make(chan bool, 1)
			go func() { got <- l.acquire(nil, 1) }()
			synctest.Wait()
			require.Empty(t, got, "acquire(nil, 1) with none free returned; want it blocked")
			l.Release(1)
			require.True(t, <-got, "acquire(nil, 1) after Release(1) = false; want true")
			requireHeld(t, l, 1)
		})
	})

	t.Run("with a closed done it takes nothing", func(t *testing.T) {
		l := NewLimiter(1)
		done := make(chan struct{})
		close(done)
		require.False(t, l.acquire(done, 1), "acquire(closed, 1) with 1 free = true; want false")
		requireHeld(t, l, 0)
	})

	t.Run("a done closed while waiting takes nothing", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := NewLimiter(1)
			require.True(t, l.TryAcquire(1), "TryAcquire(1) = false; want true")
			done := make(chan struct{})
			got := make(chan bool, 1)
			go func() { got <- l.acquire(done, 1) }()
			synctest.Wait()
			close(done)
			require.False(t, <-got, "acquire(done, 1) after close(done) = true; want false")
			requireHeld(t, l, 1)
		})
	})
}

// TestLimiterWaitGrantedAndDone puts a waiter in the state no schedule can
// be made to produce on demand: granted, and its done closed, before it
// looks. Its select then takes either branch at random; both must fail and
// give the permits back.
func TestLimiterWaitGrantedAndDone(t *testing.T) {
	for range 100 {
		l := NewLimiter(2)
		require.True(t, l.TryAcquire(2), "TryAcquire(2) = false; want true") // the grant
		w := &limiterWaiter{n: 2, ready: make(chan struct{}, 1)}
		w.ready <- struct{}{}
		done := make(chan struct{})
		close(done)
		require.False(t, l.wait(w, done), "wait(granted, done) = true; want false")
		requireHeld(t, l, 0)
	}
}

// acquireViaDone is Acquire with the plain done check in its fast path:
// ctx.Done(), then a receive that does not block, as acquire makes for a
// caller that has only a channel. BenchmarkLimiterDoneCheck measures it
// against Acquire, which calls ctx.Err() instead.
func (l *Limiter) acquireViaDone(ctx context.Context, n int64) error {
	if l.acquire(ctx.Done(), n) {
		return nil
	}
	return ctx.Err()
}

// BenchmarkLimiterDoneCheck backs the done check of Acquire's fast path,
// uncontended, with a context that can be cancelled: err is Acquire, done is
// acquireViaDone.
func BenchmarkLimiterDoneCheck(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	run := func(b *testing.B, acquire func(l *Limiter, ctx context.Context, n int64) error) {
		l := NewLimiter(10)
		for b.Loop() {
			if err := acquire(l, ctx, 1); err != nil {
				b.Fatalf("Acquire(ctx, 1) = %v; want nil", err)
			}
			l.Release(1)
		}
	}
	b.Run("err", func(b *testing.B) { run(b, (*Limiter).Acquire) })
	b.Run("done", func(b *testing.B) { run(b, (*Limiter).acquireViaDone) })
}

// TestLimiterUncontendedPathIsFree pins what the doc comment of acquire
// promises: no allocation when the permits are free.
func TestLimiterUncontendedPathIsFree(t *testing.T) {
	l := NewLimiter(4)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	allocs := testing.AllocsPerRun(1000, func() {
		if err := l.Acquire(ctx, 2); err != nil {
			t.Fatalf("Acquire(ctx, 2) = %v; want nil", err)
		}
		if !l.TryAcquire(1) {
			t.Fatal("TryAcquire(1) = false; want true")
		}
		l.Release(3)
	})
	require.Zero(t, allocs, "Acquire+TryAcquire+Release allocated %v times; want 0", allocs)
}

// TestLimiterStress runs goroutines that acquire (some with contexts that
// are cancelled under them), try, hold and release random weights, and
// checks that the weight held at once never exceeds the size, that nothing
// is held once they are done, and that every Acquire returned.
func TestLimiterStress(t *testing.T) {
	const size, goroutines, rounds = 6, 24, 400
	l := NewLimiter(size)
	var inUse atomic.Int64
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 7))
			for range rounds {
				n := r.Int64N(size + 1)
				ctx, cancel := context.WithCancel(context.Background())
				var ok bool
				switch r.IntN(4) {
				case 0:
					ok = l.TryAcquire(n)
				case 1:
					go cancel() // races with the grant
					ok = l.Acquire(ctx, n) == nil
				default:
					ok = l.Acquire(ctx, n) == nil
				}
				cancel()
				if !ok {
					continue
				}
				if now := inUse.Add(n); now > size {
					t.Errorf("weight held at once = %d; want at most %d", now, size)
				}
				if r.IntN(4) == 0 {
					time.Sleep(time.Microsecond)
				}
				inUse.Add(-n)
				l.Release(n)
			}
		})
	}
	wg.Wait()
	requireHeld(t, l, 0)
	require.True(t, l.TryAcquire(size), "TryAcquire(%d) after the stress = false; want true", size)
}

// TestLimiterReleaseRacingWithEnqueue targets the window between an
// Acquire's last try and its joining the queue: a Release in that window is
// not told about the waiter, which must still be granted (the waiter grants
// itself what fits once queued). Each round, one goroutine releases the only
// permit while another asks for it; a lost wake-up leaves the second blocked
// and the round fails at its deadline.
func TestLimiterReleaseRacingWithEnqueue(t *testing.T) {
	l := NewLimiter(1)
	for i := range 20_000 {
		require.True(t, l.TryAcquire(1), "round %d: TryAcquire(1) = false; want true", i)
		go l.Release(1)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := l.Acquire(ctx, 1)
		cancel()
		require.NoError(t, err, "round %d: Acquire(ctx, 1) while the permit is released = %v; want nil", i, err)
		l.Release(1)
	}
}

// TestLimiterLargeRequestIsNotStarved is x/sync's starvation test made
// deterministic: holders of one permit each keep releasing and taking it
// again, and a request for all permits is still granted, as soon as the
// permits held when it came are released.
func TestLimiterLargeRequestIsNotStarved(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n = 4
		ctx := context.Background()
		l := NewLimiter(n)
		var stop atomic.Bool
		var wg sync.WaitGroup
		for i := range n {
			require.NoError(t, l.Acquire(ctx, 1), "Acquire(ctx, 1)")
			wg.Go(func() {
				for !stop.Load() {
					time.Sleep(time.Duration(i+1) * time.Millisecond)
					l.Release(1)
					if err := l.Acquire(ctx, 1); err != nil {
						t.Errorf("Acquire(ctx, 1) = %v; want nil", err)
						return
					}
				}
				l.Release(1)
			})
		}
		start := time.Now()
		require.NoError(t, l.Acquire(ctx, n), "Acquire(ctx, %d)", n)
		// The slowest holder releases after n ms; none retakes before.
		require.Equal(t, n*time.Millisecond, time.Since(start), "Acquire(ctx, %d) granted after %v; want %v", n, time.Since(start), n*time.Millisecond)
		stop.Store(true)
		l.Release(n)
		wg.Wait()
		requireHeld(t, l, 0)
	})
}
