// Package deferloop is a scaffold, to be replaced by the real check.
package deferloop

import "golang.org/x/tools/go/analysis"

// Analyzer is the deferloop check.
var Analyzer = &analysis.Analyzer{
	Name: "deferloop",
	Doc:  "scaffold",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
