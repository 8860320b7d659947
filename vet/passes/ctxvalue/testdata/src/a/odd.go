package a

import (
	"context"

	"keys"
)

// Shapes that must not crash the check.

// The key is a parameter: the check cannot tell who stores it.
func generic[T any](ctx context.Context, k any) T {
	return ctx.Value(k).(T)
}

// An exported generic accessor is reported whatever its key.
func Generic[T any](ctx context.Context, k any) T {
	return ctx.Value(k).(T) // want `in Generic, which returns it`
}

func genericCtx[C context.Context](c C) string {
	return c.Value(keys.Timeout).(string) // want `single-value assertion on ctx.Value panics`
}

type errCtx interface {
	context.Context
	error
}

func embedded(c errCtx) error {
	return c.Value(keys.Timeout).(error) // want `single-value assertion on ctx.Value panics`
}

func methodValue(ctx context.Context) any {
	get := ctx.Value
	return get("k").(string) // a method value: the receiver is gone; not reported
}

func closure(ctx context.Context) func() string {
	return func() string {
	loop:
		for {
			break loop
		}
		return ctx.Value(keys.Timeout).(string) // want `single-value assertion on ctx.Value panics`
	}
}
