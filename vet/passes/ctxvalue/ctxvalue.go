// Package ctxvalue defines an Analyzer that reports single-value type
// assertions on a context's values.
//
// # Analyzer ctxvalue
//
// ctxvalue: report ctx.Value(key).(T), which panics when the key is missing or holds another type
//
// Pitfall C2 of the catalogue. ctx.Value returns nil for a key that was
// never set (a request that took another path through the middleware, a
// context rebuilt from Background, a test that forgot to set it), and the
// single-value assertion ctx.Value(key).(T) then panics; so does a value of
// another type stored under the same key. The check reports every
// single-value assertion, to a type or an interface, on the result of a
// Value call whose receiver is a context (context.Context or any type with
// its four methods). It stays silent for the comma-ok form, for type
// switches, in _test.go files (a panic there fails the test, which is what
// the test wants), when the assertion sits under "if ctx.Value(key) !=
// nil" with the same key, where only a wrong type could panic, and when the
// package owns the key: it stores it itself with context.WithValue, or the
// key is unexported and declared in the package, so no other code sets it.
// What remains are reads of a key that another package is trusted to set.
//
// Fix: a typed key, github.com/boundgo/bound/typed's Key[T]:
// "var userKey = typed.NewKey[User]("user")", then
// "u, ok := userKey.Value(ctx)": the type is part of the key, so the read
// cannot panic. Where the statement is "v := ctx.Value(k).(T)" (or "=", or
// "var v = ..."), a suggested fix turns it into the comma-ok form
// "v, _ := ...", which yields the zero T instead of panicking.
//
// The runtime backstop is the panic itself, in production, on the path that
// did not set the key.
//
// https://github.com/boundgo/bound#c2
package ctxvalue

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

const doc = `report ctx.Value(key).(T), which panics when the key is missing or holds another type

Pitfall C2: ctx.Value returns nil for a key that was never set, and the
single-value assertion then panics; so does a value of another type under the
same key. Reported for single-value assertions on the result of a context's
Value method; silent for the comma-ok form, type switches, _test.go files,
assertions guarded by "if ctx.Value(key) != nil", and keys the package owns
(it sets them itself, or they are unexported). Fix: typed.Key[T] from
github.com/boundgo/bound/typed ("v, ok := key.Value(ctx)"), or the comma-ok
form (suggested where the statement allows). The runtime backstop is the
panic itself.

` + "https://github.com/boundgo/bound#c2"

// Analyzer is the ctxvalue check.
var Analyzer = &analysis.Analyzer{
	Name:     "ctxvalue",
	Doc:      doc,
	URL:      report.URL("C2"),
	Run:      run,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	r := report.New(pass, "C2")
	owned := ownedKeys(pass, in)
	for cur := range in.Root().Preorder((*ast.TypeAssertExpr)(nil)) {
		ta := cur.Node().(*ast.TypeAssertExpr)
		if ta.Type == nil { // x.(type)
			continue
		}
		call, ok := ast.Unparen(ta.X).(*ast.CallExpr)
		if !ok || !isContextValue(pass.TypesInfo, call) {
			continue
		}
		// Climb the parentheses to the expression's real parent.
		parent := cur.Parent()
		for {
			if _, ok := parent.Node().(*ast.ParenExpr); !ok {
				break
			}
			parent = parent.Parent()
		}
		if commaOK(parent.Node()) {
			continue
		}
		if strings.HasSuffix(pass.Fset.Position(ta.Pos()).Filename, "_test.go") {
			continue
		}
		if guarded(cur, call) || owned[keyOf(pass.TypesInfo, call.Args[0])] {
			continue
		}
		diag := analysis.Diagnostic{
			Pos: ta.Pos(), End: ta.End(),
			Message: "single-value assertion on ctx.Value panics when the key is missing or holds another type " +
				"(use typed.Key[T]: v, ok := key.Value(ctx); or the comma-ok form)",
		}
		if fix, ok := commaOKFix(parent.Node(), ta); ok {
			diag.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
		r.Report(diag)
	}
	return nil, nil
}

// keyOf returns what identifies a context key: the variable or constant
// it names, or the type of a composite literal key (ctxKey{}); nil if the
// key is anything else.
func keyOf(info *types.Info, e ast.Expr) any {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		return info.Uses[x]
	case *ast.SelectorExpr:
		return info.Uses[x.Sel]
	case *ast.CompositeLit:
		if t := info.TypeOf(x); t != nil {
			if n, ok := types.Unalias(t).(*types.Named); ok {
				return n.Obj()
			}
		}
	}
	return nil
}

// ownedKeys returns the keys whose values this package controls: those it
// stores itself with context.WithValue, and unexported keys it declares,
// which no other package can set (a context type's own WithValue method
// counts, as caddy.Context's does). Reading such a key relies on an
// invariant the package keeps, not on a contract with its callers.
func ownedKeys(pass *analysis.Pass, in *inspector.Inspector) map[any]bool {
	owned := make(map[any]bool)
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		// context.WithValue(ctx, k, v), or a context type's own
		// WithValue(k, v) method.
		var name *ast.Ident
		switch f := ast.Unparen(call.Fun).(type) {
		case *ast.SelectorExpr:
			name = f.Sel
		case *ast.Ident:
			name = f
		}
		if name == nil || name.Name != "WithValue" || len(call.Args) < 2 {
			continue
		}
		if _, ok := pass.TypesInfo.Uses[name].(*types.Func); !ok {
			continue
		}
		if k := keyOf(pass.TypesInfo, call.Args[len(call.Args)-2]); k != nil {
			owned[k] = true
		}
	}
	for _, obj := range pass.TypesInfo.Defs {
		if obj == nil || obj.Exported() || obj.Pkg() != pass.Pkg || obj.Parent() != pass.Pkg.Scope() {
			continue
		}
		switch obj.(type) {
		case *types.Const, *types.Var, *types.TypeName:
			owned[obj] = true
		}
	}
	return owned
}

// isContextValue reports whether call is x.Value(k) with x a context.
func isContextValue(info *types.Info, call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Value" || len(call.Args) != 1 {
		return false
	}
	s, ok := info.Selections[sel]
	if !ok || s.Kind() != types.MethodVal {
		return false
	}
	return isContext(s.Recv())
}

// isContext reports whether t has the four methods of context.Context.
func isContext(t types.Type) bool {
	ms := types.NewMethodSet(t)
	if _, isPtr := t.(*types.Pointer); !isPtr && !types.IsInterface(t) {
		ms = types.NewMethodSet(types.NewPointer(t))
	}
	for _, name := range []string{"Deadline", "Done", "Err", "Value"} {
		found := false
		for i := range ms.Len() {
			if ms.At(i).Obj().Name() == name {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// commaOK reports whether the assertion whose parent is p is in a comma-ok
// position.
func commaOK(p ast.Node) bool {
	switch p := p.(type) {
	case *ast.AssignStmt:
		return len(p.Lhs) == 2 && len(p.Rhs) == 1
	case *ast.ValueSpec:
		return len(p.Names) == 2 && len(p.Values) == 1
	}
	return false
}

// guarded reports whether the assertion is inside the then-branch of an if
// whose condition includes "x.Value(k) != nil" for the same x and k.
func guarded(cur inspector.Cursor, call *ast.CallExpr) bool {
	want := exprString(call)
	if want == "" {
		return false
	}
	child := cur.Node()
	for p := range cur.Enclosing() {
		switch n := p.Node().(type) {
		case *ast.IfStmt:
			if n.Body != nil && n.Body.Pos() <= child.Pos() && child.End() <= n.Body.End() && condChecks(n.Cond, want) {
				return true
			}
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		}
		child = p.Node()
	}
	return false
}

func condChecks(cond ast.Expr, want string) bool {
	switch c := ast.Unparen(cond).(type) {
	case *ast.BinaryExpr:
		if c.Op == token.LAND {
			return condChecks(c.X, want) || condChecks(c.Y, want)
		}
		if c.Op != token.NEQ {
			return false
		}
		if id, ok := ast.Unparen(c.Y).(*ast.Ident); ok && id.Name == "nil" {
			return exprString(ast.Unparen(c.X)) == want
		}
		if id, ok := ast.Unparen(c.X).(*ast.Ident); ok && id.Name == "nil" {
			return exprString(ast.Unparen(c.Y)) == want
		}
	}
	return false
}

// exprString renders the small expressions a key is made of, or "".
func exprString(e ast.Expr) string {
	var b strings.Builder
	var walk func(ast.Expr) bool
	walk = func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.Ident:
			b.WriteString(x.Name)
		case *ast.BasicLit:
			b.WriteString(x.Value)
		case *ast.SelectorExpr:
			if !walk(x.X) {
				return false
			}
			b.WriteString("." + x.Sel.Name)
		case *ast.ParenExpr:
			return walk(x.X)
		case *ast.StarExpr:
			b.WriteString("*")
			return walk(x.X)
		case *ast.CompositeLit:
			if x.Type == nil || len(x.Elts) != 0 {
				return false
			}
			if !walk(x.Type) {
				return false
			}
			b.WriteString("{}")
		case *ast.CallExpr:
			if !walk(x.Fun) {
				return false
			}
			b.WriteString("(")
			for i, a := range x.Args {
				if i > 0 {
					b.WriteString(",")
				}
				if !walk(a) {
					return false
				}
			}
			b.WriteString(")")
		default:
			return false
		}
		return true
	}
	if !walk(e) {
		return ""
	}
	return b.String()
}

// commaOKFix turns "v := ctx.Value(k).(T)", "v = ..." and "var v = ..."
// into their comma-ok forms.
func commaOKFix(p ast.Node, ta *ast.TypeAssertExpr) (analysis.SuggestedFix, bool) {
	var after token.Pos
	switch p := p.(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) != 1 || len(p.Rhs) != 1 || (p.Tok != token.DEFINE && p.Tok != token.ASSIGN) {
			return analysis.SuggestedFix{}, false
		}
		after = p.Lhs[0].End()
	case *ast.ValueSpec:
		if len(p.Names) != 1 || len(p.Values) != 1 || p.Type != nil {
			return analysis.SuggestedFix{}, false
		}
		after = p.Names[0].End()
	default:
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message:   "Use the comma-ok form: a missing key gives the zero value",
		TextEdits: []analysis.TextEdit{{Pos: after, End: after, NewText: []byte(", _")}},
	}, true
}
