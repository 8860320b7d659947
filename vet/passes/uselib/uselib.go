// Package uselib is a scaffold, to be replaced by the real check.
package uselib

import "golang.org/x/tools/go/analysis"

// Analyzer is the uselib check.
var Analyzer = &analysis.Analyzer{
	Name: "uselib",
	Doc:  "scaffold",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}
