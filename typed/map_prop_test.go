package typed

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/leanovate/gopter/gen"
)

// propParams runs 1,000 generated cases of up to maxOps operations,
// reproducibly (the seed is fixed so that CI and a failing run agree).
func propParams(maxOps int) *gopter.TestParameters {
	p := gopter.DefaultTestParametersWithSeed(1)
	p.MinSuccessfulTests = 1000
	p.MaxSize = maxOps
	return p
}

// mapOp is one operation on a Map[int, int], applied to the real map and to
// a plain Go map used as the model.
type mapOp struct {
	name     string
	key, val int
	old      int
}

func (o mapOp) String() string { return fmt.Sprintf("%s(%d, %d, %d)", o.name, o.key, o.val, o.old) }

// apply runs o on a Map (sut) and returns what came back, formatted.
func (o mapOp) run(m *ComparableMap[int, int]) string {
	switch o.name {
	case "Load":
		v, ok := m.Load(o.key)
		return fmt.Sprint(v, ok)
	case "Store":
		m.Store(o.key, o.val)
		return ""
	case "LoadOrStore":
		v, ok := m.LoadOrStore(o.key, o.val)
		return fmt.Sprint(v, ok)
	case "LoadOrCompute":
		v, ok := m.LoadOrCompute(o.key, func() int { return o.val })
		return fmt.Sprint(v, ok)
	case "LoadAndDelete":
		v, ok := m.LoadAndDelete(o.key)
		return fmt.Sprint(v, ok)
	case "Delete":
		m.Delete(o.key)
		return ""
	case "Swap":
		v, ok := m.Swap(o.key, o.val)
		return fmt.Sprint(v, ok)
	case "CompareAndSwap":
		return fmt.Sprint(m.CompareAndSwap(o.key, o.old, o.val))
	case "CompareAndDelete":
		return fmt.Sprint(m.CompareAndDelete(o.key, o.old))
	case "ComputeAdd":
		v, ok := m.Compute(o.key, func(old int, loaded bool) (int, ComputeOp) {
			if o.val%5 == 0 {
				return 0, DeleteOp
			}
			if o.val%7 == 0 {
				return 0, CancelOp
			}
			return old + o.val, UpdateOp
		})
		return fmt.Sprint(v, ok)
	case "LoadOrTryCompute":
		v, ok, err := m.LoadOrTryCompute(o.key, func() (int, error) {
			if o.val%3 == 0 {
				return o.val, errModel
			}
			return o.val, nil
		})
		return fmt.Sprint(v, ok, err)
	case "DeleteFunc":
		return fmt.Sprint(m.DeleteFunc(o.deletes))
	case "Grow":
		m.Grow(o.val) // small: a large floor would keep the table from shrinking
		return ""
	case "Len":
		return fmt.Sprint(m.Len())
	case "Clear":
		m.Clear()
		return ""
	case "All":
		return fmt.Sprint(maps.Collect(m.All()))
	}
	panic("unknown op " + o.name)
}

var errModel = errors.New("compute failed")

// deletes is DeleteFunc's predicate: it picks from half to 8/9 of the keys,
// so that a table that grew often shrinks.
func (o mapOp) deletes(k, v int) bool { return (k+v)%(2+o.old%8) != 0 }

// step applies o to the model and returns the new model and the result.
func (o mapOp) step(prev map[int]int) (map[int]int, string) {
	m := maps.Clone(prev)
	v, ok := m[o.key]
	switch o.name {
	case "Load":
		return m, fmt.Sprint(v, ok)
	case "Store":
		m[o.key] = o.val
		return m, ""
	case "LoadOrStore", "LoadOrCompute":
		if ok {
			return m, fmt.Sprint(v, true)
		}
		m[o.key] = o.val
		return m, fmt.Sprint(o.val, false)
	case "LoadAndDelete":
		delete(m, o.key)
		return m, fmt.Sprint(v, ok)
	case "Delete":
		delete(m, o.key)
		return m, ""
	case "Swap":
		m[o.key] = o.val
		return m, fmt.Sprint(v, ok)
	case "CompareAndSwap":
		if ok && v == o.old {
			m[o.key] = o.val
			return m, "true"
		}
		return m, "false"
	case "CompareAndDelete":
		if ok && v == o.old {
			delete(m, o.key)
			return m, "true"
		}
		return m, "false"
	case "ComputeAdd":
		switch {
		case o.val%5 == 0:
			delete(m, o.key)
			return m, fmt.Sprint(0, false)
		case o.val%7 == 0:
			return m, fmt.Sprint(v, ok)
		}
		m[o.key] = v + o.val
		return m, fmt.Sprint(v+o.val, true)
	case "LoadOrTryCompute":
		switch {
		case ok:
			return m, fmt.Sprint(v, true, nil)
		case o.val%3 == 0:
			return m, fmt.Sprint(0, false, errModel)
		}
		m[o.key] = o.val
		return m, fmt.Sprint(o.val, false, nil)
	case "DeleteFunc":
		n := len(m)
		maps.DeleteFunc(m, o.deletes)
		return m, fmt.Sprint(n - len(m))
	case "Grow":
		return m, ""
	case "Len":
		return m, fmt.Sprint(len(m))
	case "Clear":
		return map[int]int{}, ""
	case "All":
		return m, fmt.Sprint(m)
	}
	panic("unknown op " + o.name)
}

var mapOpNames = []string{"Load", "Store", "LoadOrStore", "LoadOrCompute", "LoadAndDelete", "Delete",
	"Swap", "CompareAndSwap", "CompareAndDelete", "ComputeAdd", "LoadOrTryCompute", "DeleteFunc", "Grow",
	"Len", "Clear", "All"}

// genMapOp decodes one random word into an operation: a single generator
// keeps gopter's reflection, the bulk of this test's cost, small.
//
// With grow set, Clear, DeleteFunc and Grow are rarer still, so that maps
// grow large before DeleteFunc cuts them down, often enough for the table to
// shrink.
func genMapOp(keys int, grow bool) gopter.Gen {
	return gen.UInt64().Map(func(u uint64) mapOp {
		name := mapOpNames[int(u%uint64(len(mapOpNames)))]
		u /= uint64(len(mapOpNames))
		o := mapOp{name: name, key: int(u % uint64(keys)), val: 1 + int(u>>16%40), old: int(u >> 32 % 41)}
		rare := u >> 48 % 16
		switch {
		case name == "Clear" && (rare%4 != 0 || grow && rare != 0):
			o.name = "Store" // Clear rarely, so that maps grow
		case name == "DeleteFunc" && grow && rare%4 != 0:
			o.name = "Store"
		case name == "Grow" && grow && rare != 0:
			o.name = "Store" // Grow sets a floor that keeps the table from shrinking
		}
		return o
	})
}

// modelCommand adapts an operation with a run and a step to gopter's commands.
type modelCommand[S any, M any] struct {
	desc string
	run  func(S) string
	step func(M) (M, string)
}

type modelState[M any] struct {
	model M
	want  string
}

func (c modelCommand[S, M]) Run(sut commands.SystemUnderTest) commands.Result {
	return c.run(sut.(S))
}

func (c modelCommand[S, M]) NextState(state commands.State) commands.State {
	next, want := c.step(state.(modelState[M]).model)
	return modelState[M]{next, want}
}

func (modelCommand[S, M]) PreCondition(commands.State) bool { return true }

func (c modelCommand[S, M]) PostCondition(state commands.State, result commands.Result) *gopter.PropResult {
	if want := state.(modelState[M]).want; result != want {
		return &gopter.PropResult{Status: gopter.PropFalse, Labels: []string{fmt.Sprintf("%s = %q; want %q", c.desc, result, want)}}
	}
	return &gopter.PropResult{Status: gopter.PropTrue}
}

func (c modelCommand[S, M]) String() string { return c.desc }

func TestMapModel(t *testing.T) {
	genCmd := genMapOp(64, false).Map(func(o mapOp) commands.Command {
		return modelCommand[*ComparableMap[int, int], map[int]int]{desc: o.String(), run: o.run, step: o.step}
	})
	cmds := &commands.ProtoCommands{
		NewSystemUnderTestFunc: func(commands.State) commands.SystemUnderTest { return new(ComparableMap[int, int]) },
		InitialStateGen:        gen.Const(modelState[map[int]int]{model: map[int]int{}}),
		// 64 keys: enough to grow the table and build chains.
		GenCommandFunc: func(commands.State) gopter.Gen { return genCmd },
	}
	props := gopter.NewProperties(propParams(60))
	props.Property("Map behaves as a Go map", commands.Prop(cmds))

	// 1,024 keys and sequences of up to 300 operations: the table grows
	// to 64 buckets and more, and DeleteFunc makes it shrink.
	bigCmd := genMapOp(1024, true).Map(func(o mapOp) commands.Command {
		return modelCommand[*ComparableMap[int, int], map[int]int]{desc: o.String(), run: o.run, step: o.step}
	})
	big := *cmds
	big.GenCommandFunc = func(commands.State) gopter.Gen { return bigCmd }
	params := propParams(300)
	params.MinSuccessfulTests = 100
	props2 := gopter.NewProperties(params)
	props2.Property("Map behaves as a Go map as it grows and shrinks", commands.Prop(&big))
	props.TestingRun(t)
	props2.TestingRun(t)
}

// Linearizability: goroutines run random operations on one Map and record
// each call and return with a logical clock; porcupine then searches for a
// sequential order consistent with both the real-time order and a plain map.

type linInput struct {
	op       string // "load", "store", "loadOrStore", "delete", "cas"
	key, val int
	old      int
}

type linOutput struct {
	val int
	ok  bool
}

// linMap is the surface the histories exercise, so that a deliberately
// broken implementation can be checked too.
type linMap interface {
	Load(int) (int, bool)
	Store(int, int)
	LoadOrStore(int, int) (int, bool)
	LoadAndDelete(int) (int, bool)
	CompareAndSwap(int, int, int) bool
}

// linModel is a map[int]int partitioned by key: per key the state is the
// value, or -1 when absent.
var linModel = porcupine.Model{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[int][]porcupine.Operation{}
		for _, op := range history {
			k := op.Input.(linInput).key
			byKey[k] = append(byKey[k], op)
		}
		var out [][]porcupine.Operation
		for _, ops := range byKey {
			out = append(out, ops)
		}
		return out
	},
	Init: func() any { return -1 },
	Step: func(state, input, output any) (bool, any) {
		cur, in, out := state.(int), input.(linInput), output.(linOutput)
		present := cur >= 0
		switch in.op {
		case "load":
			return out.ok == present && (!present || out.val == cur), cur
		case "store":
			return true, in.val
		case "loadOrStore":
			if present {
				return out.ok && out.val == cur, cur
			}
			return !out.ok && out.val == in.val, in.val
		case "delete":
			return out.ok == present && (!present || out.val == cur), -1
		case "cas":
			if present && cur == in.old {
				return out.ok, in.val
			}
			return !out.ok, cur
		}
		return false, cur
	},
}

// linHistory runs goroutines × ops random operations over keys keys.
func linHistory(m linMap, goroutines, ops, keys int, seed uint64) []porcupine.Operation {
	var clock atomic.Int64
	hist := make([][]porcupine.Operation, goroutines)
	var wg sync.WaitGroup
	start := make(chan struct{}) // so that the goroutines overlap
	for g := range goroutines {
		wg.Go(func() {
			<-start
			r := rand.New(rand.NewPCG(seed, uint64(g)))
			for range ops {
				in := linInput{key: r.IntN(keys), val: r.IntN(4), old: r.IntN(4)}
				in.op = []string{"load", "store", "loadOrStore", "delete", "cas"}[r.IntN(5)]
				call := clock.Add(1)
				var out linOutput
				switch in.op {
				case "load":
					out.val, out.ok = m.Load(in.key)
				case "store":
					m.Store(in.key, in.val)
				case "loadOrStore":
					out.val, out.ok = m.LoadOrStore(in.key, in.val)
				case "delete":
					out.val, out.ok = m.LoadAndDelete(in.key)
				case "cas":
					out.ok = m.CompareAndSwap(in.key, in.old, in.val)
				}
				hist[g] = append(hist[g], porcupine.Operation{
					ClientId: g, Input: in, Output: out, Call: call, Return: clock.Add(1),
				})
			}
		})
	}
	close(start)
	wg.Wait()
	var all []porcupine.Operation
	for _, h := range hist {
		all = append(all, h...)
	}
	return all
}

func TestMapLinearizable(t *testing.T) {
	for _, c := range []struct {
		name            string
		goroutines, ops int
		keys, histories int
	}{
		{"few keys, many conflicts", 4, 200, 3, 20},
		{"many keys, the table grows meanwhile", 4, 1000, 500, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			for seed := range uint64(c.histories) {
				var m ComparableMap[int, int]
				hist := linHistory(&m, c.goroutines, c.ops, c.keys, seed)
				if res := porcupine.CheckOperationsTimeout(linModel, hist, 10*time.Second); res != porcupine.Ok {
					t.Fatalf("seed %d: history of %d operations is %v; want linearizable", seed, len(hist), res)
				}
			}
		})
	}
}

// linShrinkHistory stores keys keys, recorded as the history's first
// operations, then has goroutines delete them, each its share in turn, with
// loads, compare-and-swaps and a few loadOrStores of random keys between the
// deletes, and then load their keys again: the table shrinks several times
// while they run.
func linShrinkHistory(m linMap, goroutines, keys int, seed uint64) []porcupine.Operation {
	var clock atomic.Int64
	var all []porcupine.Operation
	for k := range keys {
		call := clock.Add(1)
		m.Store(k, 1)
		all = append(all, porcupine.Operation{ClientId: goroutines, Input: linInput{op: "store", key: k, val: 1},
			Output: linOutput{}, Call: call, Return: clock.Add(1)})
	}
	hist := make([][]porcupine.Operation, goroutines)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for g := range goroutines {
		wg.Go(func() {
			<-start
			r := rand.New(rand.NewPCG(seed, uint64(g)))
			record := func(in linInput, run func() linOutput) {
				call := clock.Add(1)
				out := run()
				hist[g] = append(hist[g], porcupine.Operation{ClientId: g, Input: in, Output: out, Call: call, Return: clock.Add(1)})
			}
			for k := g; k < keys; k += goroutines {
				record(linInput{op: "delete", key: k}, func() (out linOutput) {
					out.val, out.ok = m.LoadAndDelete(k)
					return out
				})
				in := linInput{key: r.IntN(keys), val: r.IntN(4), old: r.IntN(4)}
				switch r.IntN(16) {
				case 0:
					in.op = "loadOrStore"
					record(in, func() (out linOutput) { out.val, out.ok = m.LoadOrStore(in.key, in.val); return out })
				case 1, 2, 3:
					in.op = "cas"
					record(in, func() (out linOutput) { out.ok = m.CompareAndSwap(in.key, in.old, in.val); return out })
				default:
					in.op = "load"
					record(in, func() (out linOutput) { out.val, out.ok = m.Load(in.key); return out })
				}
			}
			// Read every key of this goroutine again: a delete or an insert
			// lost in a resize shows here.
			for k := g; k < keys; k += goroutines {
				record(linInput{op: "load", key: k}, func() (out linOutput) { out.val, out.ok = m.Load(k); return out })
			}
		})
	}
	close(start)
	wg.Wait()
	for _, h := range hist {
		all = append(all, h...)
	}
	return all
}

func TestMapLinearizableWhileShrinking(t *testing.T) {
	for seed := range uint64(10) {
		var m ComparableMap[int, int]
		const keys = 4000
		hist := linShrinkHistory(&m, 4, keys, seed)
		if res := porcupine.CheckOperationsTimeout(linModel, hist, 10*time.Second); res != porcupine.Ok {
			t.Fatalf("seed %d: history of %d operations is %v; want linearizable", seed, len(hist), res)
		}
		// 4,000 keys need 2,048 buckets; at most a few hundred are left.
		if b := len(m.table.Load().buckets); b > 256 {
			t.Fatalf("seed %d: %d buckets after deleting %d keys (%d left); want the table to have shrunk", seed, b, keys, m.Len())
		}
	}
}

// checkThenAct is a planted bug: LoadOrStore as a Load followed by a Store,
// which two goroutines can interleave so that both see the key missing.
type checkThenAct struct {
	ComparableMap[int, int]
}

func (m *checkThenAct) LoadOrStore(k, v int) (int, bool) {
	if old, ok := m.Load(k); ok {
		return old, true
	}
	time.Sleep(time.Microsecond) // widen the window so the bug shows quickly
	m.Store(k, v)
	return v, false
}

func TestMapLinearizabilityCatchesPlantedBug(t *testing.T) {
	for seed := range uint64(200) {
		var m checkThenAct
		hist := linHistory(&m, 4, 100, 2, seed)
		if res := porcupine.CheckOperationsTimeout(linModel, hist, 10*time.Second); res == porcupine.Illegal {
			return // caught
		}
	}
	t.Fatal("porcupine accepted every history of a check-then-act LoadOrStore; the checker is vacuous")
}
