// Package addinside reports a sync.WaitGroup.Add made inside the goroutine it
// is meant to count.
//
// Pitfall A3 (WaitGroup Add/Done/Wait misuse): Add must happen before the
// go statement. Inside the new goroutine it races with Wait, which may see a
// zero counter and return before the goroutine has even started; the race
// detector reports it only when the bad interleaving happens to run, and
// goleak then finds the goroutine that Wait did not wait for.
//
// vet's waitgroup pass and staticcheck's SA2000 see the Add only as the
// first statement of a func literal. This check finds it at any position,
// and through helpers learned by fact: a function that calls Add on its
// WaitGroup parameter, called inside the goroutine, or a function started
// with go that adds to, and marks done, the group it is handed (or a group
// field of its receiver). A func literal handed to the function a go
// statement starts (go until(func() { r.wg.Add(1); r.watch() }, ...), the
// shape of sercand/kuberesolver#64) runs in the new goroutine too, and a
// method called on the captured receiver marks its group field done when
// its summary says so. It reports only a goroutine that counts itself: it
// marks the same group done, starts no goroutine of its own that does, and
// the group is waited for somewhere; a goroutine counted by an Add on the
// same group right before its go statement is not reported (its own Adds
// find the counter above zero). An Add made while holding a mutex is
// left alone: with a closed flag checked under the same mutex, that is the
// correct way to count a goroutine that may start after shutdown began.
package addinside

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"

	"github.com/boundgo/bound/vet/internal/groups"
	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Analyzer is the addinside check.
var Analyzer = &analysis.Analyzer{
	Name: "addinside",
	Doc: `report sync.WaitGroup.Add called inside the goroutine it counts

Pitfall A3 (WaitGroup misuse): Add inside the new goroutine races with Wait,
which may see a zero counter and return before the goroutine has started. The
race detector sees it only when the interleaving happens; goleak then finds
the goroutine Wait did not wait for.

Unlike vet's waitgroup pass and staticcheck's SA2000, which look at the first
statement of a func literal only, this check finds the Add at any position, and
through helpers learned by fact (a function that adds to its WaitGroup
parameter, called in the goroutine; a function started with go that adds to and
marks done the group it is given; a literal handed to the function a go
statement starts, whose method calls count the receiver's group down). It reports a goroutine that counts itself:
it marks the same group done, starts none that does, and the group is waited
for. An Add under a mutex is left alone (the guarded-Add idiom). Fix: move
wg.Add(1) before the go statement (offered as a suggested fix where that is
safe), or use wg.Go.

` + report.URL("A3"),
	URL:      report.URL("A3"),
	Requires: []*analysis.Analyzer{inspect.Analyzer, groups.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	gr := pass.ResultOf[groups.Analyzer].(*groups.Result)
	c := &checker{pass: pass, gr: gr, rep: report.New(pass, "A3")}
	for gc := range in.Root().Preorder((*ast.GoStmt)(nil)) {
		stmt := gc.Node().(*ast.GoStmt)
		if lit, ok := ast.Unparen(stmt.Call.Fun).(*ast.FuncLit); ok {
			litc, _ := gc.FindNode(lit)
			c.literal(stmt, litc)
			continue
		}
		c.named(gc, stmt)
		// go retry(func() { wg.Add(1); ... }): a literal handed to the
		// function the go statement starts can only run in the new
		// goroutine (or later), never before the go statement.
		for _, arg := range stmt.Call.Args {
			if lit, ok := ast.Unparen(arg).(*ast.FuncLit); ok {
				litc, _ := gc.FindNode(lit)
				c.literal(stmt, litc)
			}
		}
	}
	return nil, nil
}

type checker struct {
	pass   *analysis.Pass
	gr     *groups.Result
	rep    *report.Reporter
	waited map[*types.Var]bool // group fields waited for somewhere in the package; nil until needed
}

// A key names a WaitGroup from inside a goroutine: a variable the goroutine
// captures, and a path of fields from it ("" for the variable itself).
type key struct {
	root *types.Var
	path string
}

// use is what a goroutine does with one WaitGroup.
type use struct {
	add     groups.Ref // the first Add in the goroutine's own flow
	hasAdd  bool
	done    bool // marks itself done
	nested  bool // something it starts marks the group done
	field   *types.Var
	refText string
}

// literal checks the goroutine go func() { ... }() whose literal is at litc.
func (c *checker) literal(stmt *ast.GoStmt, litc inspector.Cursor) {
	lit := litc.Node().(*ast.FuncLit)
	uses := make(map[key]*use)
	var order []key
	for rc := range litc.Preorder((*ast.Ident)(nil), (*ast.SelectorExpr)(nil)) {
		k, field, ok := c.captured(rc, lit)
		if !ok {
			continue
		}
		ref := c.gr.Classify(rc, groups.WaitGroup, lit)
		u := uses[k]
		if u == nil {
			u = &use{field: field, refText: types.ExprString(rc.Node().(ast.Expr))}
			uses[k] = u
			order = append(order, k)
		}
		op := ref.Effect()
		if op&groups.Add != 0 && ref.Timing == groups.Sync && !u.hasAdd {
			if beforeGo(rc) {
				// wg.Add(1); go f(): the idiom, counting the
				// goroutine started next (openfga's check
				// reducer starts its workers so), not this one.
				u.nested = true
			} else {
				u.add, u.hasAdd = ref, true
			}
		}
		if op&groups.Done != 0 {
			u.done = true
		}
		if op&groups.DoneAsync != 0 {
			u.nested = true
		}
	}
	// r.m() marks r.wg done when m does (by its summary): a goroutine
	// that adds to a field and then runs a method that counts itself down.
	info := c.pass.TypesInfo
	for cc := range litc.Preorder((*ast.CallExpr)(nil)) {
		call := cc.Node().(*ast.CallExpr)
		if fc, ok := enclosingLit(cc); !ok || fc != lit {
			continue // in a nested literal: another timing
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			continue
		}
		id, ok := ast.Unparen(sel.X).(*ast.Ident)
		if !ok {
			continue
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || v.Pos() >= lit.Pos() && v.Pos() < lit.End() {
			continue
		}
		fn := typeutil.StaticCallee(info, call)
		if fn == nil {
			continue
		}
		sum := c.gr.Summary(fn)
		if sum == nil {
			continue
		}
		for name, op := range sum.Fields {
			u := uses[key{root: v, path: id.Name + "." + name}]
			if u == nil {
				continue
			}
			if k, _ := cc.ParentEdge(); k == edge.GoStmt_Call {
				op = 0
				u.nested = true // the method runs in a goroutine of its own
			}
			if op&groups.Done != 0 {
				u.done = true
			}
			if op&groups.DoneAsync != 0 {
				u.nested = true
			}
		}
	}
	for _, k := range order {
		u := uses[k]
		if !u.hasAdd || !u.done || u.nested || !c.isWaited(k, u.field) {
			continue
		}
		c.reportLiteral(stmt, lit, u)
	}
}

// beforeGo reports whether the reference at rc is in a statement that a go
// statement follows directly in the same block: wg.Add(1); go f().
func beforeGo(rc inspector.Cursor) bool {
	for c := range rc.Enclosing((*ast.ExprStmt)(nil)) {
		list, idx := stmtList(c)
		if idx+1 < len(list) {
			_, ok := list[idx+1].(*ast.GoStmt)
			return ok
		}
		return false
	}
	return false
}

// stmtList returns the statement list that holds the statement at c (a
// block's, or a case's body) and c's index in it; nil if c is no element
// of such a list.
func stmtList(c inspector.Cursor) ([]ast.Stmt, int) {
	k, idx := c.ParentEdge()
	switch p := c.Parent().Node().(type) {
	case *ast.BlockStmt:
		if k == edge.BlockStmt_List {
			return p.List, idx
		}
	case *ast.CaseClause:
		if k == edge.CaseClause_Body {
			return p.Body, idx
		}
	case *ast.CommClause:
		if k == edge.CommClause_Body {
			return p.Body, idx
		}
	}
	return nil, -1
}

// enclosingLit returns the innermost function literal around c.
func enclosingLit(c inspector.Cursor) (*ast.FuncLit, bool) {
	for f := range c.Enclosing((*ast.FuncLit)(nil)) {
		return f.Node().(*ast.FuncLit), true
	}
	return nil, false
}

// captured reports whether the node at rc (an identifier or a field
// selection) names a WaitGroup that lives outside lit, and returns its key.
func (c *checker) captured(rc inspector.Cursor, lit *ast.FuncLit) (key, *types.Var, bool) {
	info := c.pass.TypesInfo
	outside := func(v *types.Var) bool { return v.Pos() < lit.Pos() || v.Pos() >= lit.End() }
	switch n := rc.Node().(type) {
	case *ast.Ident:
		if k, _ := rc.ParentEdge(); k == edge.SelectorExpr_Sel {
			return key{}, nil, false
		}
		v, ok := info.Uses[n].(*types.Var)
		if !ok || v.IsField() || !outside(v) {
			return key{}, nil, false
		}
		if k, _ := groups.KindOf(v.Type()); k != groups.WaitGroup {
			return key{}, nil, false
		}
		return key{root: v}, nil, true
	case *ast.SelectorExpr:
		sel := info.Selections[n]
		if sel == nil || sel.Kind() != types.FieldVal {
			return key{}, nil, false
		}
		if k, _ := groups.KindOf(sel.Type()); k != groups.WaitGroup {
			return key{}, nil, false
		}
		root := n.X
		for {
			s, ok := root.(*ast.SelectorExpr)
			if !ok {
				break
			}
			root = s.X
		}
		id, ok := root.(*ast.Ident)
		if !ok {
			return key{}, nil, false
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || !outside(v) {
			return key{}, nil, false
		}
		return key{root: v, path: types.ExprString(n)}, sel.Obj().(*types.Var), true
	}
	return key{}, nil, false
}

// isWaited reports whether the group can be waited for: a field that some
// code of the package waits on, or that code elsewhere may reach; a variable
// that its function waits on or hands on, or that it did not make.
func (c *checker) isWaited(k key, field *types.Var) bool {
	if field != nil {
		if field.Exported() {
			return true
		}
		return c.fieldWaited(field)
	}
	refs := c.gr.Refs(k.root)
	if refs == nil {
		return true // a parameter or package variable: its owner may wait
	}
	if c.gr.Decl(k.root) == nil {
		return true
	}
	for _, r := range refs {
		if r.Op&(groups.Wait|groups.Escape) != 0 {
			return true
		}
	}
	return false
}

// fieldWaited reports whether the package waits on field anywhere, or lets
// it escape.
func (c *checker) fieldWaited(field *types.Var) bool {
	if c.waited == nil {
		c.waited = make(map[*types.Var]bool)
		in := c.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		for sc := range in.Root().Preorder((*ast.SelectorExpr)(nil)) {
			sel := c.pass.TypesInfo.Selections[sc.Node().(*ast.SelectorExpr)]
			if sel == nil || sel.Kind() != types.FieldVal {
				continue
			}
			f := sel.Obj().(*types.Var)
			if k, _ := groups.KindOf(f.Type()); k != groups.WaitGroup || c.waited[f] {
				continue
			}
			ref := c.gr.Classify(sc, groups.WaitGroup, nil)
			if ref.Op&(groups.Wait|groups.Escape) != 0 {
				c.waited[f] = true
			}
		}
	}
	return c.waited[field]
}

// reportLiteral reports the Add of u inside the literal lit started by stmt.
func (c *checker) reportLiteral(stmt *ast.GoStmt, lit *ast.FuncLit, u *use) {
	call := u.add.Call
	name := u.refText
	var d analysis.Diagnostic
	if isMethodCall(call, u.add.Node) {
		d = analysis.Diagnostic{
			Pos: call.Pos(),
			End: call.End(),
			Message: fmt.Sprintf("%s.Add is called inside the goroutine it counts: it races with %s.Wait, which may return before the goroutine starts (call %s.Add before the go statement, or use %s.Go)",
				name, name, name, name),
		}
		if fix, ok := c.moveFix(stmt, lit, call); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	} else {
		d = analysis.Diagnostic{
			Pos: call.Pos(),
			End: call.End(),
			Message: fmt.Sprintf("%s adds to %s inside the goroutine it counts: the Add races with %s.Wait, which may return before the goroutine starts (call %s.Add before the go statement, or use %s.Go)",
				calleeName(c.pass.TypesInfo, call), name, name, name, name),
		}
	}
	c.rep.Report(d)
}

// isMethodCall reports whether call is a method call on the reference n
// (wg.Add(1)), rather than a call n is passed to.
func isMethodCall(call *ast.CallExpr, n ast.Node) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && ast.Unparen(sel.X) == n
}

func calleeName(info *types.Info, call *ast.CallExpr) string {
	if fn := typeutil.StaticCallee(info, call); fn != nil {
		return fn.Name()
	}
	return types.ExprString(call.Fun)
}

// named checks go f(&wg) and go s.m(), where the function started adds to
// and marks done, by fact, the group it is given or a group field of its
// receiver.
func (c *checker) named(gc inspector.Cursor, stmt *ast.GoStmt) {
	info := c.pass.TypesInfo
	call := stmt.Call
	fn := typeutil.StaticCallee(info, call)
	if fn == nil {
		return
	}
	s := c.gr.Summary(fn)
	if s == nil {
		return
	}
	selfCounting := func(op groups.Op) bool {
		return op&groups.Add != 0 && op&groups.Done != 0 && op&(groups.DoneAsync|groups.Escape) == 0
	}
	for i, arg := range call.Args {
		if !selfCounting(s.Param(i)) {
			continue
		}
		e := ast.Unparen(arg)
		if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
			e = ast.Unparen(u.X)
		}
		if !c.argWaited(e) {
			continue
		}
		name := types.ExprString(e)
		if addedBefore(gc, name) {
			return
		}
		c.rep.Report(analysis.Diagnostic{
			Pos: stmt.Pos(),
			End: call.End(),
			Message: fmt.Sprintf("%s adds to %s inside the goroutine this go statement starts, and marks it done there: the Add races with %s.Wait, which may return before the goroutine starts (call %s.Add before the go statement, or use %s.Go)",
				fn.Name(), name, name, name, name),
		})
		return
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || len(s.Fields) == 0 {
		return
	}
	recvT := info.TypeOf(sel.X)
	if recvT == nil {
		return
	}
	for _, name := range slices.Sorted(maps.Keys(s.Fields)) {
		if !selfCounting(s.Fields[name]) {
			continue
		}
		obj, _, _ := types.LookupFieldOrMethod(recvT, true, fn.Pkg(), name)
		field, ok := obj.(*types.Var)
		if !ok || !field.IsField() {
			continue
		}
		if !field.Exported() && !c.fieldWaited(field) {
			continue
		}
		path := types.ExprString(sel.X) + "." + name
		if addedBefore(gc, path) {
			return
		}
		c.rep.Report(analysis.Diagnostic{
			Pos: stmt.Pos(),
			End: call.End(),
			Message: fmt.Sprintf("%s adds to %s inside the goroutine this go statement starts, and marks it done there: the Add races with %s.Wait, which may return before the goroutine starts (call %s.Add before the go statement, or use %s.Go)",
				fn.Name(), path, path, path, path),
		})
		return
	}
}

// addedBefore reports whether the statement right before the go statement
// at gc is group.Add(...) on the group written group: "tc.wg.Add(1); go
// tc.loop()" (prometheus's treecache). The goroutine is counted before it
// starts and marks that count done at its end, so the Adds it makes while
// it runs happen with the counter above zero, and cannot race with Wait.
func addedBefore(gc inspector.Cursor, group string) bool {
	list, idx := stmtList(gc)
	if idx < 1 || idx > len(list) {
		return false
	}
	es, ok := list[idx-1].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Add" && types.ExprString(sel.X) == group
}

// argWaited reports whether the WaitGroup expression e, an argument of a go
// statement, can be waited for.
func (c *checker) argWaited(e ast.Expr) bool {
	info := c.pass.TypesInfo
	switch e := e.(type) {
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		return ok && c.isWaited(key{root: v}, nil)
	case *ast.SelectorExpr:
		if sel := info.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			f := sel.Obj().(*types.Var)
			return f.Exported() || c.fieldWaited(f)
		}
	}
	return true
}

// moveFix moves the statement of the Add call before the go statement, when
// that keeps the program's meaning: the Add is a statement of the
// goroutine's body itself (not under a condition or a loop), nothing before
// it can leave the goroutine, and its argument can be computed before the
// go statement.
func (c *checker) moveFix(stmt *ast.GoStmt, lit *ast.FuncLit, call *ast.CallExpr) (analysis.SuggestedFix, bool) {
	at := -1
	for i, s := range lit.Body.List {
		if es, ok := s.(*ast.ExprStmt); ok && ast.Unparen(es.X) == call {
			at = i
			break
		}
	}
	if at < 0 || len(stmt.Call.Args) != 0 {
		return analysis.SuggestedFix{}, false
	}
	for _, s := range lit.Body.List[:at] {
		if !straight(s) {
			return analysis.SuggestedFix{}, false
		}
	}
	for _, a := range call.Args {
		if !c.evaluableOutside(a, lit) {
			return analysis.SuggestedFix{}, false
		}
	}
	addStmt := lit.Body.List[at]
	fset := c.pass.Fset
	file := fset.File(stmt.Pos())
	src, err := c.pass.ReadFile(file.Name())
	if err != nil {
		return analysis.SuggestedFix{}, false
	}
	start, end := file.Offset(addStmt.Pos()), file.Offset(addStmt.End())
	// A comment after the statement on its line goes with it.
	if rest := bytes.TrimLeft(src[end:], " \t"); bytes.HasPrefix(rest, []byte("//")) {
		end = len(src) - len(rest)
		for end < len(src) && src[end] != '\n' {
			end++
		}
	}
	text := src[start:end]

	// Indentation of the go statement's line.
	goOff := file.Offset(stmt.Pos())
	lineStart := goOff
	for lineStart > 0 && src[lineStart-1] != '\n' {
		lineStart--
	}
	indent := src[lineStart:goOff]
	if len(bytes.TrimSpace(indent)) != 0 {
		indent = nil // the go statement shares its line: gofmt will sort it out
	}

	// What to delete: the whole line if the statement is alone on it,
	// else the statement and a following semicolon.
	ls := start
	for ls > 0 && (src[ls-1] == ' ' || src[ls-1] == '\t') {
		ls--
	}
	le := end
	for le < len(src) && (src[le] == ' ' || src[le] == '\t') {
		le++
	}
	switch {
	case (ls == 0 || src[ls-1] == '\n') && le < len(src) && src[le] == '\n':
		start, end = ls, le+1
	case le < len(src) && src[le] == ';':
		end = le + 1
		for end < len(src) && src[end] == ' ' {
			end++
		}
	}

	insert := append(append(append([]byte{}, text...), '\n'), indent...)
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("Move %s before the go statement", text),
		TextEdits: []analysis.TextEdit{
			{Pos: stmt.Pos(), End: stmt.Pos(), NewText: insert},
			{Pos: file.Pos(start), End: file.Pos(end)},
		},
	}, true
}

// straight reports whether s cannot leave the goroutine early or skip what
// follows: no return, branch, go statement, panic or loop.
func straight(s ast.Stmt) bool {
	switch s.(type) {
	case *ast.ExprStmt, *ast.AssignStmt, *ast.DeclStmt, *ast.DeferStmt, *ast.IncDecStmt:
	default:
		return false
	}
	ok := true
	ast.Inspect(s, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if id, isID := ast.Unparen(n.Fun).(*ast.Ident); isID && id.Name == "panic" {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// evaluableOutside reports whether e means the same before the go statement
// as inside lit: a constant, or names declared outside lit, with no calls
// other than len and cap.
func (c *checker) evaluableOutside(e ast.Expr, lit *ast.FuncLit) bool {
	info := c.pass.TypesInfo
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		return true
	}
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if obj := info.Uses[n]; obj != nil && obj.Pos() >= lit.Pos() && obj.Pos() < lit.End() {
				ok = false
			}
		case *ast.CallExpr:
			if b, isB := info.Uses[identOf(n.Fun)].(*types.Builtin); !isB || (b.Name() != "len" && b.Name() != "cap") {
				ok = false
			}
		case *ast.FuncLit:
			ok = false
		}
		return ok
	})
	return ok
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}
