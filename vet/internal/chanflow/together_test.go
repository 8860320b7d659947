package chanflow_test

import (
	"os"
	"path/filepath"
	"regexp"
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

// want matches an analysistest expectation: together reports nothing of
// its own, so the checks' expectations are dropped from the copies.
var want = regexp.MustCompile(`\s*// want .*`)

// TestChecksShareResult runs the three checks at once on their own main
// fixtures, copied without their expectations.
func TestChecksShareResult(t *testing.T) {
	dir := t.TempDir()
	for _, fixture := range []string{
		"../../passes/blockforever/testdata/src/forever",
		"../../passes/orphansend/testdata/src/leak",
		"../../passes/rangenoclose/testdata/src/noclose",
	} {
		files, err := filepath.Glob(filepath.Join(fixture, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("fixture %s: files %v, error %v", fixture, files, err)
		}
		pkg := filepath.Join(dir, "src", filepath.Base(fixture))
		if err := os.MkdirAll(pkg, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(pkg, filepath.Base(f)), want.ReplaceAll(src, nil), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	analysistest.Run(t, dir, together, "forever", "leak", "noclose")
}
