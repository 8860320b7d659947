// Package keys declares context keys that middleware of another package
// sets: a reader elsewhere trusts that it ran.
package keys

import "context"

type CtxKey struct{}

type userKeyType int

const UserKey userKeyType = 0

var Timeout = "timeout"

type User struct{ Name string }

func WithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, UserKey, u)
}

var Rich = "rich"
