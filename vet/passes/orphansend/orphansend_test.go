package orphansend_test

import (
	"testing"

	"github.com/boundgo/bound/vet/passes/orphansend"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestOrphanSend(t *testing.T) {
	testdata := analysistest.TestData()
	analysistest.RunWithSuggestedFixes(t, testdata, orphansend.Analyzer, "leak")
}

func TestAcrossPackages(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), orphansend.Analyzer, "producer/use")
}

func TestOddShapes(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), orphansend.Analyzer, "odd")
}
