// want package:"stores\\(t:stateless.transitionKey\\)"

// Package stateless has the shape of qmuntal/stateless v1.4.0's
// GetTransition (qmuntal/stateless#36): the package stores its unexported
// key itself, on the path that fires a transition, but the exported getter
// is called by users with contexts of their own.
package stateless

import "context"

type Transition struct{ Source, Destination string }

type transitionKey struct{}

func withTransition(ctx context.Context, transition Transition) context.Context {
	return context.WithValue(ctx, transitionKey{}, transition)
}

// GetTransition returns the transition from the context.
func GetTransition(ctx context.Context) Transition {
	return ctx.Value(transitionKey{}).(Transition) // want `in GetTransition, which returns it`
}

// The fix: the comma-ok form.
func GetTransitionOK(ctx context.Context) Transition {
	tr, _ := ctx.Value(transitionKey{}).(Transition)
	return tr
}

func fire(ctx context.Context, tr Transition) string {
	ctx = withTransition(ctx, tr)
	return ctx.Value(transitionKey{}).(Transition).Source
}
