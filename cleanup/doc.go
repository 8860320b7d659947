// Package cleanup makes the defer chain unbreakable: releases that run
// exactly once, stacks of release steps that all run whatever one of them
// does, and deferred helpers that keep a Close error or a panic instead of
// dropping it. It builds on [sync.Once], [context.AfterFunc] and
// [errors.Join], and adds what they leave out.
//
// Guarantees:
//
//   - A [Releaser] runs its release function once; every caller, concurrent
//     or later, gets the same error; callers that arrive while it runs wait
//     on a channel; after release, Release is one atomic load.
//   - A [Stack] runs every step once, last in first out, past errors, panics
//     and [runtime.Goexit], and returns every error joined, each matchable
//     with [errors.Is] and [errors.As].
//   - A panic in a release function or step is never lost: it comes back as
//     a [*PanicError] with the value and stack. A Goexit does too, matching
//     [ErrGoexit], and never leaves a caller hanging.
//   - [Close], [Closef], [Call] and [CloseOnError] fold a deferred error into
//     the named result, never replacing a real error with nil; [Recover]
//     turns a panic into an error there.
//
// The rows of the README's pitfall catalogue it answers, with what Go
// really does:
//
//   - B1, Close error dropped by "defer f.Close()": [Close], [Closef].
//   - B2, "return overwrites a deferred change to a named result": false;
//     return assigns, then defers run and may change it. The helpers use
//     that, through a pointer to a named result. With an unnamed result a
//     defer cannot change what is returned: that is the real trap.
//   - B3, "only the last defer in a loop runs": false; all run, last in first
//     out, but only when the function returns, so resources pile up:
//     [Scope] or a [Stack] per iteration releases them each time round.
//   - B4, "inlining can drop a defer": false; inlining never changes defer
//     semantics (and the compiler, as of Go 1.26, does not inline a function
//     that contains a defer at all). Nothing to build.
//   - B5, a panic in a deferred call replaces the panic in flight: in a
//     [Stack] every step still runs and every panic is kept.
//   - B6, recover not called directly by the deferred function returns nil:
//     defer [Recover] itself.
//   - B7, os.Exit and log.Fatal skip deferred calls (nothing can run them);
//     runtime.Goexit runs them, and [Releaser] and [Stack] report it.
//   - B8, double or concurrent Close: [Releaser], and [Stack] as a whole.
package cleanup
