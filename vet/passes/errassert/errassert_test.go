package errassert_test

import (
	"testing"

	"github.com/boundgo/bound/vet/passes/errassert"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), errassert.Analyzer, "a", "stream")
}

func TestSuggestedFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), errassert.Analyzer, "fix")
}
