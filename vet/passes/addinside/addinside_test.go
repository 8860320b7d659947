package addinside_test

import (
	"testing"

	"github.com/boundgo/bound/vet/passes/addinside"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), addinside.Analyzer, "a", "kuberesolver", "odd")
}

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), addinside.Analyzer, "fix")
}
