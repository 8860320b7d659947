// Package deferclobber is a scaffold, to be replaced by the real check.
package deferclobber

import "golang.org/x/tools/go/analysis"

// Analyzer is the deferclobber check.
var Analyzer = &analysis.Analyzer{
	Name: "deferclobber",
	Doc:  "scaffold",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
