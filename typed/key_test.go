package typed

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKey(t *testing.T) {
	t.Run("a missing key and a key set to zero are told apart", func(t *testing.T) {
		k := NewKey[int]("n")
		v, ok := k.Value(context.Background())
		assert.False(t, ok)
		assert.Zero(t, v)
		ctx := k.WithValue(context.Background(), 0)
		v, ok = k.Value(ctx)
		assert.True(t, ok)
		assert.Zero(t, v)
	})
	t.Run("a nil interface value is found", func(t *testing.T) {
		k := NewKey[error]("err")
		ctx := k.WithValue(context.Background(), nil)
		err, ok := k.Value(ctx)
		assert.True(t, ok)
		assert.Nil(t, err)
	})
	t.Run("keys with the same name and type are distinct", func(t *testing.T) {
		a, b := NewKey[string]("user"), NewKey[string]("user")
		ctx := a.WithValue(context.Background(), "ann")
		_, ok := b.Value(ctx)
		assert.False(t, ok)
		v, ok := a.Value(ctx)
		assert.True(t, ok)
		assert.Equal(t, "ann", v)
	})
	t.Run("String names the type and the key", func(t *testing.T) {
		assert.Equal(t, "typed.Key[int](n)", NewKey[int]("n").String())
	})
}

type legacyKey struct{}

// TestPitfallC2ContextValue pins the panic of ctx.Value(k).(T) and shows that
// a Key cannot be written that way.
func TestPitfallC2ContextValue(t *testing.T) {
	ctx := context.Background()
	require.Panics(t, func() { _ = ctx.Value(legacyKey{}).(string) }, "missing key")
	ctx = context.WithValue(ctx, legacyKey{}, 42)
	require.Panics(t, func() { _ = ctx.Value(legacyKey{}).(string) }, "another type")

	k := NewKey[string]("name")
	require.NotPanics(t, func() {
		// Someone bypassing the Key with a raw WithValue of another type
		// makes the key read as missing, not panic.
		ctx := context.WithValue(context.Background(), k, 42)
		_, ok := k.Value(ctx)
		assert.False(t, ok)
	})
}
