package typed

import (
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
