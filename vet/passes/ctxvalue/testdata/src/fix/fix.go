package fix

import "context"

type key struct{}

func define(ctx context.Context) string {
	v := ctx.Value(key{}).(string) // want `single-value assertion on ctx.Value panics`
	return v
}

func assign(ctx context.Context) (n int) {
	n = ctx.Value("n").(int) // want `single-value assertion on ctx.Value panics`
	return n
}

func decl(ctx context.Context) bool {
	var b = ctx.Value("b").(bool) // want `single-value assertion on ctx.Value panics`
	return b
}

// No fix: an expression, a typed var, two results.
func noFix(ctx context.Context) (string, int) {
	var s string = ctx.Value("s").(string) // want `single-value assertion on ctx.Value panics`
	return s, ctx.Value("n").(int)         // want `single-value assertion on ctx.Value panics`
}
