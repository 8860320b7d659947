package typed

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// heapAlloc returns the bytes of live heap objects after a full collection.
func heapAlloc() int64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

func TestMapShrinks(t *testing.T) {
	t.Run("a million keys deleted give their memory back", func(t *testing.T) {
		n := 1_000_000
		if raceEnabled {
			n = 1 << 17 // the race detector's shadow memory makes a million slow
		}
		base := heapAlloc()
		var m Map[int, int]
		for i := range n {
			m.Store(i, i)
		}
		full := heapAlloc()
		// 16 bytes of entry and at least 17 of buckets per key.
		require.Greater(t, full-base, int64(n)*33, "heap growth with %d keys stored", n)
		for i := range n {
			m.Delete(i)
		}
		after := heapAlloc()
		require.Zero(t, m.Len(), "Len() after deleting every key")
		require.Equal(t, minBuckets, len(m.table.Load().buckets), "buckets after deleting every key")
		require.Less(t, after-base, int64(64<<10),
			"heap growth after deleting all %d keys (%d bytes with them); want it back near the baseline", n, full-base)
		runtime.KeepAlive(&m) // measured with the map alive
	})

	t.Run("deletes shrink the table in steps and keep every other key", func(t *testing.T) {
		const n = 50_000
		var m Map[int, int]
		for i := range n {
			m.Store(i, -i)
		}
		order := rand.New(rand.NewPCG(3, 4)).Perm(n)
		sizes := []int{len(m.table.Load().buckets)}
		for j, k := range order {
			m.Delete(k)
			if b := len(m.table.Load().buckets); b != sizes[len(sizes)-1] {
				sizes = append(sizes, b)
				left := order[j+1:]
				require.Equal(t, len(left), m.Len(), "Len() after a shrink to %d buckets", b)
				for _, k := range left {
					v, ok := m.Load(k)
					require.True(t, ok, "Load(%d) after a shrink to %d buckets: missing", k, b)
					require.Equal(t, -k, v, "Load(%d) after a shrink to %d buckets", k, b)
				}
			}
		}
		require.Greater(t, len(sizes), 3, "table sizes %v; want several shrinks", sizes)
		require.Equal(t, minBuckets, sizes[len(sizes)-1], "table sizes %v", sizes)
		for i := 1; i < len(sizes); i++ {
			require.Less(t, sizes[i], sizes[i-1], "table sizes %v; want them to go down only", sizes)
		}
	})

	t.Run("a steady churn at one size does not resize", func(t *testing.T) {
		ops, tables := 4, 1<<10
		if raceEnabled {
			ops, tables = 2, 1<<7
		}
		for _, n := range churnSizes(tables) {
			testChurn(t, n, n, ops)   // grown to n
			testChurn(t, 4*n, n, ops) // grown to 4n, shrunk to n
		}
	})

	t.Run("Clear replaces a large table with the smallest", func(t *testing.T) {
		var m Map[int, int]
		for i := range 10_000 {
			m.Store(i, i)
		}
		m.Clear()
		require.Equal(t, minBuckets, len(m.table.Load().buckets), "buckets after Clear")
	})
}

// churnSizes returns sizes spread from 1 to 3.75*maxBuckets, and every size
// within 2 of a threshold of a table of up to maxBuckets buckets: where it
// grows, where it shrinks, and the load a resize aims at.
func churnSizes(maxBuckets int) []int {
	set := map[int]bool{}
	for n := 1; n < maxBuckets*slotsPerBucket*growNum/growDen; n = n*9/8 + 1 {
		set[n] = true
	}
	for b := minBuckets; b <= maxBuckets; b *= 2 {
		slots := b * slotsPerBucket
		for _, at := range []int{slots * growNum / growDen, slots * shrinkNum / shrinkDen, slots * targetNum / targetDen} {
			for n := max(at-2, 1); n <= at+2; n++ {
				set[n] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// testChurn fills a Map with peak keys, deletes down to n and then slides a
// window of n keys for 2*ops*n operations (delete the oldest, store a new
// one): after the first ops*n operations, which may finish a resize that
// the deletes made due, the table must not change.
func testChurn(t *testing.T, peak, n, ops int) {
	t.Helper()
	var m Map[int, int]
	for i := range peak {
		m.Store(i, i)
	}
	oldest := 0
	for ; oldest < peak-n; oldest++ {
		m.Delete(oldest)
	}
	next := peak
	slide := func(steps int) {
		for range steps {
			m.Delete(oldest)
			m.Store(next, next)
			oldest++
			next++
		}
	}
	slide(ops * n)
	before := m.table.Load()
	slide(ops * n)
	require.Same(t, before, m.table.Load(),
		"table after %d operations of churn at %d keys (peak %d): want no resize (%d buckets before, %d after)",
		2*ops*n, n, peak, len(before.buckets), len(m.table.Load().buckets))
	require.Equal(t, n, m.Len(), "Len() after the churn")
}

func TestMapGrow(t *testing.T) {
	t.Run("Grow presizes the zero Map: n inserts do not resize", func(t *testing.T) {
		for _, n := range []int{0, 1, 37, 1000, 100_000} {
			var m Map[string, int]
			m.Grow(n)
			before := m.table.Load()
			for i := range n {
				m.Store(fmt.Sprint(i), i)
			}
			require.Same(t, before, m.table.Load(), "table after Grow(%d) and %d inserts; want no resize", n, n)
			require.Equal(t, n, m.Len())
		}
	})

	t.Run("Grow makes room for n more keys than the map holds", func(t *testing.T) {
		var m Map[int, int]
		for i := range 1000 {
			m.Store(i, -i)
		}
		m.Grow(50_000)
		before := m.table.Load()
		for i := range 1000 {
			v, ok := m.Load(i)
			require.True(t, ok, "Load(%d) after Grow: missing", i)
			require.Equal(t, -i, v)
		}
		require.Equal(t, 1000, m.Len(), "Len() after Grow")
		for i := 1000; i < 51_000; i++ {
			m.Store(i, -i)
		}
		require.Same(t, before, m.table.Load(), "table after Grow(50000) and 50000 inserts; want no resize")
		m.Grow(10) // room already: nothing to do
		require.Same(t, before, m.table.Load(), "table after a Grow with room to spare")
	})

	t.Run("the table does not shrink below what Grow reserved, and Clear empties to it", func(t *testing.T) {
		var m Map[int, int]
		m.Grow(10_000)
		reserved := len(m.table.Load().buckets)
		for i := range 20_000 {
			m.Store(i, i)
		}
		require.Greater(t, len(m.table.Load().buckets), reserved, "buckets after outgrowing Grow")
		for i := range 20_000 {
			m.Delete(i)
		}
		require.Equal(t, reserved, len(m.table.Load().buckets), "buckets after deleting every key")
		m.Clear()
		require.Equal(t, reserved, len(m.table.Load().buckets), "buckets after Clear")
	})

	t.Run("a negative n, or one whose table would not fit, panics and leaves the map usable", func(t *testing.T) {
		var m Map[int, int]
		m.Store(1, 1)
		require.PanicsWithValue(t, "typed: Map.Grow(-1) with a negative n", func() { m.Grow(-1) })
		for _, n := range []int{math.MaxInt, math.MaxInt - 1, math.MaxInt / 2, 1 << 50} {
			want := fmt.Sprintf("typed: Map.Grow(%d): a table for that many keys would exceed the address space", n)
			require.PanicsWithValue(t, want, func() { m.Grow(n) })
		}
		m.Store(2, 2) // resizeMu was released
		m.Grow(100)
		require.Equal(t, 2, m.Len(), "Len() after the panics")
	})

	t.Run("Grow during writes keeps every key", func(t *testing.T) {
		var m Map[int, int]
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for i := range 5000 {
					m.Store(w*10_000+i, i)
				}
			})
		}
		wg.Go(func() {
			for i := range 20 {
				m.Grow(i * 1000)
				runtime.Gosched()
			}
		})
		wg.Wait()
		require.Equal(t, 20_000, m.Len())
		for w := range 4 {
			for i := range 5000 {
				v, ok := m.Load(w*10_000 + i)
				require.True(t, ok, "Load(%d) missing", w*10_000+i)
				require.Equal(t, i, v)
			}
		}
	})
}

func TestBucketsFor(t *testing.T) {
	t.Run("the smallest power of two that holds the keys at the load", func(t *testing.T) {
		for keys := range uint64(2000) {
			n, ok := bucketsFor[int, int](keys, growNum, growDen)
			require.True(t, ok)
			require.GreaterOrEqual(t, n, minBuckets)
			require.Equal(t, 0, n&(n-1), "bucketsFor(%d) = %d; want a power of two", keys, n)
			require.LessOrEqual(t, keys*growDen, uint64(n)*slotsPerBucket*growNum, "bucketsFor(%d) = %d: too small", keys, n)
			if n > minBuckets {
				require.Greater(t, keys*growDen, uint64(n/2)*slotsPerBucket*growNum, "bucketsFor(%d) = %d: not the smallest", keys, n)
			}
		}
	})
	t.Run("counts too large for the address space report false", func(t *testing.T) {
		limit := maxBuckets[int, int]()
		for _, keys := range []uint64{math.MaxUint64, math.MaxInt64, limit * slotsPerBucket, limit*slotsPerBucket + 1} {
			_, ok := bucketsFor[int, int](keys, growNum, growDen)
			require.False(t, ok, "bucketsFor(%d) reported a table", keys)
		}
		n, ok := bucketsFor[int, int](limit*slotsPerBucket*growNum/growDen, growNum, growDen)
		require.True(t, ok, "bucketsFor of the largest count that fits")
		require.Equal(t, limit, uint64(n))
	})
}
