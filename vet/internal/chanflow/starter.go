package chanflow

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// A Starter is a function that runs some of its func parameters in a new
// goroutine, as a go statement would: a project's own "safe go" wrapper
// that recovers panics or counts goroutines (weaviate's GoWrapper,
// ants-style pools, helpers named Go or Spawn). It is exported as a fact,
// so that a func literal handed to a starter in another package is judged
// as a goroutine.
type Starter struct {
	Params []int // indices of the func parameters it starts, receiver excluded
}

// AFact marks Starter as an analysis fact.
func (*Starter) AFact() {}

func (s *Starter) String() string {
	var b strings.Builder
	b.WriteString("starter(")
	for i, p := range s.Params {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "p%d", p)
	}
	b.WriteString(")")
	return b.String()
}

// findStarters records and exports the functions of the package that run
// a func parameter in a go statement: "go f()" or "go func() { ...; f() }()"
// with f the parameter, called directly in the goroutine's body.
func (r *Result) findStarters(in *inspector.Inspector) {
	for cur := range in.Root().Preorder((*ast.FuncDecl)(nil)) {
		decl := cur.Node().(*ast.FuncDecl)
		if decl.Body == nil {
			continue
		}
		fn, ok := r.pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if !ok {
			continue
		}
		params := make(map[*types.Var]int)
		sig := fn.Signature()
		for i := range sig.Params().Len() {
			p := sig.Params().At(i)
			if _, ok := p.Type().Underlying().(*types.Signature); ok {
				params[p] = i
			}
		}
		if len(params) == 0 {
			continue
		}
		var started []int
		ast.Inspect(decl.Body, func(n ast.Node) bool {
			g, ok := n.(*ast.GoStmt)
			if !ok {
				return true
			}
			if i, ok := r.paramCalled(g.Call, params); ok {
				started = append(started, i)
			}
			if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
				ast.Inspect(lit.Body, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.FuncLit:
						return false // a closure: when it runs is not known
					case *ast.CallExpr:
						if i, ok := r.paramCalled(n, params); ok {
							started = append(started, i)
						}
					}
					return true
				})
			}
			return true
		})
		if len(started) == 0 {
			continue
		}
		slices.Sort(started)
		s := &Starter{Params: slices.Compact(started)}
		r.starters[fn] = s
		r.pass.ExportObjectFact(fn, s)
	}
}

// paramCalled returns the index of the func parameter that call calls.
func (r *Result) paramCalled(call *ast.CallExpr, params map[*types.Var]int) (int, bool) {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return 0, false
	}
	v, ok := r.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return 0, false
	}
	i, ok := params[v]
	return i, ok
}

// starts reports whether the call runs its argument arg (a func literal)
// in a new goroutine: a known group's Go method, or a starter of this
// package or, by fact, of another.
func (r *Result) starts(call *ast.CallExpr, arg int) bool {
	fn := typeutil.StaticCallee(r.pass.TypesInfo, call)
	if fn == nil {
		return false
	}
	if isStarter(fn) {
		return true
	}
	if call.Ellipsis != token.NoPos {
		return false
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := r.pass.TypesInfo.Selections[sel]; ok && s.Kind() == types.MethodExpr {
			arg-- // the receiver comes first
		}
	}
	fn = fn.Origin()
	s, ok := r.starters[fn]
	if !ok && fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg {
		r.mu.Lock()
		s, ok = r.importedStarters[fn]
		if !ok {
			f := new(Starter)
			if r.pass.ImportObjectFact(fn, f) {
				s = f
			}
			r.importedStarters[fn] = s
		}
		r.mu.Unlock()
	}
	return s != nil && slices.Contains(s.Params, arg)
}

var _ analysis.Fact = (*Starter)(nil)
