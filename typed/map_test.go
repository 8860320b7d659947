package typed

import (
	"errors"
	"fmt"
	"hash/maphash"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMap(t *testing.T) {
	t.Run("the zero map is empty and ready", func(t *testing.T) {
		var m Map[string, int]
		v, ok := m.Load("a")
		require.False(t, ok)
		require.Zero(t, v)
		require.Zero(t, m.Len())
		m.Delete("a")
		_, ok = m.LoadAndDelete("a")
		require.False(t, ok)
		m.Clear()
		for range m.All() {
			t.Fatal("All() on an empty map yielded")
		}
		m.Store("a", 1)
		v, ok = m.Load("a")
		require.True(t, ok)
		require.Equal(t, 1, v)
	})

	t.Run("every sync.Map operation behaves as sync.Map's", func(t *testing.T) {
		var m ComparableMap[string, int]
		actual, loaded := m.LoadOrStore("a", 1)
		assert.Equal(t, 1, actual)
		assert.False(t, loaded)
		actual, loaded = m.LoadOrStore("a", 2)
		assert.Equal(t, 1, actual)
		assert.True(t, loaded)

		prev, loaded := m.Swap("a", 3)
		assert.Equal(t, 1, prev)
		assert.True(t, loaded)
		prev, loaded = m.Swap("b", 4)
		assert.Zero(t, prev)
		assert.False(t, loaded)

		assert.False(t, m.CompareAndSwap("a", 1, 5), "CompareAndSwap with a stale old value")
		assert.True(t, m.CompareAndSwap("a", 3, 5))
		assert.False(t, m.CompareAndSwap("zz", 0, 5), "CompareAndSwap of a missing key")
		v, _ := m.Load("a")
		assert.Equal(t, 5, v)

		assert.False(t, m.CompareAndDelete("a", 3))
		assert.False(t, m.CompareAndDelete("zz", 0))
		assert.True(t, m.CompareAndDelete("a", 5))
		_, ok := m.Load("a")
		assert.False(t, ok)

		v, loaded = m.LoadAndDelete("b")
		assert.Equal(t, 4, v)
		assert.True(t, loaded)
		assert.Zero(t, m.Len())
	})

	t.Run("Compute updates, deletes and cancels", func(t *testing.T) {
		var m Map[string, int]
		inc := func(old int, loaded bool) (int, ComputeOp) { return old + 1, UpdateOp }
		v, ok := m.Compute("n", inc)
		assert.Equal(t, 1, v)
		assert.True(t, ok)
		v, ok = m.Compute("n", inc)
		assert.Equal(t, 2, v)
		assert.True(t, ok)

		v, ok = m.Compute("n", func(old int, loaded bool) (int, ComputeOp) { return 99, CancelOp })
		assert.Equal(t, 2, v, "Compute with CancelOp returns the old value")
		assert.True(t, ok)
		v, ok = m.Compute("missing", func(old int, loaded bool) (int, ComputeOp) {
			assert.False(t, loaded)
			return 99, CancelOp
		})
		assert.Zero(t, v)
		assert.False(t, ok)
		_, ok = m.Load("missing")
		assert.False(t, ok, "Compute with CancelOp stored a missing key")

		v, ok = m.Compute("n", func(old int, loaded bool) (int, ComputeOp) { return 0, DeleteOp })
		assert.Zero(t, v)
		assert.False(t, ok)
		assert.Zero(t, m.Len())
	})

	t.Run("LoadOrCompute runs the function only for a missing key", func(t *testing.T) {
		var m Map[int, string]
		calls := 0
		f := func() string { calls++; return "x" }
		v, loaded := m.LoadOrCompute(1, f)
		assert.Equal(t, "x", v)
		assert.False(t, loaded)
		v, loaded = m.LoadOrCompute(1, f)
		assert.Equal(t, "x", v)
		assert.True(t, loaded)
		assert.Equal(t, 1, calls)
	})

	t.Run("LoadOrCompute runs the function once among concurrent callers", func(t *testing.T) {
		var m Map[int, int]
		var calls atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				v, _ := m.LoadOrCompute(7, func() int { calls.Add(1); return 42 })
				assert.Equal(t, 42, v)
			})
		}
		wg.Wait()
		assert.Equal(t, int32(1), calls.Load())
	})

	t.Run("a panicking compute leaves the map usable", func(t *testing.T) {
		var m Map[string, int]
		m.Store("other", 1)
		require.PanicsWithValue(t, "boom", func() {
			m.LoadOrCompute("k", func() int { panic("boom") })
		})
		_, ok := m.Load("k")
		assert.False(t, ok, "a panicking compute stored a value")
		require.PanicsWithValue(t, "boom", func() {
			m.Compute("other", func(int, bool) (int, ComputeOp) { panic("boom") })
		})
		// The chain's lock was released: writes to the same keys go on.
		done := make(chan struct{})
		go func() {
			defer close(done)
			v, loaded := m.LoadOrCompute("k", func() int { return 2 })
			assert.Equal(t, 2, v)
			assert.False(t, loaded)
			m.Store("other", 3)
			m.Clear()
		}()
		<-done
	})

	t.Run("a compute that panics under contention lets the next caller compute", func(t *testing.T) {
		var m Map[int, int]
		var calls atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				defer func() { _ = recover() }()
				v, _ := m.LoadOrCompute(1, func() int {
					if calls.Add(1) == 1 {
						panic("first compute fails")
					}
					return 42
				})
				assert.Equal(t, 42, v)
			})
		}
		wg.Wait()
		assert.Equal(t, int32(2), calls.Load(), "compute calls: one panic, then one success")
		v, ok := m.Load(1)
		assert.True(t, ok)
		assert.Equal(t, 42, v)
	})

	t.Run("Len counts inserts and deletes, not overwrites", func(t *testing.T) {
		var m Map[int, int]
		for i := range 1000 {
			m.Store(i, i)
			m.Store(i, i+1)
		}
		assert.Equal(t, 1000, m.Len())
		for i := range 500 {
			m.Delete(i)
		}
		assert.Equal(t, 500, m.Len())
		m.Clear()
		assert.Equal(t, 0, m.Len())
		m.Store(1, 1)
		assert.Equal(t, 1, m.Len())
	})

	t.Run("growth keeps every key", func(t *testing.T) {
		var m Map[string, int]
		const n = 20000
		for i := range n {
			m.Store(fmt.Sprint(i), i)
		}
		require.Equal(t, n, m.Len())
		for i := range n {
			v, ok := m.Load(fmt.Sprint(i))
			require.True(t, ok, "Load(%d) missing after growth", i)
			require.Equal(t, i, v)
		}
		require.Greater(t, len(m.table.Load().buckets), minBuckets)
	})

	t.Run("All, Keys and Values visit each key once", func(t *testing.T) {
		var m Map[int, int]
		for i := range 1000 {
			m.Store(i, -i)
		}
		seen := map[int]int{}
		for k, v := range m.All() {
			seen[k]++
			assert.Equal(t, -k, v)
		}
		assert.Len(t, seen, 1000)
		for k, n := range seen {
			assert.Equal(t, 1, n, "key %d visited %d times", k, n)
		}
		keys, sum := 0, 0
		for range m.Keys() {
			keys++
		}
		for v := range m.Values() {
			sum += v
		}
		assert.Equal(t, 1000, keys)
		assert.Equal(t, -999*1000/2, sum)
	})

	t.Run("iteration stops when the loop breaks", func(t *testing.T) {
		var m Map[int, int]
		for i := range 100 {
			m.Store(i, i)
		}
		n := 0
		for range m.All() {
			n++
			if n == 10 {
				break
			}
		}
		assert.Equal(t, 10, n)
		for range m.Keys() {
			break
		}
		for range m.Values() {
			break
		}
	})

	t.Run("the loop body may write to the map", func(t *testing.T) {
		var m Map[int, int]
		for i := range 100 {
			m.Store(i, i)
		}
		for k := range m.Keys() {
			m.Delete(k)
			m.Store(k+1000, k) // may grow the table mid-iteration
		}
		assert.Equal(t, 100, m.Len())
	})

	t.Run("all key kinds hash", func(t *testing.T) {
		testKeys(t, func(i int) int8 { return int8(i) }, 100)
		testKeys(t, func(i int) uint16 { return uint16(i) }, 1000)
		testKeys(t, func(i int) int32 { return int32(i) }, 1000)
		testKeys(t, func(i int) uint64 { return uint64(i) << 40 }, 1000)
		testKeys(t, func(i int) [2]int { return [2]int{i, -i} }, 1000)
		type name string
		testKeys(t, func(i int) name { return name(fmt.Sprint(i)) }, 1000)
		// Every length of the in-line string hash and maphash's beyond it.
		testKeys(t, func(i int) string { return strings.Repeat("x", i) }, 40)
		testKeys(t, func(i int) string { return fmt.Sprintf("%040d", i) }, 1000)
		testKeys(t, func(i int) any { return i }, 1000)
	})

	t.Run("overflow chains are used before the table grows", func(t *testing.T) {
		// Keys that all land in one bucket force a chain.
		var m Map[int, int]
		m.Store(0, 0)
		tb := m.table.Load()
		want := tb.hash(0) >> 7 & tb.mask
		var same []int
		for i := 1; len(same) < 3*slotsPerBucket; i++ {
			if tb.hash(i)>>7&tb.mask == want {
				same = append(same, i)
			}
		}
		for _, k := range same {
			m.Store(k, k)
		}
		for _, k := range same {
			v, ok := m.Load(k)
			require.True(t, ok)
			require.Equal(t, k, v)
		}
		for _, k := range same[:4] {
			m.Delete(k)
		}
		for k, v := range m.All() {
			require.Equal(t, k, v)
		}
		m.Store(same[0], 1) // reuses a freed slot
		assert.Equal(t, 1+len(same)-3, m.Len())
	})
}

func TestHashString(t *testing.T) {
	seed := maphash.MakeSeed()
	s0, s1 := maphash.Comparable(seed, uint64(1)), maphash.Comparable(seed, uint64(2))
	hash := func(s string) uint64 { return hashString(s, s0, s1, seed) }

	t.Run("equal strings hash equal wherever their bytes are", func(t *testing.T) {
		for n := range 40 {
			s := strings.Repeat("ab", n)[:n]
			c := string([]byte(s)) // another copy of the bytes
			require.Equal(t, hash(s), hash(c), "hashString(%q) differs between copies", s)
		}
	})

	t.Run("every byte and the length count", func(t *testing.T) {
		seen := make(map[uint64]string)
		add := func(s string) {
			h := hash(s)
			if prev, ok := seen[h]; ok && prev != s {
				t.Fatalf("hashString(%q) = hashString(%q) = %#x", s, prev, h)
			}
			seen[h] = s
		}
		for n := range 40 {
			zeros := make([]byte, n)
			add(string(zeros))
			for i := range n {
				for _, c := range []byte{1, 0x80, 0xff} {
					b := make([]byte, n)
					b[i] = c
					add(string(b))
				}
			}
		}
	})

	t.Run("sequential keys spread evenly over buckets", func(t *testing.T) {
		const keys, buckets = 1 << 14, 1 << 10
		var count [buckets]int
		var top [128]int
		for i := range keys {
			h := hash(fmt.Sprint("key-", i))
			count[h>>7&(buckets-1)]++
			top[h&0x7f]++
		}
		// 16 keys per bucket on average; a fair hash keeps every bucket
		// within 8 standard deviations (4) of it.
		for b, n := range count {
			require.InDelta(t, keys/buckets, n, 32, "bucket %d holds %d keys", b, n)
		}
		for v, n := range top {
			require.InDelta(t, keys/128, n, 72, "%d keys have the meta byte %#x", n, v)
		}
	})
}

func testKeys[K comparable](t *testing.T, key func(int) K, n int) {
	t.Helper()
	var m Map[K, int]
	for i := range n {
		m.Store(key(i), i)
	}
	require.Equal(t, n, m.Len(), "Len() after %d distinct %T keys", n, key(0))
	for i := range n {
		v, ok := m.Load(key(i))
		require.True(t, ok, "Load(%v) missing", key(i))
		require.Equal(t, i, v)
	}
}

func TestPitfallC3MapNeedsNoAssertion(t *testing.T) {
	t.Run("sync.Map makes the caller assert and CompareAndSwap panic at run time", func(t *testing.T) {
		var sm sync.Map
		sm.Store("k", []int{1})
		require.Panics(t, func() { sm.CompareAndSwap("k", []int{1}, []int{2}) })
		v, _ := sm.Load("k")
		_, ok := v.(string)
		require.False(t, ok, "the assertion the caller must write can fail")
	})
	t.Run("Map returns V and ComparableMap compares interface values without panicking", func(t *testing.T) {
		var m Map[string, []int]
		m.Store("k", []int{1})
		v, _ := m.Load("k")
		require.Equal(t, []int{1}, v)
		// ComparableMap[string, []int] does not compile; with V an
		// interface the non-comparable case reports false.
		var cm ComparableMap[string, any]
		cm.Store("k", []int{1})
		require.False(t, cm.CompareAndSwap("k", []int{1}, 2))
		require.False(t, cm.CompareAndDelete("k", []int{1}))
		require.False(t, cm.CompareAndSwap("k", cm.mustLoad("k"), 2), "the stored slice itself is not comparable")
		cm.Store("n", 1)
		require.True(t, cm.CompareAndSwap("n", 1, 2))
	})
}

func (m *ComparableMap[K, V]) mustLoad(k K) V {
	v, _ := m.Load(k)
	return v
}

func TestMapDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	var m Map[string, int]
	keys := make([]string, 100)
	for i := range keys {
		keys[i] = fmt.Sprint("k", i)
		m.Store(keys[i], i)
	}
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		for _, k := range keys {
			m.Load(k)
		}
	}), "Load allocations")
	assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { m.Store("k1", 2) }), 1.0, "Store allocations")
	assert.Zero(t, testing.AllocsPerRun(100, func() { m.LoadOrStore("k1", 2) }), "LoadOrStore of a present key allocations")
	assert.Zero(t, testing.AllocsPerRun(10, func() {
		for range m.All() {
		}
	}), "All allocations")
}

// TestMapStress writes disjoint key ranges from GOMAXPROCS×4 goroutines
// while others iterate and call Len, then checks that no update was lost;
// then it deletes every key while others load, and checks that the table
// shrank back.
func TestMapStress(t *testing.T) {
	keys := 100_000
	if testing.Short() {
		keys = 10_000
	}
	workers := runtime.GOMAXPROCS(0) * 4
	var m Map[int, int]
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				seen := map[int]bool{}
				for k, v := range m.All() {
					if seen[k] {
						t.Errorf("All() visited key %d twice", k)
						return
					}
					seen[k] = true
					if v != k && v != -k {
						t.Errorf("All() yielded %d=%d; want %d or %d", k, v, k, -k)
						return
					}
				}
				if n := m.Len(); n < 0 || n > keys {
					t.Errorf("Len() = %d; want within [0, %d]", n, keys)
					return
				}
			}
		})
	}
	var writers sync.WaitGroup
	for w := range workers {
		writers.Go(func() {
			for k := w; k < keys; k += workers {
				m.Store(k, -k)
				if _, loaded := m.LoadOrStore(k, 0); !loaded {
					t.Errorf("LoadOrStore(%d) did not find the key just stored", k)
				}
				m.Compute(k, func(old int, loaded bool) (int, ComputeOp) { return -old, UpdateOp })
				if k%3 == 0 {
					m.Delete(k)
				}
			}
		})
	}
	writers.Wait()
	close(stop)
	readers.Wait()
	want := keys - (keys+2)/3
	require.Equal(t, want, m.Len())
	for k := range keys {
		v, ok := m.Load(k)
		if k%3 == 0 {
			require.False(t, ok, "Load(%d) found a deleted key", k)
		} else {
			require.True(t, ok, "Load(%d) lost", k)
			require.Equal(t, k, v)
		}
	}

	// Then the writers delete every key, in two passes, while readers load
	// every key: the table shrinks under them.
	var deleters sync.WaitGroup
	stop = make(chan struct{})
	for w := range workers {
		deleters.Go(func() {
			for k := w; k < keys; k += workers {
				if k%2 == 0 {
					m.Delete(k)
				}
			}
			for k := w; k < keys; k += workers {
				m.Delete(k)
			}
		})
	}
	for range 2 {
		readers.Go(func() {
			for k := 0; ; k = (k + 1) % keys {
				select {
				case <-stop:
					return
				default:
				}
				if v, ok := m.Load(k); ok && v != k {
					t.Errorf("Load(%d) = %d while the map shrank; want %d", k, v, k)
					return
				}
			}
		})
	}
	deleters.Wait()
	close(stop)
	readers.Wait()
	require.Zero(t, m.Len(), "Len() after deleting every key")
	require.Equal(t, minBuckets, len(m.table.Load().buckets), "buckets after deleting every key")
}

// TestMapClearDuringWrites checks that Clear and growth racing with writers
// keep the count and the contents consistent.
func TestMapClearDuringWrites(t *testing.T) {
	var m Map[int, int]
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 5000 {
				m.Store(w*10000+i, i)
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			m.Clear()
			runtime.Gosched()
		}
	})
	wg.Wait()
	n := 0
	for range m.All() {
		n++
	}
	require.Equal(t, n, m.Len())
}

// stripeOf returns the index of the counter that key's inserts and deletes
// update in m's current table.
func stripeOf[K comparable, V any](m *Map[K, V], key K) int {
	t := m.table.Load()
	return int((t.hash(key) >> 7) & t.smask)
}

// keysInStripes returns two int keys whose counters are i and j in m's table.
func keysInStripes(t *testing.T, m *Map[int, int], i, j int) (a, b int) {
	t.Helper()
	a, b = -1, -1
	for k := 0; a < 0 || b < 0; k++ {
		switch s := stripeOf(m, k); {
		case s == i && a < 0:
			a = k
		case s == j && b < 0 && k != a:
			b = k
		}
	}
	return a, b
}

// TestMapLenDuringWrites pins what Len promises under concurrent writes:
// it may report a size the map never had, off by at most the inserts and
// deletes that overlap the call.
func TestMapLenDuringWrites(t *testing.T) {
	// withHook runs write once, after Len has read counter after.
	withHook := func(t *testing.T, after int, write func()) {
		done := false
		testHookCount = func(i int) {
			if i == after && !done {
				done = true
				write()
			}
		}
		t.Cleanup(func() { testHookCount = nil })
	}

	t.Run("a key moving to a later counter during Len is counted twice", func(t *testing.T) {
		var m Map[int, int]
		m.Store(-1, 0) // creates the table
		m.Delete(-1)
		last := len(m.table.Load().stripes) - 1
		a, b := keysInStripes(t, &m, 0, last)
		m.Store(a, 0)
		// The map holds one key throughout but for an instant with none:
		// any size outside [0, 1] is one the map never had.
		withHook(t, 0, func() { m.Delete(a); m.Store(b, 0) })
		got := m.Len()
		require.Equal(t, 2, got, "Len() with key %d deleted from counter 0 and key %d inserted into counter %d mid-call", a, b, last)
		const start, concurrentWrites = 1, 2
		require.LessOrEqual(t, got-start, concurrentWrites, "Len() = %d; want within %d of %d", got, concurrentWrites, start)
		testHookCount = nil
		require.Equal(t, 1, m.Len(), "Len() at rest")
	})

	t.Run("a key moving to an earlier counter during Len is not counted", func(t *testing.T) {
		var m Map[int, int]
		m.Store(-1, 0)
		m.Delete(-1)
		last := len(m.table.Load().stripes) - 1
		a, b := keysInStripes(t, &m, 0, last)
		m.Store(b, 0)
		// The map holds one key throughout and for an instant two: any
		// size outside [1, 2] is one the map never had.
		withHook(t, 0, func() { m.Store(a, 0); m.Delete(b) })
		got := m.Len()
		require.Equal(t, 0, got, "Len() with key %d inserted into counter 0 and key %d deleted from counter %d mid-call", a, b, last)
		const start, concurrentWrites = 1, 2
		require.LessOrEqual(t, start-got, concurrentWrites, "Len() = %d; want within %d of %d", got, concurrentWrites, start)
		testHookCount = nil
		require.Equal(t, 1, m.Len(), "Len() at rest")
	})

	t.Run("under 8 writers Len stays within the writes that overlap it", func(t *testing.T) {
		testLenUnderWriters(t, 8)
	})
}

// lenWriter is one writer of testLenUnderWriters: begun counts the
// operations it started, ended those that returned.
type lenWriter struct {
	begun, ended atomic.Int64
	_            [48]byte
}

// testLenUnderWriters checks Len against its documented bound while writers
// goroutines insert and delete. Each writer keeps a window of win keys of its
// own and slides it: insert the next key, delete the oldest, so that keys
// move between counters all the time. After k operations of its own a
// writer has win+k%2 keys in the map. Around each Len call the test reads
// every writer's ended count before and begun count after: the writes that
// overlap the call are among those in between, and the size when the call
// began is one that the writers' counts allow.
func testLenUnderWriters(t *testing.T, writers int) {
	const base, win = 1000, 16
	ops := int64(20000)
	if raceEnabled || testing.Short() {
		ops = 2000
	}
	var m Map[int, int]
	for k := range base {
		m.Store(-1-k, 0)
	}
	ws := make([]lenWriter, writers)
	for w := range writers {
		for j := range win {
			m.Store(w+writers*j, 0)
		}
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			<-start
			lw := &ws[w]
			oldest, next := w, w+writers*win
			for k := range ops {
				lw.begun.Add(1)
				if k%2 == 0 {
					m.Store(next, 0)
					next += writers
				} else {
					m.Delete(oldest)
					oldest += writers
				}
				lw.ended.Add(1)
			}
		})
	}
	close(start)
	e0 := make([]int64, writers)
	calls, outside := 0, 0
	for ws[0].ended.Load() < ops {
		for w := range ws {
			e0[w] = ws[w].ended.Load()
		}
		got := m.Len()
		lo, hi, overlap := base, base, int64(0)
		for w := range ws {
			b1 := ws[w].begun.Load()
			overlap += b1 - e0[w]
			if b1 > e0[w] { // the size began at win or win+1
				hi++
			} else { // no write of w overlapped: e0[w] writes were done
				lo += int(e0[w] % 2)
				hi += int(e0[w] % 2)
			}
			lo += win
			hi += win
		}
		if got < lo-int(overlap) || got > hi+int(overlap) {
			t.Fatalf("Len() = %d; want within %d writes of a size in [%d, %d]", got, overlap, lo, hi)
		}
		if got < base+writers*win || got > base+writers*(win+1) {
			outside++ // a size the map never had
		}
		calls++
	}
	wg.Wait()
	require.Equal(t, base+writers*win, m.Len(), "Len() at rest after %d operations per writer", ops)
	t.Logf("%d Len calls, %d of them outside every size the map had", calls, outside)
}

func TestMapLoadOrTryCompute(t *testing.T) {
	errDown := errors.New("backend down")

	t.Run("an error stores nothing and reaches only its caller", func(t *testing.T) {
		var m Map[string, int]
		v, loaded, err := m.LoadOrTryCompute("k", func() (int, error) { return 7, errDown })
		require.ErrorIs(t, err, errDown, "LoadOrTryCompute with a failing compute")
		require.Zero(t, v, "value with a failing compute")
		require.False(t, loaded)
		_, ok := m.Load("k")
		require.False(t, ok, "Load after a failed compute found a value")
		require.Zero(t, m.Len())

		v, loaded, err = m.LoadOrTryCompute("k", func() (int, error) { return 8, nil })
		require.NoError(t, err)
		require.Equal(t, 8, v, "LoadOrTryCompute after a failed one")
		require.False(t, loaded)
		v, loaded, err = m.LoadOrTryCompute("k", func() (int, error) {
			t.Error("compute called for a present key")
			return 0, nil
		})
		require.NoError(t, err)
		require.Equal(t, 8, v, "LoadOrTryCompute of a present key")
		require.True(t, loaded)
	})

	t.Run("among concurrent callers computes run one at a time and at most one succeeds", func(t *testing.T) {
		const callers, failures = 8, 3
		var m Map[int, int]
		var running, calls, successes atomic.Int32
		errs := make([]error, callers)
		vals := make([]int, callers)
		loadeds := make([]bool, callers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for c := range callers {
			wg.Go(func() {
				<-start
				vals[c], loadeds[c], errs[c] = m.LoadOrTryCompute(1, func() (int, error) {
					if running.Add(1) != 1 {
						t.Error("two computes for one key ran at once")
					}
					defer running.Add(-1)
					if calls.Add(1) <= failures {
						return 0, fmt.Errorf("caller %d: %w", c, errDown)
					}
					successes.Add(1)
					return 100 + c, nil
				})
			})
		}
		close(start)
		wg.Wait()
		require.Equal(t, int32(1), successes.Load(), "successful computes")
		require.Equal(t, int32(failures+1), calls.Load(), "compute calls: the failures, then one success")
		stored, ok := m.Load(1)
		require.True(t, ok)
		failed, computed := 0, 0
		for c := range callers {
			switch {
			case errs[c] != nil:
				failed++
				require.ErrorIs(t, errs[c], errDown)
				require.Contains(t, errs[c].Error(), fmt.Sprintf("caller %d:", c), "a caller got another caller's error")
				require.False(t, loadeds[c])
			case !loadeds[c]:
				computed++
				require.Equal(t, stored, vals[c], "the computing caller's value")
			default:
				require.Equal(t, stored, vals[c], "a loading caller's value")
			}
		}
		require.Equal(t, failures, failed, "callers that got an error")
		require.Equal(t, 1, computed, "callers that stored their value")
	})

	t.Run("a panicking compute stores nothing and releases the lock", func(t *testing.T) {
		var m Map[string, int]
		require.PanicsWithValue(t, "boom", func() {
			_, _, _ = m.LoadOrTryCompute("k", func() (int, error) { panic("boom") })
		})
		v, loaded, err := m.LoadOrTryCompute("k", func() (int, error) { return 2, nil })
		require.NoError(t, err)
		require.Equal(t, 2, v)
		require.False(t, loaded)
	})

	t.Run("a compute that calls runtime.Goexit stores nothing and releases the lock", func(t *testing.T) {
		var m Map[string, int]
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _, _ = m.LoadOrTryCompute("k", func() (int, error) { runtime.Goexit(); return 1, nil })
		}()
		<-done
		v, loaded, err := m.LoadOrTryCompute("k", func() (int, error) { return 2, nil })
		require.NoError(t, err, "LoadOrTryCompute after a compute that called runtime.Goexit")
		require.Equal(t, 2, v, "LoadOrTryCompute after a compute that called runtime.Goexit")
		require.False(t, loaded, "LoadOrTryCompute after a compute that called runtime.Goexit: loaded")
	})

	t.Run("keys hashed by maphash are computed once and then loaded", func(t *testing.T) {
		type point struct{ x, y int }
		var m Map[point, string]
		for i := range 100 {
			v, loaded, err := m.LoadOrTryCompute(point{i, -i}, func() (string, error) { return fmt.Sprint(i), nil })
			require.NoError(t, err, "LoadOrTryCompute(point{%d, %d}) of an absent key", i, -i)
			require.Equal(t, fmt.Sprint(i), v, "LoadOrTryCompute(point{%d, %d}) of an absent key", i, -i)
			require.False(t, loaded, "LoadOrTryCompute(point{%d, %d}) of an absent key: loaded", i, -i)
		}
		for i := range 100 {
			v, loaded, err := m.LoadOrTryCompute(point{i, -i}, func() (string, error) {
				t.Errorf("compute called for the present key point{%d, %d}", i, -i)
				return "", nil
			})
			require.NoError(t, err)
			require.Equal(t, fmt.Sprint(i), v, "LoadOrTryCompute(point{%d, %d}) of a present key", i, -i)
			require.True(t, loaded, "LoadOrTryCompute(point{%d, %d}) of a present key: loaded", i, -i)
		}
	})

	t.Run("inserts that fill the table grow it and every key stays", func(t *testing.T) {
		const n = 20 * minBuckets * slotsPerBucket
		var m Map[int, int]
		for i := range n {
			_, _, err := m.LoadOrTryCompute(i, func() (int, error) { return -i, nil })
			require.NoError(t, err, "LoadOrTryCompute(%d)", i)
			if i%2 == 0 { // a failing compute of an absent key changes nothing
				_, _, err = m.LoadOrTryCompute(n+i, func() (int, error) { return 0, errDown })
				require.ErrorIs(t, err, errDown, "LoadOrTryCompute(%d) with a failing compute", n+i)
			}
		}
		require.Equal(t, n, m.Len(), "Len() after %d inserts by LoadOrTryCompute", n)
		tb := m.table.Load()
		require.False(t, tb.full(tb.count()), "the table is more than 3/4 full after inserts by LoadOrTryCompute: %d keys in %d buckets", n, len(tb.buckets))
		for i := range 2 * n {
			v, ok := m.Load(i)
			require.Equal(t, i < n, ok, "Load(%d) found", i)
			if ok {
				require.Equal(t, -i, v, "Load(%d)", i)
			}
		}
	})

	t.Run("a call that finds the table being resized computes in the new table", func(t *testing.T) {
		var m Map[int, int]
		for i := range 10 {
			m.Store(i, i)
		}
		old := m.table.Load()
		m.Grow(1000) // freezes old and replaces it
		require.NotSame(t, old, m.table.Load(), "Grow(1000) kept the table")
		require.True(t, old.frozen.Load(), "the table Grow replaced is not frozen")
		m.Store(10, 10) // only in the new table

		// A call that looked the key up in old, just before it was
		// frozen, and then locks its chain in old.
		calls := 0
		v, loaded, err := m.tryCompute(old, old.hash(11), 11, func() (int, error) { calls++; return 11, nil })
		require.NoError(t, err, "tryCompute(11) in a frozen table")
		require.Equal(t, 11, v, "tryCompute(11) in a frozen table")
		require.False(t, loaded, "tryCompute(11) in a frozen table: loaded")
		require.Equal(t, 1, calls, "compute calls of tryCompute(11)")
		got, ok := m.Load(11)
		require.True(t, ok, "Load(11) after tryCompute(11) in a frozen table found")
		require.Equal(t, 11, got, "Load(11) after tryCompute(11) in a frozen table")
		require.Equal(t, 12, m.Len(), "Len() after tryCompute(11) in a frozen table")

		v, loaded, err = m.tryCompute(old, old.hash(10), 10, func() (int, error) {
			t.Error("compute called for key 10, stored in the new table")
			return 0, nil
		})
		require.NoError(t, err, "tryCompute(10) in a frozen table")
		require.Equal(t, 10, v, "tryCompute(10) in a frozen table of a key stored in the new one")
		require.True(t, loaded, "tryCompute(10) in a frozen table of a key stored in the new one: loaded")
	})

	t.Run("calls racing with resizes compute each key once", func(t *testing.T) {
		const keys, rounds = 2000, 3
		var m Map[int, int]
		var computes [keys]atomic.Int32
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				for r := range rounds {
					for i := range keys {
						k := (i*7 + g*13 + r) % keys
						v, _, err := m.LoadOrTryCompute(k, func() (int, error) {
							if (k+g)%5 == 0 {
								return 0, errDown
							}
							computes[k].Add(1)
							return k * 3, nil
						})
						if err == nil && v != k*3 {
							t.Errorf("LoadOrTryCompute(%d) = %d; want %d", k, v, k*3)
						}
					}
				}
			})
		}
		wg.Go(func() { // resizes on top of those the inserts cause
			for r := range rounds {
				m.Grow(keys << r)
				runtime.Gosched()
			}
		})
		wg.Wait()
		for k := range keys {
			v, ok := m.Load(k)
			require.True(t, ok, "Load(%d) after every goroutine called LoadOrTryCompute(%d) %d times", k, k, rounds)
			require.Equal(t, k*3, v, "Load(%d)", k)
			require.Equal(t, int32(1), computes[k].Load(), "successful computes of key %d", k)
		}
	})
}

func TestMapDeleteFunc(t *testing.T) {
	odd := func(_, v int) bool { return v%2 != 0 }

	t.Run("deletes the keys del chooses and returns how many", func(t *testing.T) {
		var m Map[int, int]
		require.Zero(t, m.DeleteFunc(func(int, int) bool {
			t.Error("del called on the zero Map")
			return true
		}), "DeleteFunc on the zero Map")
		for i := range 1000 {
			m.Store(i, i)
		}
		require.Equal(t, 500, m.DeleteFunc(odd), "DeleteFunc(odd values)")
		require.Equal(t, 500, m.Len(), "Len() after DeleteFunc")
		for i := range 1000 {
			_, ok := m.Load(i)
			require.Equal(t, i%2 == 0, ok, "Load(%d) after deleting odd values", i)
		}
		require.Zero(t, m.DeleteFunc(odd), "DeleteFunc again")
	})

	t.Run("a value stored after del saw the key is kept, even by del itself", func(t *testing.T) {
		var m Map[int, int]
		for i := range 100 {
			m.Store(i, 1)
		}
		n := m.DeleteFunc(func(k, v int) bool {
			switch k % 4 {
			case 0:
				m.Store(k, 2) // a new value: must survive
			case 1:
				m.Store(k, v) // a new entry with an equal value: must survive too
			case 2:
				m.Delete(k) // gone already: not counted
			}
			return true
		})
		require.Equal(t, 25, n, "DeleteFunc deleted count; want only the keys left as del saw them")
		for k := range 100 {
			v, ok := m.Load(k)
			switch k % 4 {
			case 0:
				require.True(t, ok, "Load(%d): a value stored after del saw the key was deleted", k)
				require.Equal(t, 2, v)
			case 1:
				require.True(t, ok, "Load(%d): an equal value stored after del saw the key was deleted", k)
			default:
				require.False(t, ok, "Load(%d) after DeleteFunc", k)
			}
		}
	})

	t.Run("each key is passed at most once while del grows and shrinks the map", func(t *testing.T) {
		var m Map[int, int]
		const n = 2000
		for i := range n {
			m.Store(i, i)
		}
		seen := map[int]int{}
		next, calls := n, 0
		sizes := []int{len(m.table.Load().buckets)}
		m.DeleteFunc(func(k, v int) bool {
			seen[k]++
			if calls++; calls <= n/2 {
				for range 8 { // new keys: they may or may not be passed
					m.Store(next, next)
					next++
				}
			} else {
				for range 8 {
					next--
					m.Delete(next)
				}
			}
			if b := len(m.table.Load().buckets); b != sizes[len(sizes)-1] {
				sizes = append(sizes, b)
			}
			return true
		})
		require.Greater(t, slices.Max(sizes), sizes[0], "table sizes %v during DeleteFunc; want a growth", sizes)
		require.Less(t, sizes[len(sizes)-1], slices.Max(sizes), "table sizes %v during DeleteFunc; want a shrink", sizes)
		for k, c := range seen {
			require.Equal(t, 1, c, "key %d passed to del %d times", k, c)
		}
		for k := range n {
			require.Equal(t, 1, seen[k], "key %d, present throughout, passed to del %d times", k, seen[k])
			_, ok := m.Load(k)
			require.False(t, ok, "Load(%d): a key del chose is still there", k)
		}
	})

	t.Run("a panic in del propagates and keeps the deletes made", func(t *testing.T) {
		var m Map[int, int]
		for i := range 100 {
			m.Store(i, i)
		}
		calls := 0
		require.PanicsWithValue(t, "boom", func() {
			m.DeleteFunc(func(int, int) bool {
				if calls++; calls == 10 {
					panic("boom")
				}
				return true
			})
		})
		require.Equal(t, 91, m.Len(), "Len() after del panicked on its 10th call")
		require.Equal(t, 91, m.DeleteFunc(func(int, int) bool { return true }), "DeleteFunc after a panic")
	})

	t.Run("under concurrent writers, keys they do not touch are deleted exactly as del says", func(t *testing.T) {
		var m Map[int, int]
		const untouched = 5000
		for i := range untouched {
			m.Store(i, i)
		}
		var calls sync.Map
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() { // grows and shrinks the table, with keys of its own
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					k := untouched + w*1_000_000 + i%20_000
					if i/20_000%2 == 0 {
						m.Store(k, 2*i)
					} else {
						m.Delete(k)
					}
				}
			})
		}
		for range 3 {
			m.DeleteFunc(func(k, v int) bool {
				if k < untouched {
					if c, _ := calls.LoadOrStore(k, new(atomic.Int32)); c.(*atomic.Int32).Add(1) > 1 {
						t.Errorf("key %d passed to del twice", k)
					}
				}
				return v%2 != 0
			})
			calls.Clear()
		}
		close(stop)
		wg.Wait()
		for k := range untouched {
			_, ok := m.Load(k)
			require.Equal(t, k%2 == 0, ok, "Load(%d) of an untouched key after DeleteFunc(odd values)", k)
		}
	})
}
