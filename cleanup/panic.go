package cleanup

import (
	"errors"
	"fmt"
)

// ErrGoexit matches (with [errors.Is]) a [*PanicError] that records a call
// to [runtime.Goexit] rather than a panic.
var ErrGoexit = errors.New("cleanup: runtime.Goexit called")

// A PanicError is a panic, or a call to [runtime.Goexit], that was caught
// and turned into an error. It is the module's one type for a captured
// panic: [Releaser], [Stack] and [Recover] in this package, the task and
// chanx packages when they capture panics, and typed.Singleflight all return
// a *PanicError.
//
// Its Error method shows both the panic value and the stack, so a log line
// says where the panic happened. When Value is itself an error, [errors.Is]
// and [errors.As] see it through Unwrap.
type PanicError struct {
	// Value is the value passed to panic. It is nil when Goexit is true.
	Value any

	// Stack is the stack of the goroutine that panicked, as formatted by
	// [runtime/debug.Stack], taken while the panic was being recovered.
	Stack []byte

	// Goexit reports that the goroutine called [runtime.Goexit] (as
	// testing.T.FailNow does) instead of panicking. It is told apart by
	// recover returning nil: since Go 1.21 panic(nil) recovers as a
	// *runtime.PanicNilError, but under GODEBUG=panicnil=1 a panic(nil)
	// is reported as a Goexit.
	Goexit bool
}

// Error reads as the runtime's own report, "panic: VALUE [recovered]",
// followed by the stack: a log line says what panicked and where.
func (e *PanicError) Error() string {
	if e.Goexit {
		return fmt.Sprintf("runtime.Goexit called [recovered]\n\n%s", e.Stack)
	}
	return fmt.Sprintf("panic: %v [recovered]\n\n%s", e.Value, e.Stack)
}

// Unwrap returns Value if it is an error, so that errors.Is and errors.As
// look through a panic with an error value.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Is reports whether target is [ErrGoexit] and e records a Goexit.
func (e *PanicError) Is(target error) bool {
	return target == ErrGoexit && e.Goexit
}
