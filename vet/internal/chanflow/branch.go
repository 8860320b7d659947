package chanflow

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/ast/inspector"
)

// LeavesRange reports whether the branch statement br, at c inside the
// body of the range statement rs, leaves rs: a goto; a break of rs (plain,
// from no inner for, range, switch or select, or naming rs's label); or a
// break or continue naming the label of a statement around rs. A continue
// of rs or of an inner loop, a branch to a label inside the body, and
// fallthrough stay inside.
func LeavesRange(c inspector.Cursor, br *ast.BranchStmt, rs *ast.RangeStmt) bool {
	switch br.Tok {
	case token.GOTO:
		return true
	case token.FALLTHROUGH:
		return false
	}
	if br.Label != nil {
		for p := c.Parent(); p.Node() != nil; p = p.Parent() {
			if p.Node() == rs {
				// The label names rs itself, or a statement around it.
				ls, ok := p.Parent().Node().(*ast.LabeledStmt)
				own := ok && ls.Label.Name == br.Label.Name
				return !own || br.Tok == token.BREAK
			}
			if ls, ok := p.Node().(*ast.LabeledStmt); ok && ls.Label.Name == br.Label.Name {
				return false // a statement inside the body
			}
		}
		return true
	}
	if br.Tok == token.CONTINUE {
		return false // continues rs or an inner loop
	}
	for p := c.Parent(); p.Node() != nil; p = p.Parent() {
		switch p.Node().(type) {
		case *ast.RangeStmt:
			return p.Node() == rs
		case *ast.ForStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			return false
		}
	}
	return false
}
