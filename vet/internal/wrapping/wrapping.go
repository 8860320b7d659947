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
	"fmt"
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
	FactTypes:  []analysis.Fact{new(Summary), new(Alias), new(IsTargets)},
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
	PassesParams  []int    // indices of parameters returned as they are
	WrapsParams   []int    // indices of parameters returned wrapped
	PassesCalls   []int    // indices of function parameters whose call's error is returned as it is
	WrapsCalls    []int    // indices of function parameters whose call's error is returned wrapped
	// ParamExcl holds, for a parameter in WrapsParams, the sentinel keys
	// that guards rule out on every path that returns it wrapped.
	ParamExcl map[int][]string
}

// addWrapParam records that parameter i is returned wrapped, except for
// the keys excl that a guard rules out on this path.
func (s *Summary) addWrapParam(i int, excl []string) {
	if s.ParamExcl == nil {
		s.ParamExcl = make(map[int][]string)
	}
	if !slices.Contains(s.WrapsParams, i) {
		s.WrapsParams = append(s.WrapsParams, i)
		s.ParamExcl[i] = slices.Clone(excl)
		return
	}
	s.ParamExcl[i] = slices.DeleteFunc(s.ParamExcl[i], func(k string) bool { return !slices.Contains(excl, k) })
}

// AFact marks Summary as a fact.
func (*Summary) AFact() {}

// An Alias is the fact on a package-level error variable initialized to
// another one (var ErrNotExist = fs.ErrNotExist): both are the same value,
// so they share one key.
type Alias struct{ Key string }

// AFact marks Alias as a fact.
func (*Alias) AFact() {}

func (a *Alias) String() string { return "alias " + a.Key }

// IsTargets is the fact on an error type's Is method: the sentinels it
// reports a match for, or Any when it may match others (it compares with a
// field, or asks errors.Is).
type IsTargets struct {
	Keys []string
	Any  bool
}

// AFact marks IsTargets as a fact.
func (*IsTargets) AFact() {}

func (t *IsTargets) String() string {
	return fmt.Sprintf("is %v any=%v", t.Keys, t.Any)
}

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
			s.addWrapped(k)
		}
		for _, k := range o.Wrapped {
			s.addWrapped(k)
		}
		if o.PassesUnknown || o.WrapsUnknown {
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
	return len(s.Direct) == 0 && len(s.Wrapped) == 0 && !s.PassesUnknown && !s.WrapsUnknown &&
		len(s.PassesParams) == 0 && len(s.WrapsParams) == 0 && len(s.PassesCalls) == 0 && len(s.WrapsCalls) == 0
}

// Result answers questions about the errors of the package under analysis
// and of its dependencies.
type Result struct {
	pass    *analysis.Pass
	errType types.Type
	decls   map[*types.Func]*ast.FuncDecl
	done    map[*types.Func]*Summary
	busy    map[*types.Func]bool
	assigns map[ast.Node]map[*types.Var][]assignment // per function body
	excl    map[*types.Var][]string                  // keys a guard rules out, for the return being summarized
	results map[*ast.BlockStmt]*ast.FieldList        // a FuncDecl body's named results
	sigs    map[*ast.BlockStmt]*types.Signature      // a FuncDecl body's signature
	aliases map[*types.Var]string                    // this package's variables: canonical key
	inits   map[*types.Var]ast.Expr                  // this package's error variables' initializers
	isDone  map[*types.Func]*IsTargets
	isDecls map[*types.Func]*ast.FuncDecl
	cur     *types.Func // the function being summarized
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
	outer := r.cur
	r.cur = fn
	s := r.summarize(decl)
	r.cur = outer
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
	// At a use site the parameters' values are not known.
	if len(s.PassesParams) > 0 {
		s.PassesUnknown = true
	}
	if len(s.WrapsParams) > 0 || len(s.WrapsCalls) > 0 {
		s.WrapsUnknown = true
	}
	if len(s.PassesCalls) > 0 {
		s.PassesUnknown = true
	}
	s.PassesParams, s.WrapsParams, s.PassesCalls, s.WrapsCalls = nil, nil, nil, nil
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

// SentinelKey returns the key of a package-level error variable, the same
// for variables that hold the same value (var ErrX = other.ErrX).
func (r *Result) SentinelKey(v *types.Var) string {
	if v.Pkg() != r.pass.Pkg {
		var a Alias
		if r.pass.ImportObjectFact(v, &a) {
			return a.Key
		}
		return VarKey(v)
	}
	if key, ok := r.aliases[v]; ok {
		return key
	}
	r.aliases[v] = VarKey(v) // while computing, and for cycles
	if rhs := r.inits[v]; rhs != nil {
		t := new(Summary)
		r.eval(nil, rhs, false, t, make(map[*types.Var]bool))
		var keys []string
		for _, k := range t.Direct {
			if k != "t:?" && strings.HasPrefix(k, "v:") {
				keys = append(keys, k)
			}
		}
		if len(keys) == 1 && len(t.Wrapped) == 0 && !t.PassesUnknown && !t.WrapsUnknown {
			r.aliases[v] = keys[0]
		}
	}
	return r.aliases[v]
}

// isTargets returns what the Is method fn matches, or nil if it matches
// nothing.
func (r *Result) isTargets(fn *types.Func) *IsTargets {
	fn = fn.Origin()
	if t, ok := r.isDone[fn]; ok {
		return t
	}
	var t *IsTargets
	if fn.Pkg() != r.pass.Pkg {
		t = new(IsTargets)
		if !r.pass.ImportObjectFact(fn, t) {
			t = nil
		}
		r.isDone[fn] = t
		return t
	}
	r.isDone[fn] = nil
	decl := r.isDecls[fn]
	if decl == nil || decl.Type.Params == nil || len(decl.Type.Params.List) != 1 || len(decl.Type.Params.List[0].Names) != 1 {
		return nil
	}
	info := r.pass.TypesInfo
	target, _ := info.Defs[decl.Type.Params.List[0].Names[0]].(*types.Var)
	if target == nil {
		return nil
	}
	t = new(IsTargets)
	var stack []ast.Node
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, ok := n.(*ast.Ident)
		if !ok || info.Uses[id] != target {
			return true
		}
		// target == ErrX, or switch target { case ErrX: }.
		var others []ast.Expr
		switch p := stack[len(stack)-2].(type) {
		case *ast.BinaryExpr:
			if p.Op == token.EQL || p.Op == token.NEQ {
				others = []ast.Expr{p.X, p.Y}
			}
		case *ast.SwitchStmt:
			if p.Tag == id {
				for _, st := range p.Body.List {
					others = append(others, st.(*ast.CaseClause).List...)
				}
			}
		}
		if others == nil {
			t.Any = true
			return true
		}
		for _, o := range others {
			if o == ast.Expr(id) {
				continue
			}
			if tv, ok := info.Types[o]; ok && tv.IsNil() {
				continue
			}
			if v := pkgVar(info, ast.Unparen(o)); v != nil {
				t.Keys = append(t.Keys, r.SentinelKey(v))
			} else {
				t.Any = true
			}
		}
		return true
	})
	if len(t.Keys) == 0 && !t.Any {
		t = nil
	}
	r.isDone[fn] = t
	return t
}

// addTypeKey adds the key of the concrete error type t, and what errors.Is
// can match through t's Is method: reachable by errors.Is, never by ==.
func (r *Result) addTypeKey(t types.Type, wrapped bool, s *Summary) {
	if wrapped {
		s.addWrapped(TypeKey(t))
	} else {
		s.addDirect(TypeKey(t))
	}
	for _, tt := range []types.Type{t, types.NewPointer(t)} {
		obj, _, _ := types.LookupFieldOrMethod(tt, false, nil, "Is")
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		if it := r.isTargets(fn); it != nil {
			for _, k := range it.Keys {
				s.addWrapped(k)
			}
			if it.Any {
				s.WrapsUnknown = true
			}
		}
		return
	}
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
		assigns: make(map[ast.Node]map[*types.Var][]assignment),
		results: make(map[*ast.BlockStmt]*ast.FieldList),
		sigs:    make(map[*ast.BlockStmt]*types.Signature),
		aliases: make(map[*types.Var]string),
		inits:   make(map[*types.Var]ast.Expr),
		isDone:  make(map[*types.Func]*IsTargets),
		isDecls: make(map[*types.Func]*ast.FuncDecl),
	}
	for _, in := range pass.TypesInfo.InitOrder {
		if len(in.Lhs) == 1 && r.implementsError(in.Lhs[0].Type()) {
			r.inits[in.Lhs[0]] = in.Rhs
		}
	}
	var order []*types.Func
	for cur := range in.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if decl.Body != nil {
			r.results[decl.Body] = decl.Type.Results
			if ok {
				r.sigs[decl.Body] = fn.Signature()
			}
		}
		if !ok || decl.Body == nil || !r.returnsError(fn) {
			continue
		}
		r.decls[fn] = decl
		order = append(order, fn)
	}
	for cur := range in.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		if fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func); ok && decl.Recv != nil && decl.Name.Name == "Is" && decl.Body != nil {
			r.isDecls[fn] = decl
		}
	}
	for fn := range r.isDecls {
		if t := r.isTargets(fn); t != nil {
			pass.ExportObjectFact(fn, t)
		}
	}
	for v := range r.inits {
		if key := r.SentinelKey(v); key != VarKey(v) {
			pass.ExportObjectFact(v, &Alias{Key: key})
		}
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
	saved := r.excl
	defer func() { r.excl = saved }()
	var stack []ast.Node
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		stack = append(stack, n)
		ret, ok := n.(*ast.ReturnStmt)
		if !ok {
			return true
		}
		r.excl = r.guards(stack)
		seen := make(map[*types.Var]bool)
		switch {
		case len(ret.Results) == 0: // bare: the named results
			for _, i := range errIdx {
				r.evalVar(decl.Body, res.At(i), ret.Pos(), false, s, seen)
			}
		case len(ret.Results) == res.Len():
			for _, i := range errIdx {
				r.eval(decl.Body, ret.Results[i], false, s, seen)
			}
		case len(ret.Results) == 1: // return f() with several results
			r.eval(decl.Body, ret.Results[0], false, s, seen)
		}
		return true
	})
	return s
}

// guards returns, for the statement at the top of stack, the sentinel keys
// that the conditions leading to it rule out for each variable: it is in
// the body of "if v != S" (or of a conjunction holding it), in the else of
// "if v == S", or after an "if v == S { return }".
func (r *Result) guards(stack []ast.Node) map[*types.Var][]string {
	var out map[*types.Var][]string
	add := func(v *types.Var, key string) {
		if out == nil {
			out = make(map[*types.Var][]string)
		}
		out[v] = append(out[v], key)
	}
	for i := len(stack) - 2; i >= 0; i-- {
		child := stack[i+1]
		switch p := stack[i].(type) {
		case *ast.IfStmt:
			switch child {
			case p.Body:
				for _, c := range conjuncts(p.Cond, token.LAND) {
					if v, key, ok := r.sentinelTest(c, token.NEQ); ok {
						add(v, key)
					}
				}
			case p.Else:
				for _, c := range conjuncts(p.Cond, token.LOR) {
					if v, key, ok := r.sentinelTest(c, token.EQL); ok {
						add(v, key)
					}
				}
			}
		case *ast.BlockStmt:
			for _, st := range p.List {
				if st == child {
					break
				}
				ifs, ok := st.(*ast.IfStmt)
				if !ok || ifs.Else != nil || !terminates(ifs.Body) {
					continue
				}
				for _, c := range conjuncts(ifs.Cond, token.LOR) {
					if v, key, ok := r.sentinelTest(c, token.EQL); ok {
						add(v, key)
					}
				}
			}
		}
	}
	return out
}

// conjuncts splits e at the operator op (&& or ||).
func conjuncts(e ast.Expr, op token.Token) []ast.Expr {
	if b, ok := ast.Unparen(e).(*ast.BinaryExpr); ok && b.Op == op {
		return append(conjuncts(b.X, op), conjuncts(b.Y, op)...)
	}
	return []ast.Expr{e}
}

// sentinelTest matches "v op S" (either order) with v a variable and S a
// package-level variable.
func (r *Result) sentinelTest(e ast.Expr, op token.Token) (*types.Var, string, bool) {
	b, ok := ast.Unparen(e).(*ast.BinaryExpr)
	if !ok || b.Op != op {
		return nil, "", false
	}
	info := r.pass.TypesInfo
	for _, pair := range [2][2]ast.Expr{{b.X, b.Y}, {b.Y, b.X}} {
		id, ok := ast.Unparen(pair[0]).(*ast.Ident)
		if !ok {
			continue
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || pkgVar(info, id) != nil {
			continue
		}
		if s := pkgVar(info, ast.Unparen(pair[1])); s != nil {
			return v, r.SentinelKey(s), true
		}
	}
	return nil, "", false
}

// terminates reports whether a block ends in a return, a branch, or a
// panic.
func terminates(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	switch last := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return true
	case *ast.ExprStmt:
		if call, ok := last.X.(*ast.CallExpr); ok {
			if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "panic" {
				return true
			}
		}
	}
	return false
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
			r.addTypeKey(t, wrapped, s)
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
				add(r.SentinelKey(v))
			}
			return
		}
	}
	switch x := e.(type) {
	case *ast.Ident, *ast.SelectorExpr:
		if v := pkgVar(info, x); v != nil {
			add(r.SentinelKey(v))
			add("t:?")
			return
		}
		if id, ok := x.(*ast.Ident); ok {
			if v, ok := info.Uses[id].(*types.Var); ok && !v.IsField() {
				r.evalVar(body, v, x.Pos(), wrapped, s, seen)
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

// hasUnwrap reports whether errors.Is and errors.As look past a value of
// type t: it has an Unwrap method, or an Is method of its own.
func hasUnwrap(t types.Type) bool {
	for _, tt := range []types.Type{t, types.NewPointer(t)} {
		ms := types.NewMethodSet(tt)
		for i := range ms.Len() {
			if name := ms.At(i).Obj().Name(); name == "Unwrap" || name == "Is" {
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
func (r *Result) evalVar(body *ast.BlockStmt, v *types.Var, at token.Pos, wrapped bool, s *Summary, seen map[*types.Var]bool) {
	if seen[v] {
		return
	}
	if body == nil { // a package-level initializer has no locals
		if wrapped {
			s.WrapsUnknown = true
		} else {
			s.PassesUnknown = true
		}
		return
	}
	if keys := r.excl[v]; len(keys) > 0 {
		// A guard rules some keys out for v here: evaluate apart, drop
		// them, keep the rest.
		excl := r.excl
		r.excl = nil
		t := new(Summary)
		r.evalVar(body, v, at, wrapped, t, seen)
		r.excl = excl
		t.Direct = slices.DeleteFunc(t.Direct, func(k string) bool { return slices.Contains(keys, k) })
		t.Wrapped = slices.DeleteFunc(t.Wrapped, func(k string) bool { return slices.Contains(keys, k) })
		s.merge(t, false)
		for _, i := range t.PassesParams {
			s.PassesParams = addInt(s.PassesParams, i)
		}
		for _, i := range t.WrapsParams {
			s.addWrapParam(i, append(slices.Clone(t.ParamExcl[i]), keys...))
		}
		return
	}
	seen[v] = true
	defer delete(seen, v)
	unknown := func() {
		if wrapped {
			s.WrapsUnknown = true
		} else {
			s.PassesUnknown = true
		}
	}
	list := r.assignments(body)[v]
	// The values that may reach at: walking back from at, every
	// assignment in a branch at is not in, up to and with the first one
	// in a block that holds at (an approximation of reaching definitions
	// that follows Go's straight-line error handling).
	reached := false
	for i := len(list) - 1; i >= 0; i-- {
		a := list[i]
		if a.addr {
			unknown()
			return
		}
		if a.pos >= at {
			continue
		}
		if a.expr == nil {
			unknown()
		} else {
			r.eval(body, a.expr, wrapped, s, seen)
		}
		// An assignment in a func literal that does not hold at may or
		// may not have run: it never hides the earlier ones.
		inLit := a.lit == nil || a.lit.Pos() <= at && at < a.lit.End()
		if inLit && a.scope.Pos() <= at && at < a.scope.End() {
			reached = true
			break
		}
	}
	if reached {
		return
	}
	if (v.Pos() < body.Pos() || v.Pos() >= body.End()) && !r.isResult(body, v) {
		// A parameter or a variable of an enclosing function holds what
		// it came in with: for a parameter the caller knows what that is.
		if i := r.paramIndex(body, v); i >= 0 {
			if wrapped {
				s.addWrapParam(i, nil)
			} else {
				s.PassesParams = addInt(s.PassesParams, i)
			}
		} else {
			unknown()
		}
	}
}

func addInt(list []int, i int) []int {
	if slices.Contains(list, i) {
		return list
	}
	return append(list, i)
}

// paramIndex returns the index of v among the parameters of the FuncDecl
// whose body is body, or -1.
func (r *Result) paramIndex(body *ast.BlockStmt, v *types.Var) int {
	sig := r.sigs[body]
	if sig == nil {
		return -1
	}
	for i := range sig.Params().Len() {
		if sig.Params().At(i) == v {
			return i
		}
	}
	return -1
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

// An assignment is one value a local variable gets.
type assignment struct {
	pos   token.Pos
	expr  ast.Expr     // nil: a value of unknown origin (range, receive, comma-ok)
	scope ast.Node     // the innermost block or clause holding the assignment
	lit   *ast.FuncLit // the innermost func literal holding it, or nil
	addr  bool         // the variable's address is taken: any value, anywhere
}

// assignments indexes, for the function whose body is body (func literals
// included), the values assigned to each local variable, in source order.
func (r *Result) assignments(body *ast.BlockStmt) map[*types.Var][]assignment {
	if m, ok := r.assigns[body]; ok {
		return m
	}
	info := r.pass.TypesInfo
	m := make(map[*types.Var][]assignment)
	var scopes []ast.Node
	var lits []*ast.FuncLit
	add := func(v *types.Var, pos token.Pos, e ast.Expr, addr bool) {
		a := assignment{pos: pos, expr: e, scope: scopes[len(scopes)-1], addr: addr}
		if len(lits) > 0 {
			a.lit = lits[len(lits)-1]
		}
		m[v] = append(m[v], a)
	}
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
	assign := func(pos token.Pos, lhs []ast.Expr, rhs []ast.Expr) {
		for i, l := range lhs {
			v := varOf(l)
			if v == nil {
				continue
			}
			switch {
			case len(lhs) == len(rhs):
				add(v, pos, rhs[i], false)
			case len(rhs) == 1:
				if _, isCall := ast.Unparen(rhs[0]).(*ast.CallExpr); isCall {
					add(v, pos, rhs[0], false)
				} else {
					add(v, pos, nil, false) // v, ok := x.(T), <-ch, m[k]
				}
			}
		}
	}
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch top.(type) {
			case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
				scopes = scopes[:len(scopes)-1]
			case *ast.FuncLit:
				lits = lits[:len(lits)-1]
			}
			return true
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
			scopes = append(scopes, n)
		case *ast.FuncLit:
			lits = append(lits, n)
		case *ast.AssignStmt:
			if n.Tok == token.ASSIGN || n.Tok == token.DEFINE {
				assign(n.Pos(), n.Lhs, n.Rhs)
			} else {
				for _, l := range n.Lhs {
					if v := varOf(l); v != nil {
						add(v, n.Pos(), nil, false)
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
						add(v, n.Pos(), zeroValue, false)
					}
				}
			}
			assign(n.Pos(), lhs, n.Values)
		case *ast.RangeStmt:
			for _, l := range []ast.Expr{n.Key, n.Value} {
				if v := varOf(l); v != nil {
					add(v, n.Pos(), nil, false)
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if v := varOf(n.X); v != nil {
					add(v, n.Pos(), nil, true)
				}
			}
		case *ast.TypeSwitchStmt:
			// The symbolic variable of each clause is implicit.
			for _, cl := range n.Body.List {
				if obj, ok := info.Implicits[cl].(*types.Var); ok {
					m[obj] = append(m[obj], assignment{pos: cl.Pos(), scope: cl})
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
		// A call of a function parameter: the caller knows the function.
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && body != nil {
			if v, ok := info.Uses[id].(*types.Var); ok && len(r.assignments(body)[v]) == 0 {
				if i := r.paramIndex(body, v); i >= 0 {
					if wrapped {
						s.WrapsCalls = addInt(s.WrapsCalls, i)
					} else {
						s.PassesCalls = addInt(s.PassesCalls, i)
					}
					return
				}
			}
		}
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
			if !wrapsVerb(info, call.Args[0]) {
				return // a new error: the arguments are formatted, not wrapped
			}
			args := call.Args[1:]
			// fmt.Errorf(format, append(args, err)...)
			if call.Ellipsis.IsValid() && len(args) > 0 {
				if app, ok := ast.Unparen(args[len(args)-1]).(*ast.CallExpr); ok {
					if id, ok := ast.Unparen(app.Fun).(*ast.Ident); ok {
						if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "append" && len(app.Args) > 0 {
							args = append(args[:len(args)-1:len(args)-1], app.Args[1:]...)
						}
					}
				}
			}
			for _, a := range args {
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
		if fn.Origin() == r.cur {
			return // a function's own result: its other returns say what it is
		}
		unknown() // mutual recursion within the package
		return
	}
	s.merge(sum, wrapped)
	// What the callee returns of its parameters is what the caller passed.
	sig := fn.Signature()
	apply := func(list []int, wrap bool) {
		for _, i := range list {
			for j, a := range call.Args {
				if j != i && !(sig.Variadic() && i == sig.Params().Len()-1 && j > i) {
					continue
				}
				excl := sum.ParamExcl[i]
				if !wrap || len(excl) == 0 {
					r.eval(body, a, wrap, s, seen)
					continue
				}
				t := new(Summary)
				r.eval(body, a, wrap, t, seen)
				t.Wrapped = slices.DeleteFunc(t.Wrapped, func(k string) bool { return slices.Contains(excl, k) })
				s.merge(t, false)
				for _, p := range t.PassesParams {
					s.PassesParams = addInt(s.PassesParams, p)
				}
				for _, p := range t.WrapsParams {
					s.addWrapParam(p, t.ParamExcl[p])
				}
			}
		}
	}
	apply(sum.PassesParams, wrapped)
	apply(sum.WrapsParams, true)
	calls := func(list []int, wrap bool) {
		for _, i := range list {
			if i < len(call.Args) {
				r.evalFunc(body, call.Args[i], wrap, s, seen)
			}
		}
	}
	calls(sum.PassesCalls, wrapped)
	calls(sum.WrapsCalls, true)
}

// evalFunc adds what calling the function value e may return as its
// error: a func literal's returns, or a named function's summary.
func (r *Result) evalFunc(body *ast.BlockStmt, e ast.Expr, wrapped bool, s *Summary, seen map[*types.Var]bool) {
	info := r.pass.TypesInfo
	unknown := func() {
		if wrapped {
			s.WrapsUnknown = true
		} else {
			s.PassesUnknown = true
		}
	}
	switch f := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		sig, ok := info.TypeOf(f).(*types.Signature)
		if !ok || body == nil {
			unknown()
			return
		}
		idx := -1
		for i := range sig.Results().Len() {
			if r.isErrorIface(sig.Results().At(i).Type()) {
				idx = i
			}
		}
		if idx < 0 {
			return
		}
		ast.Inspect(f.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				switch {
				case len(n.Results) == sig.Results().Len():
					r.eval(body, n.Results[idx], wrapped, s, seen)
				case len(n.Results) == 1:
					r.eval(body, n.Results[0], wrapped, s, seen)
				default:
					unknown()
				}
			}
			return true
		})
	case *ast.Ident, *ast.SelectorExpr:
		var id *ast.Ident
		if sel, ok := f.(*ast.SelectorExpr); ok {
			id = sel.Sel
		} else {
			id = f.(*ast.Ident)
		}
		fn, ok := info.Uses[id].(*types.Func)
		if !ok {
			unknown()
			return
		}
		if sum := r.Func(fn); sum != nil {
			s.merge(sum, wrapped)
			if len(sum.PassesParams)+len(sum.WrapsParams)+len(sum.PassesCalls)+len(sum.WrapsCalls) > 0 {
				unknown() // its arguments are not known here
			}
		}
	default:
		unknown()
	}
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

// wrapsVerb reports whether a format has a %w verb: a constant holding
// one, or a concatenation with a constant part holding one.
func wrapsVerb(info *types.Info, e ast.Expr) bool {
	if f, ok := constString(info, e); ok {
		return strings.Contains(f, "%w")
	}
	if b, ok := ast.Unparen(e).(*ast.BinaryExpr); ok && b.Op == token.ADD {
		return wrapsVerb(info, b.X) || wrapsVerb(info, b.Y)
	}
	return false
}

func constString(info *types.Info, e ast.Expr) (string, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}
