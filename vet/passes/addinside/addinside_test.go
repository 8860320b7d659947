package addinside_test

import (
	"testing"

	"github.com/boundgo/bound/vet/internal/fixture"
	"github.com/boundgo/bound/vet/passes/addinside"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.Run(t, fixture.Merge(t, fixture.GroupStubs(), analysistest.TestData()), addinside.Analyzer, "a", "kuberesolver", "odd")
}

func TestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, fixture.Merge(t, fixture.GroupStubs(), analysistest.TestData()), addinside.Analyzer, "fix")
}
