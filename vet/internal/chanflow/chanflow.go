// Package chanflow is the shared ground of boundvet's channel checks
// (rangenoclose, orphansend, blockforever): an analysis that finds every
// local channel variable, says what each mention of it does, and
// summarizes what each function does to the channels it is handed and
// returns.
//
// The summaries travel between packages as facts (*Summary, one per
// function with a channel parameter or result), so a check in one package
// knows that a callee in another closes, drains, sends on or hands on the
// channel it is given, and that a function returns a channel that its
// goroutine is still waiting to send on. The analysis reports nothing
// itself; the checks read its Result.
package chanflow

import (
	"cmp"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Analyzer computes the channel summaries of a package's functions,
// exports them as facts and returns a *Result.
var Analyzer = &analysis.Analyzer{
	Name:       "chanflow",
	Doc:        "summarize what functions do to the channels they are handed and return (shared by boundvet's channel checks)",
	URL:        "https://github.com/boundgo/bound/tree/main/vet/internal/chanflow",
	Run:        run,
	Requires:   []*analysis.Analyzer{inspect.Analyzer, ctrlflow.Analyzer},
	ResultType: reflect.TypeFor[*Result](),
	FactTypes:  []analysis.Fact{new(Summary), new(Starter)},
}

// A Result holds the channels of one package and the summaries of its
// functions.
type Result struct {
	pass  *analysis.Pass
	cfgs  *ctrlflow.CFGs
	chans []*Chan

	uses      map[*types.Var][]*Use         // channel variables declared in this package
	local     map[*types.Func]*Summary      // functions declared in this package
	litEffect map[*ast.FuncLit][]Effect     // per parameter of func literals called in place
	funcOf    map[*types.Func]*ast.FuncDecl // declarations in this package
	starters  map[*types.Func]*Starter      // starters declared in this package

	// The checks that share a Result run at the same time: the caches
	// they fill lazily are guarded by mu. Everything above is written
	// only while the analysis runs, and read only after.
	mu               sync.Mutex
	imported         map[*types.Func]*Summary // facts read, nil when absent
	importedStarters map[*types.Func]*Starter
	flows            map[ast.Node]*Flow // by FuncDecl or FuncLit
}

// Chans returns the local channel variables of the package made by make or
// by a producer call, in source order.
func (r *Result) Chans() []*Chan { return r.chans }

// Summary returns what fn does to its channel parameters and results, nil
// when that is unknown (an interface method, a function without a body, a
// package not analyzed).
func (r *Result) Summary(fn *types.Func) *Summary {
	if fn == nil {
		return nil
	}
	fn = fn.Origin()
	if s, ok := r.local[fn]; ok {
		return s
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if s, ok := r.imported[fn]; ok {
		return s
	}
	var s *Summary
	if fn.Pkg() != nil && fn.Pkg() != r.pass.Pkg {
		f := new(Summary)
		if r.pass.ImportObjectFact(fn, f) {
			s = f
		}
	}
	r.imported[fn] = s
	return s
}

// Effect returns what the callee of a KindCall use does to the channel.
// For any other use it returns the effect of the use itself.
func (r *Result) Effect(u *Use) Effect {
	switch u.Kind {
	case KindBenign, KindAssign:
		if u.Kind == KindAssign {
			return Escape
		}
		return 0
	case KindSend:
		if u.Guarded {
			return SendGuarded
		}
		return Send
	case KindRecv:
		return Recv
	case KindRange:
		return Recv | Drain
	case KindClose:
		return Close
	case KindCall:
		var e Effect
		if u.Lit != nil {
			if effs, ok := r.litEffect[u.Lit]; ok && u.Param < len(effs) {
				e = effs[u.Param]
			} else {
				e = Escape
			}
		} else {
			e = r.Summary(u.Callee).Param(u.Param)
		}
		return e
	}
	return Escape
}

// Flow returns the control-flow graph of fn (a FuncDecl with a body, or a
// FuncLit), nil when there is none.
func (r *Result) Flow(fn ast.Node) *Flow {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f, ok := r.flows[fn]; ok {
		return f
	}
	var f *Flow
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		if fn.Body != nil {
			if g := r.cfgs.FuncDecl(fn); g != nil {
				f = newFlow(fn, g)
			}
		}
	case *ast.FuncLit:
		if g := r.cfgs.FuncLit(fn); g != nil {
			f = newFlow(fn, g)
		}
	}
	r.flows[fn] = f
	return f
}

// Decl returns the declaration of a function of this package.
func (r *Result) Decl(fn *types.Func) *ast.FuncDecl { return r.funcOf[fn] }

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	r := &Result{
		pass:      pass,
		cfgs:      pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs),
		uses:      make(map[*types.Var][]*Use),
		local:     make(map[*types.Func]*Summary),
		imported:  make(map[*types.Func]*Summary),
		litEffect: make(map[*ast.FuncLit][]Effect),
		flows:     make(map[ast.Node]*Flow),
		funcOf:    make(map[*types.Func]*ast.FuncDecl),
		starters:  make(map[*types.Func]*Starter),

		importedStarters: make(map[*types.Func]*Starter),
	}
	r.findStarters(in)
	c := &classifier{info: pass.TypesInfo, r: r}

	// One walk over the package: the home function of every local
	// channel variable, then every mention of it.
	type def struct {
		cur  inspector.Cursor
		home ast.Node
	}
	defs := make(map[*types.Var]def)
	var order []*types.Var
	var decls []*ast.FuncDecl
	var lits []*ast.FuncLit // called in place with channel arguments
	// Most packages have few channel variables, or none: find them first,
	// and walk the identifiers only when there are some.
	chanVars := make(map[*types.Var]bool)
	for _, obj := range pass.TypesInfo.Defs {
		if v, ok := obj.(*types.Var); ok && isLocalChan(v) {
			chanVars[v] = true
		}
	}
	filter := []ast.Node{(*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)}
	if len(chanVars) > 0 {
		filter = append(filter, (*ast.Ident)(nil))
	}
	for cur := range in.Root().Preorder(filter...) {
		switch n := cur.Node().(type) {
		case *ast.FuncDecl:
			if fn, ok := pass.TypesInfo.Defs[n.Name].(*types.Func); ok {
				r.funcOf[fn] = n
				decls = append(decls, n)
			}
			continue
		case *ast.FuncLit:
			if call, ok := cur.Parent().Node().(*ast.CallExpr); ok && ast.Unparen(call.Fun) == n {
				lits = append(lits, n)
			} else if p, ok := cur.Parent().Node().(*ast.ParenExpr); ok {
				if call, ok := cur.Parent().Parent().Node().(*ast.CallExpr); ok && call.Fun == p {
					lits = append(lits, n)
				}
			}
			continue
		}
		id := cur.Node().(*ast.Ident)
		if v, ok := pass.TypesInfo.Defs[id].(*types.Var); ok && chanVars[v] {
			if home := EnclosingFunc(cur); home != nil {
				defs[v] = def{cur, home}
				order = append(order, v)
			}
			continue
		}
		v, ok := pass.TypesInfo.Uses[id].(*types.Var)
		if !ok || !chanVars[v] {
			continue
		}
		d, ok := defs[v]
		if !ok {
			continue
		}
		r.uses[v] = append(r.uses[v], c.classify(cur, d.home, v.Pos()))
	}

	// Parameter effects of func literals called in place, and of
	// functions: a fixed point, since functions call one another.
	r.summarize(decls, lits)

	// The channels made here: by make first, so that the pending results
	// they give are known before the calls to their producers are.
	var later []*types.Var
	for _, v := range order {
		d := defs[v]
		if ch := r.chanOf(c, v, d.cur, d.home, false); ch != nil {
			r.chans = append(r.chans, ch)
		} else {
			later = append(later, v)
		}
	}
	for _, ch := range r.chans {
		r.pending(ch)
	}
	for _, v := range later {
		d := defs[v]
		if ch := r.chanOf(c, v, d.cur, d.home, true); ch != nil {
			r.chans = append(r.chans, ch)
		}
	}
	slices.SortFunc(r.chans, func(a, b *Chan) int { return cmp.Compare(a.Var.Pos(), b.Var.Pos()) })

	// Export a fact for every function with a channel parameter or result.
	for _, decl := range decls {
		fn := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if s, ok := r.local[fn]; ok && hasChanSig(fn) {
			pass.ExportObjectFact(fn, s)
		}
	}
	return r, nil
}

// summarize computes the Summary of every function declared in the
// package and the parameter effects of every func literal called in place.
func (r *Result) summarize(decls []*ast.FuncDecl, lits []*ast.FuncLit) {
	type fparams struct {
		params []*types.Var // nil entries for non-channel parameters
		set    func([]Effect)
		get    func() []Effect
	}
	var all []fparams
	for _, decl := range decls {
		fn := r.pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if !hasChanSig(fn) {
			continue // nothing to summarize, and no fact to export
		}
		sig := fn.Signature()
		s := &Summary{Params: make([]Effect, sig.Params().Len()), Results: make([]Pending, sig.Results().Len())}
		s.Returns = true
		if decl.Body == nil {
			for i := range s.Params {
				s.Params[i] = Escape
			}
		} else if g := r.cfgs.FuncDecl(decl); g != nil {
			s.Returns = !g.NoReturn()
		}
		r.local[fn] = s
		if decl.Body == nil {
			continue
		}
		var params []*types.Var
		for i := range sig.Params().Len() {
			p := sig.Params().At(i)
			if !IsChan(p.Type()) || (sig.Variadic() && i == sig.Params().Len()-1) {
				p = nil
			}
			params = append(params, p)
		}
		all = append(all, fparams{params, func(e []Effect) { copy(s.Params, e) }, func() []Effect { return s.Params }})
	}
	for _, lit := range lits {
		var params []*types.Var
		for _, field := range lit.Type.Params.List {
			if len(field.Names) == 0 {
				params = append(params, nil)
				continue
			}
			for _, name := range field.Names {
				p, _ := r.pass.TypesInfo.Defs[name].(*types.Var)
				if p != nil && !IsChan(p.Type()) {
					p = nil
				}
				params = append(params, p)
			}
		}
		effs := make([]Effect, len(params))
		r.litEffect[lit] = effs
		all = append(all, fparams{params, func(e []Effect) { copy(effs, e) }, func() []Effect { return effs }})
	}

	// Effects only grow, so the fixed point is reached in a few rounds.
	for range 16 {
		changed := false
		for _, f := range all {
			cur := f.get()
			next := make([]Effect, len(cur))
			for i, p := range f.params {
				if p != nil {
					next[i] = r.varEffect(p)
				}
			}
			for i := range next {
				next[i] |= cur[i]
				if next[i] != cur[i] {
					changed = true
				}
			}
			f.set(next)
		}
		if !changed {
			break
		}
	}
}

// varEffect is the union of the effects of every use of v.
func (r *Result) varEffect(v *types.Var) Effect {
	var e Effect
	var sends []*Use
	for _, u := range r.uses[v] {
		ue := r.Effect(u)
		if ue&Drain != 0 && r.InStoredClosure(u) {
			// A range inside a closure kept for later (an iterator,
			// a callback) runs when and as long as its caller wants.
			ue = ue&^Drain | Recv
		}
		if ue&Send != 0 {
			sends = append(sends, u)
			if u.Go != nil || u.Kind == KindCall && u.InGo {
				ue |= Async
			}
		}
		e |= ue
	}
	if e&Send != 0 && e&SendMany == 0 && r.SendCount(sends[0].Home, sends) > 1 {
		e |= SendMany
	}
	return e
}

// SendCount returns how many blocking sends one run of fn (a FuncDecl or
// FuncLit) makes through the given uses, which lie in fn or in func
// literals inside it: Many when a loop can repeat one. A use in a
// goroutine, a deferred or called-in-place literal counts what one run of
// that literal sends; a use in any other closure, which may be called any
// number of times, counts as Many.
func (r *Result) SendCount(fn ast.Node, uses []*Use) int {
	f := r.Flow(fn)
	if f == nil {
		return Many
	}
	var pts []Point
	var weights []int
	nested := make(map[*ast.FuncLit][]*Use)
	var lits []*ast.FuncLit
	var litCur []inspector.Cursor
	for _, u := range uses {
		e := r.Effect(u)
		if e&Send == 0 {
			continue
		}
		lit, lc := childLit(u.Cur, fn)
		if lit == nil {
			p, ok := f.At(u.Cur)
			if !ok {
				return Many
			}
			w := 1
			if e&SendMany != 0 {
				w = Many
			}
			pts, weights = append(pts, p), append(weights, w)
			continue
		}
		if _, ok := nested[lit]; !ok {
			lits, litCur = append(lits, lit), append(litCur, lc)
		}
		nested[lit] = append(nested[lit], u)
	}
	for i, lit := range lits {
		if !r.runsOnce(litCur[i]) {
			// A closure bound to a local variable and only called
			// sends at each of its calls.
			calls, ok := r.localCalls(litCur[i], fn)
			if !ok {
				return Many
			}
			w := r.SendCount(lit, nested[lit])
			for _, c := range calls {
				p, ok := f.At(c)
				if !ok {
					return Many
				}
				pts, weights = append(pts, p), append(weights, w)
			}
			continue
		}
		p, ok := f.At(litCur[i])
		if !ok {
			return Many
		}
		pts, weights = append(pts, p), append(weights, r.SendCount(lit, nested[lit]))
	}
	return f.MaxCount(pts, weights, uses[0].Var.Pos())
}

// localCalls returns the calls of the func literal at lc when it is bound
// to a local variable of fn ("finish := func(...) {...}") that fn only
// ever calls, outside any other func literal; false otherwise.
func (r *Result) localCalls(lc inspector.Cursor, fn ast.Node) ([]inspector.Cursor, bool) {
	var v *types.Var
	switch p := lc.Parent().Node().(type) {
	case *ast.AssignStmt:
		if p.Tok == token.DEFINE && len(p.Lhs) == 1 && len(p.Rhs) == 1 {
			if id, ok := p.Lhs[0].(*ast.Ident); ok {
				v, _ = r.pass.TypesInfo.Defs[id].(*types.Var)
			}
		}
	case *ast.ValueSpec:
		if len(p.Names) == 1 && len(p.Values) == 1 {
			v, _ = r.pass.TypesInfo.Defs[p.Names[0]].(*types.Var)
		}
	}
	if v == nil {
		return nil, false
	}
	fc := lc
	for fc.Node() != nil && fc.Node() != fn {
		fc = fc.Parent()
	}
	if fc.Node() == nil {
		return nil, false
	}
	var calls []inspector.Cursor
	ok := true
	for c := range fc.Preorder((*ast.Ident)(nil)) {
		if !ok {
			break
		}
		if r.pass.TypesInfo.Uses[c.Node().(*ast.Ident)] != v {
			continue
		}
		call, isCall := c.Parent().Node().(*ast.CallExpr)
		if !isCall || c.ParentEdgeKind() != edge.CallExpr_Fun || call.Fun != c.Node() {
			ok = false
			break
		}
		if lit, _ := childLit(c, fn); lit != nil {
			ok = false // called from a closure: when and how often is not known
			break
		}
		calls = append(calls, c.Parent())
	}
	return calls, ok
}

// InStoredClosure reports whether u lies in a func literal that is not run
// where it is written (by a go or defer statement, a call in place or a
// goroutine starter), but kept, returned or passed on: a callback or an
// iterator, which runs when, where and as often as someone else decides.
func (r *Result) InStoredClosure(u *Use) bool {
	for c := u.Cur.Parent(); c.Node() != nil && c.Node() != u.Home; c = c.Parent() {
		if _, ok := c.Node().(*ast.FuncLit); ok && !r.runsOnce(c) {
			return true
		}
	}
	return false
}

// childLit returns the outermost func literal between cur and fn.
func childLit(cur inspector.Cursor, fn ast.Node) (*ast.FuncLit, inspector.Cursor) {
	var lit *ast.FuncLit
	var lc inspector.Cursor
	for c := cur.Parent(); c.Node() != nil && c.Node() != fn; c = c.Parent() {
		if l, ok := c.Node().(*ast.FuncLit); ok {
			lit, lc = l, c
		}
	}
	return lit, lc
}

// runsOnce reports whether the func literal at lc runs once each time its
// statement runs: the function of a go or defer statement or of a call in
// place, or the argument of a goroutine starter.
func (r *Result) runsOnce(lc inspector.Cursor) bool {
	e := lc
	for {
		if _, ok := e.Parent().Node().(*ast.ParenExpr); !ok {
			break
		}
		e = e.Parent()
	}
	call, ok := e.Parent().Node().(*ast.CallExpr)
	if !ok {
		return false
	}
	if e.ParentEdgeKind() == edge.CallExpr_Fun {
		return true
	}
	return e.ParentEdgeKind() == edge.CallExpr_Args && r.starts(call, e.ParentEdgeIndex())
}

// chanOf returns the Chan for v when v is made by make or a producer call
// in its definition, nil otherwise.
func (r *Result) chanOf(c *classifier, v *types.Var, cur inspector.Cursor, home ast.Node, producers bool) *Chan {
	var rhs ast.Expr
	var def ast.Node
	switch p := cur.Parent().Node().(type) {
	case *ast.AssignStmt:
		i := cur.ParentEdgeIndex()
		if cur.ParentEdgeKind() != 0 && len(p.Lhs) == len(p.Rhs) {
			rhs = p.Rhs[i]
		} else if len(p.Rhs) == 1 {
			rhs = p.Rhs[0]
		}
		def = p
	case *ast.ValueSpec:
		i := cur.ParentEdgeIndex()
		if len(p.Names) == len(p.Values) {
			rhs = p.Values[i]
		} else if len(p.Values) == 1 {
			rhs = p.Values[0]
		}
		def = p
	}
	call, ok := ast.Unparen(rhs).(*ast.CallExpr)
	if !ok {
		return nil
	}
	ch := &Chan{Var: v, Home: home, Def: def, Make: call, Uses: r.uses[v]}
	for mc := range cur.Parent().Preorder((*ast.CallExpr)(nil)) {
		if mc.Node() == call {
			ch.Cur = mc
			break
		}
	}
	if !ch.Cur.Valid() {
		return nil
	}
	if c.isMake(call) {
		if producers {
			return nil
		}
		ch.Cap, ch.CapKnown = c.makeCap(call)
		return ch
	}
	if !producers {
		return nil
	}
	fn := typeutil.StaticCallee(r.pass.TypesInfo, call)
	if fn == nil {
		return nil
	}
	idx := 0
	if n := fn.Signature().Results().Len(); n > 1 {
		idx = cur.ParentEdgeIndex()
		if idx < 0 || idx >= n {
			return nil
		}
	}
	p := r.Summary(fn).Result(idx)
	if p.Blocked() == 0 {
		return nil
	}
	ch.Producer, ch.Pending, ch.Cap, ch.CapKnown = fn, p, p.Cap, true
	return ch
}

// pending records in its home function's Summary that ch is a pending
// result: returned, and sent on by goroutines the function starts, with
// no receive of its own.
func (r *Result) pending(ch *Chan) {
	decl, ok := ch.Home.(*ast.FuncDecl)
	if !ok || !ch.CapKnown || decl.Body == nil {
		return
	}
	fn, _ := r.pass.TypesInfo.Defs[decl.Name].(*types.Func)
	s := r.local[fn]
	if s == nil {
		return
	}
	index := -1
	closes := false
	bySite := make(map[ast.Node][]*Use) // goroutine -> its sends
	var sites []ast.Node
	for _, u := range ch.Uses {
		switch u.Kind {
		case KindBenign:
			continue
		case KindClose:
			closes = true
			continue
		case KindReturn:
			if u.Site != nil || (index >= 0 && index != u.Index) {
				return
			}
			index = u.Index
			continue
		}
		e := r.Effect(u)
		if e&(Recv|Drain|Escape) != 0 {
			return
		}
		if e&Close != 0 {
			closes = true
		}
		if e&Send == 0 {
			continue
		}
		site := u.Go
		if u.Kind == KindCall && (u.InGo || e&Async != 0 && u.Site == nil) {
			site = u.Op
		}
		if site == nil {
			return // the function itself, or a closure, sends
		}
		if _, ok := bySite[site]; !ok {
			sites = append(sites, site)
		}
		bySite[site] = append(bySite[site], u)
	}
	if index < 0 || index >= len(s.Results) || len(sites) == 0 {
		return
	}
	// Every return gives ch or nil in that place.
	f := r.Flow(decl)
	if f == nil {
		return
	}
	for _, b := range f.CFG.Blocks {
		ret := b.Return()
		if !b.Live || ret == nil {
			continue
		}
		if len(ret.Results) != len(s.Results) {
			return
		}
		res := ast.Unparen(ret.Results[index])
		if id, ok := res.(*ast.Ident); ok && r.pass.TypesInfo.Uses[id] == ch.Var {
			continue
		}
		if tv, ok := r.pass.TypesInfo.Types[res]; ok && tv.IsNil() {
			continue
		}
		return
	}
	sends := 0
	for _, site := range sites {
		sends = addCount(sends, r.SiteSends(bySite[site]))
	}
	if sends <= ch.Cap {
		return
	}
	ends := true
	for _, site := range sites {
		u := bySite[site][0]
		switch {
		case u.Site != nil:
			f := r.Flow(u.Site)
			ends = ends && f != nil && f.Returns()
		case u.Lit != nil:
			f := r.Flow(u.Lit)
			ends = ends && f != nil && f.Returns()
		default:
			sum := r.Summary(u.Callee)
			ends = ends && sum != nil && sum.Returns
		}
	}
	s.Results[index] = Pending{Sends: sends, Cap: ch.Cap, Closes: closes, Ends: ends}
}

// SiteSends returns how many blocking sends one goroutine makes, given
// its uses of the channel (all with the same Go, or one go statement's
// call): Many when a loop repeats them, or starts the goroutine again
// more times than a constant count.
func (r *Result) SiteSends(uses []*Use) int {
	n := r.SiteSendsOnce(uses)
	if n == 0 {
		return 0
	}
	trips, ok := r.Trips(uses)
	if !ok {
		return Many
	}
	return mulCount(n, trips)
}

// SiteSendsOnce returns how many blocking sends one run of the goroutine
// makes, given its uses of the channel: Many when a loop inside it can
// repeat one.
func (r *Result) SiteSendsOnce(uses []*Use) int {
	if len(uses) == 0 {
		return 0
	}
	u := uses[0]
	if u.Kind == KindCall && (u.InGo || u.Site == nil && r.Effect(u)&Async != 0) {
		e := r.Effect(u)
		switch {
		case e&SendMany != 0:
			return Many
		case e&Send != 0:
			return 1
		}
		return 0
	}
	if u.Site == nil {
		return r.SendCount(u.Home, uses)
	}
	return r.SendCount(u.Site, uses)
}

// Trips returns how many times the home function's loops start the
// goroutine of uses: 1 when no loop does, the product of their counts
// when each loop runs a constant number of times (for i := 0; i < 4; i++,
// for range 4), and false otherwise.
func (r *Result) Trips(uses []*Use) (int, bool) {
	var u *Use
	for _, x := range uses {
		if x.HomeRepeats && r.Effect(x)&Send != 0 {
			u = x
			break
		}
	}
	if u == nil {
		return 1, true
	}
	trips := 1
	level := false // past the outermost func literal, at the home level
	for c := u.Cur; c.Node() != nil && c.Node() != u.Home; c = c.Parent() {
		if c.Node() == u.Site || u.Site == nil {
			level = true
		}
		if !level {
			continue
		}
		switch c.ParentEdgeKind() {
		case edge.ForStmt_Body, edge.RangeStmt_Body:
			loop := c.Parent().Node()
			if loop.Pos() <= u.Var.Pos() && u.Var.Pos() < loop.End() {
				continue
			}
			n, ok := r.constTrips(loop.(ast.Stmt))
			if !ok {
				return 0, false
			}
			trips = mulCount(trips, n)
		}
	}
	return trips, true
}

// constTrips returns the number of times loop runs when it is constant.
func (r *Result) constTrips(loop ast.Stmt) (int, bool) {
	info := r.pass.TypesInfo
	constInt := func(e ast.Expr) (int, bool) {
		tv, ok := info.Types[e]
		if !ok || tv.Value == nil {
			return 0, false
		}
		v, exact := constant.Int64Val(constant.ToInt(tv.Value))
		return int(v), exact && v >= 0 && v < 1<<16
	}
	switch l := loop.(type) {
	case *ast.RangeStmt:
		if n, ok := constInt(l.X); ok {
			return n, true
		}
		if a, ok := info.TypeOf(l.X).Underlying().(*types.Array); ok {
			return int(a.Len()), true
		}
	case *ast.ForStmt:
		init, ok := l.Init.(*ast.AssignStmt)
		if !ok || len(init.Lhs) != 1 || len(init.Rhs) != 1 {
			return 0, false
		}
		id, ok := init.Lhs[0].(*ast.Ident)
		if !ok {
			return 0, false
		}
		from, ok := constInt(init.Rhs[0])
		if !ok {
			return 0, false
		}
		cond, ok := l.Cond.(*ast.BinaryExpr)
		if !ok {
			return 0, false
		}
		x, ok := cond.X.(*ast.Ident)
		if !ok || x.Name != id.Name {
			return 0, false
		}
		to, ok := constInt(cond.Y)
		if !ok {
			return 0, false
		}
		inc, ok := l.Post.(*ast.IncDecStmt)
		if !ok || inc.Tok != token.INC {
			return 0, false
		}
		if px, ok := inc.X.(*ast.Ident); !ok || px.Name != id.Name {
			return 0, false
		}
		switch cond.Op {
		case token.LSS:
			return max(0, to-from), true
		case token.LEQ:
			return max(0, to-from+1), true
		}
	}
	return 0, false
}

func mulCount(a, b int) int {
	if a >= Many || b >= Many {
		return Many
	}
	if a*b >= Many {
		return Many
	}
	return a * b
}

func addCount(a, b int) int {
	if a >= Many || b >= Many {
		return Many
	}
	return a + b
}

// EnclosingFunc returns the innermost FuncDecl or FuncLit around cur.
func EnclosingFunc(cur inspector.Cursor) ast.Node {
	for c := cur.Parent(); c.Node() != nil; c = c.Parent() {
		switch c.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return c.Node()
		}
	}
	return nil
}

// isLocalChan reports whether v is a channel variable declared in a
// function (a local or a parameter).
func isLocalChan(v *types.Var) bool {
	return !v.IsField() && v.Pkg() != nil && v.Parent() != v.Pkg().Scope() && IsChan(v.Type())
}

// hasChanSig reports whether fn has a channel parameter or result.
func hasChanSig(fn *types.Func) bool {
	sig := fn.Signature()
	for v := range sig.Params().Variables() {
		if IsChan(v.Type()) {
			return true
		}
	}
	for v := range sig.Results().Variables() {
		if IsChan(v.Type()) {
			return true
		}
	}
	return false
}
