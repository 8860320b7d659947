package cleanup

import "github.com/boundgo/bound/internal/panics"

// ErrGoexit matches (with [errors.Is]) a [*PanicError] that records a call
// to [runtime.Goexit] rather than a panic.
var ErrGoexit = panics.ErrGoexit

// A PanicError is a panic, or a call to [runtime.Goexit], that was caught
// and turned into an error. It is the module's one type for a captured
// panic: [Releaser], [Stack] and [Recover] in this package, the task and
// chanx packages when they capture panics, and typed.Singleflight all return
// a *PanicError.
//
// Its fields:
//
//	Value  any    // the value passed to panic; nil when Goexit is true
//	Stack  []byte // the panicking goroutine's stack, as runtime/debug.Stack formats it
//	Goexit bool   // the goroutine called runtime.Goexit (as testing.T.FailNow does)
//
// A Goexit is told apart by recover returning nil: since Go 1.21 panic(nil)
// recovers as a *runtime.PanicNilError, but under GODEBUG=panicnil=1 a
// panic(nil) is reported as a Goexit.
//
// Its Error method reads as the runtime's own report, "panic: VALUE
// [recovered]" (or "runtime.Goexit called [recovered]"), followed by the
// stack, so a log line says what panicked and where. When Value is itself an
// error, [errors.Is] and [errors.As] see it through Unwrap; errors.Is(err,
// ErrGoexit) reports a Goexit.
type PanicError = panics.Error
