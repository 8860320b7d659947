package typed

import (
	"hash/maphash"
	"math/bits"
	"strconv"
	"testing"
)

// A/B benchmarks of the speed tricks in this package: each has one
// sub-benchmark for the trick (impl=trick) and one for the plain code it
// replaces (impl=plain), run in turn in every round, so that benchstat
// compares them from one run on a noisy machine:
//
//	go test -run '^$' -bench '^BenchmarkAB' -count 10 ./typed/ > ab.txt
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

var abSink uint64

// BenchmarkABHash: the hasher's in-line hashes of short strings and of
// integers against maphash.Comparable, which a Map would use otherwise.
func BenchmarkABHash(b *testing.B) {
	seed := maphash.MakeSeed()
	hs, hi := newHasher[string](seed), newHasher[int](seed)
	b.Run("keys=string/impl=trick", func(b *testing.B) {
		i := 0
		for b.Loop() {
			abSink += hs.hash(abKeys[i&abMask])
			i++
		}
	})
	b.Run("keys=string/impl=plain", func(b *testing.B) {
		i := 0
		for b.Loop() {
			abSink += maphash.Comparable(seed, abKeys[i&abMask])
			i++
		}
	})
	b.Run("keys=int/impl=trick", func(b *testing.B) {
		i := 0
		for b.Loop() {
			abSink += hi.hash(i)
			i++
		}
	})
	b.Run("keys=int/impl=plain", func(b *testing.B) {
		i := 0
		for b.Loop() {
			abSink += maphash.Comparable(seed, i)
			i++
		}
	})
}

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
			e := b.slots[bits.TrailingZeros64(w)>>3].Load()
			if e != nil && e.key == key {
				return e.value, true
			}
		}
	}
	return value, false
}

// BenchmarkABLoadHash: Load of present keys with the hasher's in-line hashes
// against the same Load with maphash.Comparable.
func BenchmarkABLoadHash(b *testing.B) {
	// The plain maps are filled with the plain hash, so that its Loads hit.
	var ms, msPlain Map[string, int]
	var mi, miPlain Map[int, int]
	for i, k := range abKeys {
		ms.Store(k, i)
		mi.Store(i, i)
	}
	msPlain.Store("", 0)
	msPlain.table.Load().kind = kindOther
	miPlain.Store(0, 0)
	miPlain.table.Load().kind = kindOther
	for i, k := range abKeys {
		msPlain.Store(k, i)
		miPlain.Store(i, i)
	}
	b.Run("keys=string/impl=trick", func(b *testing.B) {
		i := 0
		for b.Loop() {
			v, _ := ms.Load(abKeys[i&abMask])
			abSink += uint64(v)
			i++
		}
	})
	b.Run("keys=string/impl=plain", func(b *testing.B) {
		i := 0
		for b.Loop() {
			v, _ := msPlain.loadComparable(abKeys[i&abMask])
			abSink += uint64(v)
			i++
		}
	})
	b.Run("keys=int/impl=trick", func(b *testing.B) {
		i := 0
		for b.Loop() {
			v, _ := mi.Load(i & abMask)
			abSink += uint64(v)
			i++
		}
	})
	b.Run("keys=int/impl=plain", func(b *testing.B) {
		i := 0
		for b.Loop() {
			v, _ := miPlain.loadComparable(i & abMask)
			abSink += uint64(v)
			i++
		}
	})
}
