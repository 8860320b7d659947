package blockforever_test

import (
	"testing"

	"github.com/boundgo/bound/vet/passes/blockforever"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestBlockForever(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), blockforever.Analyzer, "forever")
}

func TestAcrossPackages(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), blockforever.Analyzer, "watch/use")
}

func TestOddShapes(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), blockforever.Analyzer, "odd")
}

func TestNilChannels(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), blockforever.Analyzer, "nilchan", "nilmain")
}
