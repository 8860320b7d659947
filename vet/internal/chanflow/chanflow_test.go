package chanflow_test

import (
	"testing"

	"github.com/boundgo/bound/vet/internal/chanflow"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), chanflow.Analyzer, "facts")
}
