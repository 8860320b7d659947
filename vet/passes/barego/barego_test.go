package barego_test

import (
	"testing"

	"github.com/boundgo/bound/vet/internal/fixture"
	"github.com/boundgo/bound/vet/passes/barego"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.Run(t, fixture.Merge(t, fixture.GroupStubs(), analysistest.TestData()), barego.Analyzer, "lib", "a", "odd")
}
