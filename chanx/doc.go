// Package chanx gives every channel an owner: channels are closed exactly
// once, by the package, and no goroutine it starts blocks past its context
// or past the moment its consumer stopped. It builds on Go's channels,
// [context] and [iter]; nothing in it panics with "send on closed channel"
// or "close of closed channel".
//
//   - A [Producer] ([Produce], [FromSeq]) runs a function in a goroutine the
//     package owns and closes its channel when the function returns, fails or
//     panics; once its context ends or its consumer stops, every yield
//     reports false. Err reports the function's error, its panic as a
//     [*github.com/boundgo/bound/cleanup.PanicError], or the cause of a parent context that cut the
//     stream short.
//   - A consumer that leaves early leaks nothing: Stop, or breaking out of a
//     range over Values or All, releases every blocked producer and waits
//     for it; `defer p.Stop()` is always safe. Stop returns nothing, and Err
//     never reports the cancellation Stop caused.
//   - A [Group] closes one channel after its last producer; later sends
//     return [ErrClosed]; closing twice is a no-op.
//   - [Send], [Recv], [TrySend], [TryRecv] and [RecvAll] never block past
//     their context; with a context whose Done is nil, Send and Recv are plain
//     channel operations.
//   - A [Pipeline] owns its stages ([Source], [Map], [MapUnordered],
//     [Filter], [FlatMap], [Batch], [Merge], [Tee], [Distribute],
//     [Pipeline.Go]) and its cancel: each stage closes its output and stops
//     with the context or the consumer, and the first error stops them all
//     and comes back from Err.
//   - A [Buffer] is an unbounded or capped queue with an exact Len, an
//     [Overflow] for a full buffer, and two ways to close: [Buffer.Close]
//     lets receivers drain it, [Buffer.CloseAndDiscard] drops what it holds.
//
// The workers of [Map] and [MapUnordered] are a limit with the module's one
// rule (package [github.com/boundgo/bound/task], under Limits): n > 0 runs
// at most n calls at once, n < 0 sets no limit, and 0 panics. The n of
// [Tee] and [Distribute] and the size of [Batch] are counts: below 1 they
// panic.
//
// Pitfalls answered (rows of the catalogue in the README):
//
//	A1 range over a channel nobody closes    Produce, Group, every stage: the owner closes
//	A2 send blocks after the receiver left   Producer.Stop, Group.Stop, Pipeline.Stop, Send/Recv with ctx
//	A6 cancel never called                   Produce, NewGroup, NewPipeline own and call their cancel
//	A8 leak checks by NumGoroutine           the tests use goleak and testing/synctest
package chanx
