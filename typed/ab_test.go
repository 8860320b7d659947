package typed

import (
	"errors"
	"hash/maphash"
	"math/bits"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// A/B benchmarks of the speed tricks in this package: each has one
// sub-benchmark for the trick (impl=trick) and one for the plain code it
// replaces (impl=plain). go test -count n runs each sub-benchmark n times in
// a row, so that a noisy phase of a shared machine lands on one side only;
// run rounds of -count 1 instead, so that both sides share every phase:
//
//	go test -c -o ab.test ./typed
//	for i in $(seq 20); do ./ab.test -test.run '^$' -test.bench '^BenchmarkAB' -test.benchtime 200ms; done > ab.txt
//	benchstat -col /impl ab.txt
//
// A trick that stops paying is removed, with its benchmark.

// abKeys are the keys of the bench module's Map cases.
var abKeys = func() []string {
	ks := make([]string, 1<<12)
	for i := range ks {
		ks[i] = "key-" + strconv.Itoa(i)
	}
	return ks
}()

const abMask = 1<<12 - 1

// loadComparable is Load with every key hashed by maphash.Comparable.
func (m *Map[K, V]) loadComparable(key K) (value V, ok bool) {
	t := m.table.Load()
	if t == nil {
		return value, false
	}
	h := maphash.Comparable(t.seed, key)
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

// loadPlain is Load without its two tricks: it calls t.hash, and indexes
// buckets and slots with bounds checks.
func (m *Map[K, V]) loadPlain(key K) (value V, ok bool) {
	t := m.table.Load()
	if t == nil {
		return value, false
	}
	h := t.hash(key)
	want := h2(h) * lsbs
	for b := &t.buckets[(h>>7)&t.mask]; b != nil; b = b.next.Load() {
		for w := matches(b.meta.Load(), want); w != 0; w &= w - 1 {
			if e := b.slots[bits.TrailingZeros64(w)>>3].Load(); e != nil && e.key == key {
				return e.value, true
			}
		}
	}
	return value, false
}

func TestABPlainVersionsAgree(t *testing.T) {
	var m Map[string, int]
	for i, k := range abKeys[:500] {
		m.storeViaApply(k, -i)
		m.storeViaApply(k, i) // an overwrite
	}
	var plain Map[string, int] // hashed by maphash.Comparable throughout
	plain.Store("", 0)
	plain.table.Load().kind = kindOther
	for i, k := range abKeys[:500] {
		plain.Store(k, i)
	}
	for i, k := range abKeys[:1000] {
		want, wantOK := i, i < 500
		if !wantOK {
			want = 0
		}
		for name, load := range map[string]func(string) (int, bool){
			"Load": m.Load, "loadPlain": m.loadPlain, "loadComparable": plain.loadComparable,
		} {
			v, ok := load(k)
			require.Equal(t, wantOK, ok, "%s(%q) found", name, k)
			require.Equal(t, want, v, "%s(%q)", name, k)
		}
	}
}

// The Load benchmarks below run parallel Loads of present keys, as the
// bench module's MapLoad does.

// BenchmarkABLoadHash: Load with the hasher's in-line hashes of short
// strings and integers against the same Load with maphash.Comparable.
func BenchmarkABLoadHash(b *testing.B) {
	// The plain maps are filled with the plain hash, so that its Loads hit.
	var ms, msPlain Map[string, int]
	var mi, miPlain Map[int, int]
	msPlain.Store("", 0)
	msPlain.table.Load().kind = kindOther
	miPlain.Store(0, 0)
	miPlain.table.Load().kind = kindOther
	for i, k := range abKeys {
		ms.Store(k, i)
		mi.Store(i, i)
		msPlain.Store(k, i)
		miPlain.Store(i, i)
	}
	b.Run("keys=string/impl=trick", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				ms.Load(abKeys[i&abMask])
			}
		})
	})
	b.Run("keys=string/impl=plain", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				msPlain.loadComparable(abKeys[i&abMask])
			}
		})
	})
	b.Run("keys=int/impl=trick", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				mi.Load(i & abMask)
			}
		})
	})
	b.Run("keys=int/impl=plain", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				miPlain.loadComparable(i & abMask)
			}
		})
	})
}

// BenchmarkABLoad: Load, with t.hash written out and root's and slot's
// unchecked indexing, against loadPlain.
func BenchmarkABLoad(b *testing.B) {
	var m Map[string, int]
	for i, k := range abKeys {
		m.Store(k, i)
	}
	b.Run("impl=trick", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				m.Load(abKeys[i&abMask])
			}
		})
	})
	b.Run("impl=plain", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				m.loadPlain(abKeys[i&abMask])
			}
		})
	})
}

// storeViaApply is Store without its in-line overwrite: every Store goes
// through apply, as the other writes do.
func (m *Map[K, V]) storeViaApply(key K, value V) {
	t, h := m.at(key)
	m.write(t, h, key, &entry[K, V]{key, value}, opStore, nil)
}

// BenchmarkABStoreOverwrite: parallel Stores of present keys with the
// overwrite in line against the same Store through apply.
func BenchmarkABStoreOverwrite(b *testing.B) {
	var m Map[string, int]
	for i, k := range abKeys {
		m.Store(k, i)
	}
	b.Run("impl=trick", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				m.Store(abKeys[i&abMask], i)
			}
		})
	})
	b.Run("impl=plain", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				m.storeViaApply(abKeys[i&abMask], i)
			}
		})
	})
}

// loadOrTryComputeViaApply is LoadOrTryCompute with its compute run through
// apply's opFunc, as Compute's function is, instead of tryCompute.
func (m *Map[K, V]) loadOrTryComputeViaApply(key K, compute func() (V, error)) (actual V, loaded bool, err error) {
	t, h := m.at(key)
	if e := t.find(h, key); e != nil {
		return e.value, true, nil
	}
	m.write(t, h, key, nil, opFunc, func(cur *entry[K, V]) *entry[K, V] {
		if cur != nil {
			actual, loaded = cur.value, true
			return cur
		}
		v, cerr := compute()
		if cerr != nil {
			err = cerr
			return nil
		}
		actual = v
		return &entry[K, V]{key, v}
	})
	return actual, loaded, err
}

// loadOrTryComputeAt is LoadOrTryCompute with its lookup made by at and
// find, as the other writes do, instead of written out as in Load.
func (m *Map[K, V]) loadOrTryComputeAt(key K, compute func() (V, error)) (actual V, loaded bool, err error) {
	t, h := m.at(key)
	if e := t.find(h, key); e != nil {
		return e.value, true, nil
	}
	return m.tryCompute(t, h, key, compute)
}

var errAB = errors.New("ab: compute failed")

func TestABLoadOrTryComputeVersionsAgree(t *testing.T) {
	type tryCompute func(*Map[string, int], string, func() (int, error)) (int, bool, error)
	for name, f := range map[string]tryCompute{
		"LoadOrTryCompute":         (*Map[string, int]).LoadOrTryCompute,
		"loadOrTryComputeViaApply": (*Map[string, int]).loadOrTryComputeViaApply,
		"loadOrTryComputeAt":       (*Map[string, int]).loadOrTryComputeAt,
	} {
		var m Map[string, int]
		for i, k := range abKeys[:500] {
			v, loaded, err := f(&m, k, func() (int, error) { return 0, errAB })
			require.ErrorIs(t, err, errAB, "%s(%q) with a failing compute", name, k)
			require.Equal(t, 0, v, "%s(%q) with a failing compute", name, k)
			require.False(t, loaded, "%s(%q) with a failing compute: loaded", name, k)
			v, loaded, err = f(&m, k, func() (int, error) { return i, nil })
			require.NoError(t, err, "%s(%q)", name, k)
			require.Equal(t, i, v, "%s(%q) of an absent key", name, k)
			require.False(t, loaded, "%s(%q) of an absent key: loaded", name, k)
			v, loaded, err = f(&m, k, func() (int, error) { return -1, errAB })
			require.NoError(t, err, "%s(%q) of a present key", name, k)
			require.Equal(t, i, v, "%s(%q) of a present key", name, k)
			require.True(t, loaded, "%s(%q) of a present key: loaded", name, k)
		}
		require.Equal(t, 500, m.Len(), "Len() after %s of 500 keys", name)
	}
}

// The LoadOrTryCompute benchmarks below run parallel calls over keys whose
// even half is present, the odd half's compute failing, as the bench
// module's MapLoadOrTryCompute does.

// BenchmarkABLoadOrTryCompute: LoadOrTryCompute, with its lookup written
// out and tryCompute, against the same call through at, find and apply.
func BenchmarkABLoadOrTryCompute(b *testing.B) {
	benchLoadOrTryCompute(b, (*Map[string, int]).LoadOrTryCompute, (*Map[string, int]).loadOrTryComputeViaApply)
}

// BenchmarkABLoadOrTryComputeLookup: LoadOrTryCompute against the same
// with its lookup made by at and find: the lookup's share of the trick.
func BenchmarkABLoadOrTryComputeLookup(b *testing.B) {
	benchLoadOrTryCompute(b, (*Map[string, int]).LoadOrTryCompute, (*Map[string, int]).loadOrTryComputeAt)
}

func benchLoadOrTryCompute(b *testing.B, trick, plain func(*Map[string, int], string, func() (int, error)) (int, bool, error)) {
	var m Map[string, int]
	for i, k := range abKeys {
		if i%2 == 0 {
			m.Store(k, i)
		}
	}
	fail := func() (int, error) { return 0, errAB }
	for _, impl := range []struct {
		name string
		f    func(*Map[string, int], string, func() (int, error)) (int, bool, error)
	}{{"impl=trick", trick}, {"impl=plain", plain}} {
		b.Run(impl.name, func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for i := 0; pb.Next(); i++ {
					_, _, _ = impl.f(&m, abKeys[i&abMask], fail)
				}
			})
		})
	}
}
