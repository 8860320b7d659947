package detachedctx_test

import (
	"testing"

	"github.com/boundgo/bound/vet/passes/detachedctx"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), detachedctx.Analyzer, "prog", "odd")
}

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), detachedctx.Analyzer, "a")
}
