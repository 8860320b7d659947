package cleanup

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"
)

// stepKind is what a generated step does.
type stepKind int

const (
	kindOK stepKind = iota
	kindErr
	kindPanic
	kindPanicErr
	kindGoexit
	numKinds
)

func (k stepKind) String() string {
	return [...]string{"ok", "err", "panic", "panic(err)", "goexit"}[k]
}

// stepErrs[i] is the error step i returns or panics with.
var stepErrs = func() []error {
	errs := make([]error, 1024)
	for i := range errs {
		errs[i] = fmt.Errorf("step %d", i)
	}
	return errs
}()

// pushStep pushes step i of kind k on s, using each Push method in turn, and
// logs its index in *log (guarded by mu) when it runs.
func pushStep(s *Stack, i int, k stepKind, mu *sync.Mutex, log *[]int) (kept bool) {
	body := func() error {
		mu.Lock()
		*log = append(*log, i)
		mu.Unlock()
		switch k {
		case kindErr:
			return stepErrs[i]
		case kindPanic:
			panic(i)
		case kindPanicErr:
			panic(stepErrs[i])
		case kindGoexit:
			runtime.Goexit()
		}
		return nil
	}
	switch i % 3 {
	case 0:
		return s.Push(body)
	case 1:
		if k == kindErr {
			return s.Push(body)
		}
		return s.PushFunc(func() { _ = body() })
	default:
		return s.PushCloser(NewReleaser(body))
	}
}

// flatten lists the errors a Stack's release returned.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// checkStepErr reports whether err is what step i of kind k fails with.
func checkStepErr(err error, i int, k stepKind) bool {
	if k == kindErr {
		return err == stepErrs[i]
	}
	var pe *PanicError
	if !errors.As(err, &pe) {
		return false
	}
	switch k {
	case kindPanic:
		return pe.Value == i
	case kindPanicErr:
		return pe.Value == stepErrs[i]
	case kindGoexit:
		return pe.Goexit && errors.Is(err, ErrGoexit)
	}
	return false
}

// checkRelease checks the log and the error of releasing steps of kinds.
func checkRelease(kinds []stepKind, log []int, err error) string {
	if len(log) != len(kinds) {
		return fmt.Sprintf("%d steps ran; want %d", len(log), len(kinds))
	}
	var failing []int
	for j, i := range log {
		if want := len(kinds) - 1 - j; i != want {
			return fmt.Sprintf("step %d ran at position %d; want step %d (LIFO)", i, j, want)
		}
		if kinds[i] != kindOK {
			failing = append(failing, i)
		}
	}
	errs := flatten(err)
	if len(errs) != len(failing) {
		return fmt.Sprintf("Release() returned %d errors; want %d", len(errs), len(failing))
	}
	for j, i := range failing {
		if !checkStepErr(errs[j], i, kinds[i]) {
			return fmt.Sprintf("error %d = %v; want that of step %d (%v)", j, errs[j], i, kinds[i])
		}
	}
	return ""
}

func TestStackProperties(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 300
	properties := gopter.NewProperties(params)

	genKinds := gen.SliceOf(gen.IntRange(0, int(numKinds)-1).Map(func(v int) stepKind { return stepKind(v) }))

	properties.Property("every step runs once, last in first out, and exactly the failing steps' errors come back", prop.ForAll(
		func(kinds []stepKind) string {
			var mu sync.Mutex
			var log []int
			var s Stack
			for i, k := range kinds {
				if !pushStep(&s, i, k, &mu, &log) {
					return fmt.Sprintf("push %d to an open stack was not kept", i)
				}
			}
			// A Goexit ends the releasing goroutine, so release in one.
			done := make(chan struct{})
			go func() {
				defer close(done)
				_ = s.Release()
			}()
			<-done
			err := s.Release()
			mu.Lock()
			defer mu.Unlock()
			if msg := checkRelease(kinds, log, err); msg != "" {
				return msg
			}
			if again := s.Release(); again != err {
				return fmt.Sprintf("second Release() = %v; want %v", again, err)
			}
			return ""
		},
		genKinds.SuchThat(func(k []stepKind) bool { return len(k) <= len(stepErrs) }),
	))

	properties.TestingRun(t)
}

// The model-based test: a Stack driven by generated Push, Release and
// Disarm commands, against a model that is a list of pending steps.

type modelStep struct {
	id   int
	kind stepKind
}

type stackModel struct {
	pending  []modelStep // pushed, not yet released or disarmed
	released bool
	nextID   int

	// What the last command must have run, in order, for its PostCondition
	// (which sees only the state after the command).
	ran         []modelStep
	wasReleased bool
}

func (m *stackModel) String() string {
	return fmt.Sprintf("model(pending=%v, released=%v)", m.pending, m.released)
}

func (m *stackModel) next() *stackModel {
	n := *m
	n.pending = append([]modelStep(nil), m.pending...)
	n.ran, n.wasReleased = nil, m.released
	return &n
}

func (m *stackModel) reversed() []modelStep {
	r := make([]modelStep, 0, len(m.pending))
	for i := len(m.pending) - 1; i >= 0; i-- {
		r = append(r, m.pending[i])
	}
	return r
}

type stackSUT struct {
	s     *Stack
	mu    sync.Mutex
	log   []int
	ids   int
	first error // what Release returns: the first release's result, with late steps' errors
}

type cmdResult struct {
	kept    bool // a push kept its step
	err     error
	log     []int
	early   int  // steps run before the disarmed stack was released
	sameErr bool // Release returned the first release's error
}

// checkRan checks that exactly want ran, in order, and that err holds
// exactly their errors.
func checkRan(want []modelStep, log []int, err error) *gopter.PropResult {
	if len(log) != len(want) {
		return gopter.NewPropResult(false, fmt.Sprintf("ran %v; want %v", log, want))
	}
	var failing []modelStep
	for j, st := range want {
		if log[j] != st.id {
			return gopter.NewPropResult(false, fmt.Sprintf("ran %v; want %v", log, want))
		}
		if st.kind != kindOK {
			failing = append(failing, st)
		}
	}
	errs := flatten(err)
	if len(errs) != len(failing) {
		return gopter.NewPropResult(false, fmt.Sprintf("errors %v; want those of %v", errs, failing))
	}
	for j, st := range failing {
		if !checkStepErr(errs[j], st.id, st.kind) {
			return gopter.NewPropResult(false, fmt.Sprintf("error %d = %v; want that of %v", j, errs[j], st))
		}
	}
	return gopter.NewPropResult(true, "")
}

type pushCmd stepKind

func (c pushCmd) Run(sut commands.SystemUnderTest) commands.Result {
	x := sut.(*stackSUT)
	i := x.ids
	x.ids++
	x.log = x.log[:0]
	kept := pushStep(x.s, i, stepKind(c), &x.mu, &x.log)
	r := cmdResult{kept: kept, log: append([]int(nil), x.log...), sameErr: true}
	if !kept {
		// The late step's error, if any, is the last one added to what
		// Release returns: find it, and check nothing else changed.
		after := x.s.Release()
		r.err, r.sameErr = lateErr(x.first, after)
		x.first = after
	}
	return r
}

// lateErr returns the error a late push added to a Release result that was
// before and is now after, and whether after is before with that one error
// added (or unchanged, when the step did not fail).
func lateErr(before, after error) (late error, ok bool) {
	switch {
	case after == before:
		return nil, true
	case before == nil:
		return after, true
	}
	j, isJoin := after.(interface{ Unwrap() []error })
	if !isJoin {
		return nil, false
	}
	errs := j.Unwrap()
	if len(errs) != 2 || errs[0] != before {
		return nil, false
	}
	return errs[1], true
}

func (c pushCmd) NextState(st commands.State) commands.State {
	m := st.(*stackModel).next()
	step := modelStep{id: m.nextID, kind: stepKind(c)}
	m.nextID++
	if m.released {
		m.ran = []modelStep{step}
	} else {
		m.pending = append(m.pending, step)
	}
	return m
}

func (pushCmd) PreCondition(commands.State) bool { return true }

func (c pushCmd) PostCondition(st commands.State, res commands.Result) *gopter.PropResult {
	m, r := st.(*stackModel), res.(cmdResult)
	if !m.wasReleased {
		return gopter.NewPropResult(r.kept && len(r.log) == 0, "push to an open stack keeps the step")
	}
	if r.kept || !r.sameErr {
		return gopter.NewPropResult(false, "a push after release is not kept and only adds its own error to Release's")
	}
	var inner error // the step's own error, beside ErrReleased
	if r.err != nil {
		if !errors.Is(r.err, ErrReleased) {
			return gopter.NewPropResult(false, "a late step's error matches ErrReleased")
		}
		for _, e := range flatten(r.err) {
			if e != ErrReleased {
				inner = e
			}
		}
	}
	return checkRan(m.ran, r.log, inner)
}

func (c pushCmd) String() string { return fmt.Sprintf("Push(%v)", stepKind(c)) }

type releaseCmd struct{}

func (releaseCmd) Run(sut commands.SystemUnderTest) commands.Result {
	x := sut.(*stackSUT)
	x.log = x.log[:0]
	first := !x.s.Released()
	err := x.s.Release()
	if first {
		x.first = err
	}
	return cmdResult{err: err, log: append([]int(nil), x.log...), sameErr: err == x.first}
}

func (releaseCmd) NextState(st commands.State) commands.State {
	m := st.(*stackModel).next()
	if !m.released {
		m.ran = m.reversed()
	}
	m.pending, m.released = nil, true
	return m
}

func (releaseCmd) PreCondition(commands.State) bool { return true }

func (releaseCmd) PostCondition(st commands.State, res commands.Result) *gopter.PropResult {
	m, r := st.(*stackModel), res.(cmdResult)
	if m.wasReleased {
		return gopter.NewPropResult(len(r.log) == 0 && r.sameErr, "Release again runs nothing and returns the same error")
	}
	return checkRan(m.ran, r.log, r.err)
}

func (releaseCmd) String() string { return "Release" }

type disarmCmd struct{}

func (disarmCmd) Run(sut commands.SystemUnderTest) commands.Result {
	x := sut.(*stackSUT)
	x.log = x.log[:0]
	kept := x.s.Disarm()
	early := len(x.log)
	err := kept.Release()
	return cmdResult{err: err, log: append([]int(nil), x.log...), early: early}
}

func (disarmCmd) NextState(st commands.State) commands.State {
	m := st.(*stackModel).next()
	m.ran, m.pending = m.reversed(), nil
	return m
}

func (disarmCmd) PreCondition(commands.State) bool { return true }

func (disarmCmd) PostCondition(st commands.State, res commands.Result) *gopter.PropResult {
	m, r := st.(*stackModel), res.(cmdResult)
	if r.early != 0 {
		return gopter.NewPropResult(false, "Disarm runs nothing")
	}
	return checkRan(m.ran, r.log, r.err)
}

func (disarmCmd) String() string { return "Disarm" }

func TestStackModel(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.MinSuccessfulTests = 200
	properties := gopter.NewProperties(params)

	cmds := &commands.ProtoCommands{
		NewSystemUnderTestFunc: func(commands.State) commands.SystemUnderTest {
			return &stackSUT{s: new(Stack)}
		},
		InitialStateGen: gen.Const(&stackModel{}),
		GenCommandFunc: func(commands.State) gopter.Gen {
			return gen.Weighted([]gen.WeightedGen{
				{Weight: 8, Gen: gen.IntRange(0, int(kindPanicErr)).Map(func(k int) commands.Command { return pushCmd(k) })},
				{Weight: 1, Gen: gen.Const(commands.Command(releaseCmd{}))},
				{Weight: 1, Gen: gen.Const(commands.Command(disarmCmd{}))},
			})
		},
	}
	properties.Property("a Stack behaves like its model", commands.Prop(cmds))
	properties.TestingRun(t)
}
