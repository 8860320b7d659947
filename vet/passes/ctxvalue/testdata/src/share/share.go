// Package share has the shape of smallnest/rpcx's share package before
// rpcx#346: it declares the metadata key that its clients set, and a helper
// of its own trusts every context to hold it.
package share

import "context"

// ReqMetaDataKey is set by clients for the metadata they send.
var ReqMetaDataKey = "__req_metadata"

type SpanContext struct{ ID string }

func GetSpanContextFromContext(ctx context.Context) (*SpanContext, error) {
	reqMeta := ctx.Value(ReqMetaDataKey).(map[string]string) // want `single-value assertion on ctx.Value panics when the key is missing`
	return &SpanContext{ID: reqMeta["span"]}, nil
}
