package cleanup

import (
	"errors"
	"fmt"
	"io"

	"github.com/boundgo/bound/internal/panics"
)

// The helpers in this file are deferred with a pointer to the function's
// named error result:
//
//	func write(name string) (err error) {
//		f, err := os.Create(name)
//		...
//		defer cleanup.Close(&err, f)
//
// This works because of what Go really does on return (pitfall B2): "return
// x" first assigns x to the named result, then the deferred calls run, and
// they may read and change it; the caller sees the final value. A claim often
// made, that return overwrites what a deferred closure set, is false. The
// real trap is the unnamed result: a deferred call has no way to change it,
// so "defer f.Close()" there drops the error (pitfall B1). Hence the pointer.

// Close calls c.Close and folds its error into *errp: if *errp is nil it
// becomes the Close error itself; if both failed, *errp becomes
// errors.Join(*errp, closeErr), so both stay matchable with [errors.Is] and
// [errors.As]. A nil Close error never replaces a real one. A nil errp
// panics.
//
// Deferred, it is the answer to "defer f.Close()" on a file being written,
// whose Close error is often the only sign that the data did not reach the
// disk (pitfall B1).
func Close(errp *error, c io.Closer) {
	checkErrp(errp, "Close")
	fold(errp, c.Close())
}

// Closef is [Close] with a message: a Close error is wrapped as
// fmt.Errorf(format+": %w", args..., closeErr) before it is folded in.
func Closef(errp *error, c io.Closer, format string, args ...any) {
	checkErrp(errp, "Closef")
	if err := c.Close(); err != nil {
		fold(errp, fmt.Errorf(format+": %w", append(args, err)...))
	}
}

// Call is [Close] for a cleanup function: it calls f and folds its error
// into *errp. A nil errp panics.
func Call(errp *error, f func() error) {
	checkErrp(errp, "Call")
	fold(errp, f())
}

// CloseOnError calls c.Close only if *errp is not nil, and folds the Close
// error in as [Close] does. Deferred, it releases what a function acquired
// when the function fails and keeps it when it succeeds; c is often a
// [*Stack]. A nil errp panics.
func CloseOnError(errp *error, c io.Closer) {
	checkErrp(errp, "CloseOnError")
	if *errp != nil {
		fold(errp, c.Close())
	}
}

// Recover, deferred directly, stops a panic and folds a [*PanicError]
// holding the panic value and stack into *errp, as [Close] folds errors.
//
//	defer cleanup.Recover(&err)
//
// Recover must itself be the deferred function: recover only stops a panic
// when called directly by the deferred function, so
// "defer func() { cleanup.Recover(&err) }()" recovers nothing and the panic
// goes on (pitfall B6). It cannot stop [runtime.Goexit]. A nil errp panics
// (only when there is a panic to store).
func Recover(errp *error) {
	if v := recover(); v != nil {
		checkErrp(errp, "Recover")
		fold(errp, panics.New(v))
	}
}

// fold adds err to *errp, keeping both when both are set.
func fold(errp *error, err error) {
	switch {
	case err == nil:
	case *errp == nil:
		*errp = err
	default:
		*errp = errors.Join(*errp, err)
	}
}

func checkErrp(errp *error, name string) {
	if errp == nil {
		panic("cleanup: " + name + " with a nil error pointer")
	}
}
