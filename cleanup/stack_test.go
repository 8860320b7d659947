package cleanup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var _ io.Closer = (*Stack)(nil)

// closer is an io.Closer that records its name and returns err.
type closer struct {
	name string
	log  *[]string
	err  error
}

func (c closer) Close() error { *c.log = append(*c.log, c.name); return c.err }

func TestStack(t *testing.T) {
	t.Run("release runs every kind of step last in first out", func(t *testing.T) {
		var log []string
		var s Stack
		require.True(t, s.Push(func() error { log = append(log, "push"); return nil }))
		require.True(t, s.PushFunc(func() { log = append(log, "func") }))
		require.True(t, s.PushCloser(closer{"closer", &log, nil}))
		require.True(t, s.PushCloser(NewReleaser(func() error { log = append(log, "releaser"); return nil })))
		require.NoError(t, s.Release())
		require.Equal(t, []string{"releaser", "closer", "func", "push"}, log)
		require.True(t, s.Released())
	})

	t.Run("the zero stack releases to nil", func(t *testing.T) {
		var s Stack
		require.NoError(t, s.Release())
		require.NoError(t, s.Close())
		<-s.Done()
	})

	t.Run("one error is returned as itself", func(t *testing.T) {
		want := errors.New("only")
		var s Stack
		s.Push(func() error { return nil })
		s.Push(func() error { return want })
		err := s.Release()
		require.Same(t, want, err, "Release() = %v; want %v", err, want)
	})

	t.Run("several errors are joined in the order the steps ran", func(t *testing.T) {
		e1, e2 := errors.New("first pushed"), errors.New("second pushed")
		var s Stack
		s.Push(func() error { return e1 })
		s.PushFunc(func() { panic("in the middle") })
		s.Push(func() error { return e2 })
		err := s.Release()
		require.ErrorIs(t, err, e1)
		require.ErrorIs(t, err, e2)
		var pe *PanicError
		require.ErrorAs(t, err, &pe)
		require.Equal(t, "in the middle", pe.Value)
		joined := err.(interface{ Unwrap() []error }).Unwrap()
		require.Len(t, joined, 3)
		require.Same(t, e2, joined[0])
		require.Same(t, e1, joined[2])
	})

	t.Run("release is idempotent", func(t *testing.T) {
		calls := 0
		var s Stack
		s.Push(func() error { calls++; return errors.New("x") })
		err := s.Release()
		require.Same(t, err, s.Release())
		require.Equal(t, 1, calls)
	})

	t.Run("more than eight steps spill and still run in order", func(t *testing.T) {
		var got []int
		var s Stack
		for i := range 20 {
			s.PushFunc(func() { got = append(got, i) })
		}
		require.NoError(t, s.Release())
		require.Len(t, got, 20)
		for i, v := range got {
			require.Equal(t, 19-i, v)
		}
	})

	t.Run("a step pushed after release runs at once and says so", func(t *testing.T) {
		var s Stack
		require.NoError(t, s.Release())
		ran := false
		require.False(t, s.PushFunc(func() { ran = true }), "PushFunc after release reports the step kept")
		require.True(t, ran, "a step pushed after release did not run at once")
		require.NoError(t, s.Release(), "a late step that succeeds adds no error")

		want := errors.New("late")
		require.False(t, s.Push(func() error { return want }))
		err := s.Release()
		require.ErrorIs(t, err, ErrReleased)
		require.ErrorIs(t, err, want)
		require.Same(t, err, s.Release(), "Release returns the same error until another late step fails")

		require.False(t, s.PushCloser(closer{"c", new([]string), errors.New("close failed")}))
		require.False(t, s.PushFunc(func() { panic("late panic") }))
		err2 := s.Release()
		var pe *PanicError
		require.ErrorAs(t, err2, &pe)
		require.Equal(t, "late panic", pe.Value)
		require.ErrorIs(t, err2, want, "an earlier late error stays")
		require.ErrorContains(t, err2, "close failed")
	})

	t.Run("a step pushed late that calls Goexit is recorded, and its goroutine exits", func(t *testing.T) {
		var s Stack
		require.NoError(t, s.Release())
		exited := make(chan bool)
		go func() {
			returned := false
			defer func() { exited <- !returned }()
			s.PushFunc(runtime.Goexit)
			returned = true
		}()
		require.True(t, <-exited, "the pushing goroutine did not exit")
		err := s.Release()
		require.ErrorIs(t, err, ErrReleased)
		require.ErrorIs(t, err, ErrGoexit)
	})

	t.Run("a step pushed while the release runs adds its error to the first caller's result", func(t *testing.T) {
		var s Stack
		want := errors.New("late while running")
		s.PushFunc(func() {
			// Pushed from inside a step: the stack is running.
			require.False(t, s.Push(func() error { return want }))
		})
		err := s.Release()
		require.ErrorIs(t, err, want)
		require.ErrorIs(t, err, ErrReleased)
		require.Same(t, err, s.Release())
	})

	t.Run("nil steps panic", func(t *testing.T) {
		var s Stack
		require.PanicsWithValue(t, "cleanup: Stack.Push of a nil function", func() { s.Push(nil) })
		require.PanicsWithValue(t, "cleanup: Stack.PushFunc of a nil function", func() { s.PushFunc(nil) })
		require.PanicsWithValue(t, "cleanup: Stack.PushCloser of a nil io.Closer", func() { s.PushCloser(nil) })
	})

	t.Run("disarm keeps the steps in a new stack", func(t *testing.T) {
		var log []string
		var s Stack
		for i := range 10 {
			s.PushCloser(closer{fmt.Sprint(i), &log, nil})
		}
		kept := s.Disarm()
		require.NoError(t, s.Release())
		require.Empty(t, log)
		require.NoError(t, kept.Release())
		require.Equal(t, "9 8 7 6 5 4 3 2 1 0", strings.Join(log, " "))
		require.NoError(t, s.Disarm().Release(), "Disarm() of a released stack")
	})

	t.Run("Done is closed when the release finishes", func(t *testing.T) {
		var s Stack
		d := s.Done()
		select {
		case <-d:
			t.Fatal("Done() closed before release")
		default:
		}
		require.NoError(t, s.Release())
		<-d
		require.True(t, s.Released())
	})
}

func TestStackGoexit(t *testing.T) {
	t.Run("steps after a Goexit still run and the others get every error", func(t *testing.T) {
		var log []string
		e1 := errors.New("e1")
		var s Stack
		s.Push(func() error { log = append(log, "a"); return e1 })
		s.PushFunc(func() { log = append(log, "b"); panic("p") })
		s.PushFunc(func() { log = append(log, "c"); runtime.Goexit() })
		s.PushFunc(func() { log = append(log, "d"); runtime.Goexit() })
		s.PushFunc(func() { log = append(log, "e") })
		exited := make(chan bool)
		go func() {
			defer func() { exited <- true }()
			_ = s.Release()
			exited <- false
		}()
		require.True(t, <-exited, "Release returned to a goroutine that called Goexit")
		require.Equal(t, []string{"e", "d", "c", "b", "a"}, log)
		err := s.Release()
		require.ErrorIs(t, err, e1)
		require.ErrorIs(t, err, ErrGoexit)
		joined := err.(interface{ Unwrap() []error }).Unwrap()
		require.Len(t, joined, 4)
	})
}

func TestStackConcurrent(t *testing.T) {
	t.Run("concurrent pushes and releases run every step exactly once", func(t *testing.T) {
		for range 200 {
			var s Stack
			var ran atomic.Int32
			var wg sync.WaitGroup
			var late atomic.Int32
			for range 8 {
				wg.Go(func() {
					for range 4 {
						if !s.PushFunc(func() { ran.Add(1) }) {
							late.Add(1)
						}
					}
				})
			}
			wg.Go(func() { _ = s.Release() })
			wg.Go(func() { _ = s.Release() })
			wg.Wait()
			require.NoError(t, s.Release())
			require.EqualValues(t, 32, ran.Load())
		}
	})

	t.Run("pushes racing disarm, Done and release each run exactly once", func(t *testing.T) {
		for range 200 {
			var s Stack
			var ran atomic.Int32
			var wg sync.WaitGroup
			kept := make(chan *Stack, 1)
			for range 4 {
				wg.Go(func() {
					for range 5 {
						s.PushFunc(func() { ran.Add(1) })
					}
				})
			}
			wg.Go(func() { kept <- s.Disarm() })
			wg.Go(func() { <-s.Done() })
			wg.Go(func() { _ = s.Released() })
			wg.Go(func() { _ = s.Release() })
			wg.Wait()
			require.NoError(t, (<-kept).Release())
			require.True(t, s.Released())
			require.EqualValues(t, 20, ran.Load())
		}
	})

	t.Run("callers arriving during release wait for it", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			gate := make(chan struct{})
			want := errors.New("w")
			var s Stack
			s.Push(func() error { <-gate; return want })
			errs := make(chan error, 3)
			for range 3 {
				go func() { errs <- s.Release() }()
			}
			synctest.Wait()
			require.False(t, s.Released())
			d := s.Done()
			close(gate)
			for range 3 {
				require.Same(t, want, <-errs)
			}
			<-d
		})
	})
}

func TestStackReleaseWhenDone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		var s Stack
		ran := false
		s.PushFunc(func() { ran = true })
		stop := s.ReleaseWhenDone(ctx)
		cancel()
		synctest.Wait()
		require.True(t, ran)
		require.False(t, stop())
	})
}

func TestScope(t *testing.T) {
	t.Run("the stack is released when the body returns", func(t *testing.T) {
		bodyErr, stepErr := errors.New("body"), errors.New("step")
		released := false
		err := Scope(func(s *Stack) error {
			s.Push(func() error { released = true; return stepErr })
			return bodyErr
		})
		require.True(t, released)
		require.ErrorIs(t, err, bodyErr)
		require.ErrorIs(t, err, stepErr)
	})

	t.Run("the stack is released when the body panics", func(t *testing.T) {
		released := false
		require.PanicsWithValue(t, "body", func() {
			_ = Scope(func(s *Stack) error {
				s.PushFunc(func() { released = true })
				panic("body")
			})
		})
		require.True(t, released)
	})
}

func TestStackInATest(t *testing.T) {
	t.Run("a stack bound with t.Cleanup is released when the test ends", func(t *testing.T) {
		released := false
		t.Run("inner", func(t *testing.T) {
			var s Stack
			t.Cleanup(func() { require.NoError(t, s.Release()) })
			s.PushFunc(func() { released = true })
			assert.False(t, released)
		})
		require.True(t, released)
	})
}

func TestStackDoesNotAllocate(t *testing.T) {
	f := func() error { return nil }
	n := testing.AllocsPerRun(100, func() {
		var s Stack
		for range 8 {
			s.Push(f)
		}
		_ = s.Release()
	})
	if n != 0 {
		t.Errorf("8 pushes and a release allocate %v times; want 0", n)
	}
}

// TestStackLockContention holds a Stack's lock from the test to drive every
// operation down its waiting path; the outcome does not depend on timing.
func TestStackLockContention(t *testing.T) {
	hold := func(s *Stack, st stackState, f func()) {
		got := s.w.lock()
		require.Equal(t, st, got)
		done := make(chan struct{})
		go func() { defer close(done); f() }()
		time.Sleep(time.Millisecond) // let f find the lock taken
		s.w.unlock(st)
		<-done
	}

	var s Stack
	var log []int
	for i := range 8 {
		hold(&s, open, func() { require.True(t, s.PushFunc(func() { log = append(log, i) })) })
	}
	gate := make(chan struct{})
	hold(&s, open, func() { require.True(t, s.Push(func() error { <-gate; return nil })) })

	released := make(chan error)
	hold(&s, open, func() { go func() { released <- s.Release() }() })
	for s.w.state() != running {
		runtime.Gosched()
	}
	hold(&s, running, func() { close(gate); time.Sleep(time.Millisecond) })
	require.NoError(t, <-released)
	require.Equal(t, []int{7, 6, 5, 4, 3, 2, 1, 0}, log)
	require.True(t, s.Released())
}
