// Package nowait is a scaffold, to be replaced by the real check.
package nowait

import "golang.org/x/tools/go/analysis"

// Analyzer is the nowait check.
var Analyzer = &analysis.Analyzer{
	Name: "nowait",
	Doc:  "scaffold",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
