package typed

import "context"

// A Key is a context key whose value has type T: the type is part of the key,
// so reading it needs no assertion and cannot panic (pitfall C2 in the
// README's catalogue).
//
// Make keys with [NewKey], usually as package-level variables. Each call makes
// a distinct key, even with the same name, so keys of different packages never
// collide. A Key is compared by address: use the *Key, do not copy the Key.
type Key[T any] struct {
	name string
}

// NewKey returns a new key for values of type T. The name is only shown by
// String, for debugging.
func NewKey[T any](name string) *Key[T] {
	return &Key[T]{name: name}
}

// boxed wraps every stored value, so that a value that is itself a nil
// interface (a nil error, say) is still found: ctx.Value returns nil both for
// a missing key and for a nil interface value.
type boxed[T any] struct{ v T }

// WithValue returns a copy of ctx in which k is set to v, as
// [context.WithValue] does (one allocation for the new context, one for v
// unless it is pointer-shaped).
func (k *Key[T]) WithValue(ctx context.Context, v T) context.Context {
	return context.WithValue(ctx, k, boxed[T]{v})
}

// Value returns the value of k in ctx and true, or the zero T and false if k
// was never set in ctx. A key set to the zero T returns it and true. It never
// panics, even if some code set k with context.WithValue directly to a value
// of another type: that is reported as missing.
func (k *Key[T]) Value(ctx context.Context) (T, bool) {
	b, ok := ctx.Value(k).(boxed[T])
	return b.v, ok
}

// String returns "typed.Key[T](name)" with T's name, for debugging.
func (k *Key[T]) String() string {
	return "typed.Key[" + typeName[T]() + "](" + k.name + ")"
}
