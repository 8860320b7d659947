// Package deferloop defines an Analyzer that reports a defer in a loop body
// that releases what the same iteration acquired while the loop goes on.
//
// # Analyzer deferloop
//
// deferloop: report a defer in a loop that releases a resource of this iteration only when the function returns (opt-in)
//
// Pitfall B3 of the catalogue. A deferred call runs when the function
// returns, not when the loop iteration ends: every deferred call of a loop
// runs (the claim that only the last one does is false), but they all wait.
// A file opened, a lock taken, a context with a timer or a transaction begun
// in each iteration and released by a defer piles up until the function
// returns: descriptors run out, a second Lock of the same mutex deadlocks,
// connections are held until the pool is empty.
//
// The check reports "defer x.Close()" (Close, Release, Rollback, Cancel,
// Shutdown, Stop, Free) or a deferred closure whose one release call is
// x.Close() (kubebuilder's "defer func() { if err := f.Close(); ... }()"),
// "defer mu.Unlock()" after "mu.Lock()", and "defer cancel()", when x, mu or cancel was acquired in the same iteration
// of the innermost loop that holds both, and a path leads from the defer
// back to the loop's next iteration. It stays silent when every path from
// the defer leaves the loop (defer then return, or break), when the
// resource escapes the iteration (appended, stored, sent, returned,
// captured by a closure, or wrapped by a call whose result is kept beyond
// the iteration, as grpc's interop client keeps a client per connection),
// when it is made by a method of the element of a range over a collection
// the function already holds (badger's one iterator per table: a view of
// what is open anyway), when the iteration releases the resource itself
// after the defer, in the same block (kubectl's untar: the defer only
// covers the early returns), and inside a func literal called per
// iteration, which is the fix; and over a fixed list, a range over a slice,
// array or map literal of at most 16 elements (in place, or in a variable
// nothing else assigns): its few resources end with the function. In
// _test.go files and in test helpers (functions that
// use a *testing.T or another value of package testing) only the deadlock
// of a second Lock is reported: a test's loops run over a few cases and its
// resources end with it. A context's cancel is reported only in loops that
// do not end by themselves ("for {}", ranging over a channel or an
// iterator): over a collection, the few contexts end with their timers.
//
// The fix: move the body into a func literal, or into
// cleanup.Scope (github.com/boundgo/bound/cleanup), which releases the
// iteration's stack when it returns. Where the loop body has no return, no
// goto and no break or continue that leaves it, a suggested fix wraps the
// body in a func literal called in place.
//
// No runtime check catches the pile-up: goleak and testing/synctest see
// goroutines, not descriptors or locks; a deadlock on the second Lock shows
// only when that iteration runs.
//
// The check is opt-in (boundvet -deferloop): on the corpus of real modules
// (vet/testdata/corpus.md) 3 of its 4 reports are real, 75%, below the 80%
// precision a default check must reach; its false report is a loop bounded
// by a count that is small at its one call site, which the check cannot see.
//
// https://github.com/boundgo/bound#b3
package deferloop

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"
)

const doc = `report a defer in a loop that releases a resource of this iteration only when the function returns (opt-in)

Pitfall B3: a deferred call runs when the function returns, not when the loop
iteration ends. Every deferred call of a loop runs, but a file opened, a lock
taken, a context with a timer or a transaction begun in each iteration and
released by a defer piles up until the function returns: descriptors run
out, the second Lock of a mutex deadlocks, the connection pool empties.

deferloop reports "defer x.Close()" (or Release, Rollback, Cancel, Shutdown,
Stop, Free; or a deferred closure whose one release call that is),
"defer mu.Unlock()" after "mu.Lock()" and "defer cancel()" when
the resource was acquired in the same iteration and a path leads from the
defer to the loop's next iteration. It is silent when every path from the
defer leaves the loop, when the resource escapes the iteration (or a value
made of it is kept beyond it), when a method of the ranged element makes it
(a view of what the function holds open anyway), when the iteration releases
it itself after the defer, inside a func literal called per iteration, and
(but for a Lock) over a fixed list, a literal of at most 16 elements; in tests and test helpers only the
deadlock of a second Lock is reported, and a context's cancel only in loops
that do not end by themselves (for {}, range over a channel). Fix: move the body into a func literal, or
use cleanup.Scope from github.com/boundgo/bound/cleanup.

No runtime backstop catches this: goleak and testing/synctest see goroutines,
not descriptors or locks.

Opt-in: on the corpus of real modules 3 of its 4 reports are real (75%,
below the 80% that a default check must reach); its false report is a loop
bounded by a small count the check cannot see.

` + "https://github.com/boundgo/bound#b3"

// Analyzer is the deferloop check (opt-in).
var Analyzer = &analysis.Analyzer{
	Name:     "deferloop",
	Doc:      doc,
	URL:      report.URL("B3"),
	Run:      run,
	Requires: []*analysis.Analyzer{inspect.Analyzer, ctrlflow.Analyzer},
}

// releaseMethods are the method names that release what their receiver
// holds. Unlock and RUnlock are handled apart: they pair with a Lock call.
var releaseMethods = map[string]bool{
	"Close":    true,
	"Release":  true,
	"Rollback": true,
	"Cancel":   true,
	"Shutdown": true,
	"Stop":     true,
	"Free":     true,
}

var lockOf = map[string]string{"Unlock": "Lock", "RUnlock": "RLock"}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	cfgs := pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs)
	r := report.New(pass, "B3")
	c := &checker{pass: pass, cfgs: cfgs, r: r, blocks: make(map[ast.Node]map[ast.Node]*cfg.Block)}

	for cur := range in.Root().Preorder((*ast.DeferStmt)(nil)) {
		d := cur.Node().(*ast.DeferStmt)
		// The loops between the defer and its function, innermost first.
		var loops []ast.Stmt
		var fn ast.Node
	up:
		for p := range cur.Enclosing() {
			switch n := p.Node().(type) {
			case *ast.ForStmt:
				if contains(n.Body, d) {
					loops = append(loops, n)
				}
			case *ast.RangeStmt:
				if contains(n.Body, d) {
					loops = append(loops, n)
				}
			case *ast.FuncLit, *ast.FuncDecl:
				fn = n
				break up
			}
		}
		if fn == nil || len(loops) == 0 {
			continue
		}
		c.check(cur, fn, loops, d)
	}
	return nil, nil
}

func contains(outer, inner ast.Node) bool {
	return outer != nil && outer.Pos() <= inner.Pos() && inner.End() <= outer.End()
}

type checker struct {
	pass   *analysis.Pass
	cfgs   *ctrlflow.CFGs
	r      *report.Reporter
	blocks map[ast.Node]map[ast.Node]*cfg.Block // per function: statement -> its block
}

// resource is what a deferred call releases.
type resource struct {
	v      *types.Var // the variable holding it (the receiver's root, or the func)
	lockOn string     // for Unlock: the rendered receiver whose Lock must come first
	lock   string     // "Lock" or "RLock"
	what   string     // how the message names it

	perIteration bool // a lock on a mutex found anew in each iteration
	context      bool // a context's cancel function
}

// bounded reports whether loop runs over a collection or up to a
// condition, not forever or over a channel or iterator.
func bounded(info *types.Info, loop ast.Stmt) bool {
	switch l := loop.(type) {
	case *ast.ForStmt:
		return l.Cond != nil
	case *ast.RangeStmt:
		switch info.TypeOf(l.X).Underlying().(type) {
		case *types.Chan, *types.Signature:
			return false
		}
		return true
	}
	return false
}

// maxFixed is the most elements a literal may list for a range over it to
// count as a fixed list.
const maxFixed = 16

// fixedList reports whether loop ranges over a slice, array or map literal
// of at most maxFixed elements: written in place, or (a slice or array)
// held in a local variable
// of fn that nothing else assigns, or in an unexported package variable
// that no function of the package assigns (go-ethereum's freezer names,
// a test suite's list of handshakes). Its iterations are as few as the
// source says.
func (c *checker) fixedList(fn ast.Node, loop ast.Stmt) bool {
	rs, ok := loop.(*ast.RangeStmt)
	if !ok {
		return false
	}
	info := c.pass.TypesInfo
	small := func(e ast.Expr) bool {
		lit, ok := ast.Unparen(e).(*ast.CompositeLit)
		return ok && len(lit.Elts) <= maxFixed
	}
	if small(rs.X) {
		return true
	}
	id, ok := ast.Unparen(rs.X).(*ast.Ident)
	if !ok {
		return false
	}
	if _, isMap := info.TypeOf(id).Underlying().(*types.Map); isMap {
		return false // m[k] = v, or a callee, may add to it
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.Pkg() != c.pass.Pkg {
		return false
	}
	global := v.Parent() == v.Pkg().Scope()
	if global && v.Exported() {
		return false // another package may change it
	}
	// Find the literal v is declared with, and any other write to v.
	var init ast.Expr
	written := false
	check := func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if info.Defs[name] == v && i < len(n.Values) && len(n.Names) == len(n.Values) {
					init = n.Values[i]
				}
			}
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				lid, ok := ast.Unparen(l).(*ast.Ident)
				if !ok {
					continue
				}
				switch {
				case info.Defs[lid] == v && n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs):
					init = n.Rhs[i]
				case info.Uses[lid] == v:
					written = true
				}
			}
		case *ast.IncDecStmt:
			if lid, ok := ast.Unparen(n.X).(*ast.Ident); ok && info.Uses[lid] == v {
				written = true
			}
		case *ast.UnaryExpr:
			if lid, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && info.Uses[lid] == v {
				written = true
			}
		}
		return !written
	}
	if global {
		for _, f := range c.pass.Files {
			ast.Inspect(f, check)
		}
	} else {
		ast.Inspect(fn, check)
	}
	return !written && init != nil && small(init)
}

// testHelper reports whether fn uses a value of package testing (a
// *testing.T, a testing.TB...): a test helper, whose resources end with
// the test, as in a _test.go file.
func (c *checker) testHelper(fn ast.Node) bool {
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		if found {
			return false
		}
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok {
				t := v.Type()
				if p, ok := t.(*types.Pointer); ok {
					t = p.Elem()
				}
				if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "testing" {
					found = true
				}
			}
		}
		return true
	})
	return found
}

// varIdent returns a node spanning v's declaration, to test where it is.
func varIdent(v *types.Var) ast.Node {
	return &ast.Ident{NamePos: v.Pos(), Name: v.Name()}
}

func (c *checker) check(cur inspector.Cursor, fn ast.Node, loops []ast.Stmt, d *ast.DeferStmt) {
	res, ok := c.released(d.Call)
	if !ok {
		return
	}
	// A test's loops run over a handful of cases and its resources are
	// gone when the test ends: only the deadlock of a second Lock is worth
	// a report there.
	if res.lock == "" && (strings.HasSuffix(c.pass.Fset.Position(d.Pos()).Filename, "_test.go") || c.testHelper(fn)) {
		return
	}
	for _, loop := range loops {
		body := loopBody(loop)
		if res.lock != "" && res.v != nil && contains(loop, varIdent(res.v)) {
			// A mutex reached through a variable of the iteration may be
			// another one each time: no deadlock, but locks pile up like
			// any other resource (and a test may hold them on purpose).
			res.perIteration = true
			if strings.HasSuffix(c.pass.Fset.Position(d.Pos()).Filename, "_test.go") {
				return
			}
		}
		acquired := false
		if res.lock != "" {
			acquired = c.locksBefore(body, res, d)
		} else {
			var call *ast.CallExpr
			call, acquired = c.assignedBefore(body, res.v, d)
			if acquired {
				if fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == "context" {
					res.context = true
				}
				if c.derivedFromElement(loop, call) {
					// for _, t := range tables { it := t.NewIterator() }:
					// a view of an element the caller already holds
					// open, one per element; nothing new piles up.
					return
				}
			}
		}
		if !acquired {
			continue
		}
		if res.lock == "" && c.fixedList(fn, loop) {
			// for _, name := range []string{"a", "b", "c"}: a handful of
			// iterations written out in the source, so a handful of
			// resources held until the function returns.
			return
		}
		if res.context && bounded(c.pass.TypesInfo, loop) {
			// A context's cancel only frees a timer and the parent's
			// reference, and the contexts of a loop over a collection
			// are few: they matter in loops that do not end.
			return
		}
		if res.v != nil && c.escapes(body, res.v, d) {
			return
		}
		if res.v != nil && res.lock == "" && c.releasedAfter(cur, res.v, d) {
			// defer f.Close() as a safety net for the early returns,
			// and f.Close() itself before the iteration goes on.
			return
		}
		if !c.loopGoesOn(fn, loop, d) {
			return
		}
		c.reportAt(loop, d, res)
		return
	}
}

func loopBody(loop ast.Stmt) *ast.BlockStmt {
	switch l := loop.(type) {
	case *ast.ForStmt:
		return l.Body
	case *ast.RangeStmt:
		return l.Body
	}
	return nil
}

// released returns what the deferred call releases, if it has a shape this
// check knows: v.M() with M a release method, mu.Unlock(), or cancel().
func (c *checker) released(call *ast.CallExpr) (resource, bool) {
	info := c.pass.TypesInfo
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.FuncLit:
		// defer func() { if err := f.Close(); err != nil { ... } }():
		// the closure releases what the one release call in it does.
		if len(call.Args) != 0 {
			return resource{}, false
		}
		var found []*ast.CallExpr
		ast.Inspect(fun.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CallExpr:
				if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && releaseMethods[sel.Sel.Name] {
					found = append(found, n)
				}
			}
			return true
		})
		if len(found) != 1 {
			return resource{}, false
		}
		if _, ok := ast.Unparen(found[0].Fun).(*ast.SelectorExpr); !ok {
			return resource{}, false
		}
		return c.released(found[0])
	case *ast.Ident:
		// defer cancel(): a local func value.
		v, ok := info.Uses[fun].(*types.Var)
		if !ok || v.IsField() || len(call.Args) != 0 {
			return resource{}, false
		}
		if _, isSig := v.Type().Underlying().(*types.Signature); !isSig {
			return resource{}, false
		}
		return resource{v: v, what: fun.Name}, true
	case *ast.SelectorExpr:
		sel, ok := info.Selections[fun]
		if !ok || sel.Kind() != types.MethodVal || len(call.Args) != 0 {
			return resource{}, false
		}
		name := fun.Sel.Name
		if lk, ok := lockOf[name]; ok {
			return resource{v: rootVar(info, fun.X), lockOn: render(fun.X), lock: lk, what: render(fun.X)}, true
		}
		if !releaseMethods[name] {
			return resource{}, false
		}
		if name == "Stop" && isTimeType(sel.Recv()) {
			return resource{}, false // timers and tickers hold no descriptor
		}
		v := rootVar(info, fun.X)
		if v == nil {
			return resource{}, false
		}
		return resource{v: v, what: render(fun.X)}, true
	}
	return resource{}, false
}

func isTimeType(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time"
}

// rootVar returns the local variable at the root of a chain of field
// selections (resp in resp.Body), or nil.
func rootVar(info *types.Info, e ast.Expr) *types.Var {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, ok := info.Uses[x].(*types.Var)
			if !ok || v.IsField() || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
				return nil // package-level or unknown: not acquired per iteration
			}
			return v
		case *ast.SelectorExpr:
			sel, ok := info.Selections[x]
			if !ok || sel.Kind() != types.FieldVal {
				return nil
			}
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return nil
		}
	}
}

func render(e ast.Expr) string {
	var b strings.Builder
	var walk func(ast.Expr) bool
	walk = func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.Ident:
			b.WriteString(x.Name)
		case *ast.SelectorExpr:
			if !walk(x.X) {
				return false
			}
			b.WriteString(".")
			b.WriteString(x.Sel.Name)
		case *ast.ParenExpr:
			return walk(x.X)
		case *ast.StarExpr:
			b.WriteString("*")
			return walk(x.X)
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

// assignedBefore reports whether v gets the result of a call in body before
// the defer: the resource is acquired in this iteration.
func (c *checker) assignedBefore(body *ast.BlockStmt, v *types.Var, d *ast.DeferStmt) (*ast.CallExpr, bool) {
	info := c.pass.TypesInfo
	var found *ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || n.Pos() >= d.Pos() {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				id, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok || (info.Defs[id] != v && info.Uses[id] != v) {
					continue
				}
				var rhs ast.Expr
				if len(n.Rhs) == len(n.Lhs) {
					rhs = n.Rhs[i]
				} else if len(n.Rhs) == 1 {
					rhs = n.Rhs[0]
				}
				if isAcquiringCall(info, rhs) {
					found = ast.Unparen(rhs).(*ast.CallExpr)
				}
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if info.Defs[name] != v {
					continue
				}
				var rhs ast.Expr
				if len(n.Values) == len(n.Names) {
					rhs = n.Values[i]
				} else if len(n.Values) == 1 {
					rhs = n.Values[0]
				}
				if isAcquiringCall(info, rhs) {
					found = ast.Unparen(rhs).(*ast.CallExpr)
				}
			}
		}
		return true
	})
	return found, found != nil
}

// isAcquiringCall reports whether e calls a function (not a conversion),
// the way a resource is acquired.
func isAcquiringCall(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		return false
	}
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if _, ok := info.Uses[id].(*types.Builtin); ok {
			return false
		}
	}
	return true
}

// locksBefore reports whether body calls res.lockOn.Lock() (or RLock)
// before the defer, outside nested func literals.
func (c *checker) locksBefore(body *ast.BlockStmt, res resource, d *ast.DeferStmt) bool {
	if res.lockOn == "" {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil || n.Pos() >= d.Pos() {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == res.lock && len(n.Args) == 0 &&
				render(sel.X) == res.lockOn {
				found = true
			}
		}
		return true
	})
	return found
}

// escapes reports whether v leaves the iteration in body: appended, stored,
// sent, returned, address taken, or used by a func literal or go statement.
// The receiver position of a method call or field selection is a use, not an
// escape.
func (c *checker) escapes(body *ast.BlockStmt, v *types.Var, d *ast.DeferStmt) bool {
	info := c.pass.TypesInfo
	escaped := false
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if escaped {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if n == d {
			return false // the deferred call itself
		}
		stack = append(stack, n)
		id, ok := n.(*ast.Ident)
		if !ok || info.Uses[id] != v {
			return true
		}
		// Any use in a func literal or go statement outlives the iteration.
		for _, p := range stack {
			switch p.(type) {
			case *ast.FuncLit, *ast.GoStmt:
				escaped = true
				return true
			}
		}
		// Walk up from the identifier through the expression it heads.
		var child ast.Node = id
		for i := len(stack) - 2; i >= 0; i-- {
			switch p := stack[i].(type) {
			case *ast.ParenExpr, *ast.StarExpr:
				child = p
				continue
			case *ast.UnaryExpr:
				if p.Op == token.AND {
					escaped = true
					return true
				}
			case *ast.SelectorExpr:
				if p.X == child {
					// v.f or v.M: the receiver, not v itself, unless the
					// field's value is what escapes: follow it further.
					if s, ok := info.Selections[p]; ok && s.Kind() == types.FieldVal {
						child = p
						continue
					}
				}
			case *ast.CallExpr:
				if id, ok := ast.Unparen(p.Fun).(*ast.Ident); ok {
					if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "append" {
						for _, a := range p.Args[1:] {
							if a == child {
								escaped = true
								return true
							}
						}
					}
				}
				if i > 0 && slices.Contains(p.Args, ast.Expr(child.(ast.Expr))) && c.keptOutside(body, stack[i-1], p) {
					// clients[i] = pb.NewClient(conn): what the call
					// makes of v outlives the iteration, and v with it.
					escaped = true
					return true
				}
			case *ast.AssignStmt:
				for _, r := range p.Rhs {
					if r == child {
						escaped = true
						return true
					}
				}
			case *ast.CompositeLit, *ast.KeyValueExpr, *ast.ReturnStmt:
				escaped = true
				return true
			case *ast.SendStmt:
				if p.Value == child {
					escaped = true
					return true
				}
			}
			break
		}
		return true
	})
	return escaped
}

// derivedFromElement reports whether call is a method call on the value
// variable of loop, a range over a slice, an array or a map: the resource
// is made from an element of a collection the function holds already.
func (c *checker) derivedFromElement(loop ast.Stmt, call *ast.CallExpr) bool {
	info := c.pass.TypesInfo
	rs, ok := loop.(*ast.RangeStmt)
	if !ok || rs.Value == nil {
		return false
	}
	switch info.TypeOf(rs.X).Underlying().(type) {
	case *types.Slice, *types.Array, *types.Map, *types.Pointer:
	default:
		return false
	}
	elem, ok := ast.Unparen(rs.Value).(*ast.Ident)
	if !ok {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if s := info.Selections[sel]; s == nil || s.Kind() != types.MethodVal {
		return false
	}
	v := rootVar(info, sel.X)
	return v != nil && v == info.ObjectOf(elem)
}

// releasedAfter reports whether a statement after the defer, in the block
// that holds it, calls the deferred call's release method on v itself (in
// the statement or its if-init and condition, not in a nested block): the
// iteration releases v on the path that goes on, and the defer only covers
// the returns before that.
func (c *checker) releasedAfter(cur inspector.Cursor, v *types.Var, d *ast.DeferStmt) bool {
	info := c.pass.TypesInfo
	call := d.Call
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		call = nil
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if x, ok := n.(*ast.CallExpr); ok && call == nil {
				if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && releaseMethods[sel.Sel.Name] {
					call = x
				}
			}
			return call == nil
		})
		if call == nil {
			return false
		}
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	method := sel.Sel.Name
	block, ok := cur.Parent().Node().(*ast.BlockStmt)
	if !ok {
		return false
	}
	found := false
	for _, st := range block.List {
		if st.Pos() <= d.Pos() {
			continue
		}
		ast.Inspect(st, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BlockStmt, *ast.FuncLit, *ast.DeferStmt, *ast.GoStmt:
				return false
			case *ast.CallExpr:
				if s, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && s.Sel.Name == method && rootVar(info, s.X) == v {
					found = true
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// keptOutside reports whether the result of call, whose parent is p, is
// kept beyond the iteration of body: assigned to an element, a field or a
// variable declared outside body, appended, sent, or returned.
func (c *checker) keptOutside(body *ast.BlockStmt, p ast.Node, call *ast.CallExpr) bool {
	info := c.pass.TypesInfo
	switch p := p.(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) != len(p.Rhs) {
			return false
		}
		for i, r := range p.Rhs {
			if ast.Unparen(r) != ast.Expr(call) {
				continue
			}
			switch l := ast.Unparen(p.Lhs[i]).(type) {
			case *ast.IndexExpr, *ast.SelectorExpr, *ast.StarExpr:
				return true
			case *ast.Ident:
				v, ok := info.ObjectOf(l).(*types.Var)
				return ok && !contains(body, varIdent(v))
			}
		}
	case *ast.CallExpr:
		if id, ok := ast.Unparen(p.Fun).(*ast.Ident); ok {
			if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "append" {
				return slices.Contains(p.Args[1:], ast.Expr(call))
			}
		}
	case *ast.SendStmt:
		return p.Value == ast.Expr(call)
	case *ast.ReturnStmt:
		return true
	}
	return false
}

// loopGoesOn reports whether a path leads from the defer to the next
// iteration of loop.
func (c *checker) loopGoesOn(fn ast.Node, loop ast.Stmt, d *ast.DeferStmt) bool {
	var g *cfg.CFG
	switch f := fn.(type) {
	case *ast.FuncDecl:
		g = c.cfgs.FuncDecl(f)
	case *ast.FuncLit:
		g = c.cfgs.FuncLit(f)
	}
	if g == nil {
		return false
	}
	index, ok := c.blocks[fn]
	if !ok {
		index = make(map[ast.Node]*cfg.Block)
		for _, b := range g.Blocks {
			for _, n := range b.Nodes {
				if _, isDefer := n.(*ast.DeferStmt); isDefer {
					index[n] = b
				}
			}
		}
		c.blocks[fn] = index
	}
	start := index[d]
	if start == nil || !start.Live {
		return false
	}
	seen := make(map[*cfg.Block]bool)
	work := append([]*cfg.Block(nil), start.Succs...)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		if b.Stmt == loop {
			switch b.Kind {
			case cfg.KindForLoop, cfg.KindForPost, cfg.KindForBody, cfg.KindRangeLoop:
				return true
			}
		}
		work = append(work, b.Succs...)
	}
	return false
}

func (c *checker) reportAt(loop ast.Stmt, d *ast.DeferStmt, res resource) {
	var msg string
	switch {
	case res.perIteration:
		msg = "defer " + render(ast.Unparen(d.Call.Fun)) + "() in a loop: the " + res.lock + " of each iteration's mutex is held until the function returns" +
			" (move the body into a func literal, or unlock before the iteration ends)"
	case res.lock != "":
		msg = "defer " + render(ast.Unparen(d.Call.Fun)) + "() in a loop: the " + res.lock + " of this iteration is held until the function returns, and the next iteration's " +
			res.lock + " deadlocks (move the body into a func literal, or unlock before the iteration ends)"
	default:
		what := "defer " + render(ast.Unparen(d.Call.Fun)) + "()"
		if _, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit); ok {
			what = "a deferred closure that closes " + res.what
		}
		msg = what + " in a loop releases " + res.what +
			" of this iteration only when the function returns: they pile up while the loop goes on" +
			" (move the body into a func literal, or use cleanup.Scope)"
	}
	diag := analysis.Diagnostic{Pos: d.Pos(), End: d.End(), Message: msg}
	if body := loopBody(loop); wrappable(c.pass.TypesInfo, body) {
		diag.SuggestedFixes = []analysis.SuggestedFix{{
			Message: "Run the loop body in a func literal, so its defers run at the end of each iteration",
			TextEdits: []analysis.TextEdit{
				{Pos: body.Lbrace + 1, End: body.Lbrace + 1, NewText: []byte("\nfunc() {")},
				{Pos: body.Rbrace, End: body.Rbrace, NewText: []byte("}()\n")},
			},
		}}
	}
	c.r.Report(diag)
}

// wrappable reports whether body can move into a func literal called in
// place without changing what it does apart from its defers: it has no
// return, no goto, no label, and no break or continue that leaves it.
func wrappable(info *types.Info, body *ast.BlockStmt) bool {
	ok := true
	depth := 0 // nesting of statements a plain break or continue stays in
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		if n == nil {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch top.(type) {
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				depth--
			}
			return true
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt, *ast.LabeledStmt:
			ok = false
			return false
		case *ast.BranchStmt:
			switch {
			case n.Tok == token.GOTO || n.Tok == token.FALLTHROUGH && depth == 0:
				ok = false
			case n.Label != nil:
				ok = false // labels are rejected above, so this one is outside
			case n.Tok == token.CONTINUE && !inLoop(stack), n.Tok == token.BREAK && depth == 0:
				ok = false
			}
			return false
		case *ast.ExprStmt:
			// A call to recover would stop recovering: it moves one frame down.
			if call, isCall := n.X.(*ast.CallExpr); isCall {
				if id, isId := ast.Unparen(call.Fun).(*ast.Ident); isId {
					if b, isB := info.Uses[id].(*types.Builtin); isB && b.Name() == "recover" {
						ok = false
					}
				}
			}
		case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			depth++
		}
		stack = append(stack, n)
		return true
	})
	return ok
}

func inLoop(stack []ast.Node) bool {
	for _, n := range stack {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		}
	}
	return false
}
