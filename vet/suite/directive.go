package suite

import (
	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
)

// Directive checks the //boundvet:ignore directives themselves: it reports
// one without a reason or naming no known check, which would otherwise
// silence nothing while looking as if it did. It runs whenever any check
// runs, unless disabled by name ("directive").
var Directive = report.NewDirectiveAnalyzer(names(Default, OptIn))

func names(lists ...[]*analysis.Analyzer) []string {
	var ns []string
	for _, list := range lists {
		for _, a := range list {
			ns = append(ns, a.Name)
		}
	}
	return ns
}
