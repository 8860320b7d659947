package rangenoclose_test

import (
	"testing"

	"github.com/boundgo/bound/vet/passes/rangenoclose"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestRangeNoClose(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), rangenoclose.Analyzer, "noclose")
}

func TestAcrossPackages(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), rangenoclose.Analyzer, "closer/use")
}

func TestOddShapes(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), rangenoclose.Analyzer, "odd")
}

func TestFields(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), rangenoclose.Analyzer, "fields")
}
