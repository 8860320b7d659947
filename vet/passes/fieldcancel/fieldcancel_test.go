package fieldcancel_test

import (
	"testing"

	"github.com/boundgo/bound/vet/passes/fieldcancel"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), fieldcancel.Analyzer, "limiter", "a", "b", "odd")
}

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), fieldcancel.Analyzer, "fix")
}
