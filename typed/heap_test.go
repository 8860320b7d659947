package typed

import (
	"cmp"
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHeap(t *testing.T) {
	t.Run("pops in ascending order", func(t *testing.T) {
		var h Heap[int]
		xs := rand.Perm(500)
		for _, x := range xs {
			h.Push(x)
		}
		require.Equal(t, 500, h.Len())
		for want := range 500 {
			top, ok := h.Peek()
			require.True(t, ok)
			require.Equal(t, want, top)
			got, ok := h.Pop()
			require.True(t, ok)
			require.Equal(t, want, got, "Pop()")
		}
	})
	t.Run("an empty heap reports false instead of panicking", func(t *testing.T) {
		var h Heap[string]
		v, ok := h.Pop()
		assert.False(t, ok)
		assert.Empty(t, v)
		v, ok = h.Peek()
		assert.False(t, ok)
		assert.Empty(t, v)
	})
	t.Run("Clear keeps capacity and refilling does not allocate", func(t *testing.T) {
		var h Heap[int]
		for i := range 100 {
			h.Push(i)
		}
		h.Clear()
		assert.Zero(t, h.Len())
		if raceEnabled {
			return
		}
		assert.Zero(t, testing.AllocsPerRun(10, func() {
			for i := range 100 {
				h.Push(100 - i)
			}
			for h.Len() > 0 {
				h.Pop()
			}
		}))
	})
}

func TestHeapFunc(t *testing.T) {
	type task struct {
		name string
		prio int
	}
	t.Run("pops by the less function", func(t *testing.T) {
		h := NewHeapFunc(func(a, b task) bool { return a.prio > b.prio })
		for i, p := range rand.Perm(100) {
			h.Push(task{name: string(rune('a' + i%26)), prio: p})
		}
		require.Equal(t, 100, h.Len())
		top, ok := h.Peek()
		require.True(t, ok)
		require.Equal(t, 99, top.prio)
		for want := 99; want >= 0; want-- {
			got, ok := h.Pop()
			require.True(t, ok)
			require.Equal(t, want, got.prio)
		}
		_, ok = h.Pop()
		require.False(t, ok)
		_, ok = h.Peek()
		require.False(t, ok)
		h.Push(task{})
		h.Clear()
		require.Zero(t, h.Len())
	})
	t.Run("misuse panics with the package prefix", func(t *testing.T) {
		require.PanicsWithValue(t, "typed: NewHeapFunc with a nil less function", func() { NewHeapFunc[int](nil) })
	})
	t.Run("the zero HeapFunc is empty and panics on Push naming NewHeapFunc", func(t *testing.T) {
		var zero HeapFunc[int]
		require.Zero(t, zero.Len(), "Len() of the zero HeapFunc")
		v, ok := zero.Peek()
		require.False(t, ok, "Peek() of the zero HeapFunc reported a value")
		require.Zero(t, v)
		v, ok = zero.Pop()
		require.False(t, ok, "Pop() of the zero HeapFunc reported a value")
		require.Zero(t, v)
		zero.Clear()
		require.PanicsWithValue(t, "typed: Push on a zero HeapFunc, which has no order; make it with NewHeapFunc",
			func() { zero.Push(1) })
		require.Zero(t, zero.Len(), "Len() after a Push that panicked")
	})
}

// TestPitfallC3HeapNeedsNoAssertion pins what container/heap costs: an any
// per Push and an assertion per Pop.
func TestPitfallC3HeapNeedsNoAssertion(t *testing.T) {
	h := &anyHeap{}
	heap.Push(h, 3)
	heap.Push(h, 1)
	require.Panics(t, func() { _ = heap.Pop(h).(string) }, "container/heap's Pop returns any")
	var th Heap[int]
	th.Push(3)
	th.Push(1)
	v, _ := th.Pop()
	require.Equal(t, 1, v, "Pop() returns an int, no assertion")
}

type anyHeap []int

func (h anyHeap) Len() int           { return len(h) }
func (h anyHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h anyHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *anyHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *anyHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// heapOp is one operation on a Heap[int], against a sorted slice as model.
type heapOp struct {
	name string
	x    int
}

func (o heapOp) String() string { return o.name + "(" + itoa(o.x) + ")" }

func (o heapOp) run(h *Heap[int]) string {
	switch o.name {
	case "Push":
		h.Push(o.x)
		return ""
	case "Pop":
		v, ok := h.Pop()
		return fmtPair(v, ok)
	case "Peek":
		v, ok := h.Peek()
		return fmtPair(v, ok)
	case "Len":
		return itoa(h.Len())
	default:
		h.Clear()
		return ""
	}
}

func (o heapOp) step(prev []int) ([]int, string) {
	s := slices.Clone(prev)
	switch o.name {
	case "Push":
		s = append(s, o.x)
		slices.SortFunc(s, cmp.Compare)
		return s, ""
	case "Pop":
		if len(s) == 0 {
			return s, fmtPair(0, false)
		}
		return s[1:], fmtPair(s[0], true)
	case "Peek":
		if len(s) == 0 {
			return s, fmtPair(0, false)
		}
		return s, fmtPair(s[0], true)
	case "Len":
		return s, itoa(len(s))
	default:
		return nil, ""
	}
}

func itoa(i int) string { return fmtAny(i) }

func TestIndexedHeap(t *testing.T) {
	t.Run("matches a model under random pushes, pops, updates and removes", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		h := NewIndexedHeap(func(a, b int) bool { return a < b })
		var handles []*Handle[int] // every handle ever pushed
		model := map[*Handle[int]]int{}
		minOf := func() (int, bool) {
			if len(model) == 0 {
				return 0, false
			}
			m := math.MaxInt
			for _, v := range model {
				m = min(m, v)
			}
			return m, true
		}
		for range 5000 {
			switch op := r.IntN(5); {
			case op <= 1:
				x := r.IntN(1000)
				hd := h.Push(x)
				handles = append(handles, hd)
				model[hd] = x
			case op == 2:
				want, wantOK := minOf()
				got, ok := h.Pop()
				require.Equal(t, wantOK, ok)
				require.Equal(t, want, got, "Pop()")
				for hd, v := range model {
					if v == got && hd.index < 0 {
						delete(model, hd)
						break
					}
				}
			case op == 3 && len(handles) > 0:
				hd := handles[r.IntN(len(handles))]
				x := r.IntN(1000)
				_, live := model[hd]
				require.Equal(t, live, h.Update(hd, x), "Update of a live handle")
				if live {
					model[hd] = x
					require.Equal(t, x, hd.Value())
				}
			case op == 4 && len(handles) > 0:
				hd := handles[r.IntN(len(handles))]
				want, live := model[hd]
				got, ok := h.Remove(hd)
				require.Equal(t, live, ok)
				require.Equal(t, want, got)
				delete(model, hd)
			}
			require.Equal(t, len(model), h.Len())
			want, wantOK := minOf()
			got, ok := h.Peek()
			require.Equal(t, wantOK, ok)
			require.Equal(t, want, got, "Peek()")
		}
	})
	t.Run("an empty heap reports false", func(t *testing.T) {
		h := NewIndexedHeap(func(a, b string) bool { return a < b })
		_, ok := h.Pop()
		assert.False(t, ok)
		_, ok = h.Peek()
		assert.False(t, ok)
	})
	t.Run("misuse panics with the package prefix", func(t *testing.T) {
		require.PanicsWithValue(t, "typed: NewIndexedHeap with a nil less function", func() { NewIndexedHeap[int](nil) })
		a := NewIndexedHeap(func(x, y int) bool { return x < y })
		b := NewIndexedHeap(func(x, y int) bool { return x < y })
		hd := a.Push(1)
		require.PanicsWithValue(t, "typed: IndexedHeap.Remove with a Handle that this heap's Push did not return",
			func() { b.Remove(hd) })
		require.PanicsWithValue(t, "typed: IndexedHeap.Update with a Handle that this heap's Push did not return",
			func() { b.Update(hd, 2) })
		require.PanicsWithValue(t, "typed: IndexedHeap.Update with a Handle that this heap's Push did not return",
			func() { a.Update(&Handle[int]{}, 2) }, "the zero Handle")
		require.PanicsWithValue(t, "typed: IndexedHeap.Update with a nil Handle", func() { a.Update(nil, 2) })
		require.PanicsWithValue(t, "typed: IndexedHeap.Remove with a nil Handle", func() { a.Remove(nil) })
		require.Equal(t, 1, a.Len(), "Len() after the misuses; want them to change nothing")
	})
	t.Run("the zero IndexedHeap is empty and panics on Push naming NewIndexedHeap", func(t *testing.T) {
		var zero IndexedHeap[int]
		require.Zero(t, zero.Len(), "Len() of the zero IndexedHeap")
		v, ok := zero.Peek()
		require.False(t, ok, "Peek() of the zero IndexedHeap reported a value")
		require.Zero(t, v)
		v, ok = zero.Pop()
		require.False(t, ok, "Pop() of the zero IndexedHeap reported a value")
		require.Zero(t, v)
		other := NewIndexedHeap(func(x, y int) bool { return x < y }).Push(1)
		require.PanicsWithValue(t, "typed: IndexedHeap.Update with a Handle that this heap's Push did not return",
			func() { zero.Update(other, 2) })
		require.PanicsWithValue(t, "typed: IndexedHeap.Remove with a Handle that this heap's Push did not return",
			func() { zero.Remove(other) })
		require.PanicsWithValue(t, "typed: IndexedHeap.Remove with a nil Handle", func() { zero.Remove(nil) })
		require.PanicsWithValue(t, "typed: Push on a zero IndexedHeap, which has no order; make it with NewIndexedHeap",
			func() { zero.Push(1) })
		require.Zero(t, zero.Len(), "Len() after a Push that panicked")
	})
}

// fmtAny and fmtPair print what a model command returns, so that the
// property tests of heap_test.go and value_test.go compare results as text.
func fmtAny(v any) string           { return fmt.Sprint(v) }
func fmtPair(v any, ok bool) string { return fmt.Sprint(v, ok) }
