package wrapping_test

import (
	"testing"

	"github.com/boundgo/bound/vet/internal/wrapping"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestFacts checks the facts the analyzer exports: what each function
// returns as it is and wrapped, aliases of sentinels, the targets of Is
// methods, and what a caller in another package learns from them.
func TestFacts(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), wrapping.Analyzer, "w", "w2")
}
