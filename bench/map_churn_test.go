package bench

import (
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/boundgo/bound/typed"
	"github.com/puzpuzpuz/xsync/v4"
)

// Each goroutine of BenchmarkMapChurn slides a window of churnWindow keys
// over a ring of its own 2*churnWindow keys.
const churnWindow = 1024

// churnKeys holds the key rings of up to 64 goroutines.
var churnKeys = func() [][]string {
	rings := make([][]string, 64)
	for g := range rings {
		rings[g] = make([]string, 2*churnWindow)
		for i := range rings[g] {
			rings[g][i] = "churn-" + strconv.Itoa(g) + "-" + strconv.Itoa(i)
		}
	}
	return rings
}()

// BenchmarkMapChurn: parallel Store and Delete at a steady size. Each
// goroutine keeps 1,024 string keys of its own present: an op stores the next
// key of its ring and deletes the oldest, so the map's size never moves by
// more than the number of goroutines, and a map that resized on that churn
// would pay for it here. ns/op is per Store+Delete pair.
func BenchmarkMapChurn(b *testing.B) {
	var tm typed.Map[string, int]
	xm := xsync.NewMap[string, int]()
	for _, m := range []struct {
		name   string
		store  func(string, int)
		delete func(string)
	}{
		{"typed", tm.Store, tm.Delete},
		{"xsync", xm.Store, xm.Delete},
	} {
		procs := runtime.GOMAXPROCS(0)
		if procs > len(churnKeys) {
			b.Skipf("GOMAXPROCS %d: the benchmark has key rings for %d goroutines", procs, len(churnKeys))
		}
		for g := range procs {
			for i := range churnWindow {
				m.store(churnKeys[g][i], i)
			}
		}
		// The window of ring g is ring[oldest[g] : oldest[g]+churnWindow],
		// mod the ring's length; it carries over from one run to the next.
		oldest := make([]int, procs)
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			var ids atomic.Int32
			b.RunParallel(func(pb *testing.PB) {
				g := int(ids.Add(1)-1) % procs
				ring, o := churnKeys[g], oldest[g]
				for pb.Next() {
					m.store(ring[(o+churnWindow)%len(ring)], o)
					m.delete(ring[o])
					o = (o + 1) % len(ring)
				}
				oldest[g] = o
			})
		})
	}
}
