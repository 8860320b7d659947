package a

import (
	"context"
	"testing"
)

func TestUser(t *testing.T) {
	ctx := context.WithValue(context.Background(), userKey, &User{"ana"})
	if got := ctx.Value(userKey).(*User).Name; got != "ana" {
		t.Fatalf("name = %q", got)
	}
}
