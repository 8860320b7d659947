// Package panics holds the module's one captured-panic type and the one way
// to capture it. Every package that runs a caller's function (task, chanx,
// cleanup, typed) turns a panic or a runtime.Goexit in it into an *Error
// here; package cleanup gives the type its public name, cleanup.PanicError.
package panics

import (
	"errors"
	"fmt"
	"runtime/debug"
)

// ErrGoexit is matched by an *Error that records a runtime.Goexit. Its
// public name is cleanup.ErrGoexit.
var ErrGoexit = errors.New("cleanup: runtime.Goexit called")

// Error is a panic, or a call to runtime.Goexit, caught and turned into an
// error. Its documentation for users is on cleanup.PanicError.
type Error struct {
	// Value is the value passed to panic; nil when Goexit is true.
	Value any

	// Stack is the stack of the goroutine that panicked, as formatted by
	// runtime/debug.Stack, taken while the panic was being recovered.
	Stack []byte

	// Goexit reports a call to runtime.Goexit rather than a panic.
	Goexit bool
}

// Error reads as the runtime's own report, then the stack.
func (e *Error) Error() string {
	if e.Goexit {
		return fmt.Sprintf("runtime.Goexit called [recovered]\n\n%s", e.Stack)
	}
	return fmt.Sprintf("panic: %v [recovered]\n\n%s", e.Value, e.Stack)
}

// Unwrap returns Value if it is an error.
func (e *Error) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Is reports whether target is ErrGoexit and e records a Goexit.
func (e *Error) Is(target error) bool {
	return target == ErrGoexit && e.Goexit
}

// New returns the *Error for r, the value recover returned in a deferred
// call of a function that did not return normally: nil means
// runtime.Goexit, since panic(nil) recovers as a *runtime.PanicNilError
// (Go 1.21 and later; under GODEBUG=panicnil=1 it reads as a Goexit). The
// stack is taken here, so call New from the deferred function itself.
func New(r any) *Error {
	return &Error{Value: r, Stack: debug.Stack(), Goexit: r == nil}
}

// Call calls f and returns its error or, if f panics, the panic recovered as
// an *Error. If f calls runtime.Goexit, which cannot be stopped, Call calls
// exiting with an *Error recording it, from the deferred call that Goexit
// runs; the goroutine then goes on exiting and Call does not return.
func Call(f func() error, exiting func(*Error)) (err error) {
	returned := false
	defer func() {
		if returned {
			return
		}
		// recover is called by the deferred function itself, as it must be.
		if p := New(recover()); p.Goexit {
			exiting(p)
		} else {
			err = p
		}
	}()
	err = f()
	returned = true
	return err
}

// Watch calls f and returns its error. If f panics or calls runtime.Goexit
// instead, Watch calls aborted from a deferred call and lets the panic or the
// Goexit go on: it recovers nothing, so a panic still crashes the program
// with its own stack.
func Watch(f func() error, aborted func()) error {
	returned := false
	defer func() {
		if !returned {
			aborted()
		}
	}()
	err := f()
	returned = true
	return err
}
