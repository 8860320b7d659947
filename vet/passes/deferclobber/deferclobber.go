// Package deferclobber defines an Analyzer that reports deferred calls that
// lose an error: a deferred closure that overwrites the named error result,
// and a deferred Close or Flush of a writer whose error nobody sees.
//
// # Analyzer deferclobber
//
// deferclobber: report a deferred call that wipes or drops an error the caller should see
//
// Pitfalls B1 and B2 of the catalogue. Go runs a function's deferred calls
// after "return x" has assigned the results, and a deferred closure may change
// a named result (the claim that return overwrites it is false). Two mistakes
// follow from getting this wrong:
//
//   - A deferred closure that assigns the named error result without looking
//     at it, "defer func() { err = f.Close() }()", replaces the error the
//     function was returning with the Close error, or with nil when Close
//     succeeds: the real failure vanishes. Reported when the closure never
//     reads the result and some return after the defer may carry an error
//     (a bare return counts only if the result is set after the defer).
//     Fix: "if cerr := f.Close(); err == nil { err = cerr }" (suggested), or
//     "defer cleanup.Close(&err, f)".
//   - "defer f.Close()" on a writer drops the error that is often the only
//     sign the data did not arrive: a file opened for writing (os.Create,
//     os.CreateTemp, os.OpenFile with O_WRONLY or O_RDWR) and written in the
//     function, a *bufio.Writer's Flush, a gzip, zlib, flate, zip or tar
//     writer, any io.WriteCloser that cannot also Read; a *csv.Writer's Flush
//     whose w.Error() is never checked. Readers are exempt: their Close
//     error says nothing about data. So are a writer with a Commit method
//     (a transactional writer such as containerd's content.Writer, whose
//     Commit finishes the data and whose Close only releases or aborts), a
//     file whose removal the function defers (a scratch file), and a file
//     only handed to parameters that read (io.Reader, io.ReaderAt).
//     Reported only in functions that return
//     an error, outside _test.go files, and when the function does not also
//     Close (or Sync, or Flush) the writer itself. Fix, suggested when the
//     error result is named: "defer cleanup.Close(&err, f)" or
//     "defer cleanup.Call(&err, w.Flush)" from
//     github.com/boundgo/bound/cleanup.
//
// No runtime check catches a lost error: the program goes on as if the data
// were written. Tests catch it only when they make Close fail (a full disk,
// a closed pipe).
//
// https://github.com/boundgo/bound#b1
package deferclobber

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"github.com/boundgo/bound/vet/internal/addimport"
	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

const doc = `report a deferred call that wipes or drops an error the caller should see

Pitfalls B1 and B2: a deferred closure that assigns the named error result
without reading it ("defer func() { err = f.Close() }()") replaces the error
being returned; "defer f.Close()" on a file opened for writing, a
*bufio.Writer's Flush, a gzip/zlib/flate/zip/tar/csv writer or an
io.WriteCloser drops the error that is often the only sign the data did not
arrive. Readers are exempt, and so are a writer with a Commit method (Commit
finishes the data, Close only releases), a file whose removal is deferred (a
scratch file) and a file only handed to readers. The second shape is reported only in functions
that return an error, outside tests, when the writer is not also closed,
flushed or synced explicitly. Fix: "defer cleanup.Close(&err, f)" from
github.com/boundgo/bound/cleanup (suggested when the error result is named),
or "if cerr := f.Close(); err == nil { err = cerr }".

No runtime backstop: the program goes on as if the data were written.

` + "https://github.com/boundgo/bound#b1"

// Analyzer is the deferclobber check.
var Analyzer = &analysis.Analyzer{
	Name:     "deferclobber",
	Doc:      doc,
	URL:      report.URL("B1"),
	Run:      run,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
}

const cleanupPath = "github.com/boundgo/bound/cleanup"

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	rB1 := report.New(pass, "B1")
	rB2 := report.New(pass, "B2")
	errType := types.Universe.Lookup("error").Type()

	for cur := range in.Root().Preorder((*ast.DeferStmt)(nil)) {
		d := cur.Node().(*ast.DeferStmt)
		var fn funcInfo
		var file *ast.File
		for p := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil), (*ast.File)(nil)) {
			switch n := p.Node().(type) {
			case *ast.FuncDecl:
				if fn.body == nil {
					fn = funcInfo{typ: n.Type, body: n.Body}
				}
			case *ast.FuncLit:
				if fn.body == nil {
					fn = funcInfo{typ: n.Type, body: n.Body}
				}
			case *ast.File:
				file = n
			}
		}
		if fn.body == nil || file == nil {
			continue
		}
		c := &checker{pass: pass, fn: fn, file: file, errType: errType}
		if lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit); ok {
			c.clobber(rB2, d, lit)
			continue
		}
		if strings.HasSuffix(pass.Fset.Position(d.Pos()).Filename, "_test.go") {
			continue
		}
		c.dropped(rB1, d)
	}
	return nil, nil
}

type funcInfo struct {
	typ  *ast.FuncType
	body *ast.BlockStmt
}

type checker struct {
	pass    *analysis.Pass
	fn      funcInfo
	file    *ast.File
	errType types.Type
}

// namedErr returns the function's named results of type error.
func (c *checker) namedErrs() []*types.Var {
	var out []*types.Var
	if c.fn.typ.Results == nil {
		return nil
	}
	for _, f := range c.fn.typ.Results.List {
		for _, name := range f.Names {
			v, ok := c.pass.TypesInfo.Defs[name].(*types.Var)
			if ok && name.Name != "_" && types.Identical(v.Type(), c.errType) {
				out = append(out, v)
			}
		}
	}
	return out
}

func (c *checker) returnsError() bool {
	if c.fn.typ.Results == nil {
		return false
	}
	for _, f := range c.fn.typ.Results.List {
		if t := c.pass.TypesInfo.TypeOf(f.Type); t != nil && types.Identical(t, c.errType) {
			return true
		}
	}
	return false
}

// clobber reports a deferred closure that assigns a named error result
// unconditionally and never reads it.
func (c *checker) clobber(r *report.Reporter, d *ast.DeferStmt, lit *ast.FuncLit) {
	info := c.pass.TypesInfo
	for _, res := range c.namedErrs() {
		// Top-level assignments of the closure to res.
		var assigns []*ast.AssignStmt
		for _, st := range lit.Body.List {
			as, ok := st.(*ast.AssignStmt)
			if !ok || as.Tok != token.ASSIGN {
				continue
			}
			for i, lhs := range as.Lhs {
				if id, ok := ast.Unparen(lhs).(*ast.Ident); ok && info.Uses[id] == res {
					if len(as.Lhs) == len(as.Rhs) && isNil(info, as.Rhs[i]) {
						continue // a deliberate reset
					}
					assigns = append(assigns, as)
				}
			}
		}
		if len(assigns) == 0 {
			continue
		}
		// The closure must never read res: any use besides those
		// assignments' left-hand sides means it looks at the error.
		reads := false
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if reads {
				return false
			}
			if as, ok := n.(*ast.AssignStmt); ok && isOneOf(as, assigns) {
				for _, rhs := range as.Rhs {
					if usesVar(info, rhs, res) {
						reads = true
					}
				}
				for _, lhs := range as.Lhs {
					if _, isId := ast.Unparen(lhs).(*ast.Ident); !isId && usesVar(info, lhs, res) {
						reads = true
					}
				}
				return false
			}
			if id, ok := n.(*ast.Ident); ok && info.Uses[id] == res {
				reads = true
			}
			return true
		})
		if reads || !c.mayReturnError(res, d.End(), lit) {
			continue
		}
		as := assigns[0]
		diag := analysis.Diagnostic{
			Pos: as.Pos(), End: as.End(),
			Message: fmt.Sprintf("deferred closure assigns %s without looking at it: an error the function was returning is replaced "+
				"(keep the first: if cerr := ...; %s == nil { %s = cerr }, or defer cleanup.Close(&%s, f))",
				res.Name(), res.Name(), res.Name(), res.Name()),
		}
		if len(as.Lhs) == 1 && len(as.Rhs) == 1 {
			name := res.Name()
			rhs := c.text(as.Rhs[0])
			diag.SuggestedFixes = []analysis.SuggestedFix{{
				Message: "Keep the earlier error: assign only when " + name + " is nil",
				TextEdits: []analysis.TextEdit{{
					Pos: as.Pos(), End: as.End(),
					NewText: fmt.Appendf(nil, "if cerr := %s; %s == nil {\n%s = cerr\n}", rhs, name, name),
				}},
			}}
		}
		r.Report(diag)
		return
	}
}

func isOneOf(as *ast.AssignStmt, list []*ast.AssignStmt) bool {
	for _, a := range list {
		if a == as {
			return true
		}
	}
	return false
}

func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	_, isNil := info.Uses[id].(*types.Nil)
	return isNil
}

func usesVar(info *types.Info, e ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Uses[id] == v {
			found = true
		}
		return !found
	})
	return found
}

// mayReturnError reports whether some return after pos may leave an error
// in res: a bare return, or one whose value for res is not the literal nil.
func (c *checker) mayReturnError(res *types.Var, pos token.Pos, lit *ast.FuncLit) bool {
	// A bare return carries an error only if something after the defer
	// (outside the deferred closure) can set res: otherwise the closure is
	// where the result comes from, by design.
	assignedAfter := false
	ast.Inspect(c.fn.body, func(n ast.Node) bool {
		if assignedAfter || n == lit {
			return false
		}
		if n != nil && n.End() <= pos {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == res && n.Pos() > pos {
					assignedAfter = true
				}
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && c.pass.TypesInfo.Uses[id] == res {
				assignedAfter = true
			}
		}
		return true
	})
	idx := -1
	i := 0
	for _, f := range c.fn.typ.Results.List {
		for _, name := range f.Names {
			if c.pass.TypesInfo.Defs[name] == res {
				idx = i
			}
			i++
		}
	}
	may := false
	ast.Inspect(c.fn.body, func(n ast.Node) bool {
		if may {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if n.Pos() < pos {
				return false
			}
			if len(n.Results) == 0 {
				may = may || assignedAfter
			} else if idx >= 0 && idx < len(n.Results) && !isNil(c.pass.TypesInfo, n.Results[idx]) {
				may = true
			} else if len(n.Results) != i {
				may = true // return f(): a call with several results
			}
		}
		return true
	})
	return may
}

func (c *checker) text(n ast.Node) string {
	start := c.pass.Fset.Position(n.Pos())
	end := c.pass.Fset.Position(n.End())
	tf := c.pass.Fset.File(n.Pos())
	if tf == nil {
		return ""
	}
	src, err := c.pass.ReadFile(tf.Name())
	if err != nil || end.Offset > len(src) {
		return ""
	}
	return string(src[start.Offset:end.Offset])
}

// writer kinds.
const (
	notWriter = iota
	fileWriter
	bufioWriter
	csvWriter
	closeWriter
)

// dropped reports "defer w.Close()" (or Flush) on a writer, in a function
// that returns an error and never checks that error itself.
func (c *checker) dropped(r *report.Reporter, d *ast.DeferStmt) {
	info := c.pass.TypesInfo
	sel, ok := ast.Unparen(d.Call.Fun).(*ast.SelectorExpr)
	if !ok || len(d.Call.Args) != 0 {
		return
	}
	s, ok := info.Selections[sel]
	if !ok || s.Kind() != types.MethodVal {
		return
	}
	method := sel.Sel.Name
	recv := s.Recv()
	kind := notWriter
	switch {
	case method == "Close" && isNamed(recv, "os", "File"):
		kind = fileWriter
	case method == "Flush" && isNamed(recv, "bufio", "Writer"):
		kind = bufioWriter
	case method == "Flush" && isNamed(recv, "encoding/csv", "Writer"):
		kind = csvWriter
	case method == "Close" && (isWriteOnlyCloser(recv) || isNamed(recv, "archive/zip", "Writer")):
		kind = closeWriter
	}
	if kind == notWriter || !c.returnsError() {
		return
	}
	if kind == closeWriter && hasCommit(recv) {
		// A transactional writer (containerd's content.Writer): Commit
		// finishes the data and reports its error; Close only releases
		// what is left, or abandons an uncommitted write.
		return
	}
	v := localVar(info, sel.X)
	if v == nil {
		return
	}
	if kind == fileWriter && (!c.openedForWriting(v) || c.removedAtReturn(v)) {
		return
	}
	if c.checkedElsewhere(v, d, kind) {
		return
	}
	if kind == fileWriter && !c.written(v, d) {
		return
	}

	name := v.Name()
	var msg, fix string
	errs := c.namedErrs()
	errName := "err"
	if len(errs) == 1 {
		errName = errs[0].Name()
	}
	switch kind {
	case fileWriter:
		msg = fmt.Sprintf("defer %s.Close() drops the error of a file opened for writing: a failed Close can mean the data never reached the file (defer cleanup.Close(&%s, %s))", name, errName, name)
		fix = fmt.Sprintf("cleanup.Close(&%s, %s)", errName, c.text(sel.X))
	case bufioWriter:
		msg = fmt.Sprintf("defer %s.Flush() drops the error of the buffered writer's last write: the data may never be written (defer cleanup.Call(&%s, %s.Flush))", name, errName, name)
		fix = fmt.Sprintf("cleanup.Call(&%s, %s.Flush)", errName, c.text(sel.X))
	case csvWriter:
		msg = fmt.Sprintf("defer %s.Flush() on a csv.Writer and %s.Error() never checked: a failed write is lost (flush, then return %s.Error())", name, name, name)
	case closeWriter:
		msg = fmt.Sprintf("defer %s.Close() drops the error of a writer's Close, which writes what is still buffered: a failure means the output is incomplete (defer cleanup.Close(&%s, %s))", name, errName, name)
		fix = fmt.Sprintf("cleanup.Close(&%s, %s)", errName, c.text(sel.X))
	}
	diag := analysis.Diagnostic{Pos: d.Pos(), End: d.End(), Message: msg}
	if fix != "" && len(errs) == 1 && c.resolves(errs[0], d.Pos()) {
		if qual, edits, ok := addimport.Ensure(c.pass, c.file, cleanupPath, d.Pos()); ok {
			fix = strings.Replace(fix, "cleanup.", qual+".", 1)
			edits = append(edits, analysis.TextEdit{Pos: d.Call.Pos(), End: d.Call.End(), NewText: []byte(fix)})
			diag.SuggestedFixes = []analysis.SuggestedFix{{
				Message:   "Fold the error into " + errName + " with " + strings.SplitN(fix, "(", 2)[0],
				TextEdits: edits,
			}}
		}
	}
	r.Report(diag)
}

func isNamed(t types.Type, pkg, name string) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}

// isWriteOnlyCloser reports whether t has Write([]byte) (int, error) and
// Close() error but no Read: a writer whose Close finishes the output.
// *os.File is handled apart; *io.PipeWriter's Close never fails.
func isWriteOnlyCloser(t types.Type) bool {
	if isNamed(t, "os", "File") || isNamed(t, "io", "PipeWriter") {
		return false
	}
	ms := types.NewMethodSet(t)
	if _, isPtr := t.(*types.Pointer); !isPtr && !types.IsInterface(t) {
		ms = types.NewMethodSet(types.NewPointer(t))
	}
	has := func(name string) *types.Signature {
		sel := ms.Lookup(nil, name)
		if sel == nil {
			// Exported methods only: the package argument matters only for
			// unexported names.
			for i := range ms.Len() {
				if ms.At(i).Obj().Name() == name {
					sel = ms.At(i)
				}
			}
		}
		if sel == nil {
			return nil
		}
		sig, _ := sel.Type().(*types.Signature)
		return sig
	}
	w, cl := has("Write"), has("Close")
	if w == nil || cl == nil || has("Read") != nil {
		return false
	}
	return w.Params().Len() == 1 && w.Results().Len() == 2 && cl.Params().Len() == 0 && cl.Results().Len() == 1
}

// hasCommit reports whether t has a method Commit whose last result is an
// error: the method that makes a transactional writer's data final.
func hasCommit(t types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Commit")
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	res := fn.Signature().Results()
	return res.Len() > 0 && types.Identical(res.At(res.Len()-1).Type(), types.Universe.Lookup("error").Type())
}

// removedAtReturn reports whether the function defers the removal of the
// file v (os.Remove or os.RemoveAll of v.Name(), or of the path v was
// opened with): a scratch file, whose contents do not outlive the call, so
// that its Close error cannot mean lost data.
func (c *checker) removedAtReturn(v *types.Var) bool {
	info := c.pass.TypesInfo
	// The variables holding the path the file was opened with.
	paths := make(map[types.Object]bool)
	ast.Inspect(c.fn.body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 {
			return true
		}
		call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
		if !ok || !c.isWriteOpen(call) || len(call.Args) == 0 {
			return true
		}
		for _, l := range as.Lhs {
			if id, ok := ast.Unparen(l).(*ast.Ident); ok && info.ObjectOf(id) == v {
				if pid, ok := ast.Unparen(call.Args[0]).(*ast.Ident); ok {
					if fn, _ := typeutil.Callee(info, call).(*types.Func); fn != nil && fn.Name() != "CreateTemp" {
						paths[info.ObjectOf(pid)] = true
					}
				}
			}
		}
		return true
	})
	isFile := func(e ast.Expr) bool {
		e = ast.Unparen(e)
		if id, ok := e.(*ast.Ident); ok {
			return paths[info.ObjectOf(id)]
		}
		call, ok := e.(*ast.CallExpr)
		if !ok || len(call.Args) != 0 {
			return false
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		return ok && sel.Sel.Name == "Name" && localVar(info, sel.X) == v
	}
	// A variable set to v.Name() names the file too.
	ast.Inspect(c.fn.body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
			for i, r := range as.Rhs {
				if id, ok := ast.Unparen(as.Lhs[i]).(*ast.Ident); ok && isFile(r) {
					paths[info.ObjectOf(id)] = true
				}
			}
		}
		return true
	})
	found := false
	ast.Inspect(c.fn.body, func(n ast.Node) bool {
		if found {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		d, ok := n.(*ast.DeferStmt)
		if !ok {
			return true
		}
		fn, ok := typeutil.Callee(info, d.Call).(*types.Func)
		if ok && fn.Pkg() != nil && fn.Pkg().Path() == "os" && (fn.Name() == "Remove" || fn.Name() == "RemoveAll") &&
			len(d.Call.Args) == 1 && isFile(d.Call.Args[0]) {
			found = true
		}
		return true
	})
	return found
}

// localVar returns the local variable e names, or nil.
func localVar(info *types.Info, e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
		return nil
	}
	return v
}

// openedForWriting reports whether v is assigned, in the function, the
// result of os.Create, os.CreateTemp, or os.OpenFile with a write flag.
func (c *checker) openedForWriting(v *types.Var) bool {
	info := c.pass.TypesInfo
	found := false
	check := func(lhs []*ast.Ident, rhs []ast.Expr) {
		for i, id := range lhs {
			if info.Defs[id] != v && info.Uses[id] != v {
				continue
			}
			var e ast.Expr
			if len(rhs) == 1 {
				e = rhs[0]
			} else if i < len(rhs) {
				e = rhs[i]
			}
			if c.isWriteOpen(e) {
				found = true
			}
		}
	}
	ast.Inspect(c.fn.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			var ids []*ast.Ident
			for _, l := range n.Lhs {
				id, _ := ast.Unparen(l).(*ast.Ident)
				ids = append(ids, id)
			}
			check(ids, n.Rhs)
		case *ast.ValueSpec:
			check(n.Names, n.Values)
		}
		return !found
	})
	return found
}

func (c *checker) isWriteOpen(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "os" {
		return false
	}
	switch fn.Name() {
	case "Create", "CreateTemp":
		return true
	case "OpenFile":
		if len(call.Args) < 2 {
			return false
		}
		tv := c.pass.TypesInfo.Types[call.Args[1]]
		if tv.Value == nil {
			return false
		}
		flag, ok := constant.Int64Val(constant.ToInt(tv.Value))
		if !ok {
			return false
		}
		var mask int64
		for _, name := range []string{"O_WRONLY", "O_RDWR"} {
			if k, ok := fn.Pkg().Scope().Lookup(name).(*types.Const); ok {
				if x, ok := constant.Int64Val(constant.ToInt(k.Val())); ok {
					mask |= x
				}
			}
		}
		return flag&mask != 0
	}
	return false
}

// checkedElsewhere reports whether the function also closes, flushes or
// syncs v outside this defer (or checks a csv writer's Error): then the
// deferred call is a safety net and the error is seen on the main path.
func (c *checker) checkedElsewhere(v *types.Var, d *ast.DeferStmt, kind int) bool {
	info := c.pass.TypesInfo
	var names []string
	switch kind {
	case fileWriter:
		names = []string{"Close", "Sync"}
	case bufioWriter:
		names = []string{"Flush"}
	case csvWriter:
		names = []string{"Error"}
	default:
		names = []string{"Close", "Flush"}
	}
	found := false
	ast.Inspect(c.fn.body, func(n ast.Node) bool {
		if found || n == d {
			return false
		}
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && info.Uses[id] == v {
			for _, name := range names {
				if sel.Sel.Name == name {
					found = true
				}
			}
		}
		return true
	})
	return found
}

// written reports whether the function writes to the file v: calls a Write
// method or ReadFrom on it, or hands it to another call (io.Copy,
// fmt.Fprintf, json.NewEncoder, bufio.NewWriter...).
func (c *checker) written(v *types.Var, d *ast.DeferStmt) bool {
	info := c.pass.TypesInfo
	found := false
	ast.Inspect(c.fn.body, func(n ast.Node) bool {
		if found || n == d {
			return false
		}
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && info.Uses[id] == v {
				if strings.HasPrefix(n.Sel.Name, "Write") || n.Sel.Name == "ReadFrom" || n.Sel.Name == "Truncate" {
					found = true
				}
			}
		case *ast.CallExpr:
			for i, a := range n.Args {
				if id, ok := ast.Unparen(a).(*ast.Ident); ok && info.Uses[id] == v && !readsOnly(info, n, i) {
					found = true
				}
			}
		case *ast.AssignStmt:
			for _, r := range n.Rhs {
				if id, ok := ast.Unparen(r).(*ast.Ident); ok && info.Uses[id] == v {
					found = true // handed to another writer variable
				}
			}
		}
		return true
	})
	return found
}

// readsOnly reports whether argument i of call goes to a parameter of an
// interface type without a Write method (io.Reader, io.ReaderAt...): the
// callee can read the file there, not write it.
func readsOnly(info *types.Info, call *ast.CallExpr, i int) bool {
	sig, ok := types.Unalias(info.TypeOf(call.Fun)).(*types.Signature)
	if !ok || call.Ellipsis.IsValid() {
		return false
	}
	params := sig.Params()
	var t types.Type
	switch {
	case i < params.Len()-1 || (i == params.Len()-1 && !sig.Variadic()):
		t = params.At(i).Type()
	case sig.Variadic() && params.Len() > 0:
		if s, ok := params.At(params.Len() - 1).Type().(*types.Slice); ok {
			t = s.Elem()
		}
	}
	if t == nil {
		return false
	}
	iface, ok := t.Underlying().(*types.Interface)
	if !ok || iface.NumMethods() == 0 {
		return false // a concrete *os.File, or any: it may be written
	}
	for m := range iface.Methods() {
		if strings.HasPrefix(m.Name(), "Write") || m.Name() == "ReadFrom" || m.Name() == "Truncate" || m.Name() == "Fd" {
			return false
		}
	}
	return true
}

// resolves reports whether the name of res, written at pos, means res.
func (c *checker) resolves(res *types.Var, pos token.Pos) bool {
	scope := c.pass.Pkg.Scope().Innermost(pos)
	if scope == nil {
		return false
	}
	_, obj := scope.LookupParent(res.Name(), pos)
	return obj == res
}
