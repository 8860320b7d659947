// Package detachedctx reports context.Background or context.TODO called in
// a function that already has a context.
//
// Pitfall A5 (a child context rebuilt from Background): a function that is
// handed a ctx — as a parameter, or as an *http.Request's — and builds a
// new one from Background cuts the work it starts loose from its caller:
// cancelling the request or the parent no longer reaches it, deadlines are
// dropped, and the values (trace ids, auth) are lost. A goroutine started
// with such a context outlives the request; goleak reports it at the end of
// a test, and testing/synctest a bubble that does not quiesce.
//
// The check is opt-in: detaching is sometimes meant (cleanup that must run
// after the request is cancelled). Say so with context.WithoutCancel(ctx),
// which keeps the values and drops only the cancellation, or silence the
// line with a //boundvet:ignore directive and the reason. main, init and
// test files are exempt, and so is the nil guard "if ctx == nil { ctx =
// context.Background() }".
package detachedctx

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Analyzer is the detachedctx check (opt-in).
var Analyzer = &analysis.Analyzer{
	Name: "detachedctx",
	Doc: `report context.Background or context.TODO in a function that has a ctx (opt-in)

Pitfall A5: a function handed a ctx (a parameter, or an *http.Request's) that
builds a new context from Background cuts its work loose from the caller:
cancellation and deadlines no longer reach it and its values are lost. A
goroutine started with it outlives the request (goleak reports it; synctest
sees a bubble that does not quiesce). Suggested fix: use the ctx in scope. To
detach on purpose, use context.WithoutCancel(ctx). main, init, test files and
the "if ctx == nil { ctx = context.Background() }" guard are exempt.

` + report.URL("A5"),
	URL:      report.URL("A5"),
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo
	rep := report.New(pass, "A5")
	for c := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := c.Node().(*ast.CallExpr)
		if len(call.Args) != 0 {
			continue
		}
		fn := typeutil.StaticCallee(info, call)
		if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "context" || (fn.Name() != "Background" && fn.Name() != "TODO") {
			continue
		}
		file := pass.Fset.File(call.Pos())
		if file == nil || strings.HasSuffix(file.Name(), "_test.go") {
			continue
		}
		if nilGuard(info, c) || compared(c) {
			continue
		}
		have, ok := contextInScope(pass, c)
		if !ok {
			continue
		}
		d := analysis.Diagnostic{
			Pos: call.Pos(),
			End: call.End(),
			Message: fmt.Sprintf("context.%s() in a function that has %s: the work it starts is cut loose from the caller's cancellation, deadline and values (use %s, or context.WithoutCancel(%s) to detach on purpose)",
				fn.Name(), have, have, have),
		}
		d.SuggestedFixes = []analysis.SuggestedFix{{
			Message:   "Use " + have,
			TextEdits: []analysis.TextEdit{{Pos: call.Pos(), End: call.End(), NewText: []byte(have)}},
		}}
		rep.Report(d)
	}
	return nil, nil
}

// compared reports whether the call at c is an operand of == or !=
// (if ctx != context.Background() { ... }): it makes no context.
func compared(c inspector.Cursor) bool {
	k, _ := c.ParentEdge()
	return k == edge.BinaryExpr_X || k == edge.BinaryExpr_Y
}

// nilGuard reports whether the call at c is assigned to a context
// parameter: if ctx == nil { ctx = context.Background() }.
func nilGuard(info *types.Info, c inspector.Cursor) bool {
	k, idx := c.ParentEdge()
	if k != edge.AssignStmt_Rhs {
		return false
	}
	as := c.Parent().Node().(*ast.AssignStmt)
	if as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
		return false
	}
	id, ok := as.Lhs[idx].(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	return ok && isContext(v.Type())
}

// contextInScope returns the expression that names the context of the
// innermost function around c that has one — a context.Context parameter,
// or an *http.Request parameter's Context() — if that name still means it
// at c. Functions main and init, and test functions, have none.
func contextInScope(pass *analysis.Pass, c inspector.Cursor) (string, bool) {
	info := pass.TypesInfo
	for fc := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var ft *ast.FuncType
		switch fn := fc.Node().(type) {
		case *ast.FuncDecl:
			if fn.Recv == nil && (fn.Name.Name == "init" || fn.Name.Name == "main" && pass.Pkg.Name() == "main") {
				return "", false
			}
			ft = fn.Type
		case *ast.FuncLit:
			ft = fn.Type
		}
		var req *types.Var
		handler := false
		for _, field := range ft.Params.List {
			for _, name := range field.Names {
				v, ok := info.Defs[name].(*types.Var)
				if !ok || name.Name == "_" {
					continue
				}
				if isContext(v.Type()) && visible(pass, v, c.Node().Pos()) {
					return v.Name(), true
				}
				if isRequest(v.Type()) && req == nil && visible(pass, v, c.Node().Pos()) {
					req = v
				}
				handler = handler || isResponseWriter(v.Type())
			}
		}
		if req != nil && handler {
			// A handler's request: its context ends with the
			// request. (An outgoing request's does not say what the
			// caller's is.)
			return req.Name() + ".Context()", true
		}
		if _, ok := fc.Node().(*ast.FuncLit); ok && !runsInReach(fc) {
			// A literal kept for later (a callback in a struct, a
			// variable): the enclosing function's context may be
			// long gone when it runs.
			return "", false
		}
	}
	return "", false
}

// runsInReach reports whether the function literal at fc runs while the
// function around it can still hand it its context: called in place,
// started with go or defer, or passed to a call (g.Go, t.Run, Once.Do...).
func runsInReach(fc inspector.Cursor) bool {
	switch k, _ := fc.ParentEdge(); k {
	case edge.CallExpr_Fun, edge.CallExpr_Args:
		return true
	}
	return false
}

// isResponseWriter reports whether t is net/http.ResponseWriter.
func isResponseWriter(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "net/http" && n.Obj().Name() == "ResponseWriter"
}

// visible reports whether v's name, at pos, still denotes v.
func visible(pass *analysis.Pass, v *types.Var, pos token.Pos) bool {
	scope := pass.Pkg.Scope().Innermost(pos)
	if scope == nil {
		return false
	}
	_, obj := scope.LookupParent(v.Name(), pos)
	return obj == v
}

func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && n.Obj().Name() == "Context"
}

// isRequest reports whether t is *net/http.Request.
func isRequest(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "net/http" && n.Obj().Name() == "Request"
}
