// Package typed provides generic replacements for the standard library and
// x/sync types that hand out any — [sync.Map], [sync/atomic.Value],
// [sync.Pool], container/heap, [context.Context] values, x/sync/singleflight
// — so that no call site needs a type assertion, and checked assertions for
// the places where an any must still be converted.
//
// Everything here is safe for concurrent use except the heaps, which say
// so. Zero values are ready to use, except those of the types made by a
// constructor ([NewKey], [NewHeapFunc], [NewIndexedHeap]). Nothing panics at
// run time over a type: the misuses that sync.Map, atomic.Value and
// ctx.Value(k).(T) turn into panics are compile errors or returned errors.
//
//   - [Map]: a concurrent hash map whose Load takes no lock and never
//     allocates; every operation but the iterators, [Map.DeleteFunc] and
//     [Map.Len] is linearizable; its table shrinks again after deletes.
//     [ComparableMap] adds CompareAndSwap and CompareAndDelete, which do
//     not compile for a non-comparable V.
//   - [Value]: a typed atomic value; the zero Value loads the zero T.
//   - [Pool]: a typed sync.Pool of *T with New and Reset.
//   - [Heap], [HeapFunc], [IndexedHeap]: priority queues without
//     container/heap's interface methods.
//   - [Key]: typed context keys; [Key.Value] returns (T, bool).
//   - [Assert], [Check]: v.(T) as an error or a bool, never a panic.
//   - [Singleflight]: duplicate-call suppression in which a caller whose
//     context is done stops waiting without cancelling the call.
//
// The rows of the pitfall catalogue in the module's README that this
// package answers:
//
//	C1 v.(T) on another type panics          → Assert, Check, TypeError
//	C2 ctx.Value(key).(T) panics             → Key
//	C3 sync.Map, atomic.Value, sync.Pool,    → Map, ComparableMap, Value,
//	   container/heap, singleflight: any       Pool, Heap, HeapFunc,
//	                                           IndexedHeap, Singleflight
//	C4 a typed nil in an interface != nil    → IsNil; documented on Assert
//	C5 err.(*E) fails once err is wrapped    → errors.As, errors.AsType
//	C6 JSON decoded into any, asserted deep  → typed structs; Assert at the edge
//	C7 reflect/unsafe to dodge the types     → out of scope
package typed
