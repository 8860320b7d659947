package odd

import (
	"context"
	"testing"
)

func helper(ctx context.Context) context.Context { return context.Background() }

func TestX(t *testing.T) { _ = helper(context.Background()) }
