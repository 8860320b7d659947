package bench

import (
	"context"
	"testing"

	"github.com/boundgo/bound/task"
	"github.com/sourcegraph/conc/iter"
)

// BenchmarkForEach squares 1,000 ints in place, at most 8 at a time: task's
// ForEach (with a context and an error) against conc's iter.ForEach.
func BenchmarkForEach(b *testing.B) {
	const limit = 8
	in := make([]int, 1000)
	for i := range in {
		in[i] = i
	}
	ctx := context.Background()
	b.Run("task", func(b *testing.B) {
		b.ReportAllocs()
		out := make([]int, len(in))
		for b.Loop() {
			err := task.ForEach(ctx, in, limit, func(_ context.Context, v int) error {
				out[v] = v * v
				return nil
			})
			if err != nil {
				b.Fatalf("ForEach() = %v; want nil", err)
			}
		}
	})
	b.Run("conc", func(b *testing.B) {
		b.ReportAllocs()
		out := make([]int, len(in))
		it := iter.Iterator[int]{MaxGoroutines: limit}
		for b.Loop() {
			it.ForEach(in, func(v *int) { out[*v] = *v * *v })
		}
	})
}
