// Package blockforever is a scaffold, to be replaced by the real check.
package blockforever

import "golang.org/x/tools/go/analysis"

// Analyzer is the blockforever check.
var Analyzer = &analysis.Analyzer{
	Name: "blockforever",
	Doc:  "scaffold",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
