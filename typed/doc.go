// Package typed provides generic replacements for the standard library and
// x/sync types that hand out any, so that no call site needs a type
// assertion, and checked assertions for the places where an any must still be
// converted. It is to [sync.Map], [sync/atomic.Value], [sync.Pool],
// container/heap, [context.Context] values and x/sync/singleflight what the
// generic slices and maps packages are to sort and hand-written loops.
//
// Everything here is safe for concurrent use except the heaps ([Heap],
// [HeapFunc], [IndexedHeap]), which say so. Zero values are ready to use
// except where a constructor exists ([NewKey], [NewHeapFunc],
// [NewIndexedHeap]). Nothing panics at run time over a type:
// the misuses that sync.Map, atomic.Value and ctx.Value(k).(T) turn into
// panics are compile errors or returned errors here.
//
// Guarantees:
//   - [Map]: a concurrent hash map. Load takes no lock and never allocates;
//     a write allocates at most one small entry. [Map.Len] is O(1);
//     [Map.LoadOrCompute] runs its function at most once per key and stays
//     usable if the function panics; [Map.All], [Map.Keys] and [Map.Values]
//     visit each key at most once, take no global lock and allocate nothing
//     per entry. [ComparableMap] adds CompareAndSwap and CompareAndDelete,
//     which do not compile for a non-comparable V.
//   - [Value]: a typed atomic value; the zero Value loads the zero T.
//     [ComparableValue] adds CompareAndSwap.
//   - [Pool]: a typed sync.Pool of *T with New and Reset; Put never allocates.
//   - [Heap] and [HeapFunc]: plain (not concurrent) priority queues that do
//     not allocate once grown; [IndexedHeap] adds update and removal of a
//     pushed value through its [Handle].
//   - [Key]: typed context keys; [Key.Value] returns (T, bool) and tells a
//     missing key from a key set to the zero value.
//   - [Assert] and [Check]: v.(T) as an error or a bool, never a panic;
//     [*TypeError] names both types.
//   - [Singleflight]: typed duplicate-call suppression in which a caller
//     whose context is done stops waiting without cancelling the call for
//     the others.
//
// The rows of the project's pitfall catalogue that this package answers:
//
//	C1 v.(T) on another type panics             → Assert, Check, TypeError
//	C2 ctx.Value(key).(T) panics                → Key, Key.Value
//	C3 sync.Map, atomic.Value, sync.Pool,       → Map, ComparableMap, Value,
//	   container/heap, singleflight hand out any   ComparableValue, Pool, Heap,
//	                                               HeapFunc, IndexedHeap,
//	                                               Singleflight
//	C4 typed nil pointer in an interface != nil → IsNil; documented on Assert
//	C5 err.(*E) fails once err is wrapped       → errors.As / errors.AsType;
//	                                               TypeError is matchable
//	C6 JSON decoded into any, asserted deep     → decode into typed structs,
//	                                               delay with json.RawMessage;
//	                                               Assert where any remains
//	C7 reflect/unsafe to dodge the types        → out of scope
package typed
