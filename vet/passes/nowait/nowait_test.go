package nowait_test

import (
	"testing"

	"github.com/boundgo/bound/vet/internal/fixture"
	"github.com/boundgo/bound/vet/passes/nowait"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.Run(t, fixture.Merge(t, fixture.GroupStubs(), analysistest.TestData()), nowait.Analyzer, "a", "odd")
}
