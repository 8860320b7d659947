// Package panics turns what recover returned into the module's one
// captured-panic type, [cleanup.PanicError], for the packages that run other
// people's functions in goroutines they own (task, chanx, typed).
package panics

import (
	"runtime/debug"

	"github.com/boundgo/bound/cleanup"
)

// Captured returns the error for r, the value recover returned in a deferred
// call of a function that did not return normally. A nil r means the function
// called runtime.Goexit: since Go 1.21, panic(nil) is recovered as a
// *runtime.PanicNilError. The stack is taken here, so call Captured from the
// deferred function itself, while the panic is being recovered.
func Captured(r any) *cleanup.PanicError {
	if r == nil {
		return &cleanup.PanicError{Goexit: true, Stack: debug.Stack()}
	}
	return &cleanup.PanicError{Value: r, Stack: debug.Stack()}
}
