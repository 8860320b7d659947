// Package groups knows the goroutine groups of Go code — sync.WaitGroup,
// golang.org/x/sync/errgroup.Group, and this library's task.Group and
// task.Results — and what each function does with the groups handed to it.
//
// Its Analyzer summarises, for every function with a group parameter (or a
// method whose receiver holds group fields), whether the function adds
// goroutines to the group, marks them done, waits for them, or lets the group
// escape to code it cannot see. The summaries are exported as facts, so a
// check in another package can tell a helper that waits (wait(&wg)) from one
// that only counts (worker(&wg) calling Done). The Result classifies every
// reference to a group variable of the current package the same way.
//
// It reports nothing itself; the nowait and addinside checks use it.
package groups

import (
	"fmt"
	"go/ast"
	"go/types"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// Analyzer computes the group summaries of a package (see Result).
var Analyzer = &analysis.Analyzer{
	Name:       "groups",
	Doc:        "summarise what functions do with sync.WaitGroup, errgroup.Group and task.Group values (Add, Done, Wait, escape)",
	URL:        "https://github.com/boundgo/bound#a3",
	Run:        run,
	Requires:   []*analysis.Analyzer{inspect.Analyzer},
	ResultType: reflect.TypeFor[*Result](),
	FactTypes:  []analysis.Fact{new(Summary)},
}

// A Kind is a kind of goroutine group.
type Kind uint8

// The kinds of group.
const (
	NotGroup      Kind = iota
	WaitGroup          // sync.WaitGroup
	ErrGroup           // golang.org/x/sync/errgroup.Group
	TaskGroup          // github.com/boundgo/bound/task.Group
	TaskResults        // github.com/boundgo/bound/task.Results[T]
	ConcWaitGroup      // github.com/sourcegraph/conc.WaitGroup
	ConcPool           // the pools of github.com/sourcegraph/conc/pool
)

// The import paths of the group packages.
const (
	errgroupPath = "golang.org/x/sync/errgroup"
	taskPath     = "github.com/boundgo/bound/task"
	concPath     = "github.com/sourcegraph/conc"
	concPoolPath = "github.com/sourcegraph/conc/pool"
)

func (k Kind) String() string {
	switch k {
	case WaitGroup:
		return "sync.WaitGroup"
	case ErrGroup:
		return "errgroup.Group"
	case TaskGroup:
		return "task.Group"
	case TaskResults:
		return "task.Results"
	case ConcWaitGroup:
		return "conc.WaitGroup"
	case ConcPool:
		return "conc pool"
	}
	return "not a group"
}

// KindOf returns the kind of group t is, or points to, and whether it is a
// pointer.
func KindOf(t types.Type) (k Kind, ptr bool) {
	if t == nil {
		return NotGroup, false
	}
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t, ptr = types.Unalias(p.Elem()), true
	}
	named, ok := t.(*types.Named)
	if !ok {
		return NotGroup, false
	}
	obj := named.Origin().Obj()
	if obj.Pkg() == nil {
		return NotGroup, false
	}
	switch path, name := obj.Pkg().Path(), obj.Name(); {
	case path == "sync" && name == "WaitGroup":
		return WaitGroup, ptr
	case path == errgroupPath && name == "Group":
		return ErrGroup, ptr
	case path == taskPath && name == "Group":
		return TaskGroup, ptr
	case path == taskPath && name == "Results":
		return TaskResults, ptr
	case path == concPath && name == "WaitGroup":
		return ConcWaitGroup, ptr
	case path == concPoolPath && strings.HasSuffix(name, "Pool"):
		return ConcPool, ptr
	}
	return NotGroup, false
}

// An Op is a set of things code does with a group.
type Op uint8

// The operations on a group.
const (
	// Add: adds goroutines to the group, in the function's own flow of
	// control: WaitGroup.Add with a delta that is not negative,
	// WaitGroup.Go, Group.Go, TryGo, GoContext...
	Add Op = 1 << iota
	// LockedAdd: as Add, but while the function holds a mutex (the
	// guarded-Add pattern, where a closed flag checked under the same
	// mutex makes an Add inside a goroutine safe).
	LockedAdd
	// Done: marks a goroutine done (WaitGroup.Done, or Add with a
	// negative delta), in the function's own flow or in a deferred call.
	Done
	// DoneAsync: marks a goroutine done from a goroutine or a closure the
	// function starts or hands on.
	DoneAsync
	// Wait: waits for the group (Wait, task.Group.Stop), in the
	// function's own flow or in a deferred call.
	Wait
	// Escape: the group is stored, returned, captured by a closure of
	// unknown fate, waited for from another goroutine, or passed to code
	// that cannot be summarised: someone else may wait for it.
	Escape
)

// AnyAdd is Add or LockedAdd.
const AnyAdd = Add | LockedAdd

func (op Op) String() string {
	var parts []string
	for i, name := range []string{"add", "lockedadd", "done", "doneasync", "wait", "escape"} {
		if op&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "|")
}

// A Timing says when an operation happens relative to the function that
// owns the group.
type Timing uint8

// The timings of an operation.
const (
	Sync     Timing = iota // in the function's own flow of control
	Deferred               // when the function returns
	Async                  // in another goroutine, or at an unknown time
)

// A Summary is what a function does with its group parameters and with the
// group fields of its receiver. It is exported as a fact on the function.
type Summary struct {
	Params []Op          // by parameter index, receiver excluded; zero for non-group parameters
	Fields map[string]Op // group fields of the receiver (r.wg), by field name
}

// AFact marks Summary as an analysis fact.
func (*Summary) AFact() {}

func (s *Summary) String() string {
	var parts []string
	for i, op := range s.Params {
		if op != 0 {
			parts = append(parts, fmt.Sprintf("%d:%s", i, op))
		}
	}
	for _, name := range slices.Sorted(mapsKeys(s.Fields)) {
		parts = append(parts, fmt.Sprintf("%s:%s", name, s.Fields[name]))
	}
	return "groups(" + strings.Join(parts, " ") + ")"
}

func mapsKeys(m map[string]Op) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// Param returns what the function does with its parameter i.
func (s *Summary) Param(i int) Op {
	if s == nil || i < 0 || i >= len(s.Params) {
		return 0
	}
	return s.Params[i]
}

// Field returns what the function does with its receiver's field name.
func (s *Summary) Field(name string) Op {
	if s == nil {
		return 0
	}
	return s.Fields[name]
}

// A Ref is one reference to a group and what it does.
type Ref struct {
	Node   ast.Node      // the reference: an identifier, or a field selection x.f
	Call   *ast.CallExpr // the call the group takes part in (a method call on it, or a call it is passed to), if any
	Op     Op
	Timing Timing
}

// Effect is what the reference does as seen by a caller of the function
// that owns the group: a deferred operation happens before the function
// returns, so it counts as its own; an operation in another goroutine does
// not, and a Wait there means someone else waits.
func (r Ref) Effect() Op { return effect(r.Op, r.Timing) }

func effect(op Op, t Timing) Op {
	if t != Async {
		return op
	}
	out := op & Escape
	if op&(Done|DoneAsync) != 0 {
		out |= DoneAsync
	}
	if op&Wait != 0 {
		out |= Escape
	}
	return out
}

// A Result holds the group variables of a package, their references, and
// the summaries of its functions.
type Result struct {
	pass     *analysis.Pass
	vars     map[*types.Var]*varInfo
	locals   map[ast.Node][]*types.Var // group variables by declaring function
	fields   map[*types.Var][]inspector.Cursor
	calls    map[*types.Var][]inspector.Cursor // method calls on receiver variables, r.m(...)
	decls    map[*types.Func]*ast.FuncDecl
	declCurs map[*ast.FuncDecl]inspector.Cursor
	sums     map[*types.Func]*Summary
	busy     map[*types.Func]bool
}

type varInfo struct {
	kind Kind
	fn   inspector.Cursor // the FuncDecl or FuncLit that declares the variable
	refs []inspector.Cursor
	done []Ref // refs, classified; nil until asked for
}

// Locals returns the group variables (parameters excluded) declared
// directly in fn, a *ast.FuncDecl or *ast.FuncLit, in order of declaration.
func (r *Result) Locals(fn ast.Node) []*types.Var { return r.locals[fn] }

// Refs returns the classified references to the group variable v, in
// source order, with timings relative to the function that declares v.
func (r *Result) Refs(v *types.Var) []Ref {
	vi := r.vars[v]
	if vi == nil {
		return nil
	}
	if vi.done == nil {
		vi.done = make([]Ref, 0, len(vi.refs))
		for _, c := range vi.refs {
			vi.done = append(vi.done, r.Classify(c, vi.kind, vi.fn.Node()))
		}
	}
	return vi.done
}

// Decl returns the function declaring the group variable v, or nil.
func (r *Result) Decl(v *types.Var) ast.Node {
	if vi := r.vars[v]; vi != nil {
		return vi.fn.Node()
	}
	return nil
}

// Summary returns the summary of fn: computed here for a function of this
// package, imported as a fact otherwise. It returns nil when fn does nothing
// with a group, or cannot be summarised.
func (r *Result) Summary(fn *types.Func) *Summary {
	if fn == nil {
		return nil
	}
	fn = fn.Origin()
	if s, ok := r.sums[fn]; ok {
		return s
	}
	decl, ok := r.decls[fn]
	if !ok {
		s := new(Summary)
		if fn.Pkg() == r.pass.Pkg || !r.pass.ImportObjectFact(fn, s) {
			s = nil
		}
		r.sums[fn] = s
		return s
	}
	if r.busy[fn] {
		return nil // recursion: not known yet
	}
	r.busy[fn] = true
	s := r.summarize(fn, decl)
	delete(r.busy, fn)
	r.sums[fn] = s
	return s
}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	r := &Result{
		pass:     pass,
		vars:     make(map[*types.Var]*varInfo),
		locals:   make(map[ast.Node][]*types.Var),
		fields:   make(map[*types.Var][]inspector.Cursor),
		calls:    make(map[*types.Var][]inspector.Cursor),
		decls:    make(map[*types.Func]*ast.FuncDecl),
		declCurs: make(map[*ast.FuncDecl]inspector.Cursor),
		sums:     make(map[*types.Func]*Summary),
		busy:     make(map[*types.Func]bool),
	}
	if !mentionsGroups(pass.Pkg) {
		return r, nil
	}
	info := pass.TypesInfo
	recvs := make(map[*types.Var]bool) // receivers of methods declared here

	for c := range in.Root().Preorder((*ast.FuncDecl)(nil), (*ast.Ident)(nil), (*ast.SelectorExpr)(nil)) {
		switch n := c.Node().(type) {
		case *ast.FuncDecl:
			fn, ok := info.Defs[n.Name].(*types.Func)
			if !ok || n.Body == nil {
				continue
			}
			r.decls[fn] = n
			r.declCurs[n] = c
			if recv := fn.Type().(*types.Signature).Recv(); recv != nil {
				recvs[recv] = true
			}

		case *ast.Ident:
			if v, ok := info.Defs[n].(*types.Var); ok && !v.IsField() {
				if k, _ := KindOf(v.Type()); k != NotGroup {
					fc, ok := enclosingFunc(c)
					if !ok {
						continue // a package-level group: not summarised
					}
					r.vars[v] = &varInfo{kind: k, fn: fc}
					if !isParam(fc.Node(), v) {
						r.locals[fc.Node()] = append(r.locals[fc.Node()], v)
					}
				}
				continue
			}
			if v, ok := info.Uses[n].(*types.Var); ok {
				if vi := r.vars[v]; vi != nil {
					vi.refs = append(vi.refs, c)
				}
			}

		case *ast.SelectorExpr:
			x, ok := n.X.(*ast.Ident)
			if !ok {
				continue
			}
			v, ok := info.Uses[x].(*types.Var)
			if !ok || !recvs[v] {
				continue
			}
			sel := info.Selections[n]
			if sel == nil {
				continue
			}
			switch sel.Kind() {
			case types.FieldVal:
				if k, _ := KindOf(sel.Type()); k != NotGroup {
					r.fields[v] = append(r.fields[v], c)
				}
			case types.MethodVal:
				if k, _ := c.ParentEdge(); k == edgeCallFun {
					r.calls[v] = append(r.calls[v], c.Parent())
				}
			}
		}
	}

	// Summarise every function (in a fixed order, for fixed facts) and
	// export what is worth knowing.
	fns := make([]*types.Func, 0, len(r.decls))
	for fn := range r.decls {
		fns = append(fns, fn)
	}
	slices.SortFunc(fns, func(a, b *types.Func) int { return int(a.Pos() - b.Pos()) })
	for _, fn := range fns {
		if s := r.Summary(fn); s != nil {
			pass.ExportObjectFact(fn, s)
		}
	}
	return r, nil
}

// mentionsGroups reports whether pkg imports a package that defines a
// group: only then can its code name one.
func mentionsGroups(pkg *types.Package) bool {
	is := func(path string) bool {
		switch path {
		case "sync", errgroupPath, taskPath, concPath, concPoolPath:
			return true
		}
		return false
	}
	if is(pkg.Path()) {
		return true
	}
	for _, imp := range pkg.Imports() {
		if is(imp.Path()) {
			return true
		}
	}
	return false
}

// summarize computes what the function decl does with its group parameters
// and receiver fields; nil if nothing.
func (r *Result) summarize(fn *types.Func, decl *ast.FuncDecl) *Summary {
	sig := fn.Type().(*types.Signature)
	s := new(Summary)
	some := false
	for i := range sig.Params().Len() {
		p := sig.Params().At(i)
		if k, ptr := KindOf(p.Type()); k == NotGroup || !ptr {
			continue
		}
		var op Op
		for _, ref := range r.Refs(p) {
			op |= ref.Effect()
		}
		if op != 0 {
			if s.Params == nil {
				s.Params = make([]Op, sig.Params().Len())
			}
			s.Params[i] = op
			some = true
		}
	}
	if recv := sig.Recv(); recv != nil {
		boundary := decl
		for _, c := range r.fields[recv] {
			sel := c.Node().(*ast.SelectorExpr)
			k, _ := KindOf(r.pass.TypesInfo.Selections[sel].Type())
			ref := r.Classify(c, k, boundary)
			if op := ref.Effect(); op != 0 {
				s.addField(sel.Sel.Name, op)
			}
		}
		// What the receiver's other methods do to its fields, when this
		// one calls them on the same receiver.
		for _, c := range r.calls[recv] {
			call := c.Node().(*ast.CallExpr)
			callee := calleeFunc(r.pass.TypesInfo, call)
			if callee == nil || callee.Origin() == fn.Origin() {
				continue
			}
			cs := r.Summary(callee)
			if cs == nil || len(cs.Fields) == 0 {
				continue
			}
			t := r.timingOf(c, boundary)
			for name, op := range cs.Fields {
				if op = effect(op, t); op != 0 {
					s.addField(name, op)
				}
			}
		}
		some = some || len(s.Fields) > 0
	}
	if !some {
		return nil
	}
	return s
}

func (s *Summary) addField(name string, op Op) {
	if s.Fields == nil {
		s.Fields = make(map[string]Op)
	}
	s.Fields[name] |= op
}

// enclosingFunc returns the innermost FuncDecl or FuncLit around c.
func enclosingFunc(c inspector.Cursor) (inspector.Cursor, bool) {
	for f := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		return f, true
	}
	return inspector.Cursor{}, false
}

// isParam reports whether v is a parameter, result or receiver of fn.
func isParam(fn ast.Node, v *types.Var) bool {
	var ft *ast.FuncType
	var recv *ast.FieldList
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		ft, recv = fn.Type, fn.Recv
	case *ast.FuncLit:
		ft = fn.Type
	}
	in := func(fl *ast.FieldList) bool {
		return fl != nil && fl.Pos() <= v.Pos() && v.Pos() < fl.End()
	}
	return in(recv) || in(ft.Params) || in(ft.Results)
}
