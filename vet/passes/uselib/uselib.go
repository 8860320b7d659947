// Package uselib defines an Analyzer that suggests this library's
// primitives where code builds them by hand.
//
// # Analyzer uselib
//
// uselib: suggest task, cleanup and typed where code hand-rolls what they do
//
// Opt-in. It answers rows C3 (containers that hand out any), A3 (WaitGroup
// bookkeeping) and B8 (a release that must run once) of the catalogue with
// rewrites, for four shapes it recognizes exactly:
//
//   - an unexported sync.Map (field or variable) used only through its
//     methods, whose every Store, LoadOrStore and Swap stores keys of one
//     type K and values of one type V: typed.Map[K, V] needs no assertion at
//     each Load, and does not box;
//   - an unexported atomic.Value used only through its methods, whose every
//     Store, Swap and CompareAndSwap stores one type T: typed.Value[T]
//     cannot panic on an inconsistently typed value;
//   - a function that starts goroutines which record the first error into
//     a local variable under a local mutex, waits on a local WaitGroup and
//     returns that variable: task.Group (an errgroup drop-in) does it all,
//     and cancels the others on the first error with WithContext;
//   - a method that runs "x.once.Do(func() { x.err = f() })" and returns
//     x.err: cleanup.Releaser runs f once, gives every caller its error,
//     lets waiters block on Done, and reports a panic instead of leaving a
//     Once that never ran.
//
// These are not bugs, so the check is off by default; _test.go files are
// skipped, since tests use the standard types on purpose. The URL points at the
// row of the catalogue each suggestion answers.
//
// https://github.com/boundgo/bound#c3
package uselib

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

const doc = `suggest task, cleanup and typed where code hand-rolls what they do

Opt-in; these are rewrites, not bugs. Four shapes: an unexported sync.Map
that only ever stores K keys and V values (typed.Map[K, V]); an unexported
atomic.Value that only ever stores one type T (typed.Value[T]); goroutines
that record the first error under a mutex, a WaitGroup and a return of that
error (task.Group); "once.Do(func() { x.err = f() })" then "return x.err"
(cleanup.Releaser). All from github.com/boundgo/bound.

` + "https://github.com/boundgo/bound#c3"

// Analyzer is the uselib check.
var Analyzer = &analysis.Analyzer{
	Name:     "uselib",
	Doc:      doc,
	URL:      report.URL("C3"),
	Run:      run,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	u := &checker{
		pass: pass,
		rC3:  report.New(pass, "C3"),
		rA3:  report.New(pass, "A3"),
		rB8:  report.New(pass, "B8"),
		uses: make(map[*types.Var]*containerUse),
	}
	u.containers(in)
	for cur := range in.Root().Preorder((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		if u.inTest(cur.Node()) {
			continue
		}
		var body *ast.BlockStmt
		switch f := cur.Node().(type) {
		case *ast.FuncDecl:
			body = f.Body
		case *ast.FuncLit:
			body = f.Body
		}
		if body != nil {
			u.firstError(body)
			u.onceRelease(body)
		}
	}
	return nil, nil
}

type checker struct {
	pass          *analysis.Pass
	rC3, rA3, rB8 *report.Reporter
	uses          map[*types.Var]*containerUse
}

// containerUse gathers how a sync.Map or atomic.Value is used.
type containerUse struct {
	kind   string // "Map" or "Value"
	decl   ast.Node
	other  bool // used other than as the receiver of a method call
	keys   []types.Type
	values []types.Type
}

func isSyncType(t types.Type, pkg, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}

// containers finds the package's unexported sync.Map and atomic.Value
// fields and variables, records every use, and reports those with one key
// type and one value type.
func (u *checker) containers(in *inspector.Inspector) {
	info := u.pass.TypesInfo
	// Declarations.
	for id, obj := range info.Defs {
		v, ok := obj.(*types.Var)
		if !ok || id.Name == "_" || v.Exported() && (v.IsField() || v.Parent() == v.Pkg().Scope()) {
			continue
		}
		switch {
		case isSyncType(v.Type(), "sync", "Map"):
			u.uses[v] = &containerUse{kind: "Map", decl: id}
		case isSyncType(v.Type(), "sync/atomic", "Value"):
			u.uses[v] = &containerUse{kind: "Value", decl: id}
		}
	}
	if len(u.uses) == 0 {
		return
	}
	// Uses.
	for cur := range in.Root().Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		v, ok := info.Uses[id].(*types.Var)
		if !ok {
			continue
		}
		cu := u.uses[v]
		if cu == nil {
			continue
		}
		// The identifier, or the field selection it ends, must be the
		// receiver of a method call.
		expr := cur
		if sel, ok := cur.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel == id {
			expr = cur.Parent()
		}
		sel, ok := expr.Parent().Node().(*ast.SelectorExpr)
		if !ok || sel.X != expr.Node() {
			cu.other = true
			continue
		}
		call, ok := expr.Parent().Parent().Node().(*ast.CallExpr)
		if !ok || call.Fun != sel {
			cu.other = true // a method value, or a field of the container
			continue
		}
		switch cu.kind + "." + sel.Sel.Name {
		case "Map.Store", "Map.LoadOrStore", "Map.Swap":
			cu.keys = append(cu.keys, info.TypeOf(call.Args[0]))
			cu.values = append(cu.values, info.TypeOf(call.Args[1]))
		case "Map.CompareAndSwap":
			cu.keys = append(cu.keys, info.TypeOf(call.Args[0]))
			cu.values = append(cu.values, info.TypeOf(call.Args[2]))
		case "Value.Store", "Value.Swap":
			cu.values = append(cu.values, info.TypeOf(call.Args[0]))
		case "Value.CompareAndSwap":
			cu.values = append(cu.values, info.TypeOf(call.Args[1]))
		}
	}
	for _, cu := range u.uses {
		if cu.other || len(cu.values) == 0 || u.inTest(cu.decl) {
			continue
		}
		v, ok := one(cu.values)
		if !ok {
			continue
		}
		switch cu.kind {
		case "Map":
			k, ok := one(cu.keys)
			if !ok || !types.Comparable(k) {
				continue
			}
			u.rC3.Reportf(cu.decl, "sync.Map that only stores %s keys and %s values: typed.Map[%s, %s] (github.com/boundgo/bound/typed) needs no assertion at each Load and does not box",
				u.typeString(k), u.typeString(v), u.typeString(k), u.typeString(v))
		case "Value":
			u.rC3.Reportf(cu.decl, "atomic.Value that only stores %s: typed.Value[%s] (github.com/boundgo/bound/typed) needs no assertion and cannot panic on a value of another type",
				u.typeString(v), u.typeString(v))
		}
	}
}

// one returns the type all of ts share, if it is concrete (not an
// interface, not untyped nil).
func one(ts []types.Type) (types.Type, bool) {
	var first types.Type
	for _, t := range ts {
		if t == nil || types.IsInterface(t) {
			return nil, false
		}
		if b, ok := t.(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
			return nil, false
		}
		if first == nil {
			first = t
		} else if !types.Identical(first, t) {
			return nil, false
		}
	}
	return first, first != nil
}

func (u *checker) typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p == u.pass.Pkg {
			return ""
		}
		return p.Name()
	})
}

// firstError reports a local error variable that goroutines set under a
// local mutex, returned after a local WaitGroup's Wait.
func (u *checker) firstError(body *ast.BlockStmt) {
	info := u.pass.TypesInfo
	errType := types.Universe.Lookup("error").Type()
	locals := func(pred func(types.Type) bool) map[*types.Var]*ast.Ident {
		m := make(map[*types.Var]*ast.Ident)
		for _, st := range body.List {
			ds, ok := st.(*ast.DeclStmt)
			if !ok {
				continue
			}
			gd := ds.Decl.(*ast.GenDecl)
			for _, sp := range gd.Specs {
				vs, ok := sp.(*ast.ValueSpec)
				if !ok || len(vs.Values) != 0 {
					continue
				}
				for _, id := range vs.Names {
					if v, ok := info.Defs[id].(*types.Var); ok && pred(v.Type()) {
						m[v] = id
					}
				}
			}
		}
		return m
	}
	wgs := locals(func(t types.Type) bool { return isSyncType(t, "sync", "WaitGroup") })
	if len(wgs) == 0 {
		return
	}
	mus := locals(func(t types.Type) bool { return isSyncType(t, "sync", "Mutex") })
	errs := locals(func(t types.Type) bool { return types.Identical(t, errType) })
	if len(mus) == 0 || len(errs) == 0 {
		return
	}
	// A go statement whose func literal assigns an error variable between
	// Lock and Unlock of a local mutex.
	var target *types.Var
	for _, st := range body.List {
		ast.Inspect(st, func(n ast.Node) bool {
			g, ok := n.(*ast.GoStmt)
			if !ok || target != nil {
				return target == nil
			}
			lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit)
			if !ok {
				return true
			}
			locked := false
			ast.Inspect(lit.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok {
						if id, ok := sel.X.(*ast.Ident); ok {
							if v, ok := info.Uses[id].(*types.Var); ok && mus[v] != nil {
								locked = sel.Sel.Name == "Lock" || locked && sel.Sel.Name != "Unlock"
							}
						}
					}
				case *ast.AssignStmt:
					if !locked || n.Tok != token.ASSIGN {
						break
					}
					for _, l := range n.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							if v, ok := info.Uses[id].(*types.Var); ok && errs[v] != nil {
								target = v
							}
						}
					}
				}
				return true
			})
			return true
		})
	}
	if target == nil {
		return
	}
	// Then Wait on a local WaitGroup, and return the variable.
	waited := false
	for _, st := range body.List {
		switch st := st.(type) {
		case *ast.ExprStmt:
			if call, ok := st.X.(*ast.CallExpr); ok {
				if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Wait" {
					if id, ok := sel.X.(*ast.Ident); ok {
						if v, ok := info.Uses[id].(*types.Var); ok && wgs[v] != nil {
							waited = true
						}
					}
				}
			}
		case *ast.ReturnStmt:
			if !waited {
				continue
			}
			for _, r := range st.Results {
				if id, ok := r.(*ast.Ident); ok && info.Uses[id] == target {
					u.rA3.Reportf(errs[target], "WaitGroup, Mutex and first error %s kept by hand: task.Group (github.com/boundgo/bound/task, an errgroup drop-in) does this: g.Go(func() error {...}); return g.Wait()", target.Name())
					return
				}
			}
		}
	}
}

// onceRelease reports "x.once.Do(func() { x.err = f() })" followed by
// "return x.err" in the same body.
func (u *checker) onceRelease(body *ast.BlockStmt) {
	info := u.pass.TypesInfo
	for i, st := range body.List {
		es, ok := st.(*ast.ExprStmt)
		if !ok {
			continue
		}
		call, ok := es.X.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			continue
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Do" || !isSyncType(derefType(info.TypeOf(sel.X)), "sync", "Once") {
			continue
		}
		lit, ok := call.Args[0].(*ast.FuncLit)
		if !ok {
			continue
		}
		// The literal stores the result of a call in an error field.
		var stored *types.Var
		for _, s := range lit.Body.List {
			as, ok := s.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
				continue
			}
			if _, isCall := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); !isCall {
				continue
			}
			if fs, ok := as.Lhs[0].(*ast.SelectorExpr); ok {
				if s, ok := info.Selections[fs]; ok && s.Kind() == types.FieldVal {
					if f := s.Obj().(*types.Var); types.Identical(f.Type(), types.Universe.Lookup("error").Type()) {
						stored = f
					}
				}
			}
		}
		if stored == nil {
			continue
		}
		for _, next := range body.List[i+1:] {
			ret, ok := next.(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				continue
			}
			if fs, ok := ret.Results[0].(*ast.SelectorExpr); ok {
				if s, ok := info.Selections[fs]; ok && s.Obj() == stored {
					u.rB8.Reportf(call, "sync.Once that runs a release and keeps its error in %s: cleanup.Releaser (github.com/boundgo/bound/cleanup) runs it once, gives every caller the error, lets waiters block on Done and keeps a panic as an error", stored.Name())
					break
				}
			}
		}
	}
}

// inTest reports whether n is in a _test.go file: tests use the standard
// types on purpose, as oracles and as the baseline of benchmarks.
func (u *checker) inTest(n ast.Node) bool {
	return strings.HasSuffix(u.pass.Fset.Position(n.Pos()).Filename, "_test.go")
}

func derefType(t types.Type) types.Type {
	if p, ok := t.(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}
