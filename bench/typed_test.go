package bench

import (
	"container/heap"
	"errors"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/boundgo/bound/typed"
	"github.com/puzpuzpuz/xsync/v4"
)

// typedMapKeys is the key set of the Map benchmarks: every Load hits.
var typedMapKeys = func() []string {
	ks := make([]string, 1<<12)
	for i := range ks {
		ks[i] = "key-" + strconv.Itoa(i)
	}
	return ks
}()

const typedMapKeyMask = 1<<12 - 1

// typedMapImpl is the surface the Map benchmarks drive, one per implementation.
type typedMapImpl struct {
	name  string
	load  func(string) (int, bool)
	store func(string, int)
}

func typedMapImpls() []typedMapImpl {
	var tm typed.Map[string, int]
	var sm sync.Map
	xm := xsync.NewMap[string, int]()
	return []typedMapImpl{
		{"typed", tm.Load, tm.Store},
		{"syncmap", func(k string) (int, bool) {
			v, ok := sm.Load(k)
			if !ok {
				return 0, false
			}
			return v.(int), true
		}, func(k string, v int) { sm.Store(k, v) }},
		{"xsync", xm.Load, xm.Store},
	}
}

// BenchmarkMapLoad: parallel Loads of 4,096 present string keys with int values.
func BenchmarkMapLoad(b *testing.B) {
	for _, m := range typedMapImpls() {
		for i, k := range typedMapKeys {
			m.store(k, i)
		}
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := rand.IntN(len(typedMapKeys))
				for pb.Next() {
					if _, ok := m.load(typedMapKeys[i&typedMapKeyMask]); !ok {
						panic("typed bench: Load missed a stored key")
					}
					i++
				}
			})
		})
	}
}

// BenchmarkMapMixed: parallel operations on 4,096 present keys, 75% Load and
// 25% Store (overwrites).
func BenchmarkMapMixed(b *testing.B) {
	for _, m := range typedMapImpls() {
		for i, k := range typedMapKeys {
			m.store(k, i)
		}
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := rand.IntN(len(typedMapKeys))
				for pb.Next() {
					k := typedMapKeys[i&typedMapKeyMask]
					if i&3 == 0 {
						m.store(k, i)
					} else {
						m.load(k)
					}
					i++
				}
			})
		})
	}
}

// BenchmarkMapStore: parallel Stores into an initially empty map over 4,096
// keys: inserts and growth first, overwrites after; allocs/op is the figure.
func BenchmarkMapStore(b *testing.B) {
	for _, m := range typedMapImpls() {
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := rand.IntN(len(typedMapKeys))
				for pb.Next() {
					m.store(typedMapKeys[i&typedMapKeyMask], i)
					i++
				}
			})
		})
	}
}

// typedIntHeap is container/heap's documented int heap.
type typedIntHeap []int

func (h typedIntHeap) Len() int           { return len(h) }
func (h typedIntHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h typedIntHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *typedIntHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *typedIntHeap) Pop() any {
	old := *h
	n := len(old)
	x := old[n-1]
	*h = old[:n-1]
	return x
}

// typedHeapInput is 1,024 ints in random order, the same for every implementation.
var typedHeapInput = func() []int {
	r := rand.New(rand.NewPCG(1, 2))
	xs := make([]int, 1024)
	for i := range xs {
		xs[i] = r.IntN(1 << 20)
	}
	return xs
}()

var typedSink int

// BenchmarkHeap: push 1,024 ints in random order, then pop them all, reusing
// the heap's capacity across iterations.
func BenchmarkHeap(b *testing.B) {
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		var h typed.Heap[int]
		for b.Loop() {
			for _, x := range typedHeapInput {
				h.Push(x)
			}
			for h.Len() > 0 {
				x, _ := h.Pop()
				typedSink += x
			}
		}
	})
	b.Run("containerheap", func(b *testing.B) {
		b.ReportAllocs()
		h := make(typedIntHeap, 0, len(typedHeapInput))
		for b.Loop() {
			for _, x := range typedHeapInput {
				heap.Push(&h, x)
			}
			for h.Len() > 0 {
				typedSink += heap.Pop(&h).(int)
			}
		}
	})
}

// BenchmarkPool: parallel Get and Put of a 1 KiB []byte buffer, held as a
// *[]byte in both (the allocation-free pattern).
func BenchmarkPool(b *testing.B) {
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		p := typed.Pool[[]byte]{
			New:   func() []byte { return make([]byte, 0, 1024) },
			Reset: func(buf *[]byte) { *buf = (*buf)[:0] },
		}
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				buf := p.Get()
				*buf = append(*buf, 'x')
				p.Put(buf)
			}
		})
	})
	b.Run("syncpool", func(b *testing.B) {
		b.ReportAllocs()
		p := sync.Pool{New: func() any {
			buf := make([]byte, 0, 1024)
			return &buf
		}}
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				buf := p.Get().(*[]byte)
				*buf = append(*buf, 'x')
				*buf = (*buf)[:0]
				p.Put(buf)
			}
		})
	})
}

type typedValueConfig struct {
	name  string
	limit int
}

// BenchmarkValueLoad: parallel Loads of a small config struct, reading both
// of its fields.
func BenchmarkValueLoad(b *testing.B) {
	cfg := typedValueConfig{"a", 1}
	b.Run("typed", func(b *testing.B) {
		var v typed.Value[typedValueConfig]
		v.Store(cfg)
		b.RunParallel(func(pb *testing.PB) {
			n := 0
			for pb.Next() {
				c := v.Load()
				n += c.limit + len(c.name)
			}
			typedSinkAdd(n)
		})
	})
	b.Run("atomicvalue", func(b *testing.B) {
		var v atomic.Value
		v.Store(cfg)
		b.RunParallel(func(pb *testing.PB) {
			n := 0
			for pb.Next() {
				c := v.Load().(typedValueConfig)
				n += c.limit + len(c.name)
			}
			typedSinkAdd(n)
		})
	})
	b.Run("atomicpointer", func(b *testing.B) {
		var v atomic.Pointer[typedValueConfig]
		v.Store(&cfg)
		b.RunParallel(func(pb *testing.PB) {
			n := 0
			for pb.Next() {
				c := v.Load()
				n += c.limit + len(c.name)
			}
			typedSinkAdd(n)
		})
	})
}

var typedSinkMu sync.Mutex

func typedSinkAdd(n int) {
	typedSinkMu.Lock()
	typedSink += n
	typedSinkMu.Unlock()
}

var errTypedCompute = errors.New("typed bench: compute failed")

// BenchmarkMapLoadOrTryCompute: parallel calls over 4,096 string keys whose
// even half is present: a call for an odd key runs a compute that fails, so
// nothing is stored and the next call for it computes again. xsync's form is
// LoadOrCompute with a compute that cancels.
func BenchmarkMapLoadOrTryCompute(b *testing.B) {
	var tm typed.Map[string, int]
	xm := xsync.NewMap[string, int]()
	for i, k := range typedMapKeys {
		if i%2 == 0 {
			tm.Store(k, i)
			xm.Store(k, i)
		}
	}
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := rand.IntN(len(typedMapKeys))
			for pb.Next() {
				_, _, _ = tm.LoadOrTryCompute(typedMapKeys[i&typedMapKeyMask], func() (int, error) { return 0, errTypedCompute })
				i++
			}
		})
	})
	b.Run("xsync", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := rand.IntN(len(typedMapKeys))
			for pb.Next() {
				xm.LoadOrCompute(typedMapKeys[i&typedMapKeyMask], func() (int, bool) { return 0, true })
				i++
			}
		})
	})
}

// BenchmarkMapDeleteFunc: one call that deletes the odd half of 4,096 string
// keys by value (xsync: DeleteMatching); putting them back is not timed.
func BenchmarkMapDeleteFunc(b *testing.B) {
	odd := func(_ string, v int) bool { return v%2 != 0 }
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		var m typed.Map[string, int]
		for i, k := range typedMapKeys {
			m.Store(k, i)
		}
		for b.Loop() {
			if n := m.DeleteFunc(odd); n != len(typedMapKeys)/2 {
				panic("typed bench: DeleteFunc deleted " + strconv.Itoa(n))
			}
			b.StopTimer()
			for i := 1; i < len(typedMapKeys); i += 2 {
				m.Store(typedMapKeys[i], i)
			}
			b.StartTimer()
		}
	})
	b.Run("xsync", func(b *testing.B) {
		b.ReportAllocs()
		m := xsync.NewMap[string, int]()
		for i, k := range typedMapKeys {
			m.Store(k, i)
		}
		for b.Loop() {
			if n := m.DeleteMatching(func(k string, v int) (bool, bool) { return odd(k, v), false }); n != len(typedMapKeys)/2 {
				panic("typed bench: DeleteMatching deleted " + strconv.Itoa(n))
			}
			b.StopTimer()
			for i := 1; i < len(typedMapKeys); i += 2 {
				m.Store(typedMapKeys[i], i)
			}
			b.StartTimer()
		}
	})
}

// BenchmarkMapGrow: presize a new map for 4,096 keys and store them (typed:
// the zero Map and Grow; xsync: NewMap with WithPresize).
func BenchmarkMapGrow(b *testing.B) {
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m typed.Map[string, int]
			m.Grow(len(typedMapKeys))
			for i, k := range typedMapKeys {
				m.Store(k, i)
			}
		}
	})
	b.Run("xsync", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m := xsync.NewMap[string, int](xsync.WithPresize(len(typedMapKeys)))
			for i, k := range typedMapKeys {
				m.Store(k, i)
			}
		}
	})
}
