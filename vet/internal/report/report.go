// Package report is how every boundvet check reports a finding: with the
// catalogue row as its category, a link to that row in the README, and
// silenced by a //boundvet:ignore directive.
//
// A directive silences one check (or every check, with "all") on the line
// it is written on and on the line below it; it must give a reason:
//
//	//boundvet:ignore orphansend the receiver always drains, see drain()
//	go produce(ch)
package report

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Base is where the catalogue lives: the README's table of pitfalls, whose
// rows carry anchors named after their ids in lower case (#a1, #b3, ...).
const Base = "https://github.com/boundgo/bound#"

// URL returns the link to the README's row for a catalogue id such as "A2".
func URL(row string) string { return Base + strings.ToLower(row) }

// A Reporter reports the findings of one check in one package.
type Reporter struct {
	pass    *analysis.Pass
	row     string
	ignored map[lineKey]bool // lines silenced for this check
}

type lineKey struct {
	file string
	line int
}

// New returns the Reporter for pass, whose findings belong to the catalogue
// row row ("A1", "B3", ...).
func New(pass *analysis.Pass, row string) *Reporter {
	r := &Reporter{pass: pass, row: row}
	for _, f := range pass.Files {
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if !r.directive(c.Text) {
					continue
				}
				pos := pass.Fset.Position(c.Slash)
				if r.ignored == nil {
					r.ignored = make(map[lineKey]bool)
				}
				r.ignored[lineKey{pos.Filename, pos.Line}] = true
				r.ignored[lineKey{pos.Filename, pos.Line + 1}] = true
			}
		}
	}
	return r
}

// directive reports whether text is a //boundvet:ignore directive, with a
// reason, for this check or for all checks.
func (r *Reporter) directive(text string) bool {
	rest, ok := strings.CutPrefix(text, "//boundvet:ignore ")
	if !ok {
		return false
	}
	fields := strings.Fields(rest)
	if len(fields) < 2 { // a check and at least one word of reason
		return false
	}
	for name := range strings.SplitSeq(fields[0], ",") {
		if name == r.pass.Analyzer.Name || name == "all" {
			return true
		}
	}
	return false
}

// Ignored reports whether a finding at pos is silenced by a directive.
func (r *Reporter) Ignored(pos token.Pos) bool {
	if r.ignored == nil {
		return false
	}
	p := r.pass.Fset.Position(pos)
	return r.ignored[lineKey{p.Filename, p.Line}]
}

// Report reports d, filling in its Category and URL, unless a directive
// silences it.
func (r *Reporter) Report(d analysis.Diagnostic) {
	if r.Ignored(d.Pos) {
		return
	}
	if d.Category == "" {
		d.Category = r.row
	}
	if d.URL == "" {
		d.URL = URL(r.row)
	}
	r.pass.Report(d)
}

// Reportf reports a finding at node n with a formatted message.
func (r *Reporter) Reportf(n ast.Node, format string, args ...any) {
	r.Report(analysis.Diagnostic{Pos: n.Pos(), End: n.End(), Message: fmt.Sprintf(format, args...)})
}
