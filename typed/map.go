package typed

import (
	"hash/maphash"
	"iter"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/boundgo/bound/internal/panics"
)

// Layout of the hash table.
//
// A table is a power-of-two array of 64-byte buckets. A bucket holds up to
// slotsPerBucket pointers to immutable entries, a meta word with one byte per
// slot (0 when the slot is empty, 0x80|7 bits of the key's hash otherwise) and
// a pointer to an overflow bucket. Readers load the meta word, compare all
// slots' hash bytes at once (SWAR), and load only the matching entries: no
// lock, no write to shared memory, no allocation. Writers lock the root
// bucket of the chain. When the table is resized (resize.go), the resizer
// freezes it, copies every chain under that chain's lock and publishes the
// new table; readers keep reading the frozen table meanwhile, writers wait
// for the new one.
const (
	slotsPerBucket = 5 // 8 (mutex) + 8 (meta) + 5*8 (slots) + 8 (next) = 64 bytes

	metaSlots = 1<<(8*slotsPerBucket) - 1 // bytes of meta that belong to slots
	lsbs      = 0x0101010101010101
	msbs      = 0x8080808080808080
)

// ComputeOp tells [Map.Compute] what to do with the value its function returns.
type ComputeOp int

const (
	// CancelOp leaves the map as it was.
	CancelOp ComputeOp = iota
	// UpdateOp stores the returned value, inserting the key if it was absent.
	UpdateOp
	// DeleteOp deletes the key if it was present.
	DeleteOp
)

// A Map is a concurrent hash map from K to V: a typed [sync.Map] whose
// readers take no lock and do not allocate.
//
// The zero Map is empty and ready to use; [Map.Grow] presizes it. A Map must
// not be copied after first use. All methods are safe for concurrent use;
// each one is linearizable except the iterators ([Map.Range], [Map.All],
// [Map.Keys], [Map.Values]), [Map.DeleteFunc] and [Map.Len], which are
// weakly consistent as documented on each.
//
// Blocking: Load never blocks. A write locks the chain of buckets its key
// hashes to (a handful of keys share a chain), so it waits for another write
// to that chain, including a running Compute or LoadOrCompute function, and
// for a resize in progress, which copies every entry once.
//
// Cost and memory: Load hashes the key (integer keys and strings of up to 16
// bytes in line, other keys with [maphash.Comparable]; either way with seeds
// drawn at random for each Map) and reads a few cache lines. Each
// Store, Swap or insert allocates one immutable entry holding the key and the
// value (unsafe.Sizeof(K)+unsafe.Sizeof(V) rounded up to an allocator size
// class, 24 bytes for a string key and an int value); that is the only
// allocation a write makes apart from resizes. Buckets cost 64 bytes per 5
// slots. The table doubles when more than 3/4 full, and when deletes leave
// it less than 1/8 full it shrinks to the smallest size that is at most 3/8
// full (never below what Grow reserved): the memory of deleted keys comes
// back, and a resize leaves the map far from both thresholds, so that a
// churn of stores and deletes at a steady size does not resize it again.
// Resizes cost amortized O(1) per insert and delete. So a map of n entries
// takes about
// n*(entry + 17 to 34) bytes when it grew to n, and at most about
// n*(entry + 103) after deletes (or its smallest table, 512 bytes, or what
// Grow reserved), plus a few hundred bytes of counters; sync.Map boxes keys
// and values on top of its own entries.
//
// For CompareAndSwap and CompareAndDelete, which need V to be comparable,
// use [ComparableMap]: with a non-comparable V they do not compile, where
// sync.Map panics at run time.
type Map[K comparable, V any] struct {
	table atomic.Pointer[table[K, V]] // nil until the first write

	// resizeMu serializes resizes, Grow, Clear and the creation of the
	// first table; writers that find the table frozen wait on it.
	resizeMu sync.Mutex

	// floor is the number of buckets that Grow reserved: the table does
	// not shrink below it. Written under resizeMu.
	floor atomic.Int64
}

type entry[K comparable, V any] struct {
	key   K
	value V
}

type bucket[K comparable, V any] struct {
	mu    sync.Mutex // of a root bucket: guards writes to its whole chain
	meta  atomic.Uint64
	slots [slotsPerBucket]atomic.Pointer[entry[K, V]]
	next  atomic.Pointer[bucket[K, V]] // overflow; set once, under the root's mu
}

type stripe struct {
	n atomic.Int64
	_ [56]byte // own cache line: writers on different buckets do not share it
}

type table[K comparable, V any] struct {
	// Read by every operation: kept together at the start, in one cache line.
	buckets   []bucket[K, V] // length is a power of two
	mask      uint64         // len(buckets) - 1
	hasher[K]                // the same for every table of one Map

	// frozen is set by the resizer (under Map.resizeMu) before it copies
	// the table; a writer that sees it after locking a bucket backs off.
	frozen atomic.Bool

	stripes []stripe // entries added minus removed, spread by bucket
	smask   uint64   // len(stripes) - 1
}

// root returns the first bucket of h's chain. It is &t.buckets[(h>>7)&t.mask]
// without the bounds check, which the mask makes needless
// (BenchmarkABLoad).
func (t *table[K, V]) root(h uint64) *bucket[K, V] {
	return (*bucket[K, V])(unsafe.Add(unsafe.Pointer(unsafe.SliceData(t.buckets)),
		uintptr((h>>7)&t.mask)*unsafe.Sizeof(bucket[K, V]{})))
}

// slot returns the slot of the lowest byte flagged in w, a result of
// matches or of a mask with metaSlots. It is
// &b.slots[bits.TrailingZeros64(w)>>3] without the bounds check, which
// metaSlots makes needless (BenchmarkABLoad).
func (b *bucket[K, V]) slot(w uint64) *atomic.Pointer[entry[K, V]] {
	return (*atomic.Pointer[entry[K, V]])(unsafe.Add(unsafe.Pointer(&b.slots),
		uintptr(bits.TrailingZeros64(w)>>3)*unsafe.Sizeof(b.slots[0])))
}

// h2 is the byte kept in meta for a hash: never zero, so it never matches an
// empty slot. The bucket index uses the bits above it.
func h2(h uint64) uint64 { return h&0x7f | 0x80 }

// matches returns a word with the high bit set in each byte of meta that
// equals the byte broadcast in want. It may also flag a byte just above a
// true match (borrow); callers compare keys, so that costs only a compare.
func matches(meta, want uint64) uint64 {
	x := meta ^ want
	return (x - lsbs) &^ x & msbs & metaSlots
}

// Load returns the value stored for key, or the zero V and false.
// It never blocks and never allocates.
func (m *Map[K, V]) Load(key K) (value V, ok bool) {
	t := m.table.Load()
	if t == nil {
		return value, false
	}
	// t.hash written out: it is over the inlining budget, and Load is the
	// hot path (BenchmarkABLoad).
	var h uint64
	switch t.kind {
	case kindString:
		h = hashString(*(*string)(unsafe.Pointer(&key)), t.intSeed, t.strSeed, t.seed)
	case kindInt:
		h = mixInt(t.intSeed ^ intBits(key))
	default:
		h = maphash.Comparable(t.seed, key)
	}
	want := h2(h) * lsbs
	for b := t.root(h); b != nil; b = b.next.Load() {
		for w := matches(b.meta.Load(), want); w != 0; w &= w - 1 {
			if e := b.slot(w).Load(); e != nil && e.key == key {
				return e.value, true
			}
		}
	}
	return value, false
}

// Store sets the value for key. It allocates one entry.
func (m *Map[K, V]) Store(key K, value V) {
	t, h := m.at(key)
	e := &entry[K, V]{key, value}
	want := h2(h) * lsbs
	for {
		root := t.root(h)
		root.mu.Lock()
		if t.frozen.Load() {
			root.mu.Unlock()
			t = m.awaitResize()
			continue
		}
		// An overwrite, the common case, in line; apply does the rest
		// (BenchmarkABStoreOverwrite).
		for b := root; b != nil; b = b.next.Load() {
			for w := matches(b.meta.Load(), want); w != 0; w &= w - 1 {
				s := b.slot(w)
				if c := s.Load(); c != nil && c.key == key {
					s.Store(e)
					root.mu.Unlock()
					return
				}
			}
		}
		if _, hint := t.apply(root, h, key, e, opStore, nil); hint != noResize {
			m.resize(t, hint)
		}
		return
	}
}

// LoadOrStore returns the value stored for key and true if there is one;
// otherwise it stores value and returns it and false. When the key is present
// it takes no lock and does not allocate.
func (m *Map[K, V]) LoadOrStore(key K, value V) (actual V, loaded bool) {
	t, h := m.at(key)
	if e := t.find(h, key); e != nil {
		return e.value, true
	}
	if prev := m.write(t, h, key, &entry[K, V]{key, value}, opInsert, nil); prev != nil {
		return prev.value, true
	}
	return value, false
}

// LoadOrCompute returns the value stored for key and true if there is one;
// otherwise it calls compute, stores its result and returns it and false.
//
// For each key, compute runs at most once among concurrent callers: the others
// wait for it and return its result. It runs while holding the lock of the
// key's bucket chain, so it must be quick and must not use m (doing so may
// deadlock); loads of other keys go on meanwhile. If compute panics, nothing
// is stored, the lock is released, and the panic propagates to the caller; a
// later call runs compute again.
func (m *Map[K, V]) LoadOrCompute(key K, compute func() V) (actual V, loaded bool) {
	t, h := m.at(key)
	if e := t.find(h, key); e != nil {
		return e.value, true
	}
	m.write(t, h, key, nil, opFunc, func(cur *entry[K, V]) *entry[K, V] {
		if cur != nil {
			actual, loaded = cur.value, true
			return cur
		}
		actual = compute()
		return &entry[K, V]{key, actual}
	})
	return actual, loaded
}

// LoadOrTryCompute is [Map.LoadOrCompute] with a compute that can fail. It
// returns the value stored for key and true if there is one; otherwise it
// calls compute and, if compute returns a nil error, stores its value and
// returns it and false. If compute returns an error, nothing is stored and
// LoadOrTryCompute returns the zero V, false and that error.
//
// Concurrent callers for one key run their computes one at a time, while
// holding the lock of the key's bucket chain, and at most one of them
// succeeds: the first success is stored, and the callers still waiting
// return it, loaded. A caller whose compute failed gets its own error, and
// the next waiting caller runs its compute. As with LoadOrCompute, compute
// must be quick and must not use m, and a panic in it stores nothing,
// releases the lock and propagates.
func (m *Map[K, V]) LoadOrTryCompute(key K, compute func() (V, error)) (actual V, loaded bool, err error) {
	t := m.table.Load()
	if t == nil {
		t = m.init()
	}
	// at and find written out, as in Load, for the calls that find the key
	// without the lock (BenchmarkABLoadOrTryComputeLookup).
	var h uint64
	switch t.kind {
	case kindString:
		h = hashString(*(*string)(unsafe.Pointer(&key)), t.intSeed, t.strSeed, t.seed)
	case kindInt:
		h = mixInt(t.intSeed ^ intBits(key))
	default:
		h = maphash.Comparable(t.seed, key)
	}
	want := h2(h) * lsbs
	for b := t.root(h); b != nil; b = b.next.Load() {
		for w := matches(b.meta.Load(), want); w != 0; w &= w - 1 {
			if e := b.slot(w).Load(); e != nil && e.key == key {
				return e.value, true, nil
			}
		}
	}
	return m.tryCompute(t, h, key, compute)
}

// tryCompute is LoadOrTryCompute once the key was not found without the
// lock. It is a path of its own, not apply's opFunc: a failing compute,
// which leaves the map as it was, then costs a lock, a look and a deferred
// unlock, without apply's closures and bookkeeping
// (BenchmarkABLoadOrTryCompute).
func (m *Map[K, V]) tryCompute(t *table[K, V], h uint64, key K, compute func() (V, error)) (actual V, loaded bool, err error) {
	root := t.root(h)
	root.mu.Lock()
	for t.frozen.Load() {
		root.mu.Unlock()
		t = m.awaitResize()
		root = t.root(h)
		root.mu.Lock()
	}
	e, loaded, grown, err := t.computeLocked(root, h, key, compute)
	switch {
	case err != nil:
		return actual, false, err
	case loaded:
		return e.value, true, nil
	}
	t.stripes[(h>>7)&t.smask].n.Add(1)
	if grown && t.full(t.count()) {
		m.resize(t, growDue)
	}
	return e.value, false, nil
}

// computeLocked returns key's entry in the chain of root, which the caller
// has locked, and true; or, if there is none, calls compute and stores its
// value as key's new entry, unless compute fails. It unlocks root, also
// when compute panics or calls runtime.Goexit, and reports whether it added
// an overflow bucket.
func (t *table[K, V]) computeLocked(root *bucket[K, V], h uint64, key K, compute func() (V, error)) (e *entry[K, V], loaded, grown bool, err error) {
	defer root.mu.Unlock()
	if e := t.find(h, key); e != nil { // stored since the look without the lock
		return e, true, false, nil
	}
	v, err := compute()
	if err != nil {
		return nil, false, false, err
	}
	e = &entry[K, V]{key, v}
	return e, false, root.insertLocked(h, e), nil
}

// Compute calls f with the value stored for key (and true), or with the zero V
// (and false) when there is none, and applies the op f returns: [UpdateOp]
// stores the returned value, [DeleteOp] deletes the key, [CancelOp] does
// nothing. It returns the value then stored for key and whether there is one.
//
// f runs once, atomically with respect to every other write of key, while
// holding the lock of the key's bucket chain: it must be quick and must not
// use m (doing so may deadlock). Loads go on meanwhile and see the old value
// until Compute returns. If f panics, the map is unchanged, the lock is
// released and the panic propagates.
func (m *Map[K, V]) Compute(key K, f func(old V, loaded bool) (V, ComputeOp)) (actual V, ok bool) {
	t, h := m.at(key)
	m.write(t, h, key, nil, opFunc, func(cur *entry[K, V]) *entry[K, V] {
		var old V
		if cur != nil {
			old = cur.value
		}
		v, op := f(old, cur != nil)
		switch op {
		case UpdateOp:
			actual, ok = v, true
			return &entry[K, V]{key, v}
		case DeleteOp:
			return nil
		}
		actual, ok = old, cur != nil
		return cur
	})
	return actual, ok
}

// LoadAndDelete deletes key and returns the value it had, if any. It locks
// the key's bucket chain even when the key is absent: looking first, without
// the lock, would spare the lock for an absent key but cost a delete of a
// present one a second transfer of the chain's cache line between cores
// (BenchmarkMapChurn in the bench module).
func (m *Map[K, V]) LoadAndDelete(key K) (value V, loaded bool) {
	t := m.table.Load()
	if t == nil {
		return value, false
	}
	if prev := m.write(t, t.hash(key), key, nil, opDelete, nil); prev != nil {
		return prev.value, true
	}
	return value, false
}

// Delete deletes key, as [Map.LoadAndDelete] does.
func (m *Map[K, V]) Delete(key K) {
	m.LoadAndDelete(key)
}

// Swap stores value for key and returns the previous value, if any.
func (m *Map[K, V]) Swap(key K, value V) (previous V, loaded bool) {
	t, h := m.at(key)
	if prev := m.write(t, h, key, &entry[K, V]{key, value}, opStore, nil); prev != nil {
		return prev.value, true
	}
	return previous, false
}

// DeleteFunc deletes every key for which del returns true, as
// maps.DeleteFunc does for a Go map, and returns how many keys it deleted.
//
// del runs without any lock held, so it may use m. DeleteFunc takes one
// bucket chain's lock at a time, to copy the chain's entries and then to
// delete each key del chose, and waits for a resize in progress as every
// write does; it never blocks Load. Concurrent writes go on, and for the
// keys they touch DeleteFunc guarantees this much:
//   - A key present with the same value for the whole call is passed to del
//     exactly once, and deleted if del returns true.
//   - Any other key (stored, changed or deleted during the call) is passed to
//     del at most once, with a value it had during the call, or not at all.
//   - A key is deleted only if it still holds the very value del returned
//     true for: a value stored after del saw the key (even an equal one, and
//     even by del itself) is kept.
//
// If del panics, the keys deleted so far stay deleted and the panic
// propagates.
func (m *Map[K, V]) DeleteFunc(del func(key K, value V) bool) (deleted int) {
	t := m.table.Load()
	if t == nil {
		return 0
	}
	var (
		buf        [4 * slotsPerBucket]*entry[K, V]
		i          int
		es, chosen []*entry[K, V] // chain i's entries; those del returned true for
		shrink     bool
	)
	flush := func() {
		n, hint := m.deleteEntries(t, i, chosen)
		deleted += n
		shrink = shrink || hint == shrinkDue
		clear(es)
		es, chosen = nil, nil
	}
	// If del panics, what it chose in the chain at hand is deleted too.
	_ = panics.Watch(func() error {
		for i = range t.buckets {
			// As in Range: t may be replaced meanwhile, but its chains
			// keep the entries they had then, and a resize moves entries,
			// it does not copy them.
			es = t.buckets[i].snapshot(buf[:0])
			chosen = es[:0]
			for _, e := range es {
				if del(e.key, e.value) {
					chosen = append(chosen, e)
				}
			}
			flush()
		}
		return nil
	}, flush)
	if shrink {
		// Once, at the end: shrinking on the way would copy the keys
		// left again and again.
		m.resize(m.table.Load(), shrinkDue)
	}
	return deleted
}

// deleteEntries deletes from chain i of t each entry of es that is still
// there, under one lock of the chain, or, if t was replaced meanwhile, key
// by key from the table that holds them now. It returns how many it deleted
// and whether a table is due to shrink.
func (m *Map[K, V]) deleteEntries(t *table[K, V], i int, es []*entry[K, V]) (n int, hint resizeHint) {
	if len(es) == 0 {
		return 0, noResize
	}
	root := &t.buckets[i]
	root.mu.Lock()
	if t.frozen.Load() {
		root.mu.Unlock()
		for _, e := range es {
			wt, h := m.at(e.key)
			_, _, eh := m.update(wt, h, e.key, nil, opFunc, func(cur *entry[K, V]) *entry[K, V] {
				if cur != e {
					return cur // stored or deleted since del saw it
				}
				n++
				return nil
			})
			if eh == shrinkDue {
				hint = shrinkDue
			}
		}
		return n, hint
	}
	for b := root; b != nil; b = b.next.Load() {
		for w := b.meta.Load() & msbs & metaSlots; w != 0; w &= w - 1 {
			j := bits.TrailingZeros64(w) >> 3
			// An entry not in es was stored since del saw the key.
			if slices.Contains(es, b.slots[j].Load()) {
				b.meta.Store(b.meta.Load() &^ (0xff << (8 * j)))
				b.slots[j].Store(nil)
				n++
			}
		}
	}
	root.mu.Unlock()
	// Every key of chain i counts in stripe i&smask.
	if left := t.stripes[uint64(i)&t.smask].n.Add(int64(-n)); n > 0 && t.sparse(left*int64(len(t.stripes))) {
		return n, shrinkDue
	}
	return n, noResize
}

// Len returns the number of keys. It takes no lock and sums a fixed number
// of counters (at most 64), so it costs the same however large the map is.
//
// Len is exact when no insert or delete runs during the call. Under
// concurrent inserts and deletes it is an estimate: it differs from the
// number of keys the map held when the call began by at most the number of
// inserts and deletes that ran concurrently with the call, and it may be a
// size the map never had (a key deleted from the buckets of one counter and
// inserted into those of another while Len sums them is counted twice or
// not at all). It is never negative.
func (m *Map[K, V]) Len() int {
	t := m.table.Load()
	if t == nil {
		return 0
	}
	return max(int(t.count()), 0)
}

// testHookCount, set only by tests, runs after count has read stripe i.
var testHookCount func(i int)

// count sums the stripes one after another: the sum is exact at rest, and
// off by at most the writes that overlap it (see Len).
func (t *table[K, V]) count() int64 {
	var n int64
	for i := range t.stripes {
		n += t.stripes[i].n.Load()
		if testHookCount != nil {
			testHookCount(i)
		}
	}
	return n
}

// Range calls f for each key and value until f returns false. See [Map.All]
// for what it guarantees.
func (m *Map[K, V]) Range(f func(key K, value V) bool) {
	t := m.table.Load()
	if t == nil {
		return
	}
	var buf [4 * slotsPerBucket]*entry[K, V]
	for i := range t.buckets {
		// Copy the chain under its lock, so that a key moved between
		// slots by a concurrent delete and insert is seen once; then call
		// f without the lock, so f may use the map.
		es := t.buckets[i].snapshot(buf[:0])
		for j, e := range es {
			es[j] = nil // let the GC reclaim entries removed meanwhile
			if !f(e.key, e.value) {
				clear(es[j:])
				return
			}
		}
	}
}

func (root *bucket[K, V]) snapshot(es []*entry[K, V]) []*entry[K, V] {
	root.mu.Lock()
	for b := root; b != nil; b = b.next.Load() {
		for w := b.meta.Load() & msbs & metaSlots; w != 0; w &= w - 1 {
			es = append(es, b.slots[bits.TrailingZeros64(w)>>3].Load())
		}
	}
	root.mu.Unlock()
	return es
}

// All returns an iterator over the keys and values. It visits each key at
// most once, holding no lock while the loop body runs (which may therefore
// use the map), and allocates nothing per entry. It takes one bucket chain's
// lock at a time while copying that chain's entries, never a global lock.
// Keys present for the whole iteration are visited; a key stored or deleted
// during it may or may not be, with any value it had meanwhile.
func (m *Map[K, V]) All() iter.Seq2[K, V] {
	return m.Range
}

// Keys returns an iterator over the keys, with the guarantees of [Map.All].
func (m *Map[K, V]) Keys() iter.Seq[K] {
	return func(yield func(K) bool) {
		m.Range(func(k K, _ V) bool { return yield(k) })
	}
}

// Values returns an iterator over the values, with the guarantees of [Map.All].
func (m *Map[K, V]) Values() iter.Seq[V] {
	return func(yield func(V) bool) {
		m.Range(func(_ K, v V) bool { return yield(v) })
	}
}

// A writeOp tells apply what to put in place of a key's entry.
type writeOp uint8

const (
	opStore  writeOp = iota // the given entry
	opInsert                // the given entry if the key is absent
	opDelete                // nothing: delete the key
	opFunc                  // what fn returns: the same entry leaves it, nil deletes it
)

// at returns m's table, made if it is the first, and key's hash, which
// stays the same when the table is replaced.
func (m *Map[K, V]) at(key K) (*table[K, V], uint64) {
	t := m.table.Load()
	if t == nil {
		t = m.init()
	}
	return t, t.hash(key)
}

// find returns key's entry in t, or nil: Load's lookup, for the writes
// that look before they lock.
func (t *table[K, V]) find(h uint64, key K) *entry[K, V] {
	want := h2(h) * lsbs
	for b := t.root(h); b != nil; b = b.next.Load() {
		for w := matches(b.meta.Load(), want); w != 0; w &= w - 1 {
			if e := b.slots[bits.TrailingZeros64(w)>>3].Load(); e != nil && e.key == key {
				return e
			}
		}
	}
	return nil
}

// write applies op to key's entry (see apply), then resizes the table if
// the write made it due. It returns the entry the key had.
func (m *Map[K, V]) write(t *table[K, V], h uint64, key K, e *entry[K, V], op writeOp, fn func(cur *entry[K, V]) *entry[K, V]) (prev *entry[K, V]) {
	t, prev, hint := m.update(t, h, key, e, op, fn)
	if hint != noResize {
		m.resize(t, hint)
	}
	return prev
}

// update is write without the resize: it locks key's chain in t, or in the
// table that replaced t, applies op there and returns that table, the entry
// the key had and what the table is due for.
func (m *Map[K, V]) update(t *table[K, V], h uint64, key K, e *entry[K, V], op writeOp, fn func(cur *entry[K, V]) *entry[K, V]) (*table[K, V], *entry[K, V], resizeHint) {
	for {
		root := t.root(h)
		root.mu.Lock()
		if t.frozen.Load() {
			root.mu.Unlock()
			t = m.awaitResize()
			continue
		}
		prev, hint := t.apply(root, h, key, e, op, fn)
		return t, prev, hint
	}
}

// apply replaces key's entry in the chain of root, which the caller has
// locked, as op says: with e (opStore; opInsert if key is absent), with
// nothing (opDelete), or with what fn returns (opFunc), fn being called
// with the current entry, or nil if key is absent. It unlocks root, also
// when fn panics, and returns the entry the key had and what the table is
// then due for.
func (t *table[K, V]) apply(root *bucket[K, V], h uint64, key K, e *entry[K, V], op writeOp, fn func(*entry[K, V]) *entry[K, V]) (prev *entry[K, V], hint resizeHint) {
	want := h2(h) * lsbs
	var (
		cur   *entry[K, V]
		curB  *bucket[K, V]
		curI  int
		freeB *bucket[K, V]
		freeI int
		last  *bucket[K, V]
	)
	for b := root; b != nil; b = b.next.Load() {
		meta := b.meta.Load()
		for w := matches(meta, want); w != 0; w &= w - 1 {
			i := bits.TrailingZeros64(w) >> 3
			if e := b.slots[i].Load(); e != nil && e.key == key {
				cur, curB, curI = e, b, i
				break
			}
		}
		if cur != nil {
			break
		}
		if freeB == nil {
			if free := ^meta & msbs & metaSlots; free != 0 {
				freeB, freeI = b, bits.TrailingZeros64(free)>>3
			}
		}
		last = b
	}
	ne := e
	switch {
	case op == opInsert && cur != nil:
		ne = cur
	case op == opDelete:
		ne = nil
	case op == opFunc:
		ne = callLocked(root, fn, cur)
	}
	stripe := &t.stripes[(h>>7)&t.smask].n
	switch {
	case ne == cur:
	case cur != nil && ne != nil:
		curB.slots[curI].Store(ne)
	case cur != nil: // delete; readers that loaded the byte before see nil or cur
		curB.meta.Store(curB.meta.Load() &^ (0xff << (8 * curI)))
		curB.slots[curI].Store(nil)
		root.mu.Unlock()
		// The count is updated out of the lock: resizes recount, and Len
		// allows for writes in progress. A stripe counts the keys of its
		// share of the buckets, so its share of the table is a cheap
		// estimate of the whole's load.
		if left := stripe.Add(-1); t.sparse(left * int64(len(t.stripes))) {
			return cur, shrinkDue
		}
		return cur, noResize
	default: // insert
		grown := false
		if freeB == nil {
			freeB, freeI, grown = &bucket[K, V]{}, 0, true
			last.next.Store(freeB)
		}
		// Meta first, then the slot: the slot store is the instant the key
		// appears. In the other order a reader that matched a stale byte
		// of a deleted key could see the new entry, and a reader after it
		// miss it, because the byte was not yet set: not linearizable.
		freeB.meta.Store(freeB.meta.Load() | h2(h)<<(8*freeI))
		freeB.slots[freeI].Store(ne)
		root.mu.Unlock()
		stripe.Add(1)
		// Only an insert that had to add an overflow bucket pays for
		// summing the counters.
		if grown && t.full(t.count()) {
			return nil, growDue
		}
		return nil, noResize
	}
	root.mu.Unlock()
	return cur, noResize
}

// insertLocked puts e, the entry of a key absent from the chain of root,
// which the caller has locked, in the chain's first free slot, or in a new
// overflow bucket, as apply inserts, and reports whether it added a bucket.
func (root *bucket[K, V]) insertLocked(h uint64, e *entry[K, V]) (grown bool) {
	b := root
	for {
		if free := ^b.meta.Load() & msbs & metaSlots; free != 0 {
			i := bits.TrailingZeros64(free) >> 3
			b.meta.Store(b.meta.Load() | h2(h)<<(8*i)) // meta first: see apply
			b.slots[i].Store(e)
			return grown
		}
		next := b.next.Load()
		if next == nil {
			next, grown = &bucket[K, V]{}, true
			b.next.Store(next)
		}
		b = next
	}
}

// callLocked returns op(cur), unlocking root if op panics or calls
// runtime.Goexit.
func callLocked[K comparable, V any](root *bucket[K, V], op func(*entry[K, V]) *entry[K, V], cur *entry[K, V]) (ne *entry[K, V]) {
	_ = panics.Watch(func() error { ne = op(cur); return nil }, root.mu.Unlock)
	return ne
}

// A ComparableMap is a [Map] whose values are comparable, which adds
// CompareAndSwap and CompareAndDelete. The zero ComparableMap is empty and
// ready to use; it must not be copied after first use.
//
// When V is an interface type, two values whose dynamic type is not
// comparable (slices, maps, funcs) are not equal: these methods report false
// where sync.Map and == panic.
type ComparableMap[K, V comparable] struct {
	Map[K, V]
}

// CompareAndSwap stores new for key if the value stored for key equals old,
// and reports whether it did. When the key is absent or holds another value it
// takes no lock and does not allocate.
func (m *ComparableMap[K, V]) CompareAndSwap(key K, old, new V) (swapped bool) {
	t, h := m.at(key)
	if e := t.find(h, key); e == nil || !equal(e.value, old) {
		return false
	}
	m.write(t, h, key, nil, opFunc, func(cur *entry[K, V]) *entry[K, V] {
		if cur == nil || !equal(cur.value, old) {
			return cur
		}
		swapped = true
		return &entry[K, V]{key, new}
	})
	return swapped
}

// CompareAndDelete deletes key if the value stored for it equals old, and
// reports whether it did. When the key is absent or holds another value it
// takes no lock.
func (m *ComparableMap[K, V]) CompareAndDelete(key K, old V) (deleted bool) {
	t, h := m.at(key)
	if e := t.find(h, key); e == nil || !equal(e.value, old) {
		return false
	}
	m.write(t, h, key, nil, opFunc, func(cur *entry[K, V]) *entry[K, V] {
		if cur == nil || !equal(cur.value, old) {
			return cur
		}
		deleted = true
		return nil
	})
	return deleted
}

// equal is a == b, except that it reports false instead of panicking when a
// and b are interface values holding the same non-comparable dynamic type.
func equal[T comparable](a, b T) (eq bool) {
	defer func() {
		if recover() != nil {
			eq = false
		}
	}()
	return a == b
}
