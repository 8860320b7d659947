// Package fieldcancel is a scaffold, to be replaced by the real check.
package fieldcancel

import "golang.org/x/tools/go/analysis"

// Analyzer is the fieldcancel check.
var Analyzer = &analysis.Analyzer{
	Name: "fieldcancel",
	Doc:  "scaffold",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
