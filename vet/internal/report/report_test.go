package report_test

import (
	"go/ast"
	"testing"

	"github.com/boundgo/bound/vet/internal/report"
	"github.com/boundgo/bound/vet/passes/deferloop"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// leak is a real analyzer, reporting through a Reporter the way every
// boundvet check does: it finds each call of a function named leak.
var leak = &analysis.Analyzer{
	Name:     "leak",
	Doc:      "report calls of leak",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		r := report.New(pass, "A2")
		in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		in.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
			call := n.(*ast.CallExpr)
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "leak" {
				r.Reportf(call, "leak called")
			}
			// A call of leakend reports at the closing brace of the
			// function literal around it, as checks report the end of a
			// function reached.
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "leakend" {
				if lit, ok := call.Args[0].(*ast.FuncLit); ok {
					r.Report(analysis.Diagnostic{Pos: lit.Body.Rbrace, Message: "end reached"})
				}
			}
		})
		return nil, nil
	},
}

func TestIgnoreDirective(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), leak, "ignore")
}

// TestIgnoreDirectiveOfARealCheck runs one of the suite's checks, which
// reports through its own Reporter, over directives.
func TestIgnoreDirectiveOfARealCheck(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), deferloop.Analyzer, "real")
}

func TestGeneratedFilesAreSilent(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), leak, "generated")
}

func TestReportFillsCategoryAndURL(t *testing.T) {
	results := analysistest.Run(t, analysistest.TestData(), leak, "generated")
	var n int
	for _, res := range results {
		for _, d := range res.Diagnostics {
			n++
			if d.Category != "A2" || d.URL != "https://github.com/boundgo/bound#a2" {
				t.Errorf("diagnostic %q: Category %q, URL %q; want A2 and https://github.com/boundgo/bound#a2",
					d.Message, d.Category, d.URL)
			}
		}
	}
	if n != 1 {
		t.Errorf("got %d diagnostics; want 1", n)
	}
}

func TestDirectiveAnalyzer(t *testing.T) {
	a := report.NewDirectiveAnalyzer([]string{"other", "leak"})
	if err := analysis.Validate([]*analysis.Analyzer{a}); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, analysistest.TestData(), a, "directive")
}

func TestParseDirective(t *testing.T) {
	for _, tc := range []struct {
		text   string
		ok     bool
		checks []string
		reason string
	}{
		{"//boundvet:ignore nowait drained by stop()", true, []string{"nowait"}, "drained by stop()"},
		{"//boundvet:ignore nowait,orphansend  two checks ", true, []string{"nowait", "orphansend"}, "two checks"},
		{"//boundvet:ignore\tall\tevery check", true, []string{"all"}, "every check"},
		{"//boundvet:ignore nowait", true, []string{"nowait"}, ""},
		{"//boundvet:ignore", true, nil, ""},
		{"//boundvet:ignore   ", true, nil, ""},
		{"//boundvet:ignorenowait reason", false, nil, ""},
		{"// boundvet:ignore nowait reason", false, nil, ""},
		{"/*boundvet:ignore nowait reason*/", false, nil, ""},
		{"//lint:ignore SA2000 reason", false, nil, ""},
	} {
		d, ok := report.ParseDirective(tc.text)
		if ok != tc.ok || !equal(d.Checks, tc.checks) || d.Reason != tc.reason {
			t.Errorf("ParseDirective(%q) = %q, %q, %v; want %q, %q, %v",
				tc.text, d.Checks, d.Reason, ok, tc.checks, tc.reason, tc.ok)
		}
	}
}

func TestURL(t *testing.T) {
	if got, want := report.URL("B3"), "https://github.com/boundgo/bound#b3"; got != want {
		t.Errorf("URL(B3) = %q; want %q", got, want)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
