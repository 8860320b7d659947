package chanx_test

import (
	"context"
	"slices"
	"testing"

	"github.com/boundgo/bound/chanx"
)

// FuzzBatch checks Batch on any input and size: the batches, concatenated,
// are the input; none is empty or larger than size; all but the last are
// full (no max wait); sizes below 1 panic with a chanx message.
func FuzzBatch(f *testing.F) {
	f.Add([]byte("hello, world"), 3)
	f.Add([]byte{}, 1)
	f.Add([]byte{1}, 0)
	f.Add([]byte("abcdefgh"), 8)
	f.Add([]byte("abc"), 1<<20)
	f.Fuzz(func(t *testing.T, data []byte, size int) {
		p := chanx.NewPipeline(context.Background())
		defer p.Stop()
		if size < 1 {
			defer func() {
				if r := recover(); r != "chanx: Batch with size < 1" {
					t.Fatalf("Batch(size %d) panicked with %v; want the chanx message", size, r)
				}
			}()
		}
		out := chanx.Batch(p, chanx.Source(p, func(_ context.Context, yield func(byte) bool) error {
			for _, b := range data {
				if !yield(b) {
					return nil
				}
			}
			return nil
		}), size, 0)
		var got []byte
		var batches [][]byte
		for b := range out {
			batches = append(batches, b)
			got = append(got, b...)
		}
		if err := p.Err(); err != nil {
			t.Fatalf("Err() = %v; want nil", err)
		}
		if !slices.Equal(got, data) {
			t.Fatalf("batches concatenate to %q; want %q", got, data)
		}
		for i, b := range batches {
			if len(b) == 0 || len(b) > size || (i < len(batches)-1 && len(b) != size) {
				t.Fatalf("batch %d of %d has %d values; size %d", i, len(batches), len(b), size)
			}
		}
	})
}
