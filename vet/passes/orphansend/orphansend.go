// Package orphansend is a scaffold, to be replaced by the real check.
package orphansend

import "golang.org/x/tools/go/analysis"

// Analyzer is the orphansend check.
var Analyzer = &analysis.Analyzer{
	Name: "orphansend",
	Doc:  "scaffold",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
