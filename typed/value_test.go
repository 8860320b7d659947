package typed

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/leanovate/gopter/gen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValue(t *testing.T) {
	t.Run("the zero value loads the zero T", func(t *testing.T) {
		var v Value[[]string]
		assert.Nil(t, v.Load())
		var big Value[[100]int64]
		assert.Zero(t, big.Load())
		var ptrs Value[struct {
			p *int
			e error
			s string
		}]
		assert.Zero(t, ptrs.Load())
		var c ComparableValue[int]
		assert.Zero(t, c.Load())
		assert.Zero(t, c.Swap(3), "Swap on a zero Value returns the zero T")
		assert.Equal(t, 3, c.Load())
	})
	t.Run("Store, Swap and CompareAndSwap", func(t *testing.T) {
		var v ComparableValue[string]
		assert.True(t, v.CompareAndSwap("", "a"), "CompareAndSwap from the zero T on a zero Value")
		assert.False(t, v.CompareAndSwap("", "b"))
		assert.Equal(t, "a", v.Swap("c"))
		v.Store("d")
		assert.Equal(t, "d", v.Load())
	})
	t.Run("CompareAndSwap is atomic under contention", func(t *testing.T) {
		var v ComparableValue[int]
		var wins atomic.Int64
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 1000 {
					for {
						cur := v.Load()
						if v.CompareAndSwap(cur, cur+1) {
							break
						}
					}
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		assert.Equal(t, int(wins.Load()), v.Load())
	})
}

// TestPitfallC3ValueHasOneType pins atomic.Value's run-time panics that Value
// turns into compile errors or ordinary results.
func TestPitfallC3ValueHasOneType(t *testing.T) {
	t.Run("atomic.Value panics on a second type and on nil", func(t *testing.T) {
		var av atomic.Value
		av.Store(io.EOF)
		require.PanicsWithValue(t, "sync/atomic: store of inconsistently typed value into Value", func() {
			av.Store(fmt.Errorf("wrapped: %w", io.EOF)) // *fmt.wrapError, not *errors.errorString
		})
		require.Panics(t, func() { av.Store(nil) })
	})
	t.Run("Value holds any error, and nil", func(t *testing.T) {
		var v ComparableValue[error]
		v.Store(io.EOF)
		v.Store(fmt.Errorf("wrapped: %w", io.EOF))
		v.Store(errors.New("other"))
		v.Store(nil)
		assert.Nil(t, v.Load())
		assert.True(t, v.CompareAndSwap(nil, io.EOF))
		var a ComparableValue[any]
		a.Store([]int{1})
		assert.False(t, a.CompareAndSwap([]int{1}, 2), "non-comparable dynamic values are not equal, not a panic")
	})
}

func TestValueModel(t *testing.T) {
	type op struct {
		name   string
		x, old int
	}
	run := func(o op) func(*ComparableValue[int]) string {
		return func(v *ComparableValue[int]) string {
			switch o.name {
			case "Load":
				return itoa(v.Load())
			case "Store":
				v.Store(o.x)
				return ""
			case "Swap":
				return itoa(v.Swap(o.x))
			default:
				return fmtAny(v.CompareAndSwap(o.old, o.x))
			}
		}
	}
	step := func(o op) func(int) (int, string) {
		return func(cur int) (int, string) {
			switch o.name {
			case "Load":
				return cur, itoa(cur)
			case "Store":
				return o.x, ""
			case "Swap":
				return o.x, itoa(cur)
			default:
				if cur == o.old {
					return o.x, "true"
				}
				return cur, "false"
			}
		}
	}
	names := []string{"Load", "Store", "Swap", "CompareAndSwap"}
	genCmd := gen.UInt32().Map(func(u uint32) commands.Command {
		o := op{name: names[u%4], x: int(u / 4 % 4), old: int(u / 16 % 4)}
		return modelCommand[*ComparableValue[int], int]{desc: o.name + "(" + itoa(o.x) + "," + itoa(o.old) + ")", run: run(o), step: step(o)}
	})
	cmds := &commands.ProtoCommands{
		NewSystemUnderTestFunc: func(commands.State) commands.SystemUnderTest { return new(ComparableValue[int]) },
		InitialStateGen:        gen.Const(modelState[int]{}),
		GenCommandFunc:         func(commands.State) gopter.Gen { return genCmd },
	}
	props := gopter.NewProperties(propParams(25))
	props.Property("Value behaves as a variable", commands.Prop(cmds))
	props.TestingRun(t)
}
