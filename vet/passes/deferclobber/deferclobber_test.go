package deferclobber_test

import (
	"testing"

	"github.com/boundgo/bound/vet/passes/deferclobber"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), deferclobber.Analyzer, "a")
}

func TestSuggestedFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), deferclobber.Analyzer, "fix", "fiximported")
}
