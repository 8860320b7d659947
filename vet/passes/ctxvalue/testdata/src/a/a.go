package a // want package:"stores\\(.*v:keys.UserKey.*\\)"

import (
	"context"
	"net/http"
	"time"

	"keys"
)

type User = keys.User

var userKey = keys.UserKey

type ctxKey = keys.CtxKey

func name(ctx context.Context) string {
	return ctx.Value(keys.CtxKey{}).(*User).Name // want `single-value assertion on ctx.Value panics when the key is missing or holds another type`
}

// keys.WithUser stores UserKey, and this package imports keys: the key of
// a middleware this package is built on, which it trusts to have run.
func middlewareKey(ctx context.Context) string {
	return ctx.Value(keys.UserKey).(*User).Name
}

func handler(w http.ResponseWriter, r *http.Request) {
	id := r.Context().Value(ctxKey{}).(string) // want `single-value assertion on ctx.Value panics`
	w.Write([]byte(id))
}

func deadline(ctx context.Context) time.Duration {
	var d = ctx.Value(keys.Timeout).(time.Duration) // want `single-value assertion on ctx.Value panics`
	return d
}

func toInterface(ctx context.Context) {
	s := (ctx.Value(keys.Timeout)).(interface{ String() string }) // want `single-value assertion on ctx.Value panics`
	_ = s
}

// A context type of another package, with the four methods.
type myCtx struct{ context.Context }

func custom(c *myCtx) int {
	return c.Value(keys.Timeout).(int) // want `single-value assertion on ctx.Value panics`
}

// Negatives.

func commaOK(ctx context.Context) (*User, bool) {
	u, ok := ctx.Value(userKey).(*User)
	return u, ok
}

func commaOKVar(ctx context.Context) bool {
	var _, ok = ctx.Value(userKey).(*User)
	return ok
}

func ifCommaOK(ctx context.Context) string {
	if u, ok := ctx.Value(userKey).(*User); ok {
		return u.Name
	}
	return ""
}

func typeSwitch(ctx context.Context) string {
	switch v := ctx.Value(userKey).(type) {
	case *User:
		return v.Name
	case string:
		return v
	}
	return ""
}

// Guarded: a missing key is ruled out.
func guarded(ctx context.Context) string {
	if ctx.Value(keys.CtxKey{}) != nil {
		return ctx.Value(keys.CtxKey{}).(*User).Name
	}
	return ""
}

// Not a context.
type bag struct{ m map[any]any }

func (b bag) Value(k any) any { return b.m[k] }

func notContext(b bag) int {
	return b.Value("n").(int)
}

// Not ctx.Value.
func other(v any) int {
	return v.(int)
}

// Keys the package owns: an unexported key declared here, and an exported
// one this package stores itself.
type ownKey struct{}

var Exported = "exported"

func store(ctx context.Context) context.Context {
	return context.WithValue(ctx, Exported, 1)
}

func owned(ctx context.Context) int {
	_ = ctx.Value(ownKey{}).(string)
	return ctx.Value(Exported).(int)
}

// A context type with its own WithValue method stores the key here too.
type richCtx struct{ context.Context }

func (c richCtx) WithValue(k, v any) richCtx {
	return richCtx{context.WithValue(c.Context, k, v)}
}

func named(c richCtx) string {
	c = c.WithValue(keys.Rich, "x")
	return c.Value(keys.Rich).(string)
}

// Accessors: exported functions that return the asserted value of the
// context their caller hands in panic for any caller without the key, even
// for a key this package owns.

func UserFrom(ctx context.Context) *User {
	return ctx.Value(ownKey{}).(*User) // want `single-value assertion on ctx.Value in UserFrom, which returns it to callers that may hand in any context`
}

func UserFromRequest(r *http.Request) *User {
	u := r.Context().Value(ownKey{}).(*User) // want `in UserFromRequest, which returns it`
	return u
}

type Session struct{}

func (Session) User(ctx context.Context) (*User, error) {
	return ctx.Value(ownKey{}).(*User), nil // want `in User, which returns it`
}

// Must says it panics.
func MustUser(ctx context.Context) *User {
	return ctx.Value(ownKey{}).(*User)
}

// Unexported: its callers are this package's, which stores the key.
func userFrom(ctx context.Context) *User {
	return ctx.Value(ownKey{}).(*User)
}

// A method of an unexported type.
type session struct{}

func (session) User(ctx context.Context) *User {
	return ctx.Value(ownKey{}).(*User)
}

// Used, not returned: the package's own key, set by its own code path.
func Greet(ctx context.Context) string {
	u := ctx.Value(ownKey{}).(*User)
	return "hello " + u.Name
}

// The context is not the caller's.
func Background() *User {
	ctx := context.WithValue(context.Background(), ownKey{}, &User{})
	return ctx.Value(ownKey{}).(*User)
}
