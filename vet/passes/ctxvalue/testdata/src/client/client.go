// want package:"stores\\(v:share.ReqMetaDataKey\\)"

// Package client stores share's key before it calls on: its own reads of it,
// and those of packages that import it, rely on that.
package client

import (
	"context"

	"share"
)

func Call(ctx context.Context, meta map[string]string) int {
	ctx = context.WithValue(ctx, share.ReqMetaDataKey, meta)
	return len(ctx.Value(share.ReqMetaDataKey).(map[string]string))
}
