package typed

import (
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/leanovate/gopter/gen"
)

func TestHeapModel(t *testing.T) {
	names := []string{"Push", "Push", "Push", "Pop", "Pop", "Peek", "Len", "Clear"}
	genCmd := gen.UInt32().Map(func(u uint32) commands.Command {
		name := names[int(u%uint32(len(names)))]
		x := int(u/uint32(len(names))%41) - 20
		if name == "Clear" && x%4 != 0 {
			name = "Push"
		}
		o := heapOp{name: name, x: x}
		return modelCommand[*Heap[int], []int]{desc: o.String(), run: o.run, step: o.step}
	})
	cmds := &commands.ProtoCommands{
		NewSystemUnderTestFunc: func(commands.State) commands.SystemUnderTest { return new(Heap[int]) },
		InitialStateGen:        gen.Const(modelState[[]int]{}),
		GenCommandFunc:         func(commands.State) gopter.Gen { return genCmd },
	}
	props := gopter.NewProperties(propParams(25))
	props.Property("Heap pops what a sorted slice does", commands.Prop(cmds))
	props.TestingRun(t)
}
