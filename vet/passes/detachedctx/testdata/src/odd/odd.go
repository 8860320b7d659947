// Package odd holds code of unusual shapes: the check must not crash on it.
package odd

import (
	"context"
	"os"
)

// Generic functions and method values.
func Map[T any](ctx context.Context, xs []T, f func(context.Context, T)) {
	for _, x := range xs {
		f(context.TODO(), x) // want `context.TODO\(\) in a function that has ctx`
	}
	bg := context.Background // a function value: not a call here
	_ = bg
}

// A closure with its own context parameter wins over the outer one.
func nested(outer context.Context) func(context.Context) {
	return func(inner context.Context) {
		_ = context.Background() // want `in a function that has inner`
	}
}

// goto, labels, panic, os.Exit around the call.
func shapes(ctx context.Context, rows [][]int) context.Context {
	i := 0
again:
	if i < len(rows) {
		i++
		goto again
	}
outer:
	for _, r := range rows {
		for _, v := range r {
			switch {
			case v < 0:
				break outer
			case v == 0:
				panic("zero")
			case v > 100:
				os.Exit(1)
			}
		}
	}
	return context.Background() // want `in a function that has ctx`
}
