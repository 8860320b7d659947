// Package errassert is a scaffold, to be replaced by the real check.
package errassert

import "golang.org/x/tools/go/analysis"

// Analyzer is the errassert check.
var Analyzer = &analysis.Analyzer{
	Name: "errassert",
	Doc:  "scaffold",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
