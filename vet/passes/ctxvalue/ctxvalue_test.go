package ctxvalue_test

import (
	"testing"

	"github.com/boundgo/bound/vet/passes/ctxvalue"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), ctxvalue.Analyzer, "a", "stateless", "share", "client", "handler", "fileserver")
}

func TestSuggestedFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), ctxvalue.Analyzer, "fix")
}
