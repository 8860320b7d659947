package typed

import "sync/atomic"

// A Value holds a T that can be loaded and replaced atomically: a typed
// [atomic.Value]. Unlike atomic.Value it cannot hold values of different
// types, so it has no "inconsistently typed value" panic, and it accepts the
// zero T (atomic.Value panics on Store(nil)).
//
// The zero Value is ready to use and loads the zero T. A Value must not be
// copied after first use. Load never blocks and never allocates; Store and
// Swap allocate one T (none when T is zero-sized), because the T is
// published through a pointer: that is what makes a Value of any size atomic.
//
// For CompareAndSwap, which needs T to be comparable, use [ComparableValue].
type Value[T any] struct {
	p atomic.Pointer[T] // nil means the zero T; a stored *T is never written again
}

// Load returns the value last stored, or the zero T if none was.
func (v *Value[T]) Load() (x T) {
	if p := v.p.Load(); p != nil {
		x = *p
	}
	return x
}

// Store sets the value to x.
func (v *Value[T]) Store(x T) {
	v.p.Store(&x)
}

// Swap sets the value to x and returns the previous value (the zero T if
// none was stored).
func (v *Value[T]) Swap(x T) (old T) {
	if p := v.p.Swap(&x); p != nil {
		return *p
	}
	return old
}

// A ComparableValue is a [Value] of a comparable T, which adds
// CompareAndSwap. The zero ComparableValue is ready to use and loads the zero
// T; it must not be copied after first use.
type ComparableValue[T comparable] struct {
	Value[T]
}

// CompareAndSwap sets the value to new if it equals old, and reports whether
// it did. The zero T compares equal to a Value never stored to. When T is an
// interface type and the values hold the same non-comparable dynamic type, it
// reports false where atomic.Value panics. Under contention it retries until
// the comparison fails or its swap wins; it allocates only when it may swap.
func (v *ComparableValue[T]) CompareAndSwap(old, new T) (swapped bool) {
	var np *T
	for {
		p := v.p.Load()
		var cur T
		if p != nil {
			cur = *p
		}
		if !equal(cur, old) {
			return false
		}
		if np == nil {
			np = &new
		}
		// Each Store publishes a fresh pointer, and p stays reachable
		// through this frame, so an unchanged pointer means an unchanged
		// value.
		if v.p.CompareAndSwap(p, np) {
			return true
		}
	}
}
