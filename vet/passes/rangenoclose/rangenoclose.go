// Package rangenoclose is a scaffold, to be replaced by the real check.
package rangenoclose

import "golang.org/x/tools/go/analysis"

// Analyzer is the rangenoclose check.
var Analyzer = &analysis.Analyzer{
	Name: "rangenoclose",
	Doc:  "scaffold",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
