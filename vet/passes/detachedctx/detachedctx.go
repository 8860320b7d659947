// Package detachedctx is a scaffold, to be replaced by the real check.
package detachedctx

import "golang.org/x/tools/go/analysis"

// Analyzer is the detachedctx check.
var Analyzer = &analysis.Analyzer{
	Name: "detachedctx",
	Doc:  "scaffold",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
