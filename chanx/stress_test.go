package chanx_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/boundgo/bound/chanx"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestStress runs 8 producers of 10,000 values each into one Group whose
// consumer stops at a random point (or drains everything): nothing leaks,
// the channel is closed exactly once (a second close would panic), and
// what arrived before the stop arrived in order, once.
func TestStress(t *testing.T) {
	const producers, values = 8, 10_000
	rounds := 6
	if testing.Short() {
		rounds = 2
	}
	for round := range rounds {
		for _, parent := range []context.Context{context.Background(), context.TODO()} {
			ctx, cancel := context.WithCancel(parent)
			if round%2 == 1 {
				parent = ctx // the cancellable path: yield selects
			}
			g := chanx.NewGroup[item](parent, round%3)
			for i := range producers {
				require.NoError(t, g.Go(func(_ context.Context, yield func(item) bool) error {
					for j := range values {
						if !yield(item{i, j}) {
							return nil
						}
					}
					return nil
				}))
			}
			g.Close()
			stopAt := rand.IntN(producers*values + 1)
			next := make([]int, producers)
			n := 0
			for v := range g.Values() {
				require.Equal(t, next[v.producer], v.seq, "producer %d", v.producer)
				next[v.producer]++
				n++
				if n == stopAt {
					break
				}
			}
			require.NoError(t, g.Err())
			if stopAt == producers*values || stopAt == 0 {
				require.Equal(t, producers*values, n)
			}
			_, open := <-g.C()
			require.False(t, open, "channel open after the consumer stopped")
			cancel()
			require.NoError(t, goleak.Find())
		}
	}
}
