package blockforever

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// nilChans reports a send, receive or range on a channel variable declared
// in a function without a value ("var ch chan T") and never assigned
// anywhere: ch is nil wherever it is used, and an operation on a nil
// channel blocks forever. A select with another case or a default is the
// one place where a nil channel is a tool (it disables its case), so
// those are left alone; taking ch's address counts as an assignment. A
// receive whose value nobody uses ("var forever chan struct{}; <-forever")
// is the idiom of a function that means to block for good, and is left
// alone too: a send, a range, or a receive whose value is used is a bug.
func nilChans(pass *analysis.Pass, in *inspector.Inspector, rep *report.Reporter) {
	decls := make(map[*types.Var]*ast.Ident)
	for c := range in.Root().Preorder((*ast.ValueSpec)(nil)) {
		vs := c.Node().(*ast.ValueSpec)
		if len(vs.Values) != 0 || c.Parent().ParentEdgeKind() != edge.DeclStmt_Decl {
			continue // not a local var without a value
		}
		if fd, ok := enclosingDecl(c); ok && isMainMain(pass, fd) {
			continue // blocking there is a way to wait for ever on purpose
		}
		for _, id := range vs.Names {
			v, ok := pass.TypesInfo.Defs[id].(*types.Var)
			if !ok || id.Name == "_" {
				continue
			}
			if _, ok := v.Type().Underlying().(*types.Chan); ok {
				decls[v] = id
			}
		}
	}
	if len(decls) == 0 {
		return
	}
	type op struct {
		v    *types.Var
		node ast.Node
		what string
	}
	var ops []op
	assigned := make(map[*types.Var]bool)
	for c := range in.Root().Preorder((*ast.Ident)(nil)) {
		v, ok := pass.TypesInfo.Uses[c.Node().(*ast.Ident)].(*types.Var)
		if !ok || decls[v] == nil {
			continue
		}
		e := c
		for e.ParentEdgeKind() == edge.ParenExpr_X {
			e = e.Parent()
		}
		switch e.ParentEdgeKind() {
		case edge.AssignStmt_Lhs:
			assigned[v] = true
		case edge.UnaryExpr_X:
			switch u := e.Parent(); u.Node().(*ast.UnaryExpr).Op {
			case token.AND:
				assigned[v] = true // &ch: anything may store through it
			case token.ARROW:
				if blocks(u) && !bare(u) {
					ops = append(ops, op{v, u.Node(), "this receive from " + v.Name()})
				}
			}
		case edge.SendStmt_Chan:
			if blocks(e.Parent()) {
				ops = append(ops, op{v, e.Parent().Node(), "this send on " + v.Name()})
			}
		case edge.RangeStmt_X:
			rs := e.Parent().Node().(*ast.RangeStmt)
			ops = append(ops, op{v, rs, "for range " + v.Name()})
		}
	}
	for _, o := range ops {
		if assigned[o.v] {
			continue
		}
		id := decls[o.v]
		end := o.node.End()
		if rs, ok := o.node.(*ast.RangeStmt); ok {
			end = rs.X.End()
		}
		rep.Report(analysis.Diagnostic{
			Pos: o.node.Pos(), End: end,
			Message: fmt.Sprintf("%s blocks forever: %s is a nil channel, declared without a value and never assigned (make it with make(%s))",
				o.what, o.v.Name(), types.TypeString(o.v.Type(), types.RelativeTo(pass.Pkg))),
			Related: []analysis.RelatedInformation{{Pos: id.Pos(), End: id.End(), Message: o.v.Name() + " is declared here"}},
		})
	}
}

// enclosingDecl returns the function declaration around c.
func enclosingDecl(c inspector.Cursor) (*ast.FuncDecl, bool) {
	for fd := range c.Enclosing((*ast.FuncDecl)(nil)) {
		return fd.Node().(*ast.FuncDecl), true
	}
	return nil, false
}

// bare reports whether the receive at c is a statement of its own, its
// value unused.
func bare(c inspector.Cursor) bool {
	for c.ParentEdgeKind() == edge.ParenExpr_X {
		c = c.Parent()
	}
	return c.ParentEdgeKind() == edge.ExprStmt_X
}

// blocks reports whether the send or receive at c can only wait: it is not
// a case of a select that has another case or a default. For a receive,
// c is the <-ch expression, which a case holds in a statement of its own
// ("case <-ch:", "case v := <-ch:", "case v, ok = <-ch:").
func blocks(c inspector.Cursor) bool {
	s := c
	for s.ParentEdgeKind() == edge.ParenExpr_X {
		s = s.Parent()
	}
	switch s.ParentEdgeKind() {
	case edge.ExprStmt_X, edge.AssignStmt_Rhs:
		s = s.Parent()
	}
	if s.ParentEdgeKind() != edge.CommClause_Comm {
		return true
	}
	sel, ok := s.Parent().Parent().Parent().Node().(*ast.SelectStmt)
	return ok && len(sel.Body.List) == 1
}
