// Package errassert defines an Analyzer that reports ==, type assertions
// and type switches on an error that its producer may have wrapped.
//
// # Analyzer errassert
//
// errassert: report err == ErrX, err.(*T) and type switches on errors that the producer can wrap
//
// Pitfall C5 of the catalogue. Once an error is wrapped
// (fmt.Errorf("...: %w", err), errors.Join, or an error type with an Unwrap
// method such as *fs.PathError), "err == ErrX" is false and "err.(*T)"
// fails, though errors.Is and errors.As still find the wrapped error.
//
// The check learns what every function returns through facts (see
// vet/internal/wrapping): which sentinels and error types it returns as they
// are, and which it may return wrapped, following calls across packages.
// At a comparison, an assertion to a concrete type or a type switch on an
// error, it finds the producer (the call, or the last assignment to the
// variable) and reports when the producer can return the target wrapped and
// never returns it as it is, or when it returns only wrappers this check
// cannot see into and never the target itself (so == cannot match but
// errors.Is can). It is silent when a producer returns the target as it is
// on some path (the comparison holds there, and may mean just that path: a
// bare io.EOF is a clean end, a wrapped one a truncated input), when the producer is unknown (an interface method such
// as io.Reader.Read, a function value, a parameter), for assertions to
// interfaces, and in _test.go files. errorlint, by contrast, reports every
// comparison. The target of == may also be a constant of a concrete error
// type, such as unix.ENOTBLK (a syscall.Errno): it stands for its type, so
// "err == unix.ENOTBLK" is reported when the producer returns an Errno only
// inside a wrapper (containerd#11934: a mount helper began to add context
// with %w, and the erofs snapshotter's fallback on ENOTBLK never ran).
//
// It also reports os.IsNotExist(err), os.IsExist and os.IsPermission on an
// error whose producer returns only wrappers these predicates do not look
// inside: they predate errors.Is and unwrap *fs.PathError, *os.LinkError
// and *os.SyscallError only, so a helper that adds context with %w (or an
// error type with Unwrap) makes them false where errors.Is(err,
// fs.ErrNotExist) holds (the shape moby/sys#109 and containers/buildah#4143
// were about). Silent when the producer returns an os error as it is on
// some path, or returns nothing of the kind.
//
// Fix: errors.Is(err, ErrX) (suggested for == and !=, and for os.IsNotExist
// as errors.Is(err, os.ErrNotExist)), errors.As, or errors.AsType[*T](err)
// (Go 1.26; suggested for the comma-ok assertion).
//
// No runtime check sees it: the comparison is just false, and the error is
// handled as another kind.
//
// https://github.com/boundgo/bound#c5
package errassert

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"strings"

	"github.com/boundgo/bound/vet/internal/addimport"
	"github.com/boundgo/bound/vet/internal/report"
	"github.com/boundgo/bound/vet/internal/wrapping"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

const doc = `report err == ErrX, err.(*T) and type switches on errors that the producer can wrap

Pitfall C5: once an error is wrapped (fmt.Errorf with %w, errors.Join, an
error type with Unwrap), == and type assertions no longer see it. Through
facts on what each function returns as it is and what it may return wrapped,
errassert reports a comparison, an assertion to a concrete type or a type
switch on an error whose producer can return the target wrapped, or returns
only wrapped errors and never the target itself; and os.IsNotExist, IsExist
and IsPermission on an error wrapped where they cannot look (they unwrap only
*fs.PathError, *os.LinkError, *os.SyscallError). Silent when every producer
returns the sentinel unwrapped (for a constant such as unix.ENOTBLK, some
value of its type), when the producer is unknown (an interface
method such as io.Reader.Read, a function value, a parameter), and in tests.
Fix: errors.Is, errors.As or errors.AsType (Go 1.26), suggested where the
rewrite is mechanical. No runtime backstop: the comparison is just false.

` + "https://github.com/boundgo/bound#c5"

// Analyzer is the errassert check.
var Analyzer = &analysis.Analyzer{
	Name:     "errassert",
	Doc:      doc,
	URL:      report.URL("C5"),
	Run:      run,
	Requires: []*analysis.Analyzer{inspect.Analyzer, wrapping.Analyzer},
}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	c := &checker{
		pass:    pass,
		res:     pass.ResultOf[wrapping.Analyzer].(*wrapping.Result),
		r:       report.New(pass, "C5"),
		errType: types.Universe.Lookup("error").Type().Underlying().(*types.Interface),
	}
	nodeTypes := []ast.Node{(*ast.BinaryExpr)(nil), (*ast.SwitchStmt)(nil), (*ast.TypeAssertExpr)(nil), (*ast.TypeSwitchStmt)(nil), (*ast.CallExpr)(nil)}
	for _, f := range pass.Files {
		if strings.HasSuffix(pass.Fset.Position(f.Pos()).Filename, "_test.go") {
			continue
		}
		fc, _ := in.Root().FindNode(f)
		for cur := range fc.Preorder(nodeTypes...) {
			body := outermostBody(cur)
			if body == nil {
				continue
			}
			c.file = f
			switch n := cur.Node().(type) {
			case *ast.BinaryExpr:
				c.compare(cur, body, n)
			case *ast.SwitchStmt:
				c.tagSwitch(cur, body, n)
			case *ast.TypeAssertExpr:
				c.assert(cur, body, n)
			case *ast.TypeSwitchStmt:
				c.typeSwitch(cur, body, n)
			case *ast.CallExpr:
				c.osIs(cur, body, n)
			}
		}
	}
	return nil, nil
}

// outermostBody returns the body of the top-level function holding cur.
func outermostBody(cur inspector.Cursor) *ast.BlockStmt {
	var body *ast.BlockStmt
	for p := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch f := p.Node().(type) {
		case *ast.FuncDecl:
			return f.Body
		case *ast.FuncLit:
			body = f.Body
		}
	}
	return body
}

type checker struct {
	pass    *analysis.Pass
	res     *wrapping.Result
	r       *report.Reporter
	errType *types.Interface
	file    *ast.File
}

func (c *checker) isErrorIface(t types.Type) bool {
	return t != nil && types.IsInterface(t) && types.Implements(t, c.errType)
}

// sentinel returns the package-level error variable e names, or nil.
func (c *checker) sentinel(e ast.Expr) *types.Var {
	v, ok := c.pass.TypesInfo.Uses[nameOf(e)].(*types.Var)
	if !ok || v.IsField() || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() || !types.Implements(v.Type(), c.errType) {
		return nil
	}
	return v
}

// nameOf returns the identifier that e, a name or a qualified name
// (pkg.Name, x.Name), refers by; nil for any other expression, which
// Uses maps to nothing.
func nameOf(e ast.Expr) *ast.Ident {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		return x
	case *ast.SelectorExpr:
		return x.Sel
	}
	return nil
}

// target returns the key of the error value e names: a package-level
// error variable (its sentinel key), or a constant of a concrete error type
// such as unix.ENOENT (the key of its type: every value of syscall.Errno
// shares it, so the producer's summary says whether some Errno comes back
// bare or only inside a wrapper).
func (c *checker) target(e ast.Expr) (string, bool) {
	if v := c.sentinel(e); v != nil {
		return c.res.SentinelKey(v), true
	}
	k, ok := c.pass.TypesInfo.Uses[nameOf(e)].(*types.Const)
	if !ok || types.IsInterface(k.Type()) || !types.Implements(k.Type(), c.errType) {
		return "", false
	}
	key := wrapping.TypeKey(k.Type())
	return key, key != ""
}

// producer is where an error value comes from.
type producer struct {
	sum  *wrapping.Summary
	name string // how the message names the producer
}

// producerOf finds what produced the error value e: a call, or the last
// assignment to a local variable before e.
func (c *checker) producerOf(cur inspector.Cursor, body *ast.BlockStmt, e ast.Expr) (producer, bool) {
	info := c.pass.TypesInfo
	e = ast.Unparen(e)
	var src ast.Expr
	switch x := e.(type) {
	case *ast.CallExpr:
		src = x
	case *ast.Ident:
		v, ok := info.Uses[x].(*types.Var)
		if !ok || v.IsField() || v.Parent() == nil || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
			return producer{}, false
		}
		src = c.lastAssignment(cur, body, v, x.Pos())
	}
	if src == nil {
		return producer{}, false
	}
	call, ok := ast.Unparen(src).(*ast.CallExpr)
	if !ok {
		return producer{}, false
	}
	sum := c.res.Expr(body, call)
	return producer{sum: sum, name: calleeName(info, call)}, true
}

func calleeName(info *types.Info, call *ast.CallExpr) string {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if fn, ok := info.Uses[f.Sel].(*types.Func); ok {
			if recv := fn.Signature().Recv(); recv != nil {
				t := recv.Type()
				if p, ok := t.(*types.Pointer); ok {
					t = p.Elem()
				}
				if n, ok := types.Unalias(t).(*types.Named); ok {
					return n.Obj().Name() + "." + fn.Name()
				}
			}
			if fn.Pkg() != nil {
				return fn.Pkg().Name() + "." + fn.Name()
			}
		}
		return f.Sel.Name
	}
	return "the call"
}

// lastAssignment returns the expression last assigned to v before pos in
// body, skipping func literals that do not hold pos; a multi-value call
// stands for its error result. It returns nil when there is none or when the
// value has no expression (range, receive, comma-ok forms).
func (c *checker) lastAssignment(cur inspector.Cursor, body *ast.BlockStmt, v *types.Var, pos token.Pos) ast.Expr {
	info := c.pass.TypesInfo
	var last ast.Expr
	var lastPos token.Pos
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && (info.Defs[id] == v || info.Uses[id] == v)
	}
	set := func(at token.Pos, e ast.Expr) {
		if at > lastPos {
			last, lastPos = e, at
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || n.Pos() >= pos {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return n.Pos() <= pos && pos < n.End()
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if !is(l) {
					continue
				}
				switch {
				case n.Tok != token.ASSIGN && n.Tok != token.DEFINE:
					set(n.Pos(), nil)
				case len(n.Lhs) == len(n.Rhs):
					set(n.Pos(), n.Rhs[i])
				case len(n.Rhs) == 1:
					if _, isCall := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); isCall {
						set(n.Pos(), n.Rhs[0])
					} else {
						set(n.Pos(), nil)
					}
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if info.Defs[id] != v {
					continue
				}
				switch {
				case len(n.Values) == len(n.Names):
					set(n.Pos(), n.Values[i])
				case len(n.Values) == 1:
					set(n.Pos(), n.Values[0])
				default:
					set(n.Pos(), nil)
				}
			}
		case *ast.RangeStmt:
			if (n.Key != nil && is(n.Key)) || (n.Value != nil && is(n.Value)) {
				set(n.Pos(), nil)
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && is(n.X) {
				set(n.Pos(), nil) // may change through the pointer
			}
		}
		return true
	})
	return last
}

// verdict says whether a match of key on the producer's error is broken by
// wrapping, and why.
func verdict(p producer, key string) (string, bool) {
	s := p.sum
	switch {
	case s.HasDirect(key) || s.PassesUnknown:
		// Returned as it is on some path (or maybe, through an error of
		// unknown origin): == holds there, and a caller may mean exactly
		// that path (a bare io.EOF is a clean end, a wrapped one a
		// truncated input).
		return "", false
	case s.HasWrapped(key):
		return p.name + " can return it wrapped", true
	case strings.HasPrefix(key, "t:") && s.HasDirect("t:?"):
		return "", false
	case s.WrapsUnknown:
		// Never returned as it is, but wrapped around errors this check
		// cannot see, or in a type whose Is method may match it: errors.Is
		// can find it where == cannot.
		return p.name + " returns it only wrapped, if at all", true
	}
	return "", false
}

func (c *checker) compare(cur inspector.Cursor, body *ast.BlockStmt, b *ast.BinaryExpr) {
	if b.Op != token.EQL && b.Op != token.NEQ {
		return
	}
	info := c.pass.TypesInfo
	x, y := b.X, b.Y
	key, ok := c.target(y)
	if !ok {
		x, y = y, x
		key, ok = c.target(y)
	}
	if !ok || !c.isErrorIface(info.TypeOf(x)) {
		return
	}
	if _, both := c.target(x); both {
		return
	}
	p, ok := c.producerOf(cur, body, x)
	if !ok {
		return
	}
	why, bad := verdict(p, key)
	if !bad {
		return
	}
	name := c.text(y)
	msg := fmt.Sprintf("%s %s %s, but %s: the comparison misses a wrapped error (use errors.Is(%s, %s))",
		c.text(x), b.Op, name, why, c.text(x), name)
	diag := analysis.Diagnostic{Pos: b.Pos(), End: b.End(), Message: msg}
	if pkg, edits, ok := addimport.Ensure(c.pass, c.file, "errors", b.Pos()); ok {
		not := ""
		if b.Op == token.NEQ {
			not = "!"
		}
		edits = append(edits, analysis.TextEdit{Pos: b.Pos(), End: b.End(),
			NewText: fmt.Appendf(nil, "%s%s.Is(%s, %s)", not, pkg, c.text(x), name)})
		diag.SuggestedFixes = []analysis.SuggestedFix{{Message: "Use errors.Is", TextEdits: edits}}
	}
	c.r.Report(diag)
}

func (c *checker) tagSwitch(cur inspector.Cursor, body *ast.BlockStmt, sw *ast.SwitchStmt) {
	if sw.Tag == nil || !c.isErrorIface(c.pass.TypesInfo.TypeOf(sw.Tag)) {
		return
	}
	if _, ok := c.target(sw.Tag); ok {
		return
	}
	var p producer
	found := false
	for _, st := range sw.Body.List {
		cl := st.(*ast.CaseClause)
		for _, e := range cl.List {
			key, ok := c.target(e)
			if !ok {
				continue
			}
			if !found {
				var ok bool
				if p, ok = c.producerOf(cur, body, sw.Tag); !ok {
					return
				}
				found = true
			}
			if why, bad := verdict(p, key); bad {
				c.r.Reportf(e, "switch on %s compares with ==, but for %s %s: the case misses a wrapped error (use errors.Is(%s, %s) in a tagless switch)",
					c.text(sw.Tag), c.text(e), why, c.text(sw.Tag), c.text(e))
				return
			}
		}
	}
}

func (c *checker) assert(cur inspector.Cursor, body *ast.BlockStmt, ta *ast.TypeAssertExpr) {
	if ta.Type == nil {
		return
	}
	info := c.pass.TypesInfo
	t := info.TypeOf(ta.Type)
	key := wrapping.TypeKey(t)
	if key == "" || !c.isErrorIface(info.TypeOf(ta.X)) {
		return
	}
	p, ok := c.producerOf(cur, body, ta.X)
	if !ok {
		return
	}
	why, bad := verdict(p, key)
	if !bad {
		return
	}
	x, tt := c.text(ta.X), c.text(ta.Type)
	diag := analysis.Diagnostic{
		Pos: ta.Pos(), End: ta.End(),
		Message: fmt.Sprintf("%s.(%s) fails on a wrapped error, and %s (use errors.AsType[%s](%s) or errors.As)", x, tt, why, tt, x),
	}
	// The comma-ok assignment maps one for one onto errors.AsType.
	if as, ok := cur.Parent().Node().(*ast.AssignStmt); ok && len(as.Lhs) == 2 && len(as.Rhs) == 1 && ast.Unparen(as.Rhs[0]) == ta &&
		goVersionAtLeast(info.FileVersions[c.file], "go1.26") {
		if pkg, edits, ok := addimport.Ensure(c.pass, c.file, "errors", ta.Pos()); ok {
			edits = append(edits, analysis.TextEdit{Pos: as.Rhs[0].Pos(), End: as.Rhs[0].End(),
				NewText: fmt.Appendf(nil, "%s.AsType[%s](%s)", pkg, tt, x)})
			diag.SuggestedFixes = []analysis.SuggestedFix{{Message: "Use errors.AsType", TextEdits: edits}}
		}
	}
	c.r.Report(diag)
}

func (c *checker) typeSwitch(cur inspector.Cursor, body *ast.BlockStmt, sw *ast.TypeSwitchStmt) {
	var x ast.Expr
	switch a := sw.Assign.(type) {
	case *ast.ExprStmt:
		x = a.X.(*ast.TypeAssertExpr).X
	case *ast.AssignStmt:
		x = a.Rhs[0].(*ast.TypeAssertExpr).X
	}
	info := c.pass.TypesInfo
	if x == nil || !c.isErrorIface(info.TypeOf(x)) {
		return
	}
	var p producer
	found := false
	for _, st := range sw.Body.List {
		cl := st.(*ast.CaseClause)
		for _, e := range cl.List {
			key := wrapping.TypeKey(info.TypeOf(e))
			if key == "" || key == "t:untyped nil" {
				continue
			}
			if !found {
				var ok bool
				if p, ok = c.producerOf(cur, body, x); !ok {
					return
				}
				found = true
			}
			if why, bad := verdict(p, key); bad {
				c.r.Reportf(e, "type switch on %s: case %s fails on a wrapped error, and %s (use errors.AsType[%s](%s) or errors.As)",
					c.text(x), c.text(e), why, c.text(e), c.text(x))
				return
			}
		}
	}
}

// osSentinels maps the os.Is... predicates that predate errors.Is to the
// sentinel errors.Is should look for instead.
var osSentinels = map[string]string{
	"IsNotExist":   "ErrNotExist",
	"IsExist":      "ErrExist",
	"IsPermission": "ErrPermission",
}

// osVisible lists what os.IsNotExist and its siblings recognize: the
// wrappers they look inside (*fs.PathError, *os.LinkError,
// *os.SyscallError), syscall errors, the sentinels themselves, and a value
// of unknown dynamic type.
var osVisible = map[string]bool{
	"t:*io/fs.PathError":    true,
	"t:*os.LinkError":       true,
	"t:*os.SyscallError":    true,
	"t:syscall.Errno":       true,
	"t:?":                   true,
	"v:io/fs.ErrNotExist":   true,
	"v:io/fs.ErrExist":      true,
	"v:io/fs.ErrPermission": true,
}

// osIs reports os.IsNotExist(err) (or IsExist, IsPermission) on an error
// whose producer returns only wrappers that these predicates do not look
// inside: they unwrap *fs.PathError, *os.LinkError and *os.SyscallError,
// never fmt.Errorf's %w, so the test is false where errors.Is finds the
// sentinel.
func (c *checker) osIs(cur inspector.Cursor, body *ast.BlockStmt, call *ast.CallExpr) {
	info := c.pass.TypesInfo
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "os" || len(call.Args) != 1 {
		return
	}
	sentinel, ok := osSentinels[fn.Name()]
	if !ok || !c.isErrorIface(info.TypeOf(call.Args[0])) {
		return
	}
	p, ok := c.producerOf(cur, body, call.Args[0])
	if !ok {
		return
	}
	s := p.sum
	if s.PassesUnknown {
		return
	}
	for _, k := range s.Direct {
		if osVisible[k] || strings.HasPrefix(k, "v:internal/oserror.") || strings.HasPrefix(k, "v:syscall.") {
			return // returned where os.Is... can see it
		}
	}
	wraps := s.WrapsUnknown
	for _, k := range s.Wrapped {
		if osVisible[k] || strings.HasPrefix(k, "v:internal/oserror.") || strings.HasPrefix(k, "v:syscall.") {
			wraps = true
		}
	}
	if !wraps {
		return // nothing of the kind comes back at all
	}
	x := c.text(call.Args[0])
	osName := c.text(call.Fun)
	osName = strings.TrimSuffix(osName, fn.Name())
	diag := analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(),
		Message: fmt.Sprintf("%s does not look inside the wrapper %s returns (it unwraps only *fs.PathError, *os.LinkError and *os.SyscallError): the test is false for a wrapped error (use errors.Is(%s, %s%s))",
			c.text(call), p.name, x, osName, sentinel),
	}
	if pkg, edits, ok := addimport.Ensure(c.pass, c.file, "errors", call.Pos()); ok {
		edits = append(edits, analysis.TextEdit{Pos: call.Pos(), End: call.End(),
			NewText: fmt.Appendf(nil, "%s.Is(%s, %s%s)", pkg, x, osName, sentinel)})
		diag.SuggestedFixes = []analysis.SuggestedFix{{Message: "Use errors.Is", TextEdits: edits}}
	}
	c.r.Report(diag)
}

func (c *checker) text(n ast.Node) string {
	tf := c.pass.Fset.File(n.Pos())
	if tf == nil {
		return "err"
	}
	src, err := c.pass.ReadFile(tf.Name())
	start, end := tf.Offset(n.Pos()), tf.Offset(n.End())
	if err != nil || end > len(src) {
		return "err"
	}
	return string(src[start:end])
}

// goVersionAtLeast reports whether a file of Go version v can use what
// came in min; an unknown version is the toolchain's, which builds this.
func goVersionAtLeast(v, min string) bool {
	return v == "" || version.Compare(v, min) >= 0
}
