// Package w2 learns what w's functions return from their facts.
package w2

import (
	"fmt"

	"w"
)

// w.Load wraps ErrNotFound: passed on as it is, it stays wrapped.
func Again(k string) error { // want Again:`direct\[\] wrapped\[v:w.ErrNotFound t:\?\]`
	return w.Load(k)
}

// w.Find returns it as it is; wrapped here.
func Wrapped(k string) error { // want Wrapped:`direct\[\] wrapped\[v:w.ErrNotFound t:\?\]`
	return fmt.Errorf("w2: %w", w.Find(k))
}

// The alias is the same key as the sentinel.
func Missing() error { // want Missing:`direct\[v:w.ErrNotFound t:\?\] wrapped\[\]`
	return w.ErrMissing
}
