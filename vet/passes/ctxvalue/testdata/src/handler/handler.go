// want package:"stores\\(v:share.ReqMetaDataKey\\)"

// Package handler imports client, which stores share's key: the key of a
// layer it is built on.
package handler

import (
	"context"

	"client"
	"share"
)

func Handle(ctx context.Context) int {
	n := client.Call(ctx, nil)
	return n + len(ctx.Value(share.ReqMetaDataKey).(map[string]string))
}
