package uselib_test

import (
	"testing"

	"github.com/boundgo/bound/vet/passes/uselib"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), uselib.Analyzer, "a")
}
