// Package barego reports a go statement whose goroutine nothing can wait
// for or stop.
//
// Pitfalls A3 and A4: a goroutine tied to no WaitGroup, errgroup, task.Group,
// context or channel runs for as long as it likes. Nothing can wait for it
// before its inputs are released, nothing can tell it to stop, and a test
// that starts one ends with it still running. goleak reports it at the end
// of a test; testing/synctest reports a bubble that never quiesces. It is
// the shape the pitfalls of this library grow from, so the check is opt-in:
// a review aid that lists every fire-and-forget goroutine.
//
// A goroutine is tied when its function (a literal, or a named function
// learned by fact across packages) marks a WaitGroup done or uses any group,
// uses a context, or sends on, receives from, ranges over, selects on or
// closes a channel; or when the go statement hands it a context, a channel
// or a group. A function value or interface method started with go is
// unknown, and left alone.
package barego

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/boundgo/bound/vet/internal/groups"
	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Analyzer is the barego check (opt-in).
var Analyzer = &analysis.Analyzer{
	Name: "barego",
	Doc: `report a go statement tied to no group, WaitGroup, context or channel (opt-in)

Pitfalls A3/A4: such a goroutine runs as long as it likes; nothing can wait for
it or stop it, and a test that starts one ends with it running (goleak reports
it, testing/synctest sees a bubble that never quiesces). A goroutine is tied
when its function (a literal, or a named function learned by fact) uses a
WaitGroup or group, a context, or a channel, or when the go statement hands it
one. Function values and interface methods are left alone. Fix: start it with a
task.Group (g.Go / GoContext), or give it a ctx and wait for it.

` + report.URL("A3"),
	URL:       report.URL("A3"),
	Requires:  []*analysis.Analyzer{inspect.Analyzer},
	Run:       run,
	FactTypes: []analysis.Fact{new(Tied)},
}

// Tied is the fact that a function ties the goroutine running it: it uses a
// group, a context or a channel.
type Tied struct{}

// AFact marks Tied as an analysis fact.
func (*Tied) AFact() {}

func (*Tied) String() string { return "tied" }

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	tied := make(map[*types.Func]bool)
	for c := range in.Root().Preorder((*ast.FuncDecl)(nil)) {
		d := c.Node().(*ast.FuncDecl)
		fn, ok := info.Defs[d.Name].(*types.Func)
		if !ok || d.Body == nil {
			continue
		}
		if ties(info, d.Body) || paramTies(fn) {
			tied[fn] = true
			pass.ExportObjectFact(fn, new(Tied))
		}
	}
	isTied := func(fn *types.Func) bool {
		fn = fn.Origin()
		if fn.Pkg() == pass.Pkg {
			return tied[fn]
		}
		return pass.ImportObjectFact(fn, new(Tied))
	}

	rep := report.New(pass, "A3")
	for c := range in.Root().Preorder((*ast.GoStmt)(nil)) {
		stmt := c.Node().(*ast.GoStmt)
		call := stmt.Call
		if argsTie(info, call) || funcArgsTied(info, call, isTied) || inBubble(info, c) {
			continue
		}
		switch fun := ast.Unparen(call.Fun).(type) {
		case *ast.FuncLit:
			if ties(info, fun.Body) || callsTied(info, fun.Body, isTied) {
				continue
			}
		default:
			fn := typeutil.StaticCallee(info, call)
			if fn == nil || isTied(fn) {
				continue // a function value or an interface method: unknown
			}
		}
		rep.Report(analysis.Diagnostic{
			Pos:     stmt.Pos(),
			End:     stmt.Pos() + token.Pos(len("go")),
			Message: "this goroutine is tied to nothing that can wait for it or stop it: no WaitGroup, group, context or channel (start it in a task.Group, or hand it a ctx and wait for it)",
		})
	}
	return nil, nil
}

// inBubble reports whether the go statement at c runs inside a
// testing/synctest bubble, which accounts for every goroutine started in it.
func inBubble(info *types.Info, c inspector.Cursor) bool {
	for lit := range c.Enclosing((*ast.FuncLit)(nil)) {
		if k, _ := lit.ParentEdge(); k != edge.CallExpr_Args {
			continue
		}
		fn := typeutil.StaticCallee(info, lit.Parent().Node().(*ast.CallExpr))
		if fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "testing/synctest" {
			return true
		}
	}
	return false
}

// paramTies reports whether a function takes a context, a channel or a
// group: whoever starts it with go hands it one.
func paramTies(fn *types.Func) bool {
	sig := fn.Type().(*types.Signature)
	for p := range sig.Params().Variables() {
		if tiesType(p.Type()) {
			return true
		}
	}
	return false
}

// argsTie reports whether the go statement hands its goroutine a context,
// a channel or a group (a method's receiver does not count).
func argsTie(info *types.Info, call *ast.CallExpr) bool {
	for _, a := range call.Args {
		if tiesType(info.TypeOf(a)) {
			return true
		}
	}
	return false
}

// funcArgsTied reports whether the go statement hands a wrapper a function
// that ties the goroutine: go withRecover(p.dispatcher), where dispatcher
// (by fact) or the literal passed uses a context, a channel or a group.
func funcArgsTied(info *types.Info, call *ast.CallExpr, isTied func(*types.Func) bool) bool {
	for _, a := range call.Args {
		switch a := ast.Unparen(a).(type) {
		case *ast.FuncLit:
			if ties(info, a.Body) {
				return true
			}
		case *ast.Ident:
			if fn, ok := info.Uses[a].(*types.Func); ok && isTied(fn) {
				return true
			}
		case *ast.SelectorExpr:
			if fn, ok := info.Uses[a.Sel].(*types.Func); ok && isTied(fn) {
				return true
			}
		}
	}
	return false
}

// tiesType reports whether a value of type t ties a goroutine: a context,
// a channel, or a group (or a pointer to one).
func tiesType(t types.Type) bool {
	if t == nil {
		return false
	}
	if k, _ := groups.KindOf(t); k != groups.NotGroup {
		return true
	}
	if _, ok := t.Underlying().(*types.Chan); ok {
		return true
	}
	return isContext(t)
}

func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

// ties reports whether body uses a group, a context or a channel.
func ties(info *types.Info, body ast.Node) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.SendStmt, *ast.SelectStmt:
			found = true
		case *ast.UnaryExpr:
			found = n.Op == token.ARROW
		case *ast.RangeStmt:
			_, found = typeUnder(info.TypeOf(n.X)).(*types.Chan)
		case *ast.Ident:
			if v, ok := info.Uses[n].(*types.Var); ok && tiesType(v.Type()) {
				found = true
			}
		case *ast.SelectorExpr:
			if s := info.Selections[n]; s != nil && s.Kind() == types.FieldVal && tiesType(s.Type()) {
				found = true
			}
		case *ast.CallExpr:
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok {
				if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "close" {
					found = true
				}
			}
			if t := info.TypeOf(n); t != nil && isContext(t) {
				found = true // r.Context(), context.WithoutCancel(...)
			}
		}
		return !found
	})
	return found
}

func typeUnder(t types.Type) types.Type {
	if t == nil {
		return nil
	}
	return t.Underlying()
}

// callsTied reports whether body calls a function that ties its caller's
// goroutine (one level: the fact is about a function's own body).
func callsTied(info *types.Info, body ast.Node, isTied func(*types.Func) bool) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok {
			if fn := typeutil.StaticCallee(info, call); fn != nil && isTied(fn) {
				found = true
			}
		}
		return !found
	})
	return found
}
