package chanflow

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"
)

// A Point is a place in a function's control-flow graph: before the node
// Block.Nodes[Index], or, with Index -1, on entry to Block (where the
// communication of a select case and each step of a range happen).
type Point struct {
	Block *cfg.Block
	Index int
}

// A Flow is the control-flow graph of one function, with the position of
// every statement and expression that the graph holds.
type Flow struct {
	Func ast.Node
	CFG  *cfg.CFG
	at   map[ast.Node]Point
}

func newFlow(fn ast.Node, g *cfg.CFG) *Flow {
	f := &Flow{Func: fn, CFG: g, at: make(map[ast.Node]Point)}
	for _, b := range g.Blocks {
		for i, n := range b.Nodes {
			f.at[n] = Point{b, i}
		}
	}
	// The graph evaluates every case's communication before the select
	// chooses one, and a range's operand before the loop: move them to
	// where they happen.
	for _, b := range g.Blocks {
		switch b.Kind {
		case cfg.KindSelectCaseBody:
			if cc, ok := b.Stmt.(*ast.CommClause); ok && cc.Comm != nil {
				f.at[cc.Comm] = Point{b, -1}
			}
		case cfg.KindRangeLoop:
			if rs, ok := b.Stmt.(*ast.RangeStmt); ok {
				f.at[rs.X] = Point{b, -1}
			}
		}
	}
	return f
}

// At returns the point of the node at cur, which lies in the function's
// body: that of the outermost statement or expression the graph holds
// that contains it. A use inside a func literal is placed at the
// statement that holds the literal.
func (f *Flow) At(cur inspector.Cursor) (Point, bool) {
	for c := cur; ; c = c.Parent() {
		n := c.Node()
		if n == nil || n == f.Func {
			return Point{}, false
		}
		if p, ok := f.at[n]; ok {
			// A range operand is both a node and inside the range
			// statement; only the operand itself moves to the head.
			return p, true
		}
	}
}

// Loop returns the head and exit blocks of the loop statement s (a
// *ast.ForStmt with a condition, or a *ast.RangeStmt).
func (f *Flow) Loop(s ast.Stmt) (head, done *cfg.Block) {
	for _, b := range f.CFG.Blocks {
		if b.Stmt != s {
			continue
		}
		switch b.Kind {
		case cfg.KindForLoop, cfg.KindRangeLoop:
			head = b
		case cfg.KindForDone, cfg.KindRangeDone:
			done = b
		}
	}
	return head, done
}

// MaxCount returns the largest total weight of the given points that one
// run of the function passes, Many when a loop can pass one again.
//
// Counting starts at the block that declares the variable at decl, when
// the function's body declares it, and does not come back into that block:
// a loop that declares the variable anew does not repeat its sends.
func (f *Flow) MaxCount(points []Point, weights []int, decl token.Pos) int {
	const limit = 8
	if len(points) == 0 {
		return 0
	}
	count := make([]int, len(f.CFG.Blocks))
	for i, p := range points {
		count[p.Block.Index] = min(count[p.Block.Index]+weights[i], limit)
	}
	best := make([]int, len(f.CFG.Blocks))
	for i := range best {
		best[i] = -1
	}
	entry := f.CFG.Blocks[0]
	if p, ok := f.declPoint(decl); ok {
		entry = p.Block
	}
	best[entry.Index] = count[entry.Index]
	work := []*cfg.Block{entry}
	top := best[entry.Index]
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for _, s := range b.Succs {
			if s == entry {
				continue
			}
			v := min(best[b.Index]+count[s.Index], limit)
			if v > best[s.Index] {
				best[s.Index] = v
				top = max(top, v)
				work = append(work, s)
			}
		}
	}
	if top >= limit {
		return Many
	}
	return top
}

// Returns reports whether some path of the function returns.
func (f *Flow) Returns() bool { return !f.CFG.NoReturn() }

// declPoint returns the point of the statement that declares the variable
// at pos, when it lies in the function's body.
func (f *Flow) declPoint(pos token.Pos) (Point, bool) {
	for n, p := range f.at {
		if n.Pos() <= pos && pos < n.End() {
			if _, ok := n.(*ast.FuncLit); !ok {
				return p, true
			}
		}
	}
	return Point{}, false
}
