package deps

import (
	_ "github.com/anishathalye/porcupine"
	_ "github.com/leanovate/gopter"
	_ "github.com/leanovate/gopter/commands"
	_ "github.com/stretchr/testify/require"
	_ "go.uber.org/goleak"
	_ "golang.org/x/sync/errgroup"
	_ "golang.org/x/sync/singleflight"
)
