package chanflow_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"

	"github.com/boundgo/bound/vet/internal/chanflow"
	"golang.org/x/tools/go/ast/inspector"
)

// TestLeavesRange runs LeavesRange on every branch statement of a function
// whose range over ch is the range asked about; each branch carries the
// answer in its comment.
func TestLeavesRange(t *testing.T) {
	const src = `package p

func f(ch chan int, xs []int) {
outer:
	for {
	loop:
		for v := range ch {
			if v == 0 {
				break // leaves
			}
			if v == 1 {
				continue // stays
			}
			if v == 2 {
				break loop // leaves
			}
			if v == 3 {
				continue loop // stays
			}
			if v == 4 {
				break outer // leaves
			}
			if v == 5 {
				continue outer // leaves
			}
			if v == 6 {
				goto end // leaves
			}
			select {
			case <-ch:
				break // stays
			}
			switch v {
			case 7:
				fallthrough // stays
			case 8:
				break // stays
			}
			for range xs {
				break // stays
			}
			for _, x := range xs {
				if x == 0 {
					continue // stays
				}
				break // stays
			}
		inner:
			for {
				break inner // stays
			}
		}
	}
end:
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	want := make(map[int]bool) // line -> leaves
	for _, cg := range f.Comments {
		switch cg.Text() {
		case "leaves\n":
			want[fset.Position(cg.Pos()).Line] = true
		case "stays\n":
			want[fset.Position(cg.Pos()).Line] = false
		}
	}
	in := inspector.New([]*ast.File{f})
	var rs *ast.RangeStmt
	for c := range in.Root().Preorder((*ast.RangeStmt)(nil)) {
		if id, ok := c.Node().(*ast.RangeStmt).X.(*ast.Ident); ok && id.Name == "ch" {
			rs = c.Node().(*ast.RangeStmt)
		}
	}
	seen := 0
	for c := range in.Root().Preorder((*ast.BranchStmt)(nil)) {
		br := c.Node().(*ast.BranchStmt)
		line := fset.Position(br.Pos()).Line
		w, ok := want[line]
		if !ok {
			continue
		}
		seen++
		if got := chanflow.LeavesRange(c, br, rs); got != w {
			t.Errorf("LeavesRange(%s at line %d) = %v; want %v", br.Tok, line, got, w)
		}
	}
	if seen != len(want) {
		t.Errorf("checked %d branch statements; want %d", seen, len(want))
	}
}
