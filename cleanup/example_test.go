package cleanup_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/boundgo/bound/cleanup"
)

// A Releaser makes a release safe to call twice, or from many goroutines:
// the function runs once and every caller gets its result.
func ExampleReleaser() {
	conn := cleanup.NewReleaser(func() error {
		fmt.Println("closing the connection")
		return errors.New("connection reset")
	})

	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() { _ = conn.Release() })
	}
	wg.Wait()

	fmt.Println(conn.Released(), conn.Close()) // Close is Release
	// Output:
	// closing the connection
	// true connection reset
}

func ExampleNewReleaser() {
	var zero cleanup.Releaser // no function: releasing does nothing
	fmt.Println(zero.Release())

	r := cleanup.NewReleaser(func() error { panic("double free") })
	err := r.Release()
	var pe *cleanup.PanicError
	fmt.Println(errors.As(err, &pe), pe.Value, r.Release() == err)
	// Output:
	// <nil>
	// true double free true
}

// Done is for select; it does not start the release.
func ExampleReleaser_Done() {
	r := cleanup.NewReleaser(nil)
	select {
	case <-r.Done():
		fmt.Println("released")
	default:
		fmt.Println("not yet")
	}
	if err := r.Release(); err != nil {
		fmt.Println(err)
	}
	<-r.Done()
	fmt.Println("released")
	// Output:
	// not yet
	// released
}

// A Goexit in the release function (t.FailNow, say) ends the goroutine that
// ran it; other callers get an error that says so instead of hanging.
func ExampleReleaser_Release() {
	r := cleanup.NewReleaser(func() error { runtime.Goexit(); return nil })
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = r.Release() // does not return: the Goexit goes on
	}()
	<-done
	fmt.Println(errors.Is(r.Release(), cleanup.ErrGoexit))
	// Output:
	// true
}

func ExampleReleaser_ReleaseWhenDone() {
	ctx, cancel := context.WithCancel(context.Background())
	r := cleanup.NewReleaser(func() error { fmt.Println("released"); return nil })
	stop := r.ReleaseWhenDone(ctx)
	cancel()
	<-r.Done()
	// stop waits for a release already running, then reports it did not stop it.
	fmt.Println(stop())
	// Output:
	// released
	// false
}

func ExampleStack() {
	var s cleanup.Stack
	s.PushFunc(func() { fmt.Println("unlock") })
	s.Push(func() error { return errors.New("flush failed") })
	s.PushFunc(func() { panic("bug in a cleanup step") })
	s.PushCloser(io.NopCloser(nil))

	err := s.Release() // runs every step, last pushed first
	var pe *cleanup.PanicError
	fmt.Println(errors.As(err, &pe), pe.Value)
	fmt.Println(strings.Contains(err.Error(), "flush failed"))

	kept := s.PushFunc(func() { fmt.Println("late step runs at once") })
	fmt.Println(kept)
	// Output:
	// unlock
	// true bug in a cleanup step
	// true
	// late step runs at once
	// false
}

// Release returns nil, the one error itself, or every error joined.
func ExampleStack_Release() {
	errA, errB := errors.New("a failed"), errors.New("b failed")

	var one cleanup.Stack
	one.Push(func() error { return errA })
	fmt.Println(one.Release() == errA)

	var two cleanup.Stack
	two.Push(func() error { return errA })
	two.Push(func() error { return errB })
	err := two.Release()
	fmt.Println(errors.Is(err, errA), errors.Is(err, errB))
	fmt.Println(err)
	// Output:
	// true
	// true true
	// b failed
	// a failed
}

// Files bundles open files.
type Files struct {
	All    []*os.File
	closer *cleanup.Stack
}

func (f *Files) Close() error { return f.closer.Close() }

// openAll opens every name; if one open fails, the files already open are
// closed and the error is returned.
func openAll(names ...string) (_ *Files, err error) {
	var s cleanup.Stack
	defer cleanup.Close(&err, &s) // releases whatever is still on s
	var files []*os.File
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		s.PushCloser(f)
		files = append(files, f)
		opened = append(opened, f)
	}
	return &Files{All: files, closer: s.Disarm()}, nil // success: keep them
}

var opened []*os.File // for the example's output only

// The constructor that opens three files: if the third fails, the first two
// are closed.
func ExampleStack_Disarm() {
	dir, err := os.MkdirTemp("", "cleanup-example")
	if err != nil {
		panic(err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := errors.Join(os.WriteFile(a, nil, 0o600), os.WriteFile(b, nil, 0o600)); err != nil {
		panic(err)
	}

	_, err = openAll(a, b, filepath.Join(dir, "missing"))
	fmt.Println(errors.Is(err, os.ErrNotExist))
	for _, f := range opened {
		_, statErr := f.Stat()
		fmt.Println(filepath.Base(f.Name()), "closed:", errors.Is(statErr, os.ErrClosed))
	}

	opened = nil
	files, err := openAll(a, b, a)
	fmt.Println(err, len(files.All))
	_, statErr := files.All[0].Stat()
	fmt.Println("kept open:", statErr == nil)
	fmt.Println(files.Close())
	// Output:
	// true
	// a closed: true
	// b closed: true
	// <nil> 3
	// kept open: true
	// <nil>
}

func ExampleStack_ReleaseWhenDone() {
	ctx, cancel := context.WithCancel(context.Background())
	var s cleanup.Stack
	s.PushFunc(func() { fmt.Println("request resources freed") })
	stop := s.ReleaseWhenDone(ctx)
	defer stop()
	cancel()
	<-s.Done()
	// Output:
	// request resources freed
}

// Released per loop iteration, a Stack keeps resources from piling up until
// the function returns, as defers in a loop do.
func ExampleScope() {
	for i := range 3 {
		err := cleanup.Scope(func(s *cleanup.Stack) error {
			fmt.Println("open", i)
			s.PushFunc(func() { fmt.Println("close", i) })
			return nil
		})
		if err != nil {
			fmt.Println(err)
		}
	}
	// Output:
	// open 0
	// close 0
	// open 1
	// close 1
	// open 2
	// close 2
}

type failingWriter struct{}

func (failingWriter) Write(p []byte) (int, error) { return len(p), nil }
func (failingWriter) Close() error                { return errors.New("disk full") }

func save(w io.WriteCloser) (err error) {
	defer cleanup.Close(&err, w) // the Close error reaches the caller
	_, err = w.Write([]byte("data"))
	return err
}

func ExampleClose() {
	fmt.Println(save(failingWriter{}))
	// Output:
	// disk full
}

func ExampleClosef() {
	f := func() (err error) {
		defer cleanup.Closef(&err, failingWriter{}, "closing %s", "report.csv")
		return nil
	}
	fmt.Println(f())
	// Output:
	// closing report.csv: disk full
}

func ExampleCall() {
	f := func() (err error) {
		defer cleanup.Call(&err, func() error { return errors.New("rollback failed") })
		return errors.New("insert failed")
	}
	fmt.Println(f())
	// Output:
	// insert failed
	// rollback failed
}

func ExampleCloseOnError() {
	acquire := func(fail bool) (_ io.Closer, err error) {
		r := cleanup.NewReleaser(func() error { fmt.Println("released"); return nil })
		defer cleanup.CloseOnError(&err, r)
		if fail {
			return nil, errors.New("handshake failed")
		}
		return r, nil
	}
	_, err := acquire(false)
	fmt.Println(err)
	_, err = acquire(true)
	fmt.Println(err)
	// Output:
	// <nil>
	// released
	// handshake failed
}

func ExampleRecover() {
	parse := func(input string) (err error) {
		defer cleanup.Recover(&err) // deferred directly, or recover sees nothing
		if strings.HasPrefix(input, "{") {
			panic("unbalanced brace")
		}
		return nil
	}
	err := parse("{")
	var pe *cleanup.PanicError
	fmt.Println(errors.As(err, &pe))
	fmt.Println(pe.Value)
	// Output:
	// true
	// unbalanced brace
}

func ExamplePanicError() {
	var s cleanup.Stack
	s.PushFunc(func() { panic(io.ErrUnexpectedEOF) })
	err := s.Release()
	fmt.Println(errors.Is(err, io.ErrUnexpectedEOF)) // the panic value, seen through
	fmt.Println(strings.HasPrefix(err.Error(), "panic: unexpected EOF [recovered]"))
	// Output:
	// true
	// true
}
