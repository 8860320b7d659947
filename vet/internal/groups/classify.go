package groups

import (
	"strings"

	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

const edgeCallFun = edge.CallExpr_Fun

// Classify says what the reference at c — an identifier or a field
// selection denoting a group of kind k — does to the group, with its timing
// relative to boundary, the *ast.FuncDecl or *ast.FuncLit that owns the
// group (a reference inside a closure started with go happens in another
// goroutine; one inside a deferred closure, when boundary returns).
func (r *Result) Classify(c inspector.Cursor, k Kind, boundary ast.Node) Ref {
	info := r.pass.TypesInfo
	ref := Ref{Node: c.Node()}

	// Look through parentheses and &.
	e := c
outer:
	for {
		p := e.Parent()
		switch pn := p.Node().(type) {
		case *ast.ParenExpr:
			e = p
			continue
		case *ast.UnaryExpr:
			if pn.Op == token.AND {
				e = p
				continue
			}
		}
		break outer
	}

	var call inspector.Cursor // the call the group takes part in
	switch ek, idx := e.ParentEdge(); ek {
	case edge.SelectorExpr_X:
		sel := e.Parent()
		if pk, _ := sel.ParentEdge(); pk == edge.CallExpr_Fun {
			call = sel.Parent()
			ref.Call = call.Node().(*ast.CallExpr)
			ref.Op = methodOp(info, k, sel.Node().(*ast.SelectorExpr), ref.Call)
			if ck, _ := call.ParentEdge(); k == ConcPool && ck == edge.ExprStmt_X &&
				strings.HasPrefix(sel.Node().(*ast.SelectorExpr).Sel.Name, "With") {
				// p.WithCancelOnError() as a statement: the pool
				// configures itself; the pool it returns (itself,
				// under another type) is dropped.
				ref.Op = 0
			}
		} else {
			ref.Op = Escape // a method value such as wg.Wait, kept for later
		}
	case edge.CallExpr_Args:
		call = e.Parent()
		ref.Call = call.Node().(*ast.CallExpr)
		ref.Op = r.argOp(ref.Call, idx)
	case edge.BinaryExpr_X, edge.BinaryExpr_Y:
		// A comparison (wg != nil) does nothing to the group.
	default:
		ref.Op = Escape // stored, returned, copied, sent...
	}
	if ref.Op&Add != 0 && lockHeld(info, call) {
		ref.Op = ref.Op&^Add | LockedAdd
	}

	if call.Valid() {
		ref.Timing = callTiming(call)
	}
	ref.Timing = r.compose(ref.Timing, c, boundary)
	return ref
}

// callTiming is the timing of the call at c within its own function.
func callTiming(c inspector.Cursor) Timing {
	switch k, _ := c.ParentEdge(); k {
	case edge.DeferStmt_Call:
		return Deferred
	case edge.GoStmt_Call:
		return Async
	}
	return Sync
}

// timingOf is the timing, relative to boundary, of the call at c.
func (r *Result) timingOf(c inspector.Cursor, boundary ast.Node) Timing {
	return r.compose(callTiming(c), c, boundary)
}

// compose folds into t, the timing of something at c within its innermost
// function, the timing of each function literal between c and boundary.
func (r *Result) compose(t Timing, c inspector.Cursor, boundary ast.Node) Timing {
	for p := c.Parent(); p.Node() != nil && p.Node() != boundary; p = p.Parent() {
		if _, ok := p.Node().(*ast.FuncLit); !ok {
			continue
		}
		lt := r.litTiming(p)
		if t == Async || lt == Async {
			t = Async
		} else {
			// Deferred within a literal called in line is over when
			// the call is: it takes the literal's own timing.
			t = lt
		}
	}
	return t
}

// litTiming is when the body of the function literal at c runs, relative to
// the function around it.
func (r *Result) litTiming(c inspector.Cursor) Timing {
	switch k, _ := c.ParentEdge(); k {
	case edge.CallExpr_Fun: // func() { ... }()
		return callTiming(c.Parent())
	case edge.CallExpr_Args:
		call := c.Parent().Node().(*ast.CallExpr)
		if runsInLine(r.pass.TypesInfo, call) {
			return callTiming(c.Parent())
		}
	}
	return Async // started as a goroutine, stored, or handed on
}

// runsInLine reports whether call runs its function arguments before it
// returns, and only then: task.Run, sync.Once.Do.
func runsInLine(info *types.Info, call *ast.CallExpr) bool {
	fn := typeutil.StaticCallee(info, call)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case taskPath:
		return fn.Name() == "Run" && fn.Type().(*types.Signature).Recv() == nil
	case "sync":
		return fn.Name() == "Do" && recvNamed(fn, "Once")
	}
	return false
}

func recvNamed(fn *types.Func, name string) bool {
	recv := fn.Type().(*types.Signature).Recv()
	if recv == nil {
		return false
	}
	t := types.Unalias(recv.Type())
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Name() == name
}

// methodOp is what calling method sel on a group of kind k does.
func methodOp(info *types.Info, k Kind, sel *ast.SelectorExpr, call *ast.CallExpr) Op {
	if s := info.Selections[sel]; s == nil || s.Kind() != types.MethodVal {
		return Escape
	}
	name := sel.Sel.Name
	switch k {
	case WaitGroup:
		switch name {
		case "Add":
			if len(call.Args) == 1 && negative(info, call.Args[0]) {
				return Done
			}
			return Add
		case "Go":
			return Add
		case "Done":
			return Done
		case "Wait":
			return Wait
		}
	case ErrGroup:
		switch name {
		case "Go", "TryGo":
			return Add
		case "Wait":
			return Wait
		case "SetLimit":
			return 0
		}
	case TaskGroup:
		switch name {
		case "Go", "TryGo", "GoContext", "TryGoContext", "GoNamed":
			return Add
		case "Wait", "Stop":
			return Wait
		case "SetLimit", "SetName", "SetPolicy", "SetGrace", "CapturePanics":
			return 0
		}
	case TaskResults:
		switch name {
		case "Go", "TryGo":
			return Add
		case "Wait":
			return Wait
		case "SetLimit":
			return 0
		}
	case ConcWaitGroup:
		switch name {
		case "Go":
			return Add
		case "Wait", "WaitAndRecover":
			return Wait
		}
	case ConcPool:
		switch name {
		case "Go":
			return Add
		case "Wait":
			return Wait
		}
		// With... returns the pool under another type: an alias.
	}
	return Escape // Results.Group, or a method this package does not know
}

// negative reports whether e is a negative constant.
func negative(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.Value != nil && tv.Value.Kind() == constant.Int && constant.Sign(tv.Value) < 0
}

// argOp is what the call does with its argument number idx, a group.
func (r *Result) argOp(call *ast.CallExpr, idx int) Op {
	info := r.pass.TypesInfo
	fn := calleeFunc(info, call)
	if fn == nil {
		return Escape // a function value, an interface method, a builtin, a conversion
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodExpr {
			idx-- // T.m(recv, args...)
			if idx < 0 {
				return Escape
			}
		}
	}
	sig := fn.Type().(*types.Signature)
	n := sig.Params().Len()
	if idx >= n || sig.Variadic() && idx >= n-1 {
		return Escape
	}
	if k, ptr := KindOf(sig.Params().At(idx).Type()); k == NotGroup || !ptr {
		return Escape // into an interface, a type parameter...
	}
	s := r.Summary(fn)
	if s == nil {
		return Escape // not summarised: assume the worst
	}
	return s.Param(idx)
}

// calleeFunc returns the statically known function called, or nil.
func calleeFunc(info *types.Info, call *ast.CallExpr) *types.Func {
	fn := typeutil.StaticCallee(info, call)
	if fn == nil {
		return nil
	}
	return fn.Origin()
}

// onPathTo reports whether the statement at c runs on the way to pos: pos
// is in the same block, not only in a branch that has left it (an Unlock
// before an early return does not release the lock for what follows).
func onPathTo(c inspector.Cursor, pos token.Pos) bool {
	for b := range c.Enclosing((*ast.BlockStmt)(nil), (*ast.CaseClause)(nil), (*ast.CommClause)(nil)) {
		n := b.Node()
		return n.Pos() <= pos && pos < n.End()
	}
	return true
}

// lockHeld reports whether, when the call at c runs, its function holds a
// lock it took earlier in its own body: a Lock or RLock call before it, with
// no Unlock or RUnlock of the same lock (other than a deferred one) between
// them. It reads source order, which is enough for the guarded-Add idiom:
//
//	s.mu.Lock()
//	if s.closed { s.mu.Unlock(); return }
//	s.wg.Add(1)
//	s.mu.Unlock()
func lockHeld(info *types.Info, c inspector.Cursor) bool {
	if !c.Valid() {
		return false
	}
	fc, ok := enclosingFunc(c)
	if !ok {
		return false
	}
	pos := c.Node().Pos()
	held := make(map[string]bool)
	fc.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.CallExpr)(nil)}, func(n inspector.Cursor) bool {
		switch node := n.Node().(type) {
		case *ast.FuncLit:
			return n == fc // not into other closures
		case *ast.CallExpr:
			if node.Pos() >= pos {
				return false
			}
			sel, ok := ast.Unparen(node.Fun).(*ast.SelectorExpr)
			if !ok || len(node.Args) != 0 {
				return true
			}
			if s := info.Selections[sel]; s == nil || s.Kind() != types.MethodVal {
				return true
			}
			key := types.ExprString(sel.X)
			switch sel.Sel.Name {
			case "Lock", "RLock":
				held[key] = true
			case "Unlock", "RUnlock":
				if k, _ := n.ParentEdge(); k != edge.DeferStmt_Call && onPathTo(n, pos) {
					delete(held, key)
				}
			}
		}
		return true
	})
	return len(held) > 0
}
