// Package cleanup stands in for github.com/boundgo/bound/cleanup in the
// fixtures: the same signatures, so fixed code type-checks.
package cleanup

import "io"

func Close(errp *error, c io.Closer) {
	if err := c.Close(); err != nil && *errp == nil {
		*errp = err
	}
}

func Call(errp *error, f func() error) {
	if err := f(); err != nil && *errp == nil {
		*errp = err
	}
}
