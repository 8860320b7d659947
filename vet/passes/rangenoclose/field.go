package rangenoclose

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"github.com/boundgo/bound/vet/internal/chanflow"
	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"
)

// A fieldChan gathers what the package does with one unexported channel
// field of a struct type it declares. An unexported field can only be
// named in its own package, so when every mention is understood, the
// package's code is all the code that can close it.
type fieldChan struct {
	field   *types.Var
	rangers []*chanflow.Use // ranges that wait for close
	closes  []inspector.Cursor
	sends   int
	unknown bool        // a mention this cannot follow: someone else may close it
	lits    []token.Pos // the struct literals that give the field a channel
}

// checkFields reports a range over a channel held in an unexported struct
// field when the package sends on that field and nothing closes it: no
// close of the field anywhere, or only closes that run after such a range
// has ended (which needs the close first). The field must only ever be
// given channels the package makes itself, and be used in no way that
// could hand the channel to code that closes it.
func checkFields(pass *analysis.Pass, flow *chanflow.Result, rep *report.Reporter) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)

	// Most packages declare no unexported channel field: find those
	// first, and walk the selectors only when there are some.
	fields := make(map[*types.Var]*fieldChan)
	var order []*fieldChan
	for id, obj := range pass.TypesInfo.Defs {
		f, ok := obj.(*types.Var)
		if !ok || !f.IsField() || f.Exported() || id.Name == "_" {
			continue
		}
		if ch, ok := f.Type().Underlying().(*types.Chan); !ok || ch.Dir() != types.SendRecv {
			continue
		}
		fc := &fieldChan{field: f}
		fields[f] = fc
		order = append(order, fc)
	}
	if len(fields) == 0 {
		return
	}
	slices.SortFunc(order, func(a, b *fieldChan) int { return cmp.Compare(a.field.Pos(), b.field.Pos()) })
	for cur := range in.Root().Preorder((*ast.SelectorExpr)(nil), (*ast.CompositeLit)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.SelectorExpr:
			sel, ok := pass.TypesInfo.Selections[n]
			if !ok || sel.Kind() != types.FieldVal {
				continue
			}
			f, _ := sel.Obj().(*types.Var)
			fc := fields[f.Origin()]
			if fc == nil {
				continue
			}
			fieldUse(pass, flow, fc, cur)
		case *ast.CompositeLit:
			compositeUse(pass, fields, n)
		}
	}

	var globals *globalInits
	for _, fc := range order {
		if fc.unknown || fc.sends == 0 || len(fc.rangers) == 0 {
			continue
		}
		if globals == nil {
			globals = newGlobalInits(pass)
		}
		if globals.singleton(fc.lits) {
			// Made once, for a package variable (go-ethereum's
			// SenderCacher, behind a sync.OnceValue): a pool of
			// workers that lives as long as the process, by design.
			continue
		}
		var late []*chanflow.Use // ranges that a close waits behind
		ok := true
		for _, c := range fc.closes {
			r := closedAfter(flow, fc.rangers, c)
			if r == nil {
				ok = false
				break
			}
			late = append(late, r)
		}
		if !ok {
			continue
		}
		name := fc.field.Name()
		for _, u := range fc.rangers {
			if u.Kind != chanflow.KindRange {
				msg := fmt.Sprintf("%s ranges over the field %s until it is closed, but nothing in this package closes it: it blocks forever once the senders stop (close %s where its owner shuts down, after the last send, or use chanx.Produce)", chanflow.Name(u.Callee), name, name)
				rep.Report(analysis.Diagnostic{Pos: u.Op.Pos(), End: u.Op.End(), Message: msg})
				continue
			}
			what := exprString(pass, u.Op.(*ast.RangeStmt).X)
			msg := fmt.Sprintf("for range %s waits for the field %s to be closed, but nothing in this package closes it: the loop, and the goroutine running it, blocks forever once the senders stop (close %s where its owner shuts down, after the last send, or use chanx.Produce)", what, name, name)
			if len(late) > 0 {
				msg = fmt.Sprintf("for range %s waits for the field %s to be closed, but the only close of %s runs after such a loop has ended, which needs that close first: the loop blocks forever once the senders stop (close %s where the senders stop, before ranging over it, or drain it with a counted loop of len(%s))", what, name, name, name, what)
			}
			rep.Report(analysis.Diagnostic{Pos: u.Op.Pos(), End: opEnd(u), Message: msg})
		}
	}
}

// fieldUse classifies the mention of fc's field at cur, a selector.
func fieldUse(pass *analysis.Pass, flow *chanflow.Result, fc *fieldChan, cur inspector.Cursor) {
	e := cur
	for {
		if _, ok := e.Parent().Node().(*ast.ParenExpr); !ok {
			break
		}
		e = e.Parent()
	}
	p := e.Parent()
	ek, idx := e.ParentEdge()
	switch pn := p.Node().(type) {
	case *ast.RangeStmt:
		if ek == edge.RangeStmt_X {
			xc, _ := cur.FindNode(pn.X)
			u := &chanflow.Use{Kind: chanflow.KindRange, Op: pn, Cur: xc, Func: chanflow.EnclosingFunc(p)}
			if u.Func != nil && !hasOwnExit(pass.TypesInfo, u) && repeats(flow, u) {
				fc.rangers = append(fc.rangers, u)
			}
			return
		}
	case *ast.SendStmt:
		if ek == edge.SendStmt_Chan {
			fc.sends++
			return
		}
	case *ast.UnaryExpr:
		if pn.Op == token.ARROW {
			return // a receive
		}
	case *ast.BinaryExpr:
		if pn.Op == token.EQL || pn.Op == token.NEQ {
			return
		}
	case *ast.AssignStmt:
		if ek == edge.AssignStmt_Lhs {
			if pn.Tok == token.ASSIGN && len(pn.Lhs) == len(pn.Rhs) && madeHere(pass, pn.Rhs[idx]) {
				return
			}
		} else if ek == edge.AssignStmt_Rhs && len(pn.Lhs) == len(pn.Rhs) && isBlank(pn.Lhs[idx]) {
			return
		}
	case *ast.CallExpr:
		if ek != edge.CallExpr_Args {
			break
		}
		if id, ok := ast.Unparen(pn.Fun).(*ast.Ident); ok {
			if b, ok := pass.TypesInfo.Uses[id].(*types.Builtin); ok {
				switch b.Name() {
				case "close":
					fc.closes = append(fc.closes, p)
					return
				case "len", "cap":
					return
				}
			}
		}
		// A callee known to neither close nor keep the channel.
		fn := typeutil.StaticCallee(pass.TypesInfo, pn)
		if fn == nil || pn.Ellipsis != token.NoPos {
			break
		}
		param := idx
		if sel, ok := ast.Unparen(pn.Fun).(*ast.SelectorExpr); ok {
			if s, ok := pass.TypesInfo.Selections[sel]; ok && s.Kind() == types.MethodExpr {
				param--
			}
		}
		sig := fn.Signature()
		if param < 0 || param >= sig.Params().Len() || sig.Variadic() && param == sig.Params().Len()-1 || !chanflow.IsChan(sig.Params().At(param).Type()) {
			break
		}
		eff := flow.Summary(fn).Param(param)
		if eff&(chanflow.Close|chanflow.Escape) == 0 {
			if eff.Sends() {
				fc.sends++
			}
			if eff&chanflow.Drain != 0 {
				fc.rangers = append(fc.rangers, &chanflow.Use{Kind: chanflow.KindCall, Op: pn, Callee: fn, Func: chanflow.EnclosingFunc(p)})
			}
			return
		}
	}
	fc.unknown = true
}

// compositeUse classifies the fields a struct literal gives values to.
func compositeUse(pass *analysis.Pass, fields map[*types.Var]*fieldChan, lit *ast.CompositeLit) {
	st, ok := typeOf(pass, lit).Underlying().(*types.Struct)
	if !ok {
		return
	}
	for i, elt := range lit.Elts {
		var f *types.Var
		val := elt
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			id, ok := kv.Key.(*ast.Ident)
			if !ok {
				continue
			}
			f, _ = pass.TypesInfo.Uses[id].(*types.Var)
			val = kv.Value
		} else if i < st.NumFields() {
			f = st.Field(i)
		}
		if f == nil {
			continue
		}
		if fc := fields[f.Origin()]; fc != nil {
			if !madeHere(pass, val) {
				fc.unknown = true
			}
			fc.lits = append(fc.lits, lit.Pos())
		}
	}
}

// globalInits knows where the package's variables are initialised and
// where its functions are declared.
type globalInits struct {
	pass  *analysis.Pass
	specs []ast.Node // the value specs of package-level var declarations
	funcs []*ast.FuncDecl
}

func newGlobalInits(pass *analysis.Pass) *globalInits {
	g := &globalInits{pass: pass}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				if d.Tok == token.VAR {
					for _, sp := range d.Specs {
						g.specs = append(g.specs, sp)
					}
				}
			case *ast.FuncDecl:
				g.funcs = append(g.funcs, d)
			}
		}
	}
	return g
}

func within(nodes []ast.Node, pos token.Pos) bool {
	for _, n := range nodes {
		if n.Pos() <= pos && pos < n.End() {
			return true
		}
	}
	return false
}

// singleton reports whether every struct literal at lits makes the value
// of a package variable: written in its initialiser, or in an unexported
// function that only package variables' initialisers call (directly, or
// in a func literal there, as sync.OnceValue(func() *T { return newT() })).
func (g *globalInits) singleton(lits []token.Pos) bool {
	if len(lits) == 0 {
		return false
	}
	for _, pos := range lits {
		if within(g.specs, pos) {
			continue
		}
		var fd *ast.FuncDecl
		for _, f := range g.funcs {
			if f.Pos() <= pos && pos < f.End() {
				fd = f
			}
		}
		if fd == nil || fd.Recv != nil || fd.Name.IsExported() || fd.Name.Name == "init" {
			return false
		}
		obj := g.pass.TypesInfo.Defs[fd.Name]
		called := false
		for id, o := range g.pass.TypesInfo.Uses {
			if o != obj {
				continue
			}
			if !within(g.specs, id.Pos()) {
				return false
			}
			called = true
		}
		if !called {
			return false
		}
	}
	return true
}

func typeOf(pass *analysis.Pass, lit *ast.CompositeLit) types.Type {
	t := pass.TypesInfo.TypeOf(lit)
	if t == nil {
		return types.Typ[types.Invalid]
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// madeHere reports whether e is make(chan ...) or nil.
func madeHere(pass *analysis.Pass, e ast.Expr) bool {
	e = ast.Unparen(e)
	if tv, ok := pass.TypesInfo.Types[e]; ok && tv.IsNil() {
		return true
	}
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := pass.TypesInfo.Uses[id].(*types.Builtin)
	return ok && b.Name() == "make"
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

// closedAfter returns the range of rangers, in the same function as the
// close at c, that every path to the close passes to its end; nil when a
// path reaches the close without ending such a range.
func closedAfter(flow *chanflow.Result, rangers []*chanflow.Use, c inspector.Cursor) *chanflow.Use {
	fn := chanflow.EnclosingFunc(c)
	if fn == nil {
		return nil
	}
	for _, u := range rangers {
		if u.Func != fn || u.Kind != chanflow.KindRange {
			continue
		}
		f := flow.Flow(fn)
		if f == nil {
			return nil
		}
		at, ok := f.At(c)
		if !ok {
			continue
		}
		head, done := f.Loop(u.Op.(*ast.RangeStmt))
		if head == nil || done == nil {
			continue
		}
		if !reachableWithout(f.CFG, at.Block, head, done) {
			return u
		}
	}
	return nil
}

// reachableWithout reports whether target can be reached from the entry
// of g without taking the edge from head to done (the range's end).
func reachableWithout(g *cfg.CFG, target, head, done *cfg.Block) bool {
	if len(g.Blocks) == 0 {
		return true
	}
	seen := make([]bool, len(g.Blocks))
	work := []*cfg.Block{g.Blocks[0]}
	seen[0] = true
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if b == target {
			return true
		}
		for _, s := range b.Succs {
			if b == head && s == done || seen[s.Index] {
				continue
			}
			seen[s.Index] = true
			work = append(work, s)
		}
	}
	return false
}

// exprString renders a short expression for messages.
func exprString(pass *analysis.Pass, e ast.Expr) string {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(pass, e.X) + "." + e.Sel.Name
	case *ast.StarExpr:
		return "*" + exprString(pass, e.X)
	case *ast.CallExpr:
		return exprString(pass, e.Fun) + "(...)"
	case *ast.IndexExpr:
		return exprString(pass, e.X) + "[...]"
	}
	return "the channel"
}
