package typed_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/boundgo/bound/typed"
)

func ExampleMap() {
	var hits typed.Map[string, int] // the zero Map is ready
	hits.Store("/", 1)
	hits.Compute("/", func(old int, loaded bool) (int, typed.ComputeOp) { return old + 1, typed.UpdateOp })
	n, ok := hits.Load("/") // an int, no assertion
	fmt.Println(n, ok, hits.Len())
	// Output: 2 true 1
}

func ExampleMap_Load() {
	var m typed.Map[string, int]
	m.Store("a", 1)
	v, ok := m.Load("a")
	fmt.Println(v, ok)
	v, ok = m.Load("b")
	fmt.Println(v, ok)
	// Output:
	// 1 true
	// 0 false
}

func ExampleMap_Store() {
	var m typed.Map[string, []string]
	m.Store("langs", []string{"go"})
	v, _ := m.Load("langs")
	fmt.Println(v)
	// Output: [go]
}

func ExampleMap_LoadOrStore() {
	var sessions typed.Map[string, string]
	id, loaded := sessions.LoadOrStore("ann", "s1")
	fmt.Println(id, loaded)
	id, loaded = sessions.LoadOrStore("ann", "s2")
	fmt.Println(id, loaded)
	// Output:
	// s1 false
	// s1 true
}

func ExampleMap_LoadOrCompute() {
	var cache typed.Map[string, int]
	expensive := func() int { fmt.Println("computing"); return 42 }
	v, loaded := cache.LoadOrCompute("answer", expensive)
	fmt.Println(v, loaded)
	v, loaded = cache.LoadOrCompute("answer", expensive) // not called again
	fmt.Println(v, loaded)
	// Output:
	// computing
	// 42 false
	// 42 true
}

func ExampleMap_LoadOrTryCompute() {
	var sessions typed.Map[string, string]
	login := func(user string) func() (string, error) {
		return func() (string, error) {
			if user == "" {
				return "", errors.New("no user")
			}
			return "session of " + user, nil
		}
	}
	_, _, err := sessions.LoadOrTryCompute("anonymous", login(""))
	fmt.Println(err, sessions.Len()) // nothing stored
	s, loaded, err := sessions.LoadOrTryCompute("ann", login("ann"))
	fmt.Println(s, loaded, err)
	s, loaded, _ = sessions.LoadOrTryCompute("ann", login("ann")) // not called again
	fmt.Println(s, loaded)
	// Output:
	// no user 0
	// session of ann false <nil>
	// session of ann true
}

func ExampleMap_DeleteFunc() {
	var expiry typed.Map[string, int] // session → expiry time
	expiry.Store("a", 10)
	expiry.Store("b", 20)
	expiry.Store("c", 30)
	now := 25
	n := expiry.DeleteFunc(func(_ string, at int) bool { return at <= now })
	fmt.Println(n, slices.Sorted(expiry.Keys()))
	// Output: 2 [c]
}

func ExampleMap_Grow() {
	var m typed.Map[int, int] // no constructor: Grow presizes the zero Map
	m.Grow(100_000)           // storing 100,000 keys now does not resize
	for i := range 100_000 {
		m.Store(i, i*i)
	}
	fmt.Println(m.Len())
	// Output: 100000
}

func ExampleMap_Compute() {
	var stock typed.Map[string, int]
	stock.Store("apples", 1)
	take := func(old int, loaded bool) (int, typed.ComputeOp) {
		if old <= 1 {
			return 0, typed.DeleteOp // the last one: remove the key
		}
		return old - 1, typed.UpdateOp
	}
	n, ok := stock.Compute("apples", take)
	fmt.Println(n, ok, stock.Len())
	n, ok = stock.Compute("pears", func(old int, loaded bool) (int, typed.ComputeOp) { return 0, typed.CancelOp })
	fmt.Println(n, ok)
	// Output:
	// 0 false 0
	// 0 false
}

func ExampleMap_LoadAndDelete() {
	var m typed.Map[int, string]
	m.Store(1, "one")
	v, loaded := m.LoadAndDelete(1)
	fmt.Println(v, loaded, m.Len())
	// Output: one true 0
}

func ExampleMap_Delete() {
	var m typed.Map[int, string]
	m.Store(1, "one")
	m.Delete(1)
	m.Delete(2) // deleting a missing key is fine
	fmt.Println(m.Len())
	// Output: 0
}

func ExampleMap_Swap() {
	var m typed.Map[string, string]
	old, loaded := m.Swap("mode", "fast")
	fmt.Printf("%q %v\n", old, loaded)
	old, loaded = m.Swap("mode", "safe")
	fmt.Printf("%q %v\n", old, loaded)
	// Output:
	// "" false
	// "fast" true
}

func ExampleMap_Len() {
	var m typed.Map[int, int]
	for i := range 10 {
		m.Store(i%5, i)
	}
	fmt.Println(m.Len())
	// Output: 5
}

func ExampleMap_Clear() {
	var m typed.Map[int, int]
	m.Store(1, 1)
	m.Clear()
	fmt.Println(m.Len())
	// Output: 0
}

func ExampleMap_Range() {
	var m typed.Map[string, int]
	m.Store("a", 1)
	m.Store("b", 2)
	sum := 0
	m.Range(func(k string, v int) bool { sum += v; return true })
	fmt.Println(sum)
	// Output: 3
}

func ExampleMap_All() {
	var m typed.Map[string, int]
	m.Store("a", 1)
	m.Store("b", 2)
	plain := maps.Collect(m.All()) // iteration order is unspecified
	fmt.Println(plain)
	// Output: map[a:1 b:2]
}

func ExampleMap_Keys() {
	var m typed.Map[string, int]
	m.Store("b", 2)
	m.Store("a", 1)
	fmt.Println(slices.Sorted(m.Keys()))
	// Output: [a b]
}

func ExampleMap_Values() {
	var m typed.Map[string, int]
	m.Store("b", 2)
	m.Store("a", 1)
	fmt.Println(slices.Sorted(m.Values()))
	// Output: [1 2]
}

func ExampleComparableMap() {
	var leases typed.ComparableMap[string, string]
	leases.Store("job-1", "worker-a")
	// Take over only if the lease is still held by worker-a.
	fmt.Println(leases.CompareAndSwap("job-1", "worker-a", "worker-b"))
	fmt.Println(leases.CompareAndSwap("job-1", "worker-a", "worker-c"))
	// typed.ComparableMap[string, []byte] does not compile: []byte is not comparable.
	// Output:
	// true
	// false
}

func ExampleComparableMap_CompareAndSwap() {
	var m typed.ComparableMap[string, int]
	m.Store("v", 1)
	fmt.Println(m.CompareAndSwap("v", 1, 2), m.CompareAndSwap("v", 1, 3))
	// Output: true false
}

func ExampleComparableMap_CompareAndDelete() {
	var m typed.ComparableMap[string, int]
	m.Store("v", 1)
	fmt.Println(m.CompareAndDelete("v", 2), m.CompareAndDelete("v", 1), m.Len())
	// Output: false true 0
}

func ExampleComputeOp() {
	var m typed.Map[string, int]
	for _, op := range []typed.ComputeOp{typed.UpdateOp, typed.CancelOp, typed.DeleteOp} {
		v, ok := m.Compute("k", func(old int, loaded bool) (int, typed.ComputeOp) { return old + 1, op })
		fmt.Println(v, ok)
	}
	// Output:
	// 1 true
	// 1 true
	// 0 false
}

func ExampleValue() {
	type config struct {
		endpoint string
		retries  int
	}
	var current typed.Value[config] // loads config{} until the first Store
	fmt.Printf("%+v\n", current.Load())
	current.Store(config{endpoint: "https://example.org", retries: 3})
	fmt.Println(current.Load().retries)
	// Output:
	// {endpoint: retries:0}
	// 3
}

func ExampleValue_Load() {
	var v typed.Value[[]string]
	fmt.Println(v.Load() == nil)
	// Output: true
}

func ExampleValue_Store() {
	var v typed.Value[error]
	v.Store(errors.New("first"))
	v.Store(fmt.Errorf("second: %w", context.Canceled)) // another dynamic type: no panic
	v.Store(nil)                                        // nil: no panic
	fmt.Println(v.Load())
	// Output: <nil>
}

func ExampleValue_Swap() {
	var v typed.Value[int]
	fmt.Println(v.Swap(1), v.Swap(2), v.Load())
	// Output: 0 1 2
}

func ExampleComparableValue() {
	var state typed.ComparableValue[string]
	state.Store("idle")
	fmt.Println(state.CompareAndSwap("idle", "running"), state.Load())
	// Output: true running
}

func ExampleComparableValue_CompareAndSwap() {
	var v typed.ComparableValue[int]
	fmt.Println(v.CompareAndSwap(0, 1)) // the zero Value holds 0
	fmt.Println(v.CompareAndSwap(0, 2))
	// Output:
	// true
	// false
}

func ExamplePool() {
	// Pool[[]byte] hands out *[]byte: putting it back allocates nothing.
	bufs := typed.Pool[[]byte]{
		New:   func() []byte { return make([]byte, 0, 4096) },
		Reset: func(b *[]byte) { *b = (*b)[:0] },
	}
	buf := bufs.Get()
	*buf = append(*buf, "hello"...)
	fmt.Println(string(*buf), cap(*buf))
	bufs.Put(buf)
	// Output: hello 4096
}

func ExamplePool_Get() {
	var builders typed.Pool[strings.Builder] // zero Pool: Get returns a new zero Builder
	b := builders.Get()
	b.WriteString("x")
	fmt.Println(b.String())
	// Output: x
}

func ExamplePool_Put() {
	p := typed.Pool[[]int]{Reset: func(s *[]int) { *s = (*s)[:0] }}
	s := p.Get()
	*s = append(*s, 1, 2, 3)
	p.Put(s) // Reset runs here; s must not be used afterwards
	fmt.Println(len(*s))
	// Output: 0
}

func ExampleHeap() {
	var h typed.Heap[int] // not safe for concurrent use
	for _, x := range []int{5, 1, 4} {
		h.Push(x)
	}
	for h.Len() > 0 {
		x, _ := h.Pop()
		fmt.Print(x, " ")
	}
	fmt.Println()
	// Output: 1 4 5
}

func ExampleHeap_Push() {
	var h typed.Heap[string]
	h.Push("b")
	h.Push("a")
	fmt.Println(h.Peek())
	// Output: a true
}

func ExampleHeap_Pop() {
	var h typed.Heap[float64]
	h.Push(2.5)
	fmt.Println(h.Pop())
	fmt.Println(h.Pop()) // empty: no panic
	// Output:
	// 2.5 true
	// 0 false
}

func ExampleHeap_Peek() {
	var h typed.Heap[int]
	h.Push(3)
	fmt.Println(h.Peek())
	fmt.Println(h.Len())
	// Output:
	// 3 true
	// 1
}

func ExampleHeap_Len() {
	var h typed.Heap[int]
	h.Push(1)
	h.Push(1)
	fmt.Println(h.Len())
	// Output: 2
}

func ExampleHeap_Clear() {
	var h typed.Heap[int]
	h.Push(1)
	h.Clear()
	fmt.Println(h.Len())
	// Output: 0
}

func ExampleHeapFunc() {
	type job struct {
		name     string
		priority int
	}
	// Highest priority first.
	jobs := typed.NewHeapFunc(func(a, b job) bool { return a.priority > b.priority })
	jobs.Push(job{"backup", 1})
	jobs.Push(job{"page oncall", 9})
	jobs.Push(job{"reindex", 5})
	for jobs.Len() > 0 {
		j, _ := jobs.Pop()
		fmt.Println(j.name)
	}
	// Output:
	// page oncall
	// reindex
	// backup
}

func ExampleNewHeapFunc() {
	byLen := typed.NewHeapFunc(func(a, b string) bool { return len(a) < len(b) })
	byLen.Push("three")
	byLen.Push("one")
	fmt.Println(byLen.Peek())
	// Output: one true
}

func ExampleHeapFunc_Push() {
	h := typed.NewHeapFunc(func(a, b int) bool { return a > b })
	h.Push(1)
	h.Push(2)
	fmt.Println(h.Peek())
	// Output: 2 true
}

func ExampleHeapFunc_Pop() {
	h := typed.NewHeapFunc(func(a, b int) bool { return a > b })
	h.Push(1)
	h.Push(2)
	a, _ := h.Pop()
	b, _ := h.Pop()
	_, ok := h.Pop()
	fmt.Println(a, b, ok)
	// Output: 2 1 false
}

func ExampleHeapFunc_Peek() {
	h := typed.NewHeapFunc(func(a, b int) bool { return a < b })
	fmt.Println(h.Peek())
	// Output: 0 false
}

func ExampleHeapFunc_Len() {
	h := typed.NewHeapFunc(func(a, b int) bool { return a < b })
	h.Push(7)
	fmt.Println(h.Len())
	// Output: 1
}

func ExampleHeapFunc_Clear() {
	h := typed.NewHeapFunc(func(a, b int) bool { return a < b })
	h.Push(7)
	h.Clear()
	fmt.Println(h.Len())
	// Output: 0
}

func ExampleKey() {
	requestID := typed.NewKey[string]("request-id") // usually a package-level var
	ctx := requestID.WithValue(context.Background(), "r-42")
	id, ok := requestID.Value(ctx) // a string: no ctx.Value(k).(string) to panic
	fmt.Println(id, ok)
	// Output: r-42 true
}

func ExampleNewKey() {
	retries := typed.NewKey[int]("retries")
	ctx := retries.WithValue(context.Background(), 0)
	n, ok := retries.Value(ctx)
	fmt.Println(n, ok) // set to zero: found
	_, ok = retries.Value(context.Background())
	fmt.Println(ok) // missing
	// Output:
	// 0 true
	// false
}

func ExampleKey_WithValue() {
	user := typed.NewKey[string]("user")
	ctx := user.WithValue(context.Background(), "ann")
	ctx = user.WithValue(ctx, "bob") // the inner value shadows the outer
	fmt.Println(user.Value(ctx))
	// Output: bob true
}

func ExampleKey_Value() {
	deadline := typed.NewKey[error]("err")
	ctx := deadline.WithValue(context.Background(), nil)
	err, ok := deadline.Value(ctx)
	fmt.Println(err, ok) // a nil error that was set is still found
	// Output: <nil> true
}

func ExampleKey_String() {
	fmt.Println(typed.NewKey[int]("retries"))
	// Output: typed.Key[int](retries)
}

func ExampleAssert() {
	var v any = "forty"
	n, err := typed.Assert[int](v) // v.(int) would panic
	fmt.Println(n, err)
	// Output: 0 typed: got string, want int
}

func ExampleCheck() {
	var v any = 3.5
	if f, ok := typed.Check[float64](v); ok {
		fmt.Println(f * 2)
	}
	// Output: 7
}

func ExampleTypeError() {
	_, err := typed.Assert[[]string](map[string]any{})
	err = fmt.Errorf("decoding tags: %w", err)
	if te, ok := errors.AsType[*typed.TypeError](err); ok {
		fmt.Println("want", te.Want, "got", te.Got)
	}
	// Output: want []string got map[string]interface {}
}

func ExampleTypeError_Error() {
	_, err := typed.Assert[int](nil)
	fmt.Println(err.Error())
	// Output: typed: got nil, want int
}

func ExampleIsNil() {
	open := func() error {
		var pe *fs.PathError // nothing failed: pe stays nil
		return pe            // the bug: a nil *fs.PathError is not a nil error
	}
	err := open()
	fmt.Println(err != nil, typed.IsNil(err))
	// Output: true true
}

func ExampleSingleflight() {
	var g typed.Singleflight[string, string]
	v, err, shared := g.Do(context.Background(), "user:1", func(ctx context.Context) (string, error) {
		return "ann", nil // e.g. a database query, done once for concurrent callers
	})
	fmt.Println(v, err, shared)
	// Output: ann <nil> false
}

func ExampleSingleflight_Do() {
	var g typed.Singleflight[int, int]
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // this caller gives up at once; the call would go on for others
	_, err, _ := g.Do(ctx, 1, func(ctx context.Context) (int, error) { return 1, nil })
	fmt.Println(err)
	// Output: context canceled
}

func ExampleSingleflight_DoChan() {
	var g typed.Singleflight[string, int]
	r := <-g.DoChan(context.Background(), "k", func(ctx context.Context) (int, error) { return 7, nil })
	fmt.Println(r.Val, r.Err, r.Shared)
	// Output: 7 <nil> false
}

func ExampleSingleflight_Forget() {
	var g typed.Singleflight[string, int]
	g.Forget("k") // the next Do for "k" starts a new call
	v, _, _ := g.Do(context.Background(), "k", func(ctx context.Context) (int, error) { return 1, nil })
	fmt.Println(v)
	// Output: 1
}

func ExampleSingleflightResult() {
	var g typed.Singleflight[string, int]
	report := func(r typed.SingleflightResult[int]) {
		fmt.Println(r.Val, r.Err, r.Shared)
	}
	report(<-g.DoChan(context.Background(), "k", func(ctx context.Context) (int, error) {
		return 0, errors.New("backend down")
	}))
	// Output: 0 backend down false
}

func ExampleIndexedHeap() {
	type timer struct {
		name     string
		deadline int
	}
	timers := typed.NewIndexedHeap(func(a, b timer) bool { return a.deadline < b.deadline })
	timers.Push(timer{"flush", 30})
	retry := timers.Push(timer{"retry", 10})
	timers.Push(timer{"ping", 20})
	timers.Update(retry, timer{"retry", 40}) // back off: the retry moves behind the others
	for timers.Len() > 0 {
		t, _ := timers.Pop()
		fmt.Println(t.name, t.deadline)
	}
	// Output:
	// ping 20
	// flush 30
	// retry 40
}

func ExampleNewIndexedHeap() {
	h := typed.NewIndexedHeap(func(a, b int) bool { return a > b }) // max-heap
	h.Push(1)
	h.Push(3)
	fmt.Println(h.Peek())
	// Output: 3 true
}

func ExampleIndexedHeap_Push() {
	h := typed.NewIndexedHeap(func(a, b int) bool { return a < b })
	hd := h.Push(5)
	fmt.Println(hd.Value(), h.Len())
	// Output: 5 1
}

func ExampleIndexedHeap_Pop() {
	h := typed.NewIndexedHeap(func(a, b int) bool { return a < b })
	h.Push(2)
	h.Push(1)
	fmt.Println(h.Pop())
	fmt.Println(h.Pop())
	fmt.Println(h.Pop())
	// Output:
	// 1 true
	// 2 true
	// 0 false
}

func ExampleIndexedHeap_Peek() {
	h := typed.NewIndexedHeap(func(a, b string) bool { return a < b })
	h.Push("b")
	h.Push("a")
	fmt.Println(h.Peek())
	// Output: a true
}

func ExampleIndexedHeap_Len() {
	h := typed.NewIndexedHeap(func(a, b int) bool { return a < b })
	h.Push(1)
	fmt.Println(h.Len())
	// Output: 1
}

func ExampleIndexedHeap_Update() {
	h := typed.NewIndexedHeap(func(a, b int) bool { return a < b })
	h.Push(5)
	hd := h.Push(9)
	fmt.Println(h.Update(hd, 1))
	top, _ := h.Peek()
	fmt.Println(top)
	h.Remove(hd)
	fmt.Println(h.Update(hd, 0)) // gone: nothing to update
	// Output:
	// true
	// 1
	// false
}

func ExampleIndexedHeap_Remove() {
	h := typed.NewIndexedHeap(func(a, b int) bool { return a < b })
	h.Push(1)
	hd := h.Push(2)
	fmt.Println(h.Remove(hd))
	fmt.Println(h.Remove(hd)) // removed already
	fmt.Println(h.Len())
	// Output:
	// 2 true
	// 0 false
	// 1
}

func ExampleHandle() {
	h := typed.NewIndexedHeap(func(a, b int) bool { return a < b })
	hd := h.Push(7)
	h.Pop()
	fmt.Println(hd.Value()) // the value stays readable after the handle left the heap
	// Output: 7
}

func ExampleHandle_Value() {
	h := typed.NewIndexedHeap(func(a, b string) bool { return a < b })
	hd := h.Push("x")
	h.Update(hd, "y")
	fmt.Println(hd.Value())
	// Output: y
}
