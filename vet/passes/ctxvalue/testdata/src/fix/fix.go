package fix // want package:"stores\\(v:keys.UserKey\\)"

import (
	"context"

	"keys"
)

func define(ctx context.Context) string {
	v := ctx.Value(keys.CtxKey{}).(string) // want `single-value assertion on ctx.Value panics`
	return v
}

func assign(ctx context.Context) (n int) {
	n = ctx.Value(keys.Timeout).(int) // want `single-value assertion on ctx.Value panics`
	return n
}

func decl(ctx context.Context) bool {
	var b = ctx.Value(keys.Timeout).(bool) // want `single-value assertion on ctx.Value panics`
	return b
}

// No fix: an expression, a typed var, two results.
func noFix(ctx context.Context) (string, int) {
	var s string = ctx.Value(keys.Timeout).(string) // want `single-value assertion on ctx.Value panics`
	return s, ctx.Value(keys.Timeout).(int)         // want `single-value assertion on ctx.Value panics`
}
