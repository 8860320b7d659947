// Package addinside is a scaffold, to be replaced by the real check.
package addinside

import "golang.org/x/tools/go/analysis"

// Analyzer is the addinside check.
var Analyzer = &analysis.Analyzer{
	Name: "addinside",
	Doc:  "scaffold",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
