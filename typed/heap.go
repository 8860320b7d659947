package typed

import "cmp"

// A Heap is a min-heap of ordered values: Pop returns the smallest. It
// replaces container/heap and its five interface methods for the common case
// of a priority queue of numbers or strings; for other types or orders use
// [HeapFunc].
//
// A Heap is not safe for concurrent use: it is a plain data structure, like
// a slice, and needs a mutex around it when shared. The zero Heap is empty
// and ready to use. Push and Pop cost O(log n) comparisons made with < (no
// interface or function call); Push allocates only when the backing array
// grows, and Pop keeps the capacity, so a Heap that is filled and drained
// again does not allocate. NaN values break the order, as with sort.
type Heap[T cmp.Ordered] struct {
	items []T // items[i] <= items[2i+1] and items[i] <= items[2i+2]
}

// Len returns the number of values in h.
func (h *Heap[T]) Len() int { return len(h.items) }

// Push adds x to h.
func (h *Heap[T]) Push(x T) {
	h.items = append(h.items, x)
	s := h.items
	i := len(s) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !(x < s[parent]) { //nolint:staticcheck // QF1001: Heap compares with < only; x >= p differs from !(x < p) for NaN
			break
		}
		s[i] = s[parent]
		i = parent
	}
	s[i] = x
}

// Peek returns the smallest value without removing it, or the zero T and
// false if h is empty.
func (h *Heap[T]) Peek() (T, bool) {
	if len(h.items) == 0 {
		var zero T
		return zero, false
	}
	return h.items[0], true
}

// Pop removes and returns the smallest value, or returns the zero T and
// false if h is empty.
func (h *Heap[T]) Pop() (T, bool) {
	s := h.items
	n := len(s) - 1
	if n < 0 {
		var zero T
		return zero, false
	}
	top, x := s[0], s[n]
	var zero T
	s[n] = zero
	s = s[:n]
	h.items = s
	// Sift x down from the root.
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && s[r] < s[c] {
			c = r
		}
		if !(s[c] < x) { //nolint:staticcheck // QF1001: Heap compares with < only; c >= x differs from !(c < x) for NaN
			break
		}
		s[i] = s[c]
		i = c
	}
	if n > 0 {
		s[i] = x
	}
	return top, true
}

// Clear removes every value, keeping the capacity for reuse.
func (h *Heap[T]) Clear() {
	clear(h.items)
	h.items = h.items[:0]
}

// A HeapFunc is a heap ordered by a less function: Pop returns a value that no
// other value is less than. See [Heap] for the costs and the (lack of)
// concurrency safety; each comparison here is one call of less.
//
// Make one with [NewHeapFunc]. The zero HeapFunc has no order: Len, Peek,
// Pop and Clear treat it as an empty heap, and Push panics with a message
// naming NewHeapFunc.
//
// Its sift loops mirror Heap's line for line, on purpose: a Heap written as
// a HeapFunc with cmp.Less would pay a call per comparison, as container/heap
// does through its interface, where Heap compares with < in line.
type HeapFunc[T any] struct {
	less  func(a, b T) bool
	items []T
}

// NewHeapFunc returns an empty heap ordered by less, which must be a strict
// weak order (as for sort.Slice). It panics if less is nil.
func NewHeapFunc[T any](less func(a, b T) bool) *HeapFunc[T] {
	if less == nil {
		panic("typed: NewHeapFunc with a nil less function")
	}
	return &HeapFunc[T]{less: less}
}

// Len returns the number of values in h.
func (h *HeapFunc[T]) Len() int { return len(h.items) }

// Push adds x to h.
func (h *HeapFunc[T]) Push(x T) {
	if h.less == nil {
		panic("typed: Push on a zero HeapFunc, which has no order; make it with NewHeapFunc")
	}
	h.items = append(h.items, x)
	s := h.items
	i := len(s) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if !h.less(x, s[parent]) {
			break
		}
		s[i] = s[parent]
		i = parent
	}
	s[i] = x
}

// Peek returns the first value in h's order without removing it, or the zero
// T and false if h is empty.
func (h *HeapFunc[T]) Peek() (T, bool) {
	if len(h.items) == 0 {
		var zero T
		return zero, false
	}
	return h.items[0], true
}

// Pop removes and returns the first value in h's order, or returns the zero T
// and false if h is empty.
func (h *HeapFunc[T]) Pop() (T, bool) {
	s := h.items
	n := len(s) - 1
	if n < 0 {
		var zero T
		return zero, false
	}
	top, x := s[0], s[n]
	var zero T
	s[n] = zero // do not keep what was popped alive
	s = s[:n]
	h.items = s
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && h.less(s[r], s[c]) {
			c = r
		}
		if !h.less(s[c], x) {
			break
		}
		s[i] = s[c]
		i = c
	}
	if n > 0 {
		s[i] = x
	}
	return top, true
}

// Clear removes every value, keeping the capacity for reuse.
func (h *HeapFunc[T]) Clear() {
	clear(h.items)
	h.items = h.items[:0]
}

// An IndexedHeap is a heap ordered by a less function whose values can be
// changed or removed after they were pushed, through the [Handle] that Push
// returns: the operations container/heap offers as Fix and Remove, without
// the index bookkeeping in the caller's Swap method. Use it for timers and
// schedulers that reprioritize; otherwise [Heap] and [HeapFunc] are faster
// and allocate nothing.
//
// Like [Heap], it is not safe for concurrent use. Make one with
// [NewIndexedHeap]. The zero IndexedHeap has no order: Len, Peek and Pop
// treat it as an empty heap, Update and Remove panic as they do with any
// handle the heap did not hand out, and Push panics with a message naming
// NewIndexedHeap. Each Push allocates one Handle; every operation costs
// O(log n) calls of less.
type IndexedHeap[T any] struct {
	less  func(a, b T) bool
	items []*Handle[T] // items[i].index == i
}

// A Handle refers to a value pushed onto an [IndexedHeap] until it is popped
// or removed.
type Handle[T any] struct {
	value T
	index int // position in heap.items, or -1 once popped or removed
	heap  *IndexedHeap[T]
}

// Value returns the handle's current value, also after it left the heap.
func (h *Handle[T]) Value() T { return h.value }

// NewIndexedHeap returns an empty heap ordered by less, which must be a strict
// weak order. It panics if less is nil.
func NewIndexedHeap[T any](less func(a, b T) bool) *IndexedHeap[T] {
	if less == nil {
		panic("typed: NewIndexedHeap with a nil less function")
	}
	return &IndexedHeap[T]{less: less}
}

// Len returns the number of values in h.
func (h *IndexedHeap[T]) Len() int { return len(h.items) }

// Push adds x to h and returns its handle.
func (h *IndexedHeap[T]) Push(x T) *Handle[T] {
	if h.less == nil {
		panic("typed: Push on a zero IndexedHeap, which has no order; make it with NewIndexedHeap")
	}
	hd := &Handle[T]{value: x, index: len(h.items), heap: h}
	h.items = append(h.items, hd)
	h.up(hd.index)
	return hd
}

// Peek returns the first value in h's order without removing it, or the zero
// T and false if h is empty.
func (h *IndexedHeap[T]) Peek() (T, bool) {
	if len(h.items) == 0 {
		var zero T
		return zero, false
	}
	return h.items[0].value, true
}

// Pop removes and returns the first value in h's order, or returns the zero T
// and false if h is empty.
func (h *IndexedHeap[T]) Pop() (T, bool) {
	if len(h.items) == 0 {
		var zero T
		return zero, false
	}
	return h.remove(0), true
}

// Update sets the value of hd to x and restores the order. It reports false,
// and does nothing, if hd was popped or removed already. It panics if hd is
// nil or was not returned by h's Push.
func (h *IndexedHeap[T]) Update(hd *Handle[T], x T) bool {
	if !h.owns(hd, "Update") {
		return false
	}
	hd.value = x
	if !h.down(hd.index) {
		h.up(hd.index)
	}
	return true
}

// Remove removes hd's value from h and returns it and true, or the zero T
// and false if hd was popped or removed already. It panics if hd is nil or
// was not returned by h's Push.
func (h *IndexedHeap[T]) Remove(hd *Handle[T]) (T, bool) {
	if !h.owns(hd, "Remove") {
		var zero T
		return zero, false
	}
	return h.remove(hd.index), true
}

// owns reports whether hd is in h, and panics, naming method, if hd is not
// one of h's handles.
func (h *IndexedHeap[T]) owns(hd *Handle[T], method string) bool {
	if hd == nil {
		panic("typed: IndexedHeap." + method + " with a nil Handle")
	}
	if hd.heap != h {
		panic("typed: IndexedHeap." + method + " with a Handle that this heap's Push did not return")
	}
	return hd.index >= 0
}

func (h *IndexedHeap[T]) remove(i int) T {
	n := len(h.items) - 1
	hd := h.items[i]
	if i != n {
		h.swap(i, n)
	}
	h.items[n] = nil
	h.items = h.items[:n]
	if i != n && !h.down(i) {
		h.up(i)
	}
	hd.index = -1
	return hd.value
}

func (h *IndexedHeap[T]) swap(i, j int) {
	h.items[i], h.items[j] = h.items[j], h.items[i]
	h.items[i].index = i
	h.items[j].index = j
}

func (h *IndexedHeap[T]) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !h.less(h.items[i].value, h.items[parent].value) {
			return
		}
		h.swap(i, parent)
		i = parent
	}
}

// down sifts i down and reports whether it moved.
func (h *IndexedHeap[T]) down(i int) bool {
	start, n := i, len(h.items)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && h.less(h.items[r].value, h.items[c].value) {
			c = r
		}
		if !h.less(h.items[c].value, h.items[i].value) {
			break
		}
		h.swap(i, c)
		i = c
	}
	return i > start
}
