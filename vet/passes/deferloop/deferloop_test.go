package deferloop_test

import (
	"testing"

	"github.com/boundgo/bound/vet/passes/deferloop"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), deferloop.Analyzer, "a", "real")
}

func TestSuggestedFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), deferloop.Analyzer, "fix")
}
