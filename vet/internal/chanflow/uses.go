package chanflow

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// A Kind says what one mention of a channel variable does with it.
type Kind uint8

const (
	// KindBenign: len, cap, a comparison, an assignment to _ or of nil.
	KindBenign Kind = iota
	// KindSend: ch <- v.
	KindSend
	// KindRecv: <-ch.
	KindRecv
	// KindRange: for range ch.
	KindRange
	// KindClose: close(ch).
	KindClose
	// KindCall: ch is an argument of a function or func literal whose
	// effect on it is known (see Result.Effect).
	KindCall
	// KindReturn: return ch.
	KindReturn
	// KindAssign: the variable is given another channel.
	KindAssign
	// KindEscape: anything else: stored, sent, converted to an
	// interface, its address taken, passed to an unknown function.
	KindEscape
)

// A Use is one mention of a channel variable.
type Use struct {
	Kind  Kind
	Var   *types.Var
	Ident *ast.Ident
	Cur   inspector.Cursor // at Ident
	// Op is the operation: the *ast.SendStmt, the receiving *ast.UnaryExpr,
	// the *ast.RangeStmt, the *ast.CallExpr (close or call), the
	// *ast.ReturnStmt; the Ident itself otherwise.
	Op ast.Node

	// Home is the function whose body declares the variable.
	// Func is the innermost function (FuncDecl or FuncLit) holding the
	// use. Site is the outermost func literal between the variable's home
	// function and the use, nil when the use is in the home function
	// itself; Go is the go statement or goroutine-starting call (such as
	// errgroup's Go) that runs Site, nil when Site is an ordinary closure.
	Home ast.Node
	Func ast.Node
	Site *ast.FuncLit
	Go   ast.Node
	// Repeats: a loop lies between the use and the home function, so
	// the use may happen more than once per call of the home function.
	// HomeRepeats: such a loop is in the home function itself, around
	// Site (or around the use when there is no Site).
	Repeats     bool
	HomeRepeats bool

	// Comm is the select case whose communication is Op; Guarded, that
	// this select has another case or a default to choose instead.
	Comm    *ast.CommClause
	Guarded bool
	CommaOk bool // v, ok := <-ch

	// For KindCall: the callee (a function, or a func literal called in
	// place), the parameter, and whether the call is run by a go or a
	// defer statement.
	Callee *types.Func
	Lit    *ast.FuncLit
	Param  int
	InGo   bool
	Defer  bool

	Index int // for KindReturn: the result index
}

// A Chan is a local channel variable made by its home function: by make,
// or by a call to a function whose result is a pending channel.
type Chan struct {
	Var  *types.Var
	Home ast.Node // FuncDecl or FuncLit whose body declares it
	Def  ast.Node // the *ast.AssignStmt or *ast.ValueSpec that makes it
	Make *ast.CallExpr
	Cur  inspector.Cursor // at Make

	// Cap is the buffer, when CapKnown. A producer call's Cap is that of
	// its Pending result.
	Cap      int
	CapKnown bool

	Producer *types.Func // the function called to make it, nil for make
	Pending  Pending     // the producer's pending result

	Uses []*Use // every mention but the definition, in source order
}

// starters are methods that run their func argument in a new goroutine,
// as a go statement would: package path, receiver type, method names.
var starters = []struct {
	pkg, recv string
	names     []string
}{
	{"golang.org/x/sync/errgroup", "Group", []string{"Go", "TryGo"}},
	{"sync", "WaitGroup", []string{"Go"}},
	{"github.com/boundgo/bound/task", "Group", []string{"Go", "TryGo", "GoContext", "TryGoContext", "GoNamed"}},
}

// isStarter reports whether fn runs its func argument in a new goroutine.
func isStarter(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	for _, s := range starters {
		if fn.Pkg().Path() == s.pkg && named.Obj().Name() == s.recv {
			for _, name := range s.names {
				if fn.Name() == name {
					return true
				}
			}
		}
	}
	return false
}

// IsChan reports whether t is a channel type.
func IsChan(t types.Type) bool {
	_, ok := t.Underlying().(*types.Chan)
	return ok
}

// classifier turns a mention of a channel variable into a Use.
type classifier struct {
	info *types.Info
	r    *Result
}

// classify describes the use of the variable at cur, an *ast.Ident whose
// home function is home and which is declared at decl.
func (c *classifier) classify(cur inspector.Cursor, home ast.Node, decl token.Pos) *Use {
	id := cur.Node().(*ast.Ident)
	u := &Use{Ident: id, Cur: cur, Op: id, Home: home}
	u.Var, _ = c.info.Uses[id].(*types.Var)
	c.placeOf(u, cur, home, decl)

	// Look through parentheses and conversions: (<-chan T)(ch) is ch.
	e := cur
	for {
		p := e.Parent()
		if _, ok := p.Node().(*ast.ParenExpr); ok {
			e = p
			continue
		}
		if call, ok := p.Node().(*ast.CallExpr); ok && e.ParentEdgeKind() == edge.CallExpr_Args && c.isConversion(call) {
			e = p
			continue
		}
		break
	}
	p := e.Parent()
	ek, idx := e.ParentEdge()
	u.Kind = KindEscape
	switch pn := p.Node().(type) {
	case *ast.SendStmt:
		if ek == edge.SendStmt_Chan {
			u.Kind, u.Op = KindSend, pn
			c.comm(u, p)
		}
	case *ast.UnaryExpr:
		if pn.Op == token.ARROW {
			u.Kind, u.Op = KindRecv, pn
			c.recvContext(u, p)
		}
	case *ast.RangeStmt:
		switch ek {
		case edge.RangeStmt_X:
			u.Kind, u.Op = KindRange, pn
		case edge.RangeStmt_Key, edge.RangeStmt_Value:
			u.Kind = KindAssign
		}
	case *ast.CallExpr:
		if ek == edge.CallExpr_Args {
			c.call(u, p, pn, idx)
		}
	case *ast.BinaryExpr:
		if pn.Op == token.EQL || pn.Op == token.NEQ {
			u.Kind = KindBenign
		}
	case *ast.AssignStmt:
		switch ek {
		case edge.AssignStmt_Lhs:
			u.Kind = KindAssign
			if len(pn.Lhs) == len(pn.Rhs) && c.isNil(pn.Rhs[idx]) {
				u.Kind = KindBenign // ch = nil: the select-disabling idiom
			}
		case edge.AssignStmt_Rhs:
			if len(pn.Lhs) == len(pn.Rhs) && isBlank(pn.Lhs[idx]) {
				u.Kind = KindBenign
			}
		}
	case *ast.ReturnStmt:
		u.Kind, u.Op, u.Index = KindReturn, pn, idx
	}
	return u
}

// placeOf fills in where the use runs: Func, Site, Go and Repeats.
func (c *classifier) placeOf(u *Use, cur inspector.Cursor, home ast.Node, decl token.Pos) {
	level := false // a loop at the current function level
	for p := cur; ; {
		ek := p.ParentEdgeKind()
		switch ek {
		case edge.ForStmt_Body, edge.ForStmt_Cond, edge.ForStmt_Post, edge.RangeStmt_Body:
			// A loop that also holds the declaration makes a new
			// variable each time round: it does not repeat the use.
			if loop := p.Parent().Node(); !(loop.Pos() <= decl && decl < loop.End()) {
				u.Repeats = true
				level = true
			}
		}
		p = p.Parent()
		n := p.Node()
		if n == nil || n == home {
			if u.Func == nil {
				u.Func = home
			}
			u.HomeRepeats = level
			return
		}
		if _, ok := n.(*ast.FuncLit); ok {
			level = false
		}
		switch n := n.(type) {
		case *ast.FuncDecl:
			if u.Func == nil {
				u.Func = n
			}
			return // only reached when home is not an ancestor
		case *ast.FuncLit:
			if u.Func == nil {
				u.Func = n
			}
			u.Site = n
			u.Go = c.goroutineOf(p)
		}
	}
}

// goroutineOf returns the go statement or starter call that runs the func
// literal at lit, or nil.
func (c *classifier) goroutineOf(lit inspector.Cursor) ast.Node {
	e := lit
	for {
		if _, ok := e.Parent().Node().(*ast.ParenExpr); !ok {
			break
		}
		e = e.Parent()
	}
	call, ok := e.Parent().Node().(*ast.CallExpr)
	if !ok {
		return nil
	}
	switch e.ParentEdgeKind() {
	case edge.CallExpr_Fun:
		if g, ok := e.Parent().Parent().Node().(*ast.GoStmt); ok && g.Call == call {
			return g
		}
	case edge.CallExpr_Args:
		if c.r.starts(call, e.ParentEdgeIndex()) {
			return call
		}
	}
	return nil
}

// comm records the select case whose communication is the statement at s.
func (c *classifier) comm(u *Use, s inspector.Cursor) {
	if s.ParentEdgeKind() != edge.CommClause_Comm {
		return
	}
	cc := s.Parent().Node().(*ast.CommClause)
	u.Comm = cc
	if sel, ok := s.Parent().Parent().Parent().Node().(*ast.SelectStmt); ok {
		u.Guarded = len(sel.Body.List) > 1
	}
}

// recvContext records whether the receive at r is a select case and
// whether it is of the v, ok form.
func (c *classifier) recvContext(u *Use, r inspector.Cursor) {
	e := r
	for {
		if _, ok := e.Parent().Node().(*ast.ParenExpr); !ok {
			break
		}
		e = e.Parent()
	}
	p := e.Parent()
	switch pn := p.Node().(type) {
	case *ast.ExprStmt:
		c.comm(u, p)
	case *ast.AssignStmt:
		u.CommaOk = len(pn.Lhs) == 2 && len(pn.Rhs) == 1
		c.comm(u, p)
	case *ast.ValueSpec:
		u.CommaOk = len(pn.Names) == 2 && len(pn.Values) == 1
	}
}

// call classifies ch as argument idx of call.
func (c *classifier) call(u *Use, cur inspector.Cursor, call *ast.CallExpr, idx int) {
	u.Op = call
	if g, ok := cur.Parent().Node().(*ast.GoStmt); ok && g.Call == call {
		u.InGo = true
	}
	if d, ok := cur.Parent().Node().(*ast.DeferStmt); ok && d.Call == call {
		u.Defer = true
	}
	fun := ast.Unparen(call.Fun)
	if id, ok := fun.(*ast.Ident); ok {
		if b, ok := c.info.Uses[id].(*types.Builtin); ok {
			switch b.Name() {
			case "close":
				u.Kind = KindClose
			case "len", "cap":
				u.Kind = KindBenign
			}
			return
		}
	}
	if lit, ok := fun.(*ast.FuncLit); ok {
		if call.Ellipsis == token.NoPos && idx < lit.Type.Params.NumFields() {
			u.Kind, u.Lit, u.Param = KindCall, lit, idx
		}
		return
	}
	fn := typeutil.StaticCallee(c.info, call)
	if fn == nil {
		return
	}
	param := idx
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		if s, ok := c.info.Selections[sel]; ok && s.Kind() == types.MethodExpr {
			param-- // the receiver comes first
		}
	}
	sig := fn.Signature()
	if param < 0 || param >= sig.Params().Len() || (sig.Variadic() && param == sig.Params().Len()-1) {
		return
	}
	if !IsChan(sig.Params().At(param).Type()) {
		return // converted to an interface or a type parameter
	}
	u.Kind, u.Callee, u.Param = KindCall, fn, param
}

func (c *classifier) isConversion(call *ast.CallExpr) bool {
	tv, ok := c.info.Types[call.Fun]
	return ok && tv.IsType() && len(call.Args) == 1 && IsChan(tv.Type)
}

func (c *classifier) isNil(e ast.Expr) bool {
	tv, ok := c.info.Types[e]
	return ok && tv.IsNil()
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

// makeCap returns the buffer of make(chan T[, n]) when it is a constant.
func (c *classifier) makeCap(call *ast.CallExpr) (n int, known bool) {
	if len(call.Args) < 2 {
		return 0, true
	}
	tv, ok := c.info.Types[call.Args[1]]
	if !ok || tv.Value == nil {
		return 0, false
	}
	v, exact := constant.Int64Val(constant.ToInt(tv.Value))
	if !exact || v < 0 || v > 1<<20 {
		return 0, false
	}
	return int(v), true
}

// isMake reports whether call is make of a channel.
func (c *classifier) isMake(call *ast.CallExpr) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok || len(call.Args) == 0 {
		return false
	}
	b, ok := c.info.Uses[id].(*types.Builtin)
	return ok && b.Name() == "make" && IsChan(c.info.TypeOf(call.Args[0]))
}

// Name is a short description of a callee for messages: "f", "T.m".
func Name(fn *types.Func) string {
	if fn == nil {
		return "the callee"
	}
	if recv := fn.Signature().Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			return n.Obj().Name() + "." + fn.Name()
		}
	}
	name := fn.Name()
	if i := strings.LastIndex(name, "."); i >= 0 {
		name = name[i+1:]
	}
	return name
}
