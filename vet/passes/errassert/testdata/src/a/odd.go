package a

import (
	"fmt"

	"lib"
)

// Shapes that must not crash the check.

type causer interface {
	error
	Cause() error
}

func embedded(c causer) bool {
	return c == lib.ErrNotFound // a parameter: silent
}

func typeParam[E error](e E) bool {
	var err error = e
	return err == lib.ErrNotFound
}

type wrapper[T any] struct{ err error }

func (w wrapper[T]) Error() string { return "w" }
func (w wrapper[T]) Unwrap() error { return w.err }

func genericType() error {
	return wrapper[int]{err: lib.ErrBusy}
}

func genericWrap() bool {
	err := genericType()
	return err == lib.ErrBusy // want `genericType can return it wrapped`
}

func methodValue(key string) bool {
	get := lib.Lookup
	_, err := get(key)
	return err == lib.ErrNotFound // a function value: silent
}

func closure(key string) func() bool {
	return func() bool {
		_, err := lib.Lookup(key)
		return err == lib.ErrNotFound // want `lib.Lookup can return it wrapped`
	}
}

func captured(key string) func() bool {
	_, err := lib.Lookup(key)
	return func() bool {
		return err == lib.ErrNotFound // want `lib.Lookup can return it wrapped`
	}
}

func recursive(n int) error {
	if n == 0 {
		return fmt.Errorf("bottom: %w", lib.ErrBusy)
	}
	return recursive(n - 1)
}

func useRecursive() bool {
	err := recursive(3)
	return err == lib.ErrBusy // want `recursive can return it wrapped`
}

func gotoLabels(key string) (err error) {
	i := 0
again:
	_, err = lib.Lookup(key)
	if i < 2 {
		i++
		goto again
	}
	return
}

func useGoto() bool {
	return gotoLabels("") == lib.ErrNotFound // want `gotoLabels can return it wrapped`
}
