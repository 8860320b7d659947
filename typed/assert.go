package typed

import (
	"reflect"
)

// A TypeError reports a checked assertion that failed: the value held
// another dynamic type than the one wanted, or no value at all.
//
// Match it with errors.As, or with errors.AsType[*TypeError] (Go 1.26).
type TypeError struct {
	// Want is the type asked for.
	Want reflect.Type
	// Got is the dynamic type of the value, or nil for a nil interface.
	Got reflect.Type
}

// Error reads "typed: got string, want int", or "typed: got nil, want int"
// for a nil interface.
func (e *TypeError) Error() string {
	got := "nil"
	if e.Got != nil {
		got = e.Got.String()
	}
	return "typed: got " + got + ", want " + e.Want.String()
}

// Assert returns v as a T, or the zero T and a [*TypeError] naming T and v's
// dynamic type if v does not hold a T. It is v.(T) without the panic of the
// single-value form (pitfall C1 in the README's catalogue). T may be an
// interface type: then v must implement it.
//
// As with v.(T), a nil interface holds no T (Assert[error](nil) fails), while
// a typed nil pointer does: Assert[*E](any((*E)(nil))) succeeds and returns a
// nil *E (pitfall C4 in the README's catalogue). Use [IsNil] to tell whether
// a value is nil inside.
//
// Assert allocates only when it fails. To find an error type in a chain of
// wrapped errors, use errors.As or errors.AsType rather than Assert, which
// looks only at the outermost error (pitfall C5 in the README's catalogue).
func Assert[T any](v any) (T, error) {
	if t, ok := v.(T); ok {
		return t, nil
	}
	var zero T
	return zero, &TypeError{Want: reflect.TypeFor[T](), Got: reflect.TypeOf(v)}
}

// Check returns v as a T and true, or the zero T and false: the two-value
// form v.(T), as a function for generic code. It never allocates and follows
// the same nil rules as [Assert].
func Check[T any](v any) (T, bool) {
	t, ok := v.(T)
	return t, ok
}

// IsNil reports whether v is nil or holds a nil pointer, map, slice,
// channel, function or unsafe.Pointer. It answers pitfall C4 in the README's
// catalogue: an interface holding a typed nil is not == nil, so `err != nil`
// is true for an error variable assigned a nil *MyErr. IsNil sees through
// that; the cure, though, is to return a literal nil instead of a typed nil
// pointer.
func IsNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return rv.IsNil()
	}
	return false
}

func typeName[T any]() string {
	return reflect.TypeFor[T]().String()
}
