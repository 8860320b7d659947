package cleanup

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// errCloser is an io.Closer that counts calls and returns err.
type errCloser struct {
	err   error
	calls int
}

func (c *errCloser) Close() error { c.calls++; return c.err }

func TestClose(t *testing.T) {
	errWork, errClose := errors.New("work"), errors.New("close")
	run := func(work, closeErr error) error {
		f := func() (err error) {
			defer Close(&err, &errCloser{err: closeErr})
			return work
		}
		return f()
	}

	t.Run("no error stays nil", func(t *testing.T) {
		require.NoError(t, run(nil, nil))
	})
	t.Run("a close error alone is returned as itself", func(t *testing.T) {
		require.Same(t, errClose, run(nil, errClose))
	})
	t.Run("a nil close error never replaces a real error", func(t *testing.T) {
		require.Same(t, errWork, run(errWork, nil))
	})
	t.Run("both errors are kept when both failed", func(t *testing.T) {
		err := run(errWork, errClose)
		require.ErrorIs(t, err, errWork)
		require.ErrorIs(t, err, errClose)
	})
	t.Run("a nil error pointer panics", func(t *testing.T) {
		require.PanicsWithValue(t, "cleanup: Close with a nil error pointer", func() { Close(nil, &errCloser{}) })
		require.Panics(t, func() { Closef(nil, &errCloser{}, "x") })
		require.Panics(t, func() { Call(nil, func() error { return nil }) })
		require.Panics(t, func() { CloseOnError(nil, &errCloser{}) })
	})
}

func TestClosef(t *testing.T) {
	errClose := errors.New("disk full")
	f := func() (err error) {
		defer Closef(&err, &errCloser{err: errClose}, "closing %s", "out.txt")
		return nil
	}
	err := f()
	require.ErrorIs(t, err, errClose)
	require.EqualError(t, err, "closing out.txt: disk full")

	g := func() (err error) {
		defer Closef(&err, &errCloser{}, "closing %s", "out.txt")
		return nil
	}
	require.NoError(t, g())
}

func TestCall(t *testing.T) {
	want := errors.New("flush")
	f := func() (err error) {
		defer Call(&err, func() error { return want })
		return nil
	}
	require.Same(t, want, f())
}

func TestCloseOnError(t *testing.T) {
	t.Run("success keeps the resource", func(t *testing.T) {
		c := &errCloser{}
		f := func() (err error) {
			defer CloseOnError(&err, c)
			return nil
		}
		require.NoError(t, f())
		require.Zero(t, c.calls)
	})
	t.Run("failure closes it and keeps both errors", func(t *testing.T) {
		errWork, errClose := errors.New("work"), errors.New("close")
		c := &errCloser{err: errClose}
		f := func() (err error) {
			defer CloseOnError(&err, c)
			return errWork
		}
		err := f()
		require.Equal(t, 1, c.calls)
		require.ErrorIs(t, err, errWork)
		require.ErrorIs(t, err, errClose)
	})
}

func TestRecover(t *testing.T) {
	t.Run("a panic becomes a PanicError with its stack in the named result", func(t *testing.T) {
		f := func() (err error) {
			defer Recover(&err)
			panic("oops")
		}
		err := f()
		var pe *PanicError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "oops", pe.Value)
		assert.Contains(t, string(pe.Stack), "deferred_test.go")
		assert.Contains(t, err.Error(), "panic: oops [recovered]")
	})
	t.Run("no panic leaves the result alone", func(t *testing.T) {
		want := errors.New("plain")
		f := func() (err error) {
			defer Recover(&err)
			return want
		}
		require.Same(t, want, f())
	})
	t.Run("an error set by an earlier deferred call is kept", func(t *testing.T) {
		errClose := errors.New("close")
		panicErr := errors.New("panic value")
		f := func() (err error) {
			defer Recover(&err)
			defer Close(&err, &errCloser{err: errClose})
			panic(panicErr)
		}
		err := f()
		require.ErrorIs(t, err, errClose)
		require.ErrorIs(t, err, panicErr, "the panic value, an error, is matchable through the PanicError")
	})
	t.Run("a nil error pointer panics when there is a panic to store", func(t *testing.T) {
		require.PanicsWithValue(t, "cleanup: Recover with a nil error pointer", func() {
			defer Recover(nil)
			panic("x")
		})
		require.NotPanics(t, func() { defer Recover(nil) })
	})
}
