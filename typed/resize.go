package typed

import (
	"fmt"
	"hash/maphash"
	"math/bits"
	"runtime"
	"unsafe"
)

// Sizing of the hash table.
//
// A table grows, doubling, when an insert lands in an overflow bucket and
// the table holds more than growNum/growDen of its root slots. It shrinks
// when a delete finds it below shrinkNum/shrinkDen, to the smallest size
// (not below minBuckets or the floor set by Grow) that holds its keys at
// targetNum/targetDen or less: the load a growth leaves. After a growth the
// load is a little over 3/8, after a shrink between 3/16 and 3/8 (but for
// the smallest table and Grow's floor): the next resize needs the map to
// about double, or to lose a third of its keys, and a churn at a steady
// size never resizes again.
const (
	minBuckets = 8
	maxStripes = 64

	growNum, growDen     = 3, 4
	shrinkNum, shrinkDen = 1, 8
	targetNum, targetDen = 3, 8

	// maxTableBytes bounds the bucket array: half the address space the
	// runtime can allocate from (1<<48 bytes on 64-bit platforms).
	maxTableBytes = 1 << (31 + 16*(bits.UintSize/64))
)

// resizeHint is what a write found its table due for.
type resizeHint uint8

const (
	noResize  resizeHint = iota
	growDue              // over growNum/growDen, with an overflow chain
	shrinkDue            // a stripe's share suggests under shrinkNum/shrinkDen
)

func newTable[K comparable, V any](n int, h hasher[K]) *table[K, V] {
	s := min(n, maxStripes, 2*int(nextPow2(uint64(runtime.GOMAXPROCS(0)))))
	return &table[K, V]{
		buckets: make([]bucket[K, V], n),
		mask:    uint64(n - 1),
		hasher:  h,
		stripes: make([]stripe, s),
		smask:   uint64(s - 1),
	}
}

func nextPow2(v uint64) uint64 {
	if v <= 1 {
		return 1
	}
	return 1 << bits.Len64(v-1)
}

// slots returns the number of root slots of t.
func (t *table[K, V]) slots() int64 { return int64(len(t.buckets)) * slotsPerBucket }

// full reports whether n keys are more than t should hold.
func (t *table[K, V]) full(n int64) bool { return n*growDen > t.slots()*growNum }

// sparse reports whether n keys are fewer than t should hold, for a table
// that could shrink.
func (t *table[K, V]) sparse(n int64) bool {
	return len(t.buckets) > minBuckets && n*shrinkDen < t.slots()*shrinkNum
}

// maxBuckets is the largest number of buckets a table of K and V may have.
func maxBuckets[K comparable, V any]() uint64 {
	return maxTableBytes / uint64(unsafe.Sizeof(bucket[K, V]{}))
}

// bucketsFor returns the smallest number of buckets, a power of two of at
// least minBuckets, that holds keys at num/den of its root slots or less,
// and false if that is more than maxBuckets.
func bucketsFor[K comparable, V any](keys uint64, num, den uint64) (int, bool) {
	limit := maxBuckets[K, V]()
	if keys > limit*slotsPerBucket {
		return 0, false // keys*den cannot be computed, and would not fit anyway
	}
	slots := (keys*den + num - 1) / num
	n := max(nextPow2((slots+slotsPerBucket-1)/slotsPerBucket), minBuckets)
	if n > limit {
		return 0, false
	}
	return int(n), true
}

// Grow makes room for n more keys: storing n keys that are not in the map
// after Grow(n) does not resize the table, unless other writes fill it
// meanwhile. The table never shrinks below the size Grow gave it, and
// [Map.Clear] empties it to that size: Grow is how to presize a Map without
// a constructor, so that the zero Map stays valid.
//
// Grow allocates the table at once, as make does: it panics if n is negative
// or if a table for n more keys would exceed the address space, and may run
// the program out of memory for a smaller n that still does not fit. It
// blocks writes while it moves the keys to the larger table, as growth does;
// Load goes on meanwhile.
func (m *Map[K, V]) Grow(n int) {
	if n < 0 {
		panic(fmt.Sprintf("typed: Map.Grow(%d) with a negative n", n))
	}
	m.resizeMu.Lock()
	defer m.resizeMu.Unlock()
	t := m.table.Load()
	var have uint64
	if t != nil {
		have = uint64(max(t.count(), 0))
	}
	need, ok := bucketsFor[K, V](have+uint64(n), growNum, growDen)
	if !ok {
		panic(fmt.Sprintf("typed: Map.Grow(%d): a table for that many keys would exceed the address space", n))
	}
	if int64(need) > m.floor.Load() {
		m.floor.Store(int64(need))
	}
	switch {
	case t == nil:
		m.table.Store(newTable[K, V](need, newHasher[K](maphash.MakeSeed())))
	case need > len(t.buckets):
		m.resizeTo(t, need)
	}
}

// Clear deletes every key and replaces the table with a new, empty one of
// the size Grow reserved (the smallest size if Grow was never called),
// leaving the old one to the garbage collector. It does not wait for writes
// in progress: each write that overlaps Clear takes effect either before it,
// and is deleted, or after it. Iterations in progress go on over the old
// contents.
func (m *Map[K, V]) Clear() {
	m.resizeMu.Lock()
	defer m.resizeMu.Unlock()
	old := m.table.Load()
	if old == nil {
		return
	}
	// Writers that lock a chain of old from now on see it frozen and wait
	// for the new table; those already past the check finish in old, and
	// their writes are deleted with it.
	old.frozen.Store(true)
	m.table.Store(newTable[K, V](max(minBuckets, int(m.floor.Load())), old.hasher))
}

func (m *Map[K, V]) init() *table[K, V] {
	m.resizeMu.Lock()
	defer m.resizeMu.Unlock()
	t := m.table.Load()
	if t == nil {
		t = newTable[K, V](minBuckets, newHasher[K](maphash.MakeSeed()))
		m.table.Store(t)
	}
	return t
}

// awaitResize waits for the resize or Clear in progress and returns the new table.
func (m *Map[K, V]) awaitResize() *table[K, V] {
	m.resizeMu.Lock()
	t := m.table.Load()
	m.resizeMu.Unlock()
	return t
}

// resize grows or shrinks t as hint says it is due, unless t was replaced
// already or the whole count says otherwise.
func (m *Map[K, V]) resize(t *table[K, V], hint resizeHint) {
	switch hint {
	case growDue:
		m.resizeMu.Lock()
		defer m.resizeMu.Unlock()
		if m.table.Load() == t && t.full(t.count()) {
			m.resizeTo(t, 2*len(t.buckets))
		}
	case shrinkDue:
		// Cheap checks first: a delete in a sparse stripe of a table that
		// may not shrink, or that is not sparse as a whole, stops here.
		if int64(len(t.buckets)) <= m.floor.Load() || !t.sparse(t.count()) {
			return
		}
		m.resizeMu.Lock()
		defer m.resizeMu.Unlock()
		if m.table.Load() != t {
			return
		}
		n := max(t.count(), 0)
		if !t.sparse(n) {
			return
		}
		target, _ := bucketsFor[K, V](uint64(n), targetNum, targetDen) // n fits: t holds it
		target = max(target, int(m.floor.Load()))
		if target < len(t.buckets) {
			m.resizeTo(t, target)
		}
	}
}

// resizeTo replaces old, the current table, with one of n buckets holding
// the same entries. The caller holds m.resizeMu.
func (m *Map[K, V]) resizeTo(old *table[K, V], n int) {
	old.frozen.Store(true)
	t := newTable[K, V](n, old.hasher)
	counts := make([]int64, len(t.stripes))
	for i := range old.buckets {
		root := &old.buckets[i]
		root.mu.Lock() // wait for the writer in this chain; later ones see frozen
		for b := root; b != nil; b = b.next.Load() {
			for w := b.meta.Load() & msbs & metaSlots; w != 0; w &= w - 1 {
				e := b.slots[bits.TrailingZeros64(w)>>3].Load()
				h := t.hash(e.key)
				t.insertFresh(h, e)
				counts[(h>>7)&t.smask]++
			}
		}
		root.mu.Unlock()
	}
	for i, c := range counts {
		t.stripes[i].n.Store(c)
	}
	m.table.Store(t)
}

// insertFresh inserts e into t, which no other goroutine can see yet.
func (t *table[K, V]) insertFresh(h uint64, e *entry[K, V]) {
	b := t.root(h)
	for {
		meta := b.meta.Load()
		if free := ^meta & msbs & metaSlots; free != 0 {
			i := bits.TrailingZeros64(free) >> 3
			b.slots[i].Store(e)
			b.meta.Store(meta | h2(h)<<(8*i))
			return
		}
		next := b.next.Load()
		if next == nil {
			next = &bucket[K, V]{}
			b.next.Store(next)
		}
		b = next
	}
}
