package chanflow_test

import (
	"testing"

	"github.com/boundgo/bound/vet/passes/blockforever"
	"github.com/boundgo/bound/vet/passes/orphansend"
	"github.com/boundgo/bound/vet/passes/rangenoclose"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// together requires the three channel checks, so that the checker runs
// them at the same time on one chanflow Result, as boundvet does: under
// -race this test fails if the Result is not safe for that.
var together = &analysis.Analyzer{
	Name:     "together",
	Doc:      "run the channel checks at once",
	Requires: []*analysis.Analyzer{rangenoclose.Analyzer, orphansend.Analyzer, blockforever.Analyzer},
	Run:      func(*analysis.Pass) (any, error) { return nil, nil },
}

func TestChecksShareResult(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), together, "together/...")
}
