// Package fieldcancel reports a context's cancel function kept in a struct
// field and never called, while a goroutine waits on that context.
//
// Pitfall A6 (cancel never called): vet's lostcancel follows cancel
// functions held in local variables only. Once the cancel is stored in a
// field — the usual shape of a type that runs a background goroutine — no
// tool follows it, and a goroutine selecting on the context's Done channel
// runs until the process ends. goleak reports such a goroutine at the end of
// a test; testing/synctest reports a bubble that never quiesces.
//
// Two shapes are reported:
//
//   - a cancel func stored in an unexported struct field that no code of the
//     package ever reads (so never calls), while a goroutine started with
//     that context, or reading the field that holds it, waits on it;
//   - an object made here — by a constructor that, by fact, returns a value
//     holding a live cancel and running a goroutine on its context, or by a
//     composite literal of such a type — with a path to a return that calls
//     neither the cancel nor a method that does (Close, Stop, ..., learned
//     by fact), and that does not hand the object on.
//
// A constructor whose context derives from its caller's context is trusted
// to stop with it; only a context made from Background or TODO (directly, or
// by a caller passing one) leaves the object's Close as the only way out.
package fieldcancel

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"
)

// Analyzer is the fieldcancel check.
var Analyzer = &analysis.Analyzer{
	Name: "fieldcancel",
	Doc: `report a context cancel func kept in a struct field and never called while a goroutine waits on the context

Pitfall A6 (cancel never called): vet's lostcancel follows cancel funcs in local
variables only. Stored in a field, a cancel that nothing calls leaves the
goroutine waiting on ctx.Done() running until the process ends; goleak reports
it at the end of a test, testing/synctest as a bubble that never quiesces.

Reported: a cancel stored in an unexported field that the package never reads,
while a goroutine waits on its context; and an object made here, holding a live
cancel and a goroutine on its context (learned by fact from its constructor),
with a return path that calls neither the cancel nor a method that does (Close,
Stop, learned by fact) and does not hand the object on. A constructor whose
context derives from its caller's is trusted to stop with it.

` + report.URL("A6"),
	URL:       report.URL("A6"),
	Requires:  []*analysis.Analyzer{inspect.Analyzer, ctrlflow.Analyzer},
	Run:       run,
	FactTypes: []analysis.Fact{new(Canceler), new(Starts)},
}

// A Canceler is the fact that a named type holds a context's cancel func in
// a field, and which of its methods call it.
type Canceler struct {
	Pkg     string   // the path of the package declaring the type
	Field   string   // the field holding the cancel
	Methods []string // methods that call it, directly or through another method
	Escapes []string // methods that hand their receiver on
}

// AFact marks Canceler as an analysis fact.
func (*Canceler) AFact() {}

func (c *Canceler) String() string {
	s := fmt.Sprintf("canceler(%s by %s)", c.Field, strings.Join(c.Methods, ","))
	if len(c.Escapes) > 0 {
		s = strings.TrimSuffix(s, ")") + "; escapes " + strings.Join(c.Escapes, ",") + ")"
	}
	return s
}

// A Starts is the fact that a function returns an object holding a live
// cancel whose context a goroutine waits on: the caller must release it.
type Starts struct {
	Result int // the result holding the object
	// Param is the index of the parameter the object's context derives
	// from, or -1 when it derives from Background or TODO: then nothing
	// but the object's release stops the goroutine.
	Param int
	// Release says how to release the object: its type's Canceler, kept
	// here because the result may be an interface.
	Release Canceler
}

// AFact marks Starts as an analysis fact.
func (*Starts) AFact() {}

func (s *Starts) String() string {
	from := "detached"
	if s.Param >= 0 {
		from = fmt.Sprintf("from param %d", s.Param)
	}
	return fmt.Sprintf("starts(result %d, %s, released by %s)", s.Result, from, strings.Join(s.Release.Methods, ","))
}

// withCancel lists the context functions that return a cancel func second.
var withCancel = map[string]bool{
	"WithCancel": true, "WithCancelCause": true,
	"WithTimeout": true, "WithTimeoutCause": true,
	"WithDeadline": true, "WithDeadlineCause": true,
}

// A store is a cancel func put into a struct field.
type store struct {
	field    *types.Var    // the field
	named    *types.Named  // the struct type holding it, if named
	at       ast.Node      // the assignment or composite literal element
	call     *ast.CallExpr // the context.With... call
	ctxVar   *types.Var    // the local variable holding the context, if any
	ctxField *types.Var    // the field the context is stored in, if any
	obj      *types.Var    // the local variable holding the object, if known
	lit      *ast.CompositeLit
	cancel   *types.Var       // the local variable the cancel came from, if any
	fn       inspector.Cursor // the function making the call
}

type checker struct {
	pass    *analysis.Pass
	in      *inspector.Inspector
	rep     *report.Reporter
	cfgs    *ctrlflow.CFGs
	stores  []*store
	fields  map[*types.Var][]*store // cancel fields and their stores
	called  map[*types.Var]bool     // local cancel funcs used other than by storing them
	read    map[*types.Var]bool     // cancel and context fields read somewhere
	decls   map[*types.Func]*ast.FuncDecl
	funcs   map[ast.Node]inspector.Cursor
	readsG  map[ast.Node]map[*types.Var]bool // fields read by a function, transitively; nil while computed
	canc    map[*types.TypeName]*Canceler
	starts  map[*types.Func]*Starts
	startOK map[*types.Func]bool
}

func run(pass *analysis.Pass) (any, error) {
	c := &checker{
		pass:    pass,
		in:      pass.ResultOf[inspect.Analyzer].(*inspector.Inspector),
		rep:     report.New(pass, "A6"),
		cfgs:    pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs),
		fields:  make(map[*types.Var][]*store),
		called:  make(map[*types.Var]bool),
		read:    make(map[*types.Var]bool),
		decls:   make(map[*types.Func]*ast.FuncDecl),
		funcs:   make(map[ast.Node]inspector.Cursor),
		readsG:  make(map[ast.Node]map[*types.Var]bool),
		canc:    make(map[*types.TypeName]*Canceler),
		starts:  make(map[*types.Func]*Starts),
		startOK: make(map[*types.Func]bool),
	}
	c.collect()
	c.reportUncalled()
	c.exportCancelers()
	c.exportStarts()
	c.checkObjects()
	return nil, nil
}

// collect finds the functions, the cancel stores and the field reads of the
// package.
func (c *checker) collect() {
	info := c.pass.TypesInfo
	cancelVars := make(map[*types.Var]*ast.CallExpr) // local cancel -> its call
	ctxOf := make(map[*ast.CallExpr]*types.Var)      // call -> local context
	type pending struct {
		call *ast.CallExpr
		fn   inspector.Cursor
	}
	var calls []pending

	for cur := range c.in.Root().Preorder((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil), (*ast.CallExpr)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.FuncDecl:
			c.funcs[n] = cur
			if fn, ok := info.Defs[n.Name].(*types.Func); ok && n.Body != nil {
				c.decls[fn] = n
			}
		case *ast.FuncLit:
			c.funcs[n] = cur
		case *ast.CallExpr:
			if !isWithCancel(info, n) {
				continue
			}
			fc, ok := enclosingFunc(cur)
			if !ok {
				continue
			}
			lhs := assignedTo(cur)
			if len(lhs) != 2 {
				continue
			}
			if v := varOf(info, lhs[0]); v != nil {
				ctxOf[n] = v
			}
			switch target := ast.Unparen(lhs[1]).(type) {
			case *ast.Ident:
				if v := varOf(info, target); v != nil {
					cancelVars[v] = n
				}
			case *ast.SelectorExpr:
				f := fieldOf(info, target)
				if f == nil {
					continue
				}
				s := &store{field: f, at: cur.Parent().Node(), call: n, fn: fc, named: ownerNamed(info, target.X)}
				if ctxSel, ok := ast.Unparen(lhs[0]).(*ast.SelectorExpr); ok {
					s.ctxField = fieldOf(info, ctxSel)
				}
				s.ctxVar = ctxOf[n]
				s.obj = rootVar(info, target.X)
				c.addStore(s)
			}
			calls = append(calls, pending{n, fc})
		}
	}

	if len(cancelVars) == 0 && len(c.stores) == 0 {
		return // no cancel func is made here: nothing is stored
	}
	// Uses of the local cancel funcs that store them into fields, and
	// reads of every field.
	for cur := range c.in.Root().Preorder((*ast.Ident)(nil), (*ast.SelectorExpr)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.Ident:
			v, ok := info.Uses[n].(*types.Var)
			if !ok {
				continue
			}
			call := cancelVars[v]
			if call == nil {
				continue
			}
			fc, _ := enclosingFunc(cur)
			if s := c.storeOf(cur, call, fc); s != nil {
				s.ctxVar = ctxOf[call]
				s.cancel = v
				c.addStore(s)
			} else {
				c.called[v] = true // called, deferred, handed on
			}
		case *ast.SelectorExpr:
			f := fieldOf(info, n)
			if f == nil {
				continue
			}
			if k, _ := cur.ParentEdge(); k != edge.AssignStmt_Lhs {
				c.read[f] = true
			}
		}
	}
	// The context of each store, when it is put into a field next to
	// the cancel (&T{ctx: ctx, cancel: cancel}).
	for _, s := range c.stores {
		if s.lit != nil && s.ctxVar != nil && s.ctxField == nil {
			s.ctxField = litFieldHolding(info, s.lit, s.ctxVar)
		}
	}
}

func (c *checker) addStore(s *store) {
	if !isFuncField(s.field) {
		return
	}
	c.stores = append(c.stores, s)
	c.fields[s.field] = append(c.fields[s.field], s)
}

// storeOf returns the store made by the use of a cancel variable at cur:
// x.f = cancel, T{f: cancel}, T{..., cancel}; nil for any other use.
func (c *checker) storeOf(cur inspector.Cursor, call *ast.CallExpr, fc inspector.Cursor) *store {
	info := c.pass.TypesInfo
	k, idx := cur.ParentEdge()
	switch k {
	case edge.AssignStmt_Rhs:
		as := cur.Parent().Node().(*ast.AssignStmt)
		if len(as.Lhs) != len(as.Rhs) {
			return nil
		}
		sel, ok := ast.Unparen(as.Lhs[idx]).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		f := fieldOf(info, sel)
		if f == nil {
			return nil
		}
		return &store{field: f, at: as, call: call, fn: fc, obj: rootVar(info, sel.X), named: ownerNamed(info, sel.X)}
	case edge.KeyValueExpr_Value:
		kv := cur.Parent().Node().(*ast.KeyValueExpr)
		lit, ok := cur.Parent().Parent().Node().(*ast.CompositeLit)
		if !ok {
			return nil
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			return nil
		}
		f, ok := info.Uses[key].(*types.Var)
		if !ok || !f.IsField() {
			return nil
		}
		return &store{field: f, at: kv, call: call, fn: fc, lit: lit, obj: litVar(info, cur.Parent().Parent()), named: namedOf(info.TypeOf(lit))}
	case edge.CompositeLit_Elts:
		lit := cur.Parent().Node().(*ast.CompositeLit)
		st, ok := info.TypeOf(lit).Underlying().(*types.Struct)
		if !ok || idx >= st.NumFields() {
			return nil
		}
		return &store{field: st.Field(idx), at: cur.Node(), call: call, fn: fc, lit: lit, obj: litVar(info, cur.Parent()), named: namedOf(info.TypeOf(lit))}
	}
	return nil
}

// reportUncalled reports cancel fields that nothing in the package reads,
// while a goroutine waits on their context.
func (c *checker) reportUncalled() {
	fields := make([]*types.Var, 0, len(c.fields))
	for f := range c.fields {
		fields = append(fields, f)
	}
	sort.Slice(fields, func(i, j int) bool { return fields[i].Pos() < fields[j].Pos() })
	for _, f := range fields {
		if f.Exported() || c.read[f] || f.Pkg() != c.pass.Pkg {
			continue
		}
		for _, s := range c.fields[f] {
			if s.cancel != nil && c.called[s.cancel] || !c.goroutineWaits(s, true) {
				continue // the local cancel is called all the same
			}
			c.rep.Report(analysis.Diagnostic{
				Pos: s.at.Pos(),
				End: s.at.End(),
				Message: fmt.Sprintf("the cancel func stored in field %s is never called: nothing in this package reads the field, and a goroutine waits on the context, so it never stops (call it in a Close or Stop method, or let a task.Group own the goroutine)",
					f.Name()),
			})
			break
		}
	}
}

// goroutineWaits reports whether a goroutine waits on the context of s: a
// go statement of the function that made it mentions the context, or the
// object holding it; or, if anywhere is true, a goroutine anywhere in the
// package reads the field holding the context.
func (c *checker) goroutineWaits(s *store, anywhere bool) bool {
	info := c.pass.TypesInfo
	for gc := range s.fn.Preorder((*ast.GoStmt)(nil)) {
		if mentions(info, gc.Node(), s.ctxVar, s.obj, s.ctxField) {
			return true
		}
	}
	if !anywhere || s.ctxField == nil {
		return false
	}
	for gc := range c.in.Root().Preorder((*ast.GoStmt)(nil)) {
		stmt := gc.Node().(*ast.GoStmt)
		var target ast.Node
		if lit, ok := ast.Unparen(stmt.Call.Fun).(*ast.FuncLit); ok {
			target = lit
		} else if fn := typeutil.StaticCallee(info, stmt.Call); fn != nil {
			if d := c.decls[fn.Origin()]; d != nil {
				target = d
			}
		}
		if target != nil && c.reads(target)[s.ctxField] {
			return true
		}
	}
	return false
}

// reads returns the fields that fn (a FuncDecl or FuncLit) reads, itself or
// through the functions of this package it calls.
func (c *checker) reads(fn ast.Node) map[*types.Var]bool {
	if r, ok := c.readsG[fn]; ok {
		if r == nil {
			return map[*types.Var]bool{} // a cycle: what is known so far
		}
		return r
	}
	c.readsG[fn] = nil
	info := c.pass.TypesInfo
	r := make(map[*types.Var]bool)
	ast.Inspect(fn, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if f := fieldOf(info, n); f != nil {
				r[f] = true
			}
		case *ast.CallExpr:
			if callee := typeutil.StaticCallee(info, n); callee != nil {
				if d := c.decls[callee.Origin()]; d != nil && ast.Node(d) != fn {
					for f := range c.reads(d) {
						r[f] = true
					}
				}
			}
		}
		return true
	})
	c.readsG[fn] = r
	return r
}

// exportCancelers finds, for each named type holding a cancel field, the
// methods that call it, and exports them as a fact.
func (c *checker) exportCancelers() {
	info := c.pass.TypesInfo
	byType := make(map[*types.Named]*types.Var)
	for f, ss := range c.fields {
		for _, s := range ss {
			if s.named != nil && s.named.Obj().Pkg() == c.pass.Pkg {
				byType[s.named] = f
			}
		}
	}
	for named, field := range byType {
		ms := types.NewMethodSet(types.NewPointer(named))
		releases := make(map[*types.Func]int) // 0 unknown, 1 computing, 2 yes, 3 no
		var calls func(m *types.Func) bool
		calls = func(m *types.Func) bool {
			switch releases[m] {
			case 1, 3:
				return false
			case 2:
				return true
			}
			releases[m] = 1
			d := c.decls[m]
			yes := false
			if d != nil && d.Recv != nil && len(d.Recv.List) == 1 && len(d.Recv.List[0].Names) == 1 {
				recv := info.Defs[d.Recv.List[0].Names[0]]
				ast.Inspect(d.Body, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok || yes {
						return !yes
					}
					sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
					if !ok || rootObj(info, sel.X) != recv {
						return true
					}
					if fieldOf(info, sel) == field {
						yes = true
					} else if callee, ok := info.Uses[sel.Sel].(*types.Func); ok && calls(callee.Origin()) {
						yes = true
					}
					return !yes
				})
			}
			if yes {
				releases[m] = 2
			} else {
				releases[m] = 3
			}
			return yes
		}
		cn := &Canceler{Pkg: c.pass.Pkg.Path(), Field: field.Name()}
		for i := range ms.Len() {
			m := ms.At(i).Obj().(*types.Func)
			if calls(m.Origin()) {
				cn.Methods = append(cn.Methods, m.Name())
			}
			if c.receiverEscapes(m.Origin()) {
				cn.Escapes = append(cn.Escapes, m.Name())
			}
		}
		if len(cn.Methods) == 0 {
			continue
		}
		c.canc[named.Obj()] = cn
		c.pass.ExportObjectFact(named.Obj(), cn)
	}
}

// receiverEscapes reports whether method m hands its receiver on: uses it
// other than to select a field or call a method.
func (c *checker) receiverEscapes(m *types.Func) bool {
	d := c.decls[m]
	if d == nil || d.Recv == nil || len(d.Recv.List) != 1 || len(d.Recv.List[0].Names) != 1 {
		return false
	}
	info := c.pass.TypesInfo
	recv := info.Defs[d.Recv.List[0].Names[0]]
	cur, ok := c.funcs[d]
	if !ok {
		return false
	}
	for ic := range cur.Preorder((*ast.Ident)(nil)) {
		if info.Uses[ic.Node().(*ast.Ident)] != recv {
			continue
		}
		switch k, _ := ic.ParentEdge(); k {
		case edge.SelectorExpr_X:
			// r.f, r.m(): fine
		case edge.BinaryExpr_X, edge.BinaryExpr_Y:
			// a comparison
		default:
			// Inside a go statement the receiver goes to the
			// goroutine, which is what the type is for.
			if inGo(ic) {
				continue
			}
			return true
		}
	}
	return false
}

// mentions reports whether n refers to one of the variables, or selects
// the field.
func mentions(info *types.Info, n ast.Node, v, w *types.Var, field *types.Var) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.Ident:
			if u, ok := info.Uses[x].(*types.Var); ok && (u == v || w != nil && u == w) {
				found = true
			}
		case *ast.SelectorExpr:
			if f := fieldOf(info, x); f != nil && f == field {
				found = true
			}
		}
		return !found
	})
	return found
}

func inGo(c inspector.Cursor) bool {
	for range c.Enclosing((*ast.GoStmt)(nil)) {
		return true
	}
	return false
}

// canceler returns the Canceler of the named type t, or nil.
func (c *checker) canceler(t types.Type) *Canceler {
	n := namedOf(t)
	if n == nil {
		return nil
	}
	obj := n.Origin().Obj()
	if cn, ok := c.canc[obj]; ok {
		return cn
	}
	if obj.Pkg() == c.pass.Pkg {
		return nil
	}
	cn := new(Canceler)
	if !c.pass.ImportObjectFact(obj, cn) {
		cn = nil
	}
	c.canc[obj] = cn
	return cn
}

// A source is where a live object comes from.
type source struct {
	cn    *Canceler
	param int    // as in Starts.Param; -2: unknown
	store *store // for a composite literal made here: the cancel stored in it
}

// liveSource reports whether e makes an object holding a live cancel and
// running a goroutine on its context: a composite literal of a Canceler type
// whose cancel is a context.With... call of fn with a goroutine of fn on its
// context, or a call of a function with a Starts fact.
func (c *checker) liveSource(e ast.Expr, fn inspector.Cursor) (source, bool) {
	info := c.pass.TypesInfo
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	switch e := e.(type) {
	case *ast.CompositeLit:
		for _, s := range c.stores {
			if s.lit != e || c.canceler(info.TypeOf(e)) == nil || !c.goroutineWaits(s, false) {
				continue
			}
			return source{cn: c.canceler(info.TypeOf(e)), param: c.parentParam(s.call, fn), store: s}, true
		}
	case *ast.CallExpr:
		callee := typeutil.StaticCallee(info, e)
		if callee == nil {
			return source{}, false
		}
		st := c.startsOf(callee.Origin())
		if st == nil {
			return source{}, false
		}
		sig := callee.Type().(*types.Signature)
		if st.Result >= sig.Results().Len() {
			return source{}, false
		}
		src := source{cn: &st.Release, param: -2}
		switch {
		case st.Param < 0:
			src.param = -1
		case st.Param < len(e.Args):
			src.param = c.ctxParam(e.Args[st.Param], fn)
		}
		return src, len(src.cn.Methods) > 0
	}
	return source{}, false
}

// parentParam returns what the context made by call derives from: -1 for
// Background or TODO, the index of a parameter of fn, or -2.
func (c *checker) parentParam(call *ast.CallExpr, fn inspector.Cursor) int {
	if len(call.Args) == 0 {
		return -2
	}
	return c.ctxParam(call.Args[0], fn)
}

// ctxParam says what the context expression e is, in fn: -1 for
// context.Background() or TODO(), the index of a parameter of fn, or -2.
func (c *checker) ctxParam(e ast.Expr, fn inspector.Cursor) int {
	info := c.pass.TypesInfo
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok {
		if f := typeutil.StaticCallee(info, call); f != nil && f.Pkg() != nil && f.Pkg().Path() == "context" &&
			(f.Name() == "Background" || f.Name() == "TODO") {
			return -1
		}
		return -2
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return -2
	}
	v := info.Uses[id]
	var params *ast.FieldList
	switch n := fn.Node().(type) {
	case *ast.FuncDecl:
		params = n.Type.Params
	case *ast.FuncLit:
		params = n.Type.Params
	}
	i := 0
	for _, f := range params.List {
		if len(f.Names) == 0 {
			i++
			continue
		}
		for _, name := range f.Names {
			if info.Defs[name] == v {
				return i
			}
			i++
		}
	}
	return -2
}

// startsOf returns the Starts fact of fn, computed here for a function of
// this package.
func (c *checker) startsOf(fn *types.Func) *Starts {
	if st, ok := c.starts[fn]; ok {
		return st
	}
	if fn.Pkg() != c.pass.Pkg {
		st := new(Starts)
		if !c.pass.ImportObjectFact(fn, st) {
			st = nil
		}
		c.starts[fn] = st
		return st
	}
	d := c.decls[fn]
	if d == nil || c.startOK[fn] {
		return nil // no body, or a cycle
	}
	c.startOK[fn] = true
	st := c.computeStarts(fn, d)
	c.starts[fn] = st
	return st
}

// computeStarts finds whether the function d returns a live object.
func (c *checker) computeStarts(fn *types.Func, d *ast.FuncDecl) *Starts {
	info := c.pass.TypesInfo
	sig := fn.Type().(*types.Signature)
	if sig.Results().Len() == 0 {
		return nil
	}
	fc := c.funcs[d]
	vars := make(map[*types.Var]source) // locals assigned a live object
	var st *Starts
	for nc := range fc.Preorder((*ast.AssignStmt)(nil), (*ast.ReturnStmt)(nil)) {
		switch n := nc.Node().(type) {
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 && len(n.Lhs) >= 1 {
				if src, ok := c.liveSource(n.Rhs[0], fc); ok {
					idx := 0
					if call, isCall := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); isCall {
						if s := c.startsOf(typeutil.StaticCallee(info, call).Origin()); s != nil {
							idx = s.Result
						}
					}
					if idx < len(n.Lhs) {
						if v := varOf(info, n.Lhs[idx]); v != nil {
							vars[v] = src
						}
					}
				}
			}
		case *ast.ReturnStmt:
			if ef, _ := enclosingFunc(nc); ef.Node() != ast.Node(d) {
				continue // a return of a literal inside d
			}
			for i, r := range n.Results {
				if len(n.Results) != sig.Results().Len() {
					break
				}
				src, ok := c.liveSource(r, fc)
				var obj *types.Var
				if !ok {
					if id, isID := ast.Unparen(r).(*ast.Ident); isID {
						if v, isV := info.Uses[id].(*types.Var); isV {
							src, ok = vars[v]
							obj = v
						}
					}
				}
				if ok && obj != nil && handsOutRelease(info, n.Results, i, obj) {
					// return c, c.stop: the caller gets the
					// release as a value of its own
					// (signal.NotifyContext).
					ok = false
				}
				if ok && (src.param >= -1) {
					st = &Starts{Result: i, Param: src.param, Release: *src.cn}
				}
			}
		}
	}
	return st
}

// handsOutRelease reports whether a result other than results[i] mentions
// the object obj: a method value or a field of it that the caller can call
// to release it.
func handsOutRelease(info *types.Info, results []ast.Expr, i int, obj *types.Var) bool {
	for j, r := range results {
		if j != i && mentions(info, r, obj, nil, nil) {
			return true
		}
	}
	return false
}

func (c *checker) exportStarts() {
	fns := make([]*types.Func, 0, len(c.decls))
	for fn := range c.decls {
		fns = append(fns, fn)
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].Pos() < fns[j].Pos() })
	for _, fn := range fns {
		if st := c.startsOf(fn); st != nil {
			c.pass.ExportObjectFact(fn, st)
		}
	}
}

// checkObjects reports a local object holding a live cancel that some path
// to a return never releases.
func (c *checker) checkObjects() {
	info := c.pass.TypesInfo
	for cur := range c.in.Root().Preorder((*ast.AssignStmt)(nil)) {
		as := cur.Node().(*ast.AssignStmt)
		if as.Tok != token.DEFINE || len(as.Rhs) != 1 {
			continue
		}
		fc, ok := enclosingFunc(cur)
		if !ok {
			continue
		}
		src, ok := c.liveSource(as.Rhs[0], fc)
		if !ok || src.param != -1 {
			continue // not live, or its context is the caller's to cancel
		}
		cn := callable(src.cn, c.pass.Pkg)
		if cn == nil {
			continue // released only from inside its package: the constructor's business
		}
		idx := 0
		if call, isCall := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); isCall {
			if st := c.startsOf(typeutil.StaticCallee(info, call).Origin()); st != nil {
				idx = st.Result
			}
		}
		if idx >= len(as.Lhs) {
			continue
		}
		id, ok := as.Lhs[idx].(*ast.Ident)
		if !ok {
			continue
		}
		v, ok := info.Defs[id].(*types.Var)
		if !ok {
			continue
		}
		var errVar *types.Var
		for i, l := range as.Lhs {
			if i == idx {
				continue
			}
			// Defined here, or an err declared earlier and reused.
			if lv, ok := info.ObjectOf(l.(*ast.Ident)).(*types.Var); ok && isError(lv.Type()) {
				errVar = lv
			}
		}
		c.checkObject(fc, cur, as, v, errVar, cn, src.store)
	}
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// checkObject follows every path from the assignment as, which makes the
// live object v in the function fc, to a return.
//
// For an object made by a literal here (lit is its store), the goroutine is
// started here too: a return before the go statement leaks nothing.
func (c *checker) checkObject(fc, asCur inspector.Cursor, as *ast.AssignStmt, v, errVar *types.Var, cn *Canceler, lit *store) {
	var g *cfg.CFG
	switch fn := fc.Node().(type) {
	case *ast.FuncDecl:
		if fn.Recv == nil && fn.Name.Name == "main" && c.pass.Pkg.Name() == "main" {
			return
		}
		g = c.cfgs.FuncDecl(fn)
	case *ast.FuncLit:
		g = c.cfgs.FuncLit(fn)
	}
	if g == nil {
		return
	}
	info := c.pass.TypesInfo

	// What each reference to v does: release it, hand it on, or nothing.
	type refKind uint8
	const (
		none refKind = iota
		release
		gone
	)
	refs := make(map[token.Pos]refKind)
	released := false
	for ic := range fc.Preorder((*ast.Ident)(nil)) {
		id := ic.Node().(*ast.Ident)
		if info.Uses[id] != v {
			continue
		}
		kind := gone
		switch k, _ := ic.ParentEdge(); k {
		case edge.SelectorExpr_X:
			sel := ic.Parent().Node().(*ast.SelectorExpr)
			name := sel.Sel.Name
			isCall := false
			if pk, _ := ic.Parent().ParentEdge(); pk == edge.CallExpr_Fun {
				isCall = true
			}
			switch {
			case name == cn.Field:
				kind = gone // the cancel itself, called or handed on
				if isCall {
					kind = release
				}
			case slices.Contains(cn.Methods, name) && isCall:
				kind = release
			case slices.Contains(cn.Escapes, name):
				kind = gone
			case isCall:
				kind = none
			case info.Selections[sel] != nil && info.Selections[sel].Kind() == types.FieldVal:
				kind = none
			}
		case edge.BinaryExpr_X, edge.BinaryExpr_Y:
			kind = none
		}
		if kind == release {
			released = true
		}
		refs[id.Pos()] = kind
	}

	// Find the assignment's block, then follow the paths after it.
	var defBlock *cfg.Block
	var rest []ast.Node
	for _, b := range g.Blocks {
		for i, n := range b.Nodes {
			if n == ast.Node(as) {
				defBlock, rest = b, b.Nodes[i+1:]
			}
		}
	}
	if defBlock == nil {
		return
	}
	// The go statements that start the object's goroutine, for an object
	// made by a literal here.
	var starts []ast.Node
	if lit != nil {
		for gc := range fc.Preorder((*ast.GoStmt)(nil)) {
			if mentions(info, gc.Node(), v, lit.ctxVar, lit.ctxField) {
				starts = append(starts, gc.Node())
			}
		}
	}
	// effect is what the nodes do on a path: stop it (release or hand on
	// the object), or start the goroutine.
	effect := func(nodes []ast.Node) (stop, started bool) {
		for _, n := range nodes {
			for _, st := range starts {
				if n.Pos() <= st.Pos() && st.End() <= n.End() {
					started = true
				}
			}
			ast.Inspect(n, func(x ast.Node) bool {
				if id, ok := x.(*ast.Ident); ok && info.Uses[id] == v && refs[id.Pos()] != none {
					stop = true
				}
				return !stop
			})
			if stop {
				return
			}
		}
		return
	}
	type state struct {
		b       *cfg.Block
		started bool
	}
	var leak *ast.ReturnStmt
	seen := make(map[state]bool)
	var visit func(b *cfg.Block, nodes []ast.Node, started bool) bool
	visit = func(b *cfg.Block, nodes []ast.Node, started bool) bool {
		stop, st := effect(nodes)
		if stop {
			return false
		}
		started = started || st
		if ret := b.Return(); ret != nil {
			if started {
				leak = ret
				return true
			}
			return false
		}
		succs := b.Succs
		if len(succs) == 2 && len(nodes) > 0 {
			if failed := failBranch(info, nodes[len(nodes)-1], errVar, v); failed >= 0 {
				succs = []*cfg.Block{succs[1-failed]} // on the failing branch there is no object
			}
		}
		for _, s := range succs {
			if seen[state{s, started}] {
				continue
			}
			seen[state{s, started}] = true
			if visit(s, s.Nodes, started) {
				return true
			}
		}
		return false
	}
	if !visit(defBlock, rest, lit == nil) {
		return
	}
	release1 := releaseMethod(cn)
	d := analysis.Diagnostic{
		Pos: as.Pos(),
		End: as.End(),
		Message: fmt.Sprintf("%s holds a context cancel that its goroutine waits on, but the return at line %d never calls %s.%s: the goroutine and its context leak (call %s.%s on every path, e.g. with defer)",
			v.Name(), c.pass.Fset.Position(leak.Pos()).Line, v.Name(), release1, v.Name(), release1),
		Related: []analysis.RelatedInformation{{Pos: leak.Pos(), Message: "returns without releasing " + v.Name()}},
	}
	if !released {
		if fix, ok := c.deferFix(asCur, as, errVar, v, release1); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	}
	c.rep.Report(d)
}

// callable returns cn with only the release methods code of pkg can call,
// or nil if there is none. (A Canceler made from a fact of another package
// lists exported and unexported methods alike.)
func callable(cn *Canceler, pkg *types.Package) *Canceler {
	var out Canceler = *cn
	out.Methods = nil
	for _, m := range cn.Methods {
		if token.IsExported(m) || cn.Pkg == pkg.Path() {
			out.Methods = append(out.Methods, m)
		}
	}
	if len(out.Methods) == 0 {
		return nil
	}
	return &out
}

// releaseMethod picks the method to name in a message: Close or Stop if the
// type has one, else the first.
func releaseMethod(cn *Canceler) string {
	for _, m := range []string{"Close", "Stop", "Shutdown", "Cancel"} {
		if slices.Contains(cn.Methods, m) {
			return m
		}
	}
	return cn.Methods[0]
}

// failBranch returns which successor of a block ending in cond is the path
// where the constructor failed (err != nil, or v == nil): 0 for the then
// branch, 1 for the else branch, -1 if cond says nothing about it.
func failBranch(info *types.Info, cond ast.Node, errVar, v *types.Var) int {
	b, ok := cond.(*ast.BinaryExpr)
	if !ok || (b.Op != token.NEQ && b.Op != token.EQL) {
		return -1
	}
	isNil := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == types.Universe.Lookup("nil")
	}
	is := func(e ast.Expr, w *types.Var) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && w != nil && info.Uses[id] == w
	}
	var subject *types.Var
	switch {
	case isNil(b.Y) && is(b.X, errVar), isNil(b.X) && is(b.Y, errVar):
		subject = errVar
	case isNil(b.Y) && is(b.X, v), isNil(b.X) && is(b.Y, v):
		subject = v
	default:
		return -1
	}
	failedWhenTrue := (subject == errVar) == (b.Op == token.NEQ)
	if failedWhenTrue {
		return 0
	}
	return 1
}

// deferFix inserts "defer v.m()" after the assignment, or after the error
// check that follows it.
func (c *checker) deferFix(asCur inspector.Cursor, as *ast.AssignStmt, errVar, v *types.Var, m string) (analysis.SuggestedFix, bool) {
	if k, _ := asCur.ParentEdge(); k != edge.BlockStmt_List {
		return analysis.SuggestedFix{}, false
	}
	block := asCur.Parent().Node().(*ast.BlockStmt)
	i := slices.Index(block.List, ast.Stmt(as))
	after := ast.Node(as)
	if errVar != nil {
		if i+1 >= len(block.List) {
			return analysis.SuggestedFix{}, false
		}
		ifs, ok := block.List[i+1].(*ast.IfStmt)
		if !ok || ifs.Init != nil || ifs.Else != nil || failBranch(c.pass.TypesInfo, ifs.Cond, errVar, v) != 0 || !endsInReturn(ifs.Body) {
			return analysis.SuggestedFix{}, false
		}
		after = ifs
	}
	file := c.pass.Fset.File(as.Pos())
	src, err := c.pass.ReadFile(file.Name())
	if err != nil {
		return analysis.SuggestedFix{}, false
	}
	off := file.Offset(as.Pos())
	ls := off
	for ls > 0 && src[ls-1] != '\n' {
		ls--
	}
	indent := string(src[ls:off])
	// Insert at the end of the line, after any comment there.
	at := file.Offset(after.End())
	if rest := bytes.TrimLeft(src[at:], " \t"); len(rest) == 0 || rest[0] == '\n' || bytes.HasPrefix(rest, []byte("//")) {
		for at < len(src) && src[at] != '\n' {
			at++
		}
	} else {
		return analysis.SuggestedFix{}, false // more code on the line
	}
	text := fmt.Sprintf("\n%sdefer %s.%s()", indent, v.Name(), m)
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Add defer %s.%s()", v.Name(), m),
		TextEdits: []analysis.TextEdit{{Pos: file.Pos(at), End: file.Pos(at), NewText: []byte(text)}},
	}, true
}

func endsInReturn(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	_, ok := b.List[len(b.List)-1].(*ast.ReturnStmt)
	return ok
}

// --- helpers ---------------------------------------------------------------

// isWithCancel reports whether call is context.WithCancel or a sibling that
// returns a cancel func second.
func isWithCancel(info *types.Info, call *ast.CallExpr) bool {
	fn := typeutil.StaticCallee(info, call)
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "context" && withCancel[fn.Name()]
}

// assignedTo returns the left-hand sides the call at cur is assigned to, if
// it is the single right-hand side of an assignment or declaration.
func assignedTo(cur inspector.Cursor) []ast.Expr {
	switch p := cur.Parent().Node().(type) {
	case *ast.AssignStmt:
		if len(p.Rhs) == 1 {
			return p.Lhs
		}
	case *ast.ValueSpec:
		if len(p.Values) == 1 {
			out := make([]ast.Expr, len(p.Names))
			for i, n := range p.Names {
				out[i] = n
			}
			return out
		}
	}
	return nil
}

func enclosingFunc(c inspector.Cursor) (inspector.Cursor, bool) {
	for f := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		return f, true
	}
	return inspector.Cursor{}, false
}

// varOf returns the local variable e names (defined or used), or nil.
func varOf(info *types.Info, e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	if v, ok := info.Defs[id].(*types.Var); ok {
		return v
	}
	v, _ := info.Uses[id].(*types.Var)
	return v
}

// fieldOf returns the field sel selects, or nil.
func fieldOf(info *types.Info, sel *ast.SelectorExpr) *types.Var {
	s := info.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal {
		return nil
	}
	return s.Obj().(*types.Var)
}

// rootVar returns the variable at the root of a selector chain, or nil.
func rootVar(info *types.Info, e ast.Expr) *types.Var {
	v, _ := rootObj(info, e).(*types.Var)
	return v
}

func rootObj(info *types.Info, e ast.Expr) types.Object {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			e = x.X
		case *ast.Ident:
			return info.Uses[x]
		case *ast.StarExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// ownerNamed returns the named struct type of the expression x in x.f.
func ownerNamed(info *types.Info, x ast.Expr) *types.Named {
	return namedOf(info.TypeOf(x))
}

// namedOf returns the named type t is or points to, or nil.
func namedOf(t types.Type) *types.Named {
	if t == nil {
		return nil
	}
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, _ := t.(*types.Named)
	return n
}

// litVar returns the variable a composite literal (perhaps under &) is
// assigned to by :=, =, or var.
func litVar(info *types.Info, lit inspector.Cursor) *types.Var {
	c := lit
	if k, _ := c.ParentEdge(); k == edge.UnaryExpr_X {
		c = c.Parent()
	}
	switch k, idx := c.ParentEdge(); k {
	case edge.AssignStmt_Rhs:
		as := c.Parent().Node().(*ast.AssignStmt)
		if len(as.Lhs) == len(as.Rhs) {
			return varOf(info, as.Lhs[idx])
		}
	case edge.ValueSpec_Values:
		vs := c.Parent().Node().(*ast.ValueSpec)
		if len(vs.Names) == len(vs.Values) {
			return varOf(info, vs.Names[idx])
		}
	}
	return nil
}

// litFieldHolding returns the field of lit whose value is the variable v.
func litFieldHolding(info *types.Info, lit *ast.CompositeLit, v *types.Var) *types.Var {
	st, _ := info.TypeOf(lit).Underlying().(*types.Struct)
	for i, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if id, ok := ast.Unparen(kv.Value).(*ast.Ident); ok && info.Uses[id] == v {
				if key, ok := kv.Key.(*ast.Ident); ok {
					f, _ := info.Uses[key].(*types.Var)
					return f
				}
			}
			continue
		}
		if id, ok := ast.Unparen(e).(*ast.Ident); ok && info.Uses[id] == v && st != nil && i < st.NumFields() {
			return st.Field(i)
		}
	}
	return nil
}

// isFuncField reports whether f is a field of func type (a cancel func).
func isFuncField(f *types.Var) bool {
	if f == nil || !f.IsField() {
		return false
	}
	_, ok := f.Type().Underlying().(*types.Signature)
	return ok
}
