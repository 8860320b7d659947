package panics

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestNew(t *testing.T) {
	t.Run("a panic value is kept with the stack of the recovering goroutine", func(t *testing.T) {
		var p *Error
		func() {
			defer func() { p = New(recover()) }()
			panic("boom")
		}()
		if p.Goexit || p.Value != "boom" || !strings.Contains(string(p.Stack), "TestNew") {
			t.Errorf("New = %+v; want value boom, not Goexit, a stack naming the test", p)
		}
		if got := p.Error(); !strings.HasPrefix(got, "panic: boom [recovered]\n\n") {
			t.Errorf("Error() = %q; want the runtime's wording, then the stack", got)
		}
	})
	t.Run("nil means runtime.Goexit", func(t *testing.T) {
		done := make(chan *Error)
		go func() {
			defer func() { done <- New(recover()) }()
			runtime.Goexit()
		}()
		p := <-done
		if !p.Goexit || !errors.Is(p, ErrGoexit) {
			t.Errorf("New(nil) = %+v; want a Goexit matching ErrGoexit", p)
		}
		if got := p.Error(); !strings.HasPrefix(got, "runtime.Goexit called [recovered]") {
			t.Errorf("Error() = %q; want it to name Goexit", got)
		}
	})
	t.Run("an error value is seen through Unwrap", func(t *testing.T) {
		errBoom := errors.New("boom")
		p := &Error{Value: errBoom}
		if !errors.Is(p, errBoom) || errors.Is(p, ErrGoexit) {
			t.Errorf("errors.Is(%v, errBoom) = false, or it matched ErrGoexit", p)
		}
		if (&Error{Value: 1}).Unwrap() != nil {
			t.Error("Unwrap of a non-error value is not nil")
		}
	})
}

func TestCall(t *testing.T) {
	t.Run("returns what f returns", func(t *testing.T) {
		errBoom := errors.New("boom")
		if err := Call(func() error { return errBoom }, nil); err != errBoom {
			t.Errorf("Call = %v; want %v", err, errBoom)
		}
		if err := Call(func() error { return nil }, nil); err != nil {
			t.Errorf("Call = %v; want nil", err)
		}
	})
	t.Run("recovers a panic as an *Error", func(t *testing.T) {
		err := Call(func() error { panic("boom") }, func(*Error) { t.Error("exiting called for a panic") })
		var p *Error
		if !errors.As(err, &p) || p.Value != "boom" || p.Goexit {
			t.Errorf("Call = %v; want the panic boom as an *Error", err)
		}
	})
	t.Run("reports a Goexit to exiting and does not return", func(t *testing.T) {
		got := make(chan *Error, 1)
		returned := false
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = Call(func() error { runtime.Goexit(); return nil }, func(p *Error) { got <- p })
			returned = true
		}()
		<-done
		if p := <-got; !p.Goexit || returned {
			t.Errorf("exiting got %+v, returned = %v; want a Goexit and no return", p, returned)
		}
	})
}

func TestWatch(t *testing.T) {
	t.Run("returns what f returns without calling aborted", func(t *testing.T) {
		errBoom := errors.New("boom")
		if err := Watch(func() error { return errBoom }, func() { t.Error("aborted called") }); err != errBoom {
			t.Errorf("Watch = %v; want %v", err, errBoom)
		}
	})
	t.Run("calls aborted and lets a panic go on", func(t *testing.T) {
		aborted := false
		func() {
			defer func() {
				if r := recover(); r != "boom" || !aborted {
					t.Errorf("recovered %v, aborted = %v; want boom after aborted", r, aborted)
				}
			}()
			_ = Watch(func() error { panic("boom") }, func() { aborted = true })
		}()
	})
	t.Run("calls aborted and lets a Goexit go on", func(t *testing.T) {
		aborted := make(chan bool, 1)
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = Watch(func() error { runtime.Goexit(); return nil }, func() { aborted <- true })
		}()
		<-done
		if !<-aborted {
			t.Error("aborted not called for a Goexit")
		}
	})
}
