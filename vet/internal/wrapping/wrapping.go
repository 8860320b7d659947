// Package wrapping learns, for every function that returns an error, which
// sentinel errors and error types it returns as they are and which it may
// return wrapped (inside fmt.Errorf("%w"), errors.Join, or an error type
// with an Unwrap method), and exports that as facts so that callers in
// other packages can ask.
//
// The summary is flow-insensitive and stays on the side of "unknown": an
// error that comes from an interface method, a function value, a
// parameter or a struct field is of unknown origin, and a check that needs
// certainty stays silent about it.
package wrapping

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// Analyzer computes a Summary of every function of the package that
// returns an error, exports each as a fact, and returns a *Result.
var Analyzer = &analysis.Analyzer{
	Name:       "wrapping",
	Doc:        "summarize which errors each function returns as they are and which it may return wrapped",
	Run:        run,
	Requires:   []*analysis.Analyzer{inspect.Analyzer},
	FactTypes:  []analysis.Fact{new(Summary)},
	ResultType: reflect.TypeFor[*Result](),
}

// A Summary says what errors a function returns. Keys name a sentinel
// ("v:io.EOF", a package-level variable) or a concrete error type
// ("t:*io/fs.PathError"). "t:?" in Direct stands for a value whose dynamic
// type is not known (a sentinel declared as error).
type Summary struct {
	Direct        []string // keys returned as they are
	Wrapped       []string // keys returned inside a wrapper
	PassesUnknown bool     // returns, as it is, an error of unknown origin
	WrapsUnknown  bool     // returns a wrapper around an error of unknown origin
}

// AFact marks Summary as a fact.
func (*Summary) AFact() {}

func (s *Summary) String() string {
	var b strings.Builder
	b.WriteString("direct[" + strings.Join(s.Direct, " ") + "] wrapped[" + strings.Join(s.Wrapped, " ") + "]")
	if s.PassesUnknown {
		b.WriteString(" passes-unknown")
	}
	if s.WrapsUnknown {
		b.WriteString(" wraps-unknown")
	}
	return b.String()
}

// maxKeys bounds a summary: past it, a direct set says "unknown", a wrapped
// set keeps what it has and says "wraps unknown".
const maxKeys = 32

// HasDirect reports whether key is returned as it is.
func (s *Summary) HasDirect(key string) bool { return slices.Contains(s.Direct, key) }

// HasWrapped reports whether key may be returned wrapped.
func (s *Summary) HasWrapped(key string) bool { return slices.Contains(s.Wrapped, key) }

// Wraps reports whether some error returned is a wrapper.
func (s *Summary) Wraps() bool { return len(s.Wrapped) > 0 || s.WrapsUnknown }

func (s *Summary) addDirect(key string) {
	if s.HasDirect(key) {
		return
	}
	if len(s.Direct) >= maxKeys {
		s.PassesUnknown = true
		return
	}
	s.Direct = append(s.Direct, key)
}

func (s *Summary) addWrapped(key string) {
	if s.HasWrapped(key) {
		return
	}
	if len(s.Wrapped) >= maxKeys {
		s.WrapsUnknown = true
		return
	}
	s.Wrapped = append(s.Wrapped, key)
}

// merge adds o to s; when wrapped, everything o returns arrives wrapped.
func (s *Summary) merge(o *Summary, wrapped bool) {
	if o == nil {
		return
	}
	if wrapped {
		for _, k := range o.Direct {
			if k != "t:?" {
				s.addWrapped(k)
			}
		}
		for _, k := range o.Wrapped {
			s.addWrapped(k)
		}
		if o.PassesUnknown || o.WrapsUnknown || slices.Contains(o.Direct, "t:?") {
			s.WrapsUnknown = true
		}
		return
	}
	for _, k := range o.Direct {
		s.addDirect(k)
	}
	for _, k := range o.Wrapped {
		s.addWrapped(k)
	}
	s.PassesUnknown = s.PassesUnknown || o.PassesUnknown
	s.WrapsUnknown = s.WrapsUnknown || o.WrapsUnknown
}

func (s *Summary) empty() bool {
	return len(s.Direct) == 0 && len(s.Wrapped) == 0 && !s.PassesUnknown && !s.WrapsUnknown
}

// Result answers questions about the errors of the package under analysis
// and of its dependencies.
type Result struct {
	pass    *analysis.Pass
	errType types.Type
	decls   map[*types.Func]*ast.FuncDecl
	done    map[*types.Func]*Summary
	busy    map[*types.Func]bool
	assigns map[ast.Node]map[*types.Var][]ast.Expr // per function body
	results map[*ast.BlockStmt]*ast.FieldList      // a FuncDecl body's named results
}

// Func returns the summary of fn, or nil if nothing is known about it.
func (r *Result) Func(fn *types.Func) *Summary {
	fn = fn.Origin()
	if s, ok := r.done[fn]; ok {
		return s
	}
	if fn.Pkg() != r.pass.Pkg {
		s := new(Summary)
		if !r.pass.ImportObjectFact(fn, s) {
			s = nil
		}
		r.done[fn] = s
		return s
	}
	decl := r.decls[fn]
	if decl == nil || decl.Body == nil || r.busy[fn] {
		return nil // unknown; recursion sees the empty summary
	}
	r.busy[fn] = true
	s := r.summarize(decl)
	delete(r.busy, fn)
	r.done[fn] = s
	return s
}

// Expr summarizes the error value of e, an expression in the function
// whose body is body (a FuncDecl's or FuncLit's): local variables are
// followed through every assignment in body.
func (r *Result) Expr(body *ast.BlockStmt, e ast.Expr) *Summary {
	s := new(Summary)
	r.eval(body, e, false, s, make(map[*types.Var]bool))
	return s
}

// TypeKey returns the key of a concrete error type, or "" for an interface.
func TypeKey(t types.Type) string {
	t = types.Unalias(t)
	if types.IsInterface(t) {
		return ""
	}
	return "t:" + typeName(t)
}

// typeName spells t with every alias resolved, so that *os.PathError and
// *fs.PathError get one key.
func typeName(t types.Type) string {
	switch t := types.Unalias(t).(type) {
	case *types.Pointer:
		return "*" + typeName(t.Elem())
	case *types.Named:
		obj := t.Origin().Obj()
		name := obj.Name()
		if obj.Pkg() != nil {
			name = obj.Pkg().Path() + "." + name
		}
		if args := t.TypeArgs(); args != nil && args.Len() > 0 {
			name += "["
			for i := range args.Len() {
				if i > 0 {
					name += ","
				}
				name += typeName(args.At(i))
			}
			name += "]"
		}
		return name
	}
	return types.TypeString(t, nil)
}

// VarKey returns the key of a package-level variable.
func VarKey(v *types.Var) string {
	return "v:" + v.Pkg().Path() + "." + v.Name()
}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	r := &Result{
		pass:    pass,
		errType: types.Universe.Lookup("error").Type(),
		decls:   make(map[*types.Func]*ast.FuncDecl),
		done:    make(map[*types.Func]*Summary),
		busy:    make(map[*types.Func]bool),
		assigns: make(map[ast.Node]map[*types.Var][]ast.Expr),
		results: make(map[*ast.BlockStmt]*ast.FieldList),
	}
	var order []*types.Func
	for cur := range in.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if decl.Body != nil {
			r.results[decl.Body] = decl.Type.Results
		}
		if !ok || decl.Body == nil || !r.returnsError(fn) {
			continue
		}
		r.decls[fn] = decl
		order = append(order, fn)
	}
	for _, fn := range order {
		if s := r.Func(fn); s != nil && !s.empty() {
			pass.ExportObjectFact(fn, s)
		}
	}
	return r, nil
}

func (r *Result) returnsError(fn *types.Func) bool {
	res := fn.Signature().Results()
	for i := range res.Len() {
		if r.isErrorIface(res.At(i).Type()) {
			return true
		}
	}
	return false
}

func (r *Result) isErrorIface(t types.Type) bool {
	return types.Identical(t, r.errType)
}

func (r *Result) implementsError(t types.Type) bool {
	return t != nil && types.Implements(t, r.errType.Underlying().(*types.Interface))
}

// summarize computes the summary of a function from its return statements.
func (r *Result) summarize(decl *ast.FuncDecl) *Summary {
	s := new(Summary)
	sig := r.pass.TypesInfo.Defs[decl.Name].(*types.Func).Signature()
	res := sig.Results()
	var errIdx []int
	for i := range res.Len() {
		if r.isErrorIface(res.At(i).Type()) {
			errIdx = append(errIdx, i)
		}
	}
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			switch {
			case len(n.Results) == 0: // bare: the named results
				for _, i := range errIdx {
					v := res.At(i)
					r.evalVar(decl.Body, v, false, s, make(map[*types.Var]bool))
				}
			case len(n.Results) == res.Len():
				for _, i := range errIdx {
					r.eval(decl.Body, n.Results[i], false, s, make(map[*types.Var]bool))
				}
			case len(n.Results) == 1: // return f() with several results
				r.eval(decl.Body, n.Results[0], false, s, make(map[*types.Var]bool))
			}
		}
		return true
	})
	return s
}

// eval adds to s what the error value of e may be.
func (r *Result) eval(body *ast.BlockStmt, e ast.Expr, wrapped bool, s *Summary, seen map[*types.Var]bool) {
	info := r.pass.TypesInfo
	e = ast.Unparen(e)
	if e == zeroValue {
		return
	}
	add := func(key string) {
		if wrapped {
			s.addWrapped(key)
		} else {
			s.addDirect(key)
		}
	}
	unknown := func() {
		if wrapped {
			s.WrapsUnknown = true
		} else {
			s.PassesUnknown = true
		}
	}
	if tv, ok := info.Types[e]; ok && tv.IsNil() {
		return
	}
	// A value of a concrete error type is that type, whatever made it;
	// its Unwrap, if any, wraps what a literal puts in it.
	if t := info.TypeOf(e); t != nil && !types.IsInterface(t) {
		if _, isTuple := t.(*types.Tuple); !isTuple {
			if !r.implementsError(t) {
				return
			}
			add(TypeKey(t))
			if lit := compositeLit(e); lit != nil && hasUnwrap(t) {
				for _, elt := range lit.Elts {
					if kv, ok := elt.(*ast.KeyValueExpr); ok {
						elt = kv.Value
					}
					if et := info.TypeOf(elt); et != nil && r.implementsError(et) {
						r.eval(body, elt, true, s, seen)
					}
				}
			}
			if v := pkgVar(info, e); v != nil {
				add(VarKey(v))
			}
			return
		}
	}
	switch x := e.(type) {
	case *ast.Ident, *ast.SelectorExpr:
		if v := pkgVar(info, x); v != nil {
			add(VarKey(v))
			add("t:?")
			return
		}
		if id, ok := x.(*ast.Ident); ok {
			if v, ok := info.Uses[id].(*types.Var); ok && !v.IsField() {
				r.evalVar(body, v, wrapped, s, seen)
				return
			}
		}
		unknown()
	case *ast.CallExpr:
		r.evalCall(body, x, wrapped, s, seen)
	default:
		unknown()
	}
}

func compositeLit(e ast.Expr) *ast.CompositeLit {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	lit, _ := e.(*ast.CompositeLit)
	return lit
}

func hasUnwrap(t types.Type) bool {
	for _, tt := range []types.Type{t, types.NewPointer(t)} {
		ms := types.NewMethodSet(tt)
		for i := range ms.Len() {
			if ms.At(i).Obj().Name() == "Unwrap" {
				return true
			}
		}
	}
	return false
}

// pkgVar returns the package-level variable e names, or nil.
func pkgVar(info *types.Info, e ast.Expr) *types.Var {
	var id *ast.Ident
	switch x := e.(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	default:
		return nil
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
		return nil
	}
	return v
}

// evalVar follows a local variable through its assignments in body.
func (r *Result) evalVar(body *ast.BlockStmt, v *types.Var, wrapped bool, s *Summary, seen map[*types.Var]bool) {
	if seen[v] {
		return
	}
	seen[v] = true
	rhs, ok := r.assignments(body)[v]
	if ok && (v.Pos() < body.Pos() || v.Pos() >= body.End()) && !r.isResult(body, v) {
		// A parameter, or a variable of an enclosing function, also holds
		// what it came in with.
		ok = false
	}
	if !ok {
		// A parameter, a variable of an enclosing function, or one
		// assigned only through a pointer: unknown.
		if wrapped {
			s.WrapsUnknown = true
		} else {
			s.PassesUnknown = true
		}
		return
	}
	for _, e := range rhs {
		if e == nil {
			if wrapped {
				s.WrapsUnknown = true
			} else {
				s.PassesUnknown = true
			}
			continue
		}
		r.eval(body, e, wrapped, s, seen)
	}
}

// isResult reports whether v is a named result of the FuncDecl whose body
// is body: it starts as nil.
func (r *Result) isResult(body *ast.BlockStmt, v *types.Var) bool {
	fl := r.results[body]
	if fl == nil {
		return false
	}
	for _, f := range fl.List {
		for _, name := range f.Names {
			if r.pass.TypesInfo.Defs[name] == v {
				return true
			}
		}
	}
	return false
}

// assignments indexes, for the function whose body is body (func literals
// included), the expressions assigned to each local variable. A nil
// expression stands for a value of unknown origin: a range variable, a
// receive, a type-switch binding, an address taken.
func (r *Result) assignments(body *ast.BlockStmt) map[*types.Var][]ast.Expr {
	if m, ok := r.assigns[body]; ok {
		return m
	}
	info := r.pass.TypesInfo
	m := make(map[*types.Var][]ast.Expr)
	varOf := func(e ast.Expr) *types.Var {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return nil
		}
		obj := info.Defs[id]
		if obj == nil {
			obj = info.Uses[id]
		}
		v, _ := obj.(*types.Var)
		return v
	}
	assign := func(lhs []ast.Expr, rhs []ast.Expr) {
		for i, l := range lhs {
			v := varOf(l)
			if v == nil {
				continue
			}
			switch {
			case len(lhs) == len(rhs):
				m[v] = append(m[v], rhs[i])
			case len(rhs) == 1:
				if _, isCall := ast.Unparen(rhs[0]).(*ast.CallExpr); isCall {
					m[v] = append(m[v], rhs[0])
				} else {
					m[v] = append(m[v], nil) // v, ok := x.(T), <-ch, m[k]
				}
			}
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.ASSIGN || n.Tok == token.DEFINE {
				assign(n.Lhs, n.Rhs)
			} else {
				for _, l := range n.Lhs {
					if v := varOf(l); v != nil {
						m[v] = append(m[v], nil)
					}
				}
			}
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				lhs[i] = id
			}
			if len(n.Values) == 0 {
				for _, id := range n.Names {
					if v, ok := info.Defs[id].(*types.Var); ok {
						m[v] = append(m[v], zeroValue)
					}
				}
			}
			assign(lhs, n.Values)
		case *ast.RangeStmt:
			for _, l := range []ast.Expr{n.Key, n.Value} {
				if v := varOf(l); v != nil {
					m[v] = append(m[v], nil)
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if v := varOf(n.X); v != nil {
					m[v] = append(m[v], nil)
				}
			}
		case *ast.TypeSwitchStmt:
			// The symbolic variable of each clause is implicit.
			for _, cl := range n.Body.List {
				if obj, ok := info.Implicits[cl].(*types.Var); ok {
					m[obj] = append(m[obj], nil)
				}
			}
		}
		return true
	})
	r.assigns[body] = m
	return m
}

// zeroValue stands for the value of a variable declared without one: nil,
// for an error.
var zeroValue = ast.NewIdent("nil")

// evalCall adds what a call may return as its error.
func (r *Result) evalCall(body *ast.BlockStmt, call *ast.CallExpr, wrapped bool, s *Summary, seen map[*types.Var]bool) {
	info := r.pass.TypesInfo
	unknown := func() {
		if wrapped {
			s.WrapsUnknown = true
		} else {
			s.PassesUnknown = true
		}
	}
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		if len(call.Args) == 1 { // a conversion to an interface
			r.eval(body, call.Args[0], wrapped, s, seen)
			return
		}
		unknown()
		return
	}
	fn := staticCallee(info, call)
	if fn == nil {
		unknown()
		return
	}
	if fn.Pkg() != nil {
		switch fn.Pkg().Path() + "." + fn.Name() {
		case "errors.New":
			return // a fresh error: matches no sentinel and no named type
		case "errors.Join":
			for _, a := range call.Args {
				r.eval(body, a, true, s, seen)
			}
			return
		case "fmt.Errorf":
			if len(call.Args) == 0 {
				return
			}
			format, ok := constString(info, call.Args[0])
			if !ok {
				unknown()
				return
			}
			if !strings.Contains(format, "%w") {
				return // the arguments are formatted, not wrapped
			}
			for _, a := range call.Args[1:] {
				if t := info.TypeOf(a); t != nil && r.implementsError(t) {
					r.eval(body, a, true, s, seen)
				}
			}
			return
		}
	}
	sum := r.Func(fn)
	if sum == nil {
		if fn.Pkg() != r.pass.Pkg || r.decls[fn.Origin()] == nil {
			// A function of another package without a fact returns no
			// error we know of (no error results, or only nil), unless
			// it has no body here (assembly, linkname): unknown.
			if r.returnsError(fn) && fn.Pkg() == r.pass.Pkg {
				unknown()
			}
			return
		}
		unknown() // recursion within the package
		return
	}
	s.merge(sum, wrapped)
}

// staticCallee returns the function or concrete method a call invokes, or
// nil for a call through an interface or a function value.
func staticCallee(info *types.Info, call *ast.CallExpr) *types.Func {
	var id *ast.Ident
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		if sel, ok := info.Selections[f]; ok {
			if sel.Kind() != types.MethodVal || types.IsInterface(sel.Recv()) {
				return nil
			}
		}
		id = f.Sel
	case *ast.IndexExpr:
		return staticCallee(info, &ast.CallExpr{Fun: f.X})
	case *ast.IndexListExpr:
		return staticCallee(info, &ast.CallExpr{Fun: f.X})
	default:
		return nil
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok {
		return nil
	}
	if sig := fn.Signature(); sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
		return nil
	}
	return fn
}

func constString(info *types.Info, e ast.Expr) (string, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}
