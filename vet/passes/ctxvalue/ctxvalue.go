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
// another type stored under the same key.
//
// The check reports a single-value assertion, to a type or an interface, on
// the result of a Value call whose receiver is a context (context.Context or
// any type with its four methods) in two cases:
//
//   - an accessor: an exported function (or a method of an exported type)
//     that returns the asserted value of a context it takes as a parameter
//     (directly, or through r.Context() of an *http.Request parameter).
//     Its callers may hand it any context, so it panics for every caller
//     whose context lacks the key, whoever owns the key (qmuntal/stateless#36:
//     GetTransition on a context that did not come from a transition).
//     Accessors named Must... panic on purpose and are left alone.
//   - a key that no code this package can see ever stores: not this
//     package, and no package it imports, directly or not, calls
//     context.WithValue (or a context type's WithValue method) with it. The
//     value must then come from a caller up the stack that the package
//     trusts without knowing it (smallnest/rpcx#346: a tracing helper read
//     the metadata key that only some clients set).
//
// It is silent for the comma-ok form, for type switches, in _test.go files
// (a panic there fails the test, which is what the test wants), when the
// assertion sits under "if ctx.Value(key) != nil" with the same key (only a
// wrong type could panic), for a key it cannot name (a parameter, an
// expression), and, outside accessors, for a key the package owns (it
// stores it itself, or the key is unexported and declared in the package)
// or one that a package in its import graph stores: that is the
// framework's middleware (caddyhttp.Server puts its replacer, server and
// original request into every request's context before any handler runs,
// and its handlers rely on it). Which paths of that middleware set the key
// is beyond the check: a transport that is also called with requests the
// middleware never prepared (caddyserver/caddy#5281, health checks) is
// missed.
//
// The keys each package stores, with those of its imports, travel as a
// package fact.
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
	"slices"
	"strings"

	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

const doc = `report ctx.Value(key).(T), which panics when the key is missing or holds another type

Pitfall C2: ctx.Value returns nil for a key that was never set, and the
single-value assertion then panics; so does a value of another type under the
same key. Reported in an exported accessor that returns the asserted value of
a context its caller hands in (any caller may lack the key; Must... accessors
are left alone), and elsewhere for a key that nothing this package can see
stores: not the package itself, nor any package it imports (a key stored
there is the framework's middleware). Silent for the comma-ok form, type
switches, _test.go files, assertions guarded by "if ctx.Value(key) != nil",
keys it cannot name, and keys the package owns. Fix: typed.Key[T] from
github.com/boundgo/bound/typed ("v, ok := key.Value(ctx)"), or the comma-ok
form (suggested where the statement allows). The runtime backstop is the
panic itself.

` + "https://github.com/boundgo/bound#c2"

// Analyzer is the ctxvalue check.
var Analyzer = &analysis.Analyzer{
	Name:      "ctxvalue",
	Doc:       doc,
	URL:       report.URL("C2"),
	Run:       run,
	Requires:  []*analysis.Analyzer{inspect.Analyzer},
	FactTypes: []analysis.Fact{new(Stores)},
}

// Stores is the package fact listing the context keys that a package, or a
// package it imports directly or indirectly, stores with WithValue: a key
// named by a package-level variable or constant ("v:path.Name"), or by a
// type whose values are the keys ("t:path.Name", for ctxKey{} and
// ctxKey("x")).
type Stores struct{ Keys []string }

// AFact marks Stores as an analysis fact.
func (*Stores) AFact() {}

func (s *Stores) String() string { return "stores(" + strings.Join(s.Keys, " ") + ")" }

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	r := report.New(pass, "C2")
	owned, stored := storedKeys(pass, in)
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
		if guarded(cur, call) {
			continue
		}
		msg := "single-value assertion on ctx.Value panics when the key is missing or holds another type " +
			"(use typed.Key[T]: v, ok := key.Value(ctx); or the comma-ok form)"
		if name, ok := accessor(pass.TypesInfo, cur, parent, call); ok {
			msg = "single-value assertion on ctx.Value in " + name + ", which returns it to callers that may hand in any context: " +
				"it panics for every caller whose context lacks the key or holds another type " +
				"(return the comma-ok result, or use typed.Key[T]: v, ok := key.Value(ctx))"
		} else {
			key := keyOf(pass.TypesInfo, call.Args[0])
			if id := keyID(key); id == "" || owned[key] || stored[id] {
				continue // unknown, owned, or stored by the framework below
			}
		}
		diag := analysis.Diagnostic{Pos: ta.Pos(), End: ta.End(), Message: msg}
		if fix, ok := commaOKFix(parent.Node(), ta); ok {
			diag.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
		r.Report(diag)
	}
	return nil, nil
}

// keyOf returns what identifies a context key: the variable or constant
// it names, or the type of a composite literal key (ctxKey{}) or of a
// conversion (ctxKey("user")); nil if the key is anything else.
func keyOf(info *types.Info, e ast.Expr) types.Object {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		return info.Uses[x]
	case *ast.SelectorExpr:
		return info.Uses[x.Sel]
	case *ast.CompositeLit:
		return namedObj(info.TypeOf(x))
	case *ast.CallExpr:
		if tv, ok := info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
			return namedObj(tv.Type)
		}
	}
	return nil
}

func namedObj(t types.Type) types.Object {
	if t == nil {
		return nil
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Origin().Obj()
	}
	return nil
}

// keyID names a key object across packages, or "" for a key that only
// this package can name (a local variable, a parameter).
func keyID(obj types.Object) string {
	if obj == nil || obj.Pkg() == nil || obj.Parent() != obj.Pkg().Scope() {
		return ""
	}
	switch obj.(type) {
	case *types.TypeName:
		return "t:" + obj.Pkg().Path() + "." + obj.Name()
	case *types.Var, *types.Const:
		return "v:" + obj.Pkg().Path() + "." + obj.Name()
	}
	return ""
}

// storedKeys returns the keys whose values this package controls (owned:
// those it stores itself, and unexported keys it declares, which no other
// package can set; a context type's own WithValue method counts, as
// caddy.Context's does) and the IDs of the keys stored by this package or
// any package it imports, which it exports as its Stores fact.
func storedKeys(pass *analysis.Pass, in *inspector.Inspector) (owned map[types.Object]bool, stored map[string]bool) {
	owned = make(map[types.Object]bool)
	stored = make(map[string]bool)
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
			if id := keyID(k); id != "" {
				stored[id] = true
			}
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
	for _, imp := range pass.Pkg.Imports() {
		var f Stores
		if pass.ImportPackageFact(imp, &f) {
			for _, k := range f.Keys {
				stored[k] = true
			}
		}
	}
	if len(stored) > 0 && pass.Pkg.Name() != "main" { // no one imports a command
		keys := make([]string, 0, len(stored))
		for k := range stored {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		pass.ExportPackageFact(&Stores{Keys: keys})
	}
	return owned, stored
}

// accessor reports whether the assertion at cur, whose parent (past
// parentheses) is parent, is returned by an exported function of the
// context its caller hands in: the Value call's receiver is a parameter, or
// r.Context() of an *http.Request parameter, and the asserted value is a
// result, directly or through a variable returned as it is. It returns the
// function's name.
func accessor(info *types.Info, cur, parent inspector.Cursor, call *ast.CallExpr) (string, bool) {
	var decl *ast.FuncDecl
	for f := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		decl, _ = f.Node().(*ast.FuncDecl)
		break
	}
	if decl == nil || decl.Body == nil || !decl.Name.IsExported() || strings.HasPrefix(decl.Name.Name, "Must") {
		return "", false
	}
	if decl.Recv != nil && len(decl.Recv.List) == 1 {
		t := info.TypeOf(decl.Recv.List[0].Type)
		if p, ok := types.Unalias(t).(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); !ok || !n.Obj().Exported() {
			return "", false
		}
	}
	// The context: a parameter, or r.Context() of a parameter r.
	recv := ast.Unparen(call.Fun.(*ast.SelectorExpr).X)
	if c, ok := recv.(*ast.CallExpr); ok && len(c.Args) == 0 {
		if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Context" {
			recv = ast.Unparen(sel.X)
		}
	}
	id, ok := recv.(*ast.Ident)
	if !ok {
		return "", false
	}
	param, ok := info.Uses[id].(*types.Var)
	if !ok || !isParamOf(info, decl, param) {
		return "", false
	}
	// The asserted value is returned.
	switch p := parent.Node().(type) {
	case *ast.ReturnStmt:
		return decl.Name.Name, true
	case *ast.AssignStmt:
		if len(p.Lhs) != 1 || len(p.Rhs) != 1 {
			return "", false
		}
		lhs, ok := ast.Unparen(p.Lhs[0]).(*ast.Ident)
		if !ok {
			return "", false
		}
		v, _ := info.ObjectOf(lhs).(*types.Var)
		if v != nil && returned(info, decl.Body, v) {
			return decl.Name.Name, true
		}
	}
	return "", false
}

func isParamOf(info *types.Info, decl *ast.FuncDecl, v *types.Var) bool {
	for _, f := range decl.Type.Params.List {
		for _, name := range f.Names {
			if info.Defs[name] == v {
				return true
			}
		}
	}
	return false
}

// returned reports whether body has a return statement (outside func
// literals) with v, as it is, among its results.
func returned(info *types.Info, body *ast.BlockStmt, v *types.Var) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				if id, ok := ast.Unparen(r).(*ast.Ident); ok && info.Uses[id] == v {
					found = true
				}
			}
		}
		return !found
	})
	return found
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
