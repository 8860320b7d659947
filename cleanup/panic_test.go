package cleanup

import (
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPanicError(t *testing.T) {
	t.Run("Error shows the value and the stack", func(t *testing.T) {
		pe := &PanicError{Value: 42, Stack: []byte("goroutine 1 [running]:")}
		assert.Equal(t, "panic: 42 [recovered]\n\ngoroutine 1 [running]:", pe.Error())
	})
	t.Run("Error of a Goexit says so", func(t *testing.T) {
		pe := &PanicError{Goexit: true, Stack: []byte("stack")}
		assert.Equal(t, "runtime.Goexit called [recovered]\n\nstack", pe.Error())
	})
	t.Run("an error value is matchable through Unwrap", func(t *testing.T) {
		var err error = &PanicError{Value: io.EOF}
		require.ErrorIs(t, err, io.EOF)
		require.Nil(t, (&PanicError{Value: "text"}).Unwrap())
	})
	t.Run("only a Goexit matches ErrGoexit", func(t *testing.T) {
		require.ErrorIs(t, &PanicError{Goexit: true}, ErrGoexit)
		require.False(t, errors.Is(&PanicError{Value: "x"}, ErrGoexit))
	})
}
