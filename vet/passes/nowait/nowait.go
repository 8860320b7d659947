// Package nowait reports a goroutine group that a function fills and then,
// on some path to a return, never waits for.
//
// # Analyzer nowait
//
// nowait: report a return path that leaves the goroutines of a local
// sync.WaitGroup, errgroup.Group or task.Group running
//
// Pitfall A3 (a forgotten Wait): a function makes a group (a sync.WaitGroup,
// an errgroup.Group, a task.Group or task.Results, a sourcegraph/conc
// WaitGroup or pool), starts goroutines in it (wg.Add then go, wg.Go, g.Go,
// g.TryGo, g.GoContext...), and waits for
// them at the end — but an early return (an error check, a select case on
// ctx.Done()) skips the Wait. The goroutines then outlive the call: they keep
// using what the function has handed them, an errgroup.WithContext context
// is never cancelled, and a test may end while they still run. The runtime
// backstops only notice afterwards: goleak reports the goroutines still alive
// at the end of a test, and testing/synctest reports a bubble whose
// goroutines never finish.
//
// The check follows the control-flow graph, as vet's lostcancel does, from
// the group's first Add to every return. A path is fine once it calls Wait
// (or task.Group.Stop), or hands the group on: a deferred Wait, a callee
// known by fact to wait, a goroutine or closure that waits, returning or
// storing the group, or passing it to code it cannot see. A path that ends
// in panic, os.Exit, log.Fatal or t.Fatal is not a return. main.main is
// exempt: its return ends the process. Goroutines started under a simple
// condition (in its then- or else-branch) are not running on a path where
// a later test of the same condition says otherwise; and a start latch, a
// WaitGroup whose goroutines call Done as their first statement, counts
// goroutines starting, not ending, and is not reported. A WaitGroup.Add
// counts goroutines only in a function with a go statement that could mark
// them done: one that mentions the group, or starts a closure held in a
// variable.
//
//	var wg sync.WaitGroup
//	for _, f := range files {
//		wg.Add(1)
//		go func() { defer wg.Done(); process(f) }()
//	}
//	if err := flush(); err != nil {
//		return err // nowait: the goroutines added to wg are never waited for on this path
//	}
//	wg.Wait()
//
// The fix is a Wait on every path; or task.Run, whose tasks cannot outlive
// the call; or, for a task.Group from task.WithContext, defer g.Stop().
//
// https://github.com/boundgo/bound#a3
package nowait

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"github.com/boundgo/bound/vet/internal/groups"
	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"
)

// Analyzer is the nowait check.
var Analyzer = &analysis.Analyzer{
	Name: "nowait",
	Doc: `report a return path that leaves the goroutines of a local sync.WaitGroup, errgroup.Group or task.Group running

Pitfall A3 (a forgotten Wait): a function makes a group, starts goroutines in
it, and waits for them at the end, but an early return skips the Wait. The
goroutines outlive the call, an errgroup.WithContext context is never
cancelled, and a test may end while they still run. goleak and
testing/synctest notice only afterwards, when the goroutines are still alive.

Groups: sync.WaitGroup, errgroup.Group, task.Group, task.Results, and
sourcegraph/conc's WaitGroup and pools. A path is fine once it waits (Wait,
task.Group.Stop) or hands the group on:
a deferred Wait, a callee known by fact to wait, a goroutine or closure that
waits, returning or storing the group, passing it to unknown code. Paths
ending in panic, os.Exit, log.Fatal or t.Fatal are not returns; main.main is
exempt; a start latch (goroutines that call Done first thing) is not a group
to wait for. Fix: wait on every path, use task.Run, or defer g.Stop() on a
task.WithContext group.

` + report.URL("A3"),
	URL:      report.URL("A3"),
	Requires: []*analysis.Analyzer{inspect.Analyzer, ctrlflow.Analyzer, groups.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	gr := pass.ResultOf[groups.Analyzer].(*groups.Result)
	cfgs := pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs)
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	rep := report.New(pass, "A3")

	for c := range in.Root().Preorder((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		fn := c.Node()
		locals := gr.Locals(fn)
		if len(locals) == 0 {
			continue
		}
		var g *cfg.CFG
		switch fn := fn.(type) {
		case *ast.FuncDecl:
			if isMainMain(pass, fn) {
				continue
			}
			g = cfgs.FuncDecl(fn)
		case *ast.FuncLit:
			g = cfgs.FuncLit(fn)
		}
		if g == nil {
			continue
		}
		for _, v := range locals {
			check(pass, rep, gr, fn, g, v, startsGoroutines(pass.TypesInfo, c, v))
		}
	}
	return nil, nil
}

// startsGoroutines reports whether the function at c has a go statement,
// in its own body or in a literal inside it, that can count the group v
// down: one that mentions v, or starts a func value held in a local
// variable (a closure that may). A go statement that does neither starts
// something else (pebble's log writer test adds to a WaitGroup the syncs
// it queues, and starts an unrelated goroutine).
func startsGoroutines(info *types.Info, c inspector.Cursor, v *types.Var) bool {
	for gc := range c.Preorder((*ast.GoStmt)(nil)) {
		g := gc.Node().(*ast.GoStmt)
		if id, ok := ast.Unparen(g.Call.Fun).(*ast.Ident); ok {
			if fv, ok := info.Uses[id].(*types.Var); ok && !fv.IsField() {
				return true
			}
		}
		mentions := false
		ast.Inspect(g.Call, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && info.Uses[id] == v {
				mentions = true
			}
			return !mentions
		})
		if mentions {
			return true
		}
	}
	return false
}

// isMethod reports whether ref is a call of the group's method name.
func isMethod(ref *groups.Ref, name string) bool {
	if ref.Call == nil {
		return false
	}
	sel, ok := ast.Unparen(ref.Call.Fun).(*ast.SelectorExpr)
	return ok && ast.Unparen(sel.X) == ref.Node && sel.Sel.Name == name
}

// isMainMain reports whether decl is the main function of a command.
func isMainMain(pass *analysis.Pass, decl *ast.FuncDecl) bool {
	return decl.Recv == nil && decl.Name.Name == "main" && pass.Pkg.Name() == "main"
}

// An event is what a CFG node does to the group on a path through it.
type event struct {
	kind  eventKind
	guard guard // for evAdd: the condition the Add is under
	// For evAdd: a task method that starts nothing once the group's
	// context is done (GoContext, TryGoContext, GoNamed, Results.Go).
	ctxAware bool
}

type eventKind uint8

const (
	evReset eventKind = iota // the group is (re)made here: nothing is running yet
	evAdd                    // goroutines are added
	evWait                   // the goroutines are waited for
	evGone                   // the group is handed on, or waited for at return: stop following this path
)

// A guard is a simple condition (a variable or field, perhaps negated) and
// the value it has where an Add runs: goroutines started under
// "if checkSubscriber" are not running on a later path where
// checkSubscriber is false.
type guard struct {
	text string // the condition without its negation; "" if none or not simple
	pol  bool   // the value that holds
}

// ifStmts returns the if statements of the function of g.
func ifStmts(g *cfg.CFG) []*ast.IfStmt {
	var ifs []*ast.IfStmt
	for _, b := range g.Blocks {
		if s, ok := b.Stmt.(*ast.IfStmt); ok && b.Kind == cfg.KindIfThen {
			ifs = append(ifs, s)
		}
	}
	return ifs
}

// guardOf returns the simple condition of the innermost if statement whose
// then-branch or else-block holds pos, with the value it has there.
func guardOf(ifs []*ast.IfStmt, pos token.Pos) guard {
	var in ast.Node
	var cond guard
	for _, s := range ifs {
		branches := []ast.Node{s.Body}
		if els, ok := s.Else.(*ast.BlockStmt); ok {
			branches = append(branches, els)
		}
		for i, b := range branches {
			if b.Pos() <= pos && pos < b.End() && (in == nil || b.Pos() > in.Pos()) {
				in, cond = b, simpleCond(s.Cond)
				if i == 1 {
					cond.pol = !cond.pol // in the else-block, the condition is false
				}
			}
		}
	}
	return cond
}

// branchCond returns the simple condition b ends with, if b branches on one.
func branchCond(b *cfg.Block) guard {
	if len(b.Succs) != 2 || len(b.Nodes) == 0 || b.Succs[0].Kind != cfg.KindIfThen {
		return guard{}
	}
	s, ok := b.Succs[0].Stmt.(*ast.IfStmt)
	if !ok || ast.Node(s.Cond) != b.Nodes[len(b.Nodes)-1] {
		return guard{}
	}
	return simpleCond(s.Cond)
}

// simpleCond returns e as a guard if it is a variable or a field path,
// perhaps negated: an expression whose value a later test sees unchanged,
// as far as the check can tell.
func simpleCond(e ast.Expr) guard {
	pol := true
	e = ast.Unparen(e)
	for {
		u, ok := e.(*ast.UnaryExpr)
		if !ok || u.Op != token.NOT {
			break
		}
		pol = !pol
		e = ast.Unparen(u.X)
	}
	for x := e; ; {
		switch y := x.(type) {
		case *ast.Ident:
			return guard{text: types.ExprString(e), pol: pol}
		case *ast.SelectorExpr:
			x = y.X
			continue
		}
		return guard{}
	}
}

// check reports a return reached, from an Add to the local group v, by a
// path that never waits for it.
//
// starts says whether the function has a go statement: without one, a
// WaitGroup.Add counts something other than goroutines it starts.
func check(pass *analysis.Pass, rep *report.Reporter, gr *groups.Result, fn ast.Node, g *cfg.CFG, v *types.Var, starts bool) {
	refs := gr.Refs(v)
	var firstAdd *groups.Ref
	for i, ref := range refs {
		switch {
		case ref.Op&groups.Done != 0 && ref.Timing != groups.Async,
			ref.Op&groups.Wait != 0 && ref.Timing == groups.Async:
			// The function counts itself down, or goroutines wait on
			// the group: a latch or a barrier, not a group of
			// goroutines to wait for.
			return
		case firstAdd == nil && ref.Timing == groups.Sync && ref.Effect()&groups.AnyAdd != 0:
			firstAdd = &refs[i]
		}
	}
	if firstAdd == nil {
		return // nothing is started in this function's own flow
	}
	if k, _ := groups.KindOf(v.Type()); k == groups.WaitGroup && !starts && isMethod(firstAdd, "Add") {
		return // Add without a go statement: not a group of goroutines started here
	}
	if startLatch(fn, refs) {
		return
	}

	// The events of each block, in order.
	k, _ := groups.KindOf(v.Type())
	ifs := ifStmts(g)
	events := make(map[*cfg.Block][]event)
	fresh, closes := false, false
	for _, b := range g.Blocks {
		if !b.Live {
			continue
		}
		var evs []event
		for _, n := range b.Nodes {
			if n.Pos() <= v.Pos() && v.Pos() < n.End() {
				ok, taskCtx := isFresh(pass.TypesInfo, n, v)
				if !ok {
					return // an alias of a group made elsewhere
				}
				// Wait cancels the context of a task group
				// made by WithContext: no context-aware task
				// starts after it.
				fresh, closes = true, taskCtx
				evs = append(evs, event{kind: evReset})
			}
			i := sort.Search(len(refs), func(i int) bool { return refs[i].Node.Pos() >= n.Pos() })
			for ; i < len(refs) && refs[i].Node.Pos() < n.End(); i++ {
				if ev, ok := refEvent(refs[i]); ok {
					if ev.kind == evAdd {
						ev.guard = guardOf(ifs, refs[i].Node.Pos())
						ev.ctxAware = ctxAware(k, refs[i])
					}
					evs = append(evs, ev)
				}
			}
		}
		events[b] = evs
	}
	if !fresh {
		return
	}

	// Follow every path from the entry, knowing whether goroutines are
	// running, and under which condition they were started; a return
	// reached while they are is a leak.
	type state struct {
		b       *cfg.Block
		running bool
		guard   guard
		closed  bool // waited for, and its context cancelled
	}
	seen := make(map[state]bool)
	stack := []state{{b: g.Blocks[0]}}
	var leaks []*ast.ReturnStmt
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[s] {
			continue
		}
		seen[s] = true
		running, gd, closed, gone := s.running, s.guard, s.closed, false
		for _, ev := range events[s.b] {
			switch ev.kind {
			case evReset:
				running, gd, closed = false, guard{}, false
			case evWait:
				running, gd, closed = false, guard{}, closes
			case evAdd:
				if closed && ev.ctxAware {
					break // starts nothing: the context is done
				}
				if running && gd != ev.guard {
					gd = guard{}
				} else {
					gd = ev.guard
				}
				running = true
			case evGone:
				gone = true
			}
			if gone {
				break
			}
		}
		if gone {
			continue
		}
		if ret := s.b.Return(); ret != nil {
			if running {
				leaks = append(leaks, ret)
			}
			continue
		}
		cond := branchCond(s.b)
		for i, succ := range s.b.Succs {
			next := state{succ, running, gd, closed}
			if running && gd.text != "" && cond.text == gd.text && (i == 0) == (cond.pol != gd.pol) {
				// The same condition that guarded the Add, now
				// false: on this edge nothing was started.
				next.running, next.guard = false, guard{}
			}
			stack = append(stack, next)
		}
	}
	if len(leaks) == 0 {
		return
	}
	sort.Slice(leaks, func(i, j int) bool { return leaks[i].Pos() < leaks[j].Pos() })
	ret := leaks[0]
	addLine := pass.Fset.Position(firstAdd.Node.Pos()).Line
	what := "this return"
	if isImplicit(pass, ret) {
		what = "the end of the function"
	}
	d := analysis.Diagnostic{
		Pos: ret.Pos(),
		End: ret.Pos() + token.Pos(len("return")),
		Message: fmt.Sprintf("%s is reached without waiting for the goroutines added to %s at line %d: they outlive the call (%s)",
			what, v.Name(), addLine, fixHint(k, v.Name())),
		Related: []analysis.RelatedInformation{{Pos: firstAdd.Node.Pos(), Message: "goroutines added here"}},
	}
	if what != "this return" {
		d.End = d.Pos
	}
	for _, other := range leaks[1:] {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: other.Pos(), Message: "another return that does not wait"})
	}
	rep.Report(d)
}

// startLatch reports whether the goroutines that count the group down do
// it as the first statement of the func literal a go statement starts:
// "wg.Add(1); go func() { wg.Done(); copy(dst, src) }(); ...; wg.Wait()"
// (containerd's shim I/O copiers). The group counts goroutines starting,
// not ending: they are meant to outlive the call, and a return before the
// Wait leaves nothing behind that the Wait would have waited for.
func startLatch(fn ast.Node, refs []groups.Ref) bool {
	first := make(map[*ast.CallExpr]bool)
	ast.Inspect(fn, func(n ast.Node) bool {
		g, ok := n.(*ast.GoStmt)
		if !ok {
			return true
		}
		if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok && len(lit.Body.List) > 1 {
			if es, ok := lit.Body.List[0].(*ast.ExprStmt); ok {
				if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
					first[call] = true
				}
			}
		}
		return true
	})
	latch := false
	for _, ref := range refs {
		if ref.Op&groups.Done == 0 || ref.Timing != groups.Async {
			continue
		}
		if ref.Call == nil || !first[ref.Call] || !isMethod(&ref, "Done") {
			return false
		}
		latch = true
	}
	return latch
}

// isImplicit reports whether ret is the return made up by the CFG at the
// closing brace of a function that falls off its end.
func isImplicit(pass *analysis.Pass, ret *ast.ReturnStmt) bool {
	f := pass.Fset.File(ret.Pos())
	if f == nil {
		return true
	}
	off := f.Offset(ret.Pos())
	src, err := pass.ReadFile(f.Name())
	return err != nil || off >= len(src) || src[off] == '}'
}

// refEvent is the event of one reference on a path through it.
func refEvent(ref groups.Ref) (event, bool) {
	op := ref.Effect()
	switch {
	case op&groups.Escape != 0:
		return event{kind: evGone}, true
	case op&groups.Wait != 0 && ref.Timing == groups.Deferred:
		return event{kind: evGone}, true // waited for whenever the function returns
	case op&groups.Wait != 0:
		return event{kind: evWait}, true
	case op&groups.AnyAdd != 0 && ref.Timing == groups.Sync:
		return event{kind: evAdd}, true
	}
	return event{}, false
}

// fixHint names the fix for a group of kind k named name.
func fixHint(k groups.Kind, name string) string {
	switch k {
	case groups.ErrGroup:
		return fmt.Sprintf("call %s.Wait() on every path, or make it with task.WithContext and defer %s.Stop()", name, name)
	case groups.TaskGroup:
		return fmt.Sprintf("defer %s.Stop(), or use task.Run", name)
	case groups.TaskResults:
		return fmt.Sprintf("call %s.Wait() on every path, or use task.Map", name)
	case groups.ConcPool:
		return fmt.Sprintf("call %s.Wait() on every path, or use task.Run", name)
	}
	return fmt.Sprintf("call %s.Wait() on every path, or use task.Run", name)
}

// ctxAware reports whether the Add of ref is a task method that starts
// nothing once the group's context is done.
func ctxAware(k groups.Kind, ref groups.Ref) bool {
	if ref.Call == nil {
		return false
	}
	sel, ok := ast.Unparen(ref.Call.Fun).(*ast.SelectorExpr)
	if !ok || ast.Unparen(sel.X) != ref.Node {
		return false
	}
	switch k {
	case groups.TaskGroup:
		return sel.Sel.Name == "GoContext" || sel.Sel.Name == "TryGoContext" || sel.Sel.Name == "GoNamed"
	case groups.TaskResults:
		return sel.Sel.Name == "Go" || sel.Sel.Name == "TryGo"
	}
	return false
}

// isFresh reports whether the CFG node n, which declares v, makes a new
// group rather than naming one made elsewhere, and whether it is a task
// group made by WithContext or ResultsWithContext.
func isFresh(info *types.Info, n ast.Node, v *types.Var) (fresh, taskCtx bool) {
	_, ptr := groups.KindOf(v.Type())
	var lhs []*ast.Ident
	var rhs []ast.Expr
	switch n := n.(type) {
	case *ast.ValueSpec:
		lhs, rhs = n.Names, n.Values
	case *ast.AssignStmt:
		if n.Tok != token.DEFINE {
			return false, false
		}
		for _, e := range n.Lhs {
			id, _ := e.(*ast.Ident)
			lhs = append(lhs, id)
		}
		rhs = n.Rhs
	default:
		return false, false
	}
	i := -1
	for j, id := range lhs {
		if id != nil && info.Defs[id] == v {
			i = j
		}
	}
	switch {
	case i < 0:
		return false, false
	case len(rhs) == 0:
		return !ptr, false // var wg sync.WaitGroup
	case len(rhs) == len(lhs):
		return freshExpr(info, rhs[i]), false
	case len(rhs) == 1 && i == 0:
		ok, task := isConstructor(info, rhs[0]) // g, ctx := errgroup.WithContext(ctx)
		return ok, task
	}
	return false, false
}

// freshExpr reports whether e makes a new group: T{}, &T{}, new(T).
func freshExpr(info *types.Info, e ast.Expr) bool {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	switch e := e.(type) {
	case *ast.CompositeLit:
		return true
	case *ast.CallExpr:
		if id, ok := ast.Unparen(e.Fun).(*ast.Ident); ok {
			if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "new" {
				return true
			}
		}
		return isConcConstructor(info, e)
	}
	return false
}

// isConstructor reports whether e calls a function that makes a group with
// a context: errgroup.WithContext, task.WithContext, task.ResultsWithContext;
// and whether it is one of task's.
func isConstructor(info *types.Info, e ast.Expr) (ok, task bool) {
	call, isCall := ast.Unparen(e).(*ast.CallExpr)
	if !isCall {
		return false, false
	}
	fn := typeutil.StaticCallee(info, call)
	if fn == nil || fn.Pkg() == nil || fn.Type().(*types.Signature).Recv() != nil {
		return false, false
	}
	switch fn.Pkg().Path() {
	case "golang.org/x/sync/errgroup":
		return fn.Name() == "WithContext", false
	case "github.com/boundgo/bound/task":
		ok := fn.Name() == "WithContext" || fn.Name() == "ResultsWithContext"
		return ok, ok
	}
	return false, false
}

// isConcConstructor reports whether e makes a new conc group:
// conc.NewWaitGroup(), pool.New(), pool.NewWithResults[T](), perhaps
// followed by the pools' With... options (pool.New().WithErrors()).
func isConcConstructor(info *types.Info, e ast.Expr) bool {
	for {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return false
		}
		fn := typeutil.StaticCallee(info, call)
		if fn == nil || fn.Pkg() == nil {
			return false
		}
		if fn.Type().(*types.Signature).Recv() == nil {
			switch fn.Pkg().Path() {
			case "github.com/sourcegraph/conc":
				return fn.Name() == "NewWaitGroup"
			case "github.com/sourcegraph/conc/pool":
				return fn.Name() == "New" || fn.Name() == "NewWithResults"
			}
			return false
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || fn.Pkg().Path() != "github.com/sourcegraph/conc/pool" || !strings.HasPrefix(fn.Name(), "With") {
			return false
		}
		e = sel.X
	}
}
