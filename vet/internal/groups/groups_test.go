package groups_test

import (
	"testing"

	"github.com/boundgo/bound/vet/internal/groups"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestFacts checks the summaries exported for the functions of a fixture.
func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), groups.Analyzer, "g")
}
