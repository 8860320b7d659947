// Package panics is a stub of github.com/sourcegraph/conc/panics.
package panics

// Recovered is a panic that was recovered.
type Recovered struct {
	Value any
}
