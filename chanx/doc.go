// Package chanx gives every channel an owner: channels are closed exactly
// once, by the package, and no goroutine it starts blocks past its context
// or past the moment its consumer stopped. It builds on Go's channels,
// [context] and [iter]; nothing in it panics with "send on closed channel"
// or "close of closed channel".
//
// Guarantees:
//
//   - A [Producer] ([Produce], [FromSeq]) runs a function in a goroutine the
//     package owns and closes its channel when the function returns, fails or
//     panics; once its context ends or its consumer stops, every yield
//     reports false so that it returns. Its error, or its panic as a
//     [*cleanup.PanicError], is reported by Err once the channel is drained,
//     and by Stop. A stream cut short by its context reports the cause.
//   - A consumer that leaves early leaks nothing: Stop, or breaking out of a
//     range over Values or All, releases every blocked producer and waits
//     for it. With a context that can never be done, the hand-over is a
//     plain channel send and receive.
//   - A [Group] closes one channel after its last producer; later sends
//     return [ErrClosed]; closing twice is a no-op.
//   - [Send], [Recv], [TrySend], [TryRecv] never block past their context,
//     and cost a raw channel operation when its Done is nil.
//   - A [Pipeline] owns its stages ([Source], [Map], [MapUnordered],
//     [Filter], [FlatMap], [Batch], [Merge], [Tee], [Distribute]) and its
//     cancel: each stage closes its output and stops with the context or the
//     consumer, and the first error stops them all and comes back from Err.
//   - A [Buffer] is an unbounded or capped queue with an exact Len, a policy
//     for a full buffer and a choice on close between [Drain] and [Discard].
//
// Pitfalls answered (see pitfalls.md):
//
//	A1 range over a channel nobody closes    Produce, Group, every stage: the owner closes
//	A2 send blocks after the receiver left   Producer.Stop, Group.Stop, Pipeline.Stop, Send/Recv with ctx
//	A6 cancel never called                   Produce, NewGroup, NewPipeline own and call their cancel
//	A8 leak checks by NumGoroutine           the tests use goleak and testing/synctest
package chanx
