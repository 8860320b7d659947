// Package ctxvalue is a scaffold, to be replaced by the real check.
package ctxvalue

import "golang.org/x/tools/go/analysis"

// Analyzer is the ctxvalue check.
var Analyzer = &analysis.Analyzer{
	Name: "ctxvalue",
	Doc:  "scaffold",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
