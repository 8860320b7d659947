package nowait_test

import (
	"testing"

	"github.com/boundgo/bound/vet/passes/nowait"
	"golang.org/x/tools/go/analysis/analysistest"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), nowait.Analyzer, "a", "odd")
}
