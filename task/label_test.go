package task_test

import (
	"context"
	"runtime/pprof"
)

func pprofLabel(ctx context.Context, key string) (string, bool) { return pprof.Label(ctx, key) }
