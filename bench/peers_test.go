package bench

// Keeps the peers in go.mod while the benchmark files are being written.
import (
	_ "github.com/boundgo/bound/cleanup"
	_ "github.com/puzpuzpuz/xsync/v4"
	_ "github.com/smallnest/chanx"
	_ "github.com/sourcegraph/conc/pool"
	_ "golang.org/x/sync/errgroup"
)
