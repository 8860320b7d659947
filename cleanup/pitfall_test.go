package cleanup

// Each test here pins what Go really does for one row of pitfalls.md,
// section B, and how this package answers it.

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// failingFile is a file being written whose Close reports that the data did
// not reach the disk.
type failingFile struct{ closed bool }

var errNotWritten = errors.New("write back failed")

func (f *failingFile) Close() error { f.closed = true; return errNotWritten }

func TestPitfallB1DeferredCloseErrorIsDroppedUnlessFolded(t *testing.T) {
	dropped := func(f *failingFile) error {
		defer f.Close() //nolint:errcheck // the pitfall itself: the Close error is dropped
		return nil
	}
	kept := func(f *failingFile) (err error) {
		defer Close(&err, f)
		return nil
	}
	f := &failingFile{}
	require.NoError(t, dropped(f), "plain defer f.Close() drops the error")
	require.True(t, f.closed)
	require.ErrorIs(t, kept(&failingFile{}), errNotWritten)
}

func TestPitfallB2DeferredClosureChangesNamedResultAfterReturn(t *testing.T) {
	e := errors.New("E")
	named := func() (err error) {
		defer func() {
			if err == nil {
				err = e
			}
		}()
		return nil
	}
	require.Same(t, e, named(), "return assigns the result first, then the deferred call changes it")

	unnamed := func() error {
		var err error
		defer func() { err = e }()
		return err
	}
	require.NoError(t, unnamed(), "with an unnamed result the deferred call cannot change what is returned")
}

func TestPitfallB3AllLoopDefersRunLIFOButPileUp(t *testing.T) {
	var order []int
	open, maxOpen := 0, 0
	withDefer := func() {
		for i := range 5 {
			open++
			maxOpen = max(maxOpen, open)
			defer func() { open--; order = append(order, i) }()
		}
		require.Equal(t, 5, open, "no deferred call has run before the function returns")
	}
	withDefer()
	require.Equal(t, []int{4, 3, 2, 1, 0}, order, "every deferred call runs, last in first out")
	require.Equal(t, 5, maxOpen)

	open, maxOpen = 0, 0
	for range 5 {
		err := Scope(func(s *Stack) error {
			open++
			maxOpen = max(maxOpen, open)
			s.PushFunc(func() { open-- })
			return nil
		})
		require.NoError(t, err)
	}
	require.Equal(t, 1, maxOpen, "with a Stack per iteration resources do not pile up")
	require.Zero(t, open)
}

// deferInc is small enough to inline but for its defer; the compiler (as of
// Go 1.26) does not inline a function with a defer ("unhandled op DEFER"),
// and an inlined one would have to keep the defer's semantics anyway.
func deferInc(x *int) int {
	defer func() { *x++ }()
	return *x
}

// inc is inlinable, and is deferred below: the deferred call still runs.
func inc(x *int) { *x++ }

func TestPitfallB4InliningNeverDropsADefer(t *testing.T) {
	x := 0
	require.Equal(t, 0, deferInc(&x), "the result is read before the deferred call runs")
	require.Equal(t, 1, x, "the deferred call ran")

	func() {
		defer inc(&x)
	}()
	require.Equal(t, 2, x, "a deferred call of an inlinable function runs")
}

func TestPitfallB5PanicInDeferredCallReplacesPanicInFlight(t *testing.T) {
	var got any
	func() {
		defer func() { got = recover() }()
		defer func() { panic("second") }()
		panic("first")
	}()
	require.Equal(t, "second", got, "recover sees only the latest panic; the first value is lost")

	var s Stack
	s.PushFunc(func() { panic("first") })
	s.PushFunc(func() { panic("second") })
	err := s.Release()
	joined := err.(interface{ Unwrap() []error }).Unwrap()
	require.Len(t, joined, 2, "a Stack keeps every panic")
	require.Equal(t, "second", joined[0].(*PanicError).Value)
	require.Equal(t, "first", joined[1].(*PanicError).Value)
}

// recoverIndirectly calls recover from a function that is not itself the
// deferred call.
func recoverIndirectly() any { return recover() }

func TestPitfallB6RecoverMustBeCalledByTheDeferredFunction(t *testing.T) {
	var got any = "unset"
	require.PanicsWithValue(t, "boom", func() {
		defer func() { got = recoverIndirectly() }()
		panic("boom")
	}, "recover called one level down does not stop the panic")
	require.Nil(t, got)

	require.PanicsWithValue(t, "boom", func() {
		var err error
		defer func() { Recover(&err) }() // wrapped: recovers nothing
		panic("boom")
	})

	f := func() (err error) {
		defer Recover(&err) // deferred directly: recovers
		panic("boom")
	}
	var pe *PanicError
	require.ErrorAs(t, f(), &pe)
}

func TestPitfallB7GoexitRunsDeferredCallsOsExitDoesNot(t *testing.T) {
	if os.Getenv("CLEANUP_B7_EXIT") == "1" {
		defer os.WriteFile(os.Getenv("CLEANUP_B7_FILE"), []byte("deferred call ran"), 0o600) //nolint:errcheck // never runs: os.Exit skips it
		os.Exit(3)
	}

	ran := make(chan bool)
	go func() {
		defer func() { ran <- true }()
		runtime.Goexit()
	}()
	require.True(t, <-ran, "runtime.Goexit runs deferred calls")

	if testing.Short() {
		t.Skip("os.Exit half starts a process")
	}
	mark := filepath.Join(t.TempDir(), "mark")
	cmd := exec.Command(os.Args[0], "-test.run=^TestPitfallB7GoexitRunsDeferredCallsOsExitDoesNot$")
	cmd.Env = append(os.Environ(), "CLEANUP_B7_EXIT=1", "CLEANUP_B7_FILE="+mark)
	err := cmd.Run()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	require.Equal(t, 3, exit.ExitCode())
	_, statErr := os.Stat(mark)
	require.ErrorIs(t, statErr, os.ErrNotExist, "os.Exit skipped the deferred call")
}

func TestPitfallB8DoubleAndConcurrentRelease(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	require.NoError(t, err)
	require.NoError(t, f.Close())
	require.ErrorIs(t, f.Close(), os.ErrClosed, "a second Close of an *os.File fails")

	g, err := os.Create(filepath.Join(t.TempDir(), "g"))
	require.NoError(t, err)
	r := NewReleaser(g.Close)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { errs[i] = r.Close() })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err, "every caller gets the first Close's result")
	}
	require.NoError(t, r.Close())
}
