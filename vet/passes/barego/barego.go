// Package barego is a scaffold, to be replaced by the real check.
package barego

import "golang.org/x/tools/go/analysis"

// Analyzer is the barego check.
var Analyzer = &analysis.Analyzer{
	Name: "barego",
	Doc:  "scaffold",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
