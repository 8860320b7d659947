package chanx_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/boundgo/bound/chanx"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/leanovate/gopter/gen"
)

// bufModel is the model a Buffer is checked against: a slice.
type bufModel struct {
	capacity int
	overflow chanx.Overflow
	items    []int
	closed   bool
	lastRecv *int // what the last TryRecv must have returned, if anything
}

func (m *bufModel) clone() *bufModel {
	c := *m
	c.items = slices.Clone(m.items)
	return &c
}

func (m *bufModel) full() bool { return m.capacity > 0 && len(m.items) >= m.capacity }

type bufResult struct {
	v   int
	n   int
	err error
}

func sendCmd(v int) commands.Command {
	return &commands.ProtoCommand{
		Name: fmt.Sprintf("Send(%d)", v),
		RunFunc: func(sut commands.SystemUnderTest) commands.Result {
			b := sut.(*chanx.Buffer[int])
			return bufResult{err: b.Send(context.Background(), v), n: b.Len()}
		},
		PreConditionFunc: func(st commands.State) bool {
			m := st.(*bufModel)
			return m.closed || !m.full() || m.overflow != chanx.OverflowBlock // an OverflowBlock send on a full buffer would wait
		},
		NextStateFunc: func(st commands.State) commands.State {
			m := st.(*bufModel).clone()
			switch {
			case m.closed:
			case !m.full():
				m.items = append(m.items, v)
			case m.overflow == chanx.OverflowDropOldest:
				m.items = append(m.items[1:], v)
			}
			return m
		},
		PostConditionFunc: func(st commands.State, r commands.Result) *gopter.PropResult {
			m, res := st.(*bufModel), r.(bufResult)
			wantErr := error(nil)
			if m.closed {
				wantErr = chanx.ErrClosed
			}
			if res.err != wantErr || res.n != len(m.items) {
				return &gopter.PropResult{Status: gopter.PropFalse}
			}
			return &gopter.PropResult{Status: gopter.PropTrue}
		},
	}
}

var tryRecvCmd = &commands.ProtoCommand{
	Name: "TryRecv",
	RunFunc: func(sut commands.SystemUnderTest) commands.Result {
		b := sut.(*chanx.Buffer[int])
		v, err := b.TryRecv()
		return bufResult{v: v, err: err, n: b.Len()}
	},
	NextStateFunc: func(st commands.State) commands.State {
		m := st.(*bufModel).clone()
		m.lastRecv = nil
		if len(m.items) > 0 {
			m.lastRecv = &m.items[0]
			m.items = m.items[1:]
		}
		return m
	},
	PostConditionFunc: func(st commands.State, r commands.Result) *gopter.PropResult {
		m, res := st.(*bufModel), r.(bufResult)
		ok := res.n == len(m.items)
		switch {
		case m.lastRecv != nil:
			ok = ok && res.err == nil && res.v == *m.lastRecv
		case m.closed:
			ok = ok && res.err == chanx.ErrClosed
		default:
			ok = ok && res.err == chanx.ErrWouldBlock
		}
		if !ok {
			return &gopter.PropResult{Status: gopter.PropFalse}
		}
		return &gopter.PropResult{Status: gopter.PropTrue}
	},
}

func closeCmd(discard bool) commands.Command {
	name, close := "Close", (*chanx.Buffer[int]).Close
	if discard {
		name, close = "CloseAndDiscard", (*chanx.Buffer[int]).CloseAndDiscard
	}
	return &commands.ProtoCommand{
		Name: name,
		RunFunc: func(sut commands.SystemUnderTest) commands.Result {
			b := sut.(*chanx.Buffer[int])
			close(b)
			return bufResult{n: b.Len()}
		},
		NextStateFunc: func(st commands.State) commands.State {
			m := st.(*bufModel).clone()
			m.closed = true
			if discard {
				m.items = nil
			}
			return m
		},
		PostConditionFunc: func(st commands.State, r commands.Result) *gopter.PropResult {
			if r.(bufResult).n != len(st.(*bufModel).items) {
				return &gopter.PropResult{Status: gopter.PropFalse}
			}
			return &gopter.PropResult{Status: gopter.PropTrue}
		},
	}
}

func TestBufferProperties(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 300
	props := gopter.NewProperties(params)
	cmds := &commands.ProtoCommands{
		NewSystemUnderTestFunc: func(st commands.State) commands.SystemUnderTest {
			m := st.(*bufModel)
			return chanx.NewBuffer[int](m.capacity, m.overflow)
		},
		InitialStateGen: gen.Struct(reflect.TypeFor[bufInit](), map[string]gopter.Gen{
			"Capacity": gen.IntRange(0, 5),
			"Overflow": gen.IntRange(0, 2),
		}).Map(func(i bufInit) *bufModel {
			return &bufModel{capacity: i.Capacity, overflow: chanx.Overflow(i.Overflow)}
		}),
		GenCommandFunc: func(commands.State) gopter.Gen {
			return gen.Weighted([]gen.WeightedGen{
				{Weight: 10, Gen: gen.IntRange(0, 1000).Map(sendCmd)},
				{Weight: 8, Gen: gen.Const(tryRecvCmd)},
				{Weight: 1, Gen: gen.OneConstOf(closeCmd(false), closeCmd(true))},
			})
		},
	}
	props.Property("a Buffer behaves like a slice with its Overflow, and Len is exact", commands.Prop(cmds))
	props.TestingRun(t)
}

type bufInit struct {
	Capacity int
	Overflow int
}
