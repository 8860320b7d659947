package report

import (
	"fmt"
	"go/ast"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// DirectiveURL is where the README explains //boundvet:ignore.
const DirectiveURL = Base + "silencing-a-finding"

// NewDirectiveAnalyzer returns the check of //boundvet:ignore directives
// themselves, named "directive", for a suite whose checks are called
// checks. A directive that silences nothing by mistake is worse than none:
// the reader believes the finding was looked at. So it reports
//   - a directive with no check name, or with no reason (such a directive
//     silences nothing, as staticcheck's //lint:ignore without a reason);
//   - a name that is neither one of checks nor "all";
//   - a comment that looks meant as one but is not: "// boundvet:ignore"
//     (Go directives have no space after //), a block comment, or an
//     unknown //boundvet: verb.
func NewDirectiveAnalyzer(checks []string) *analysis.Analyzer {
	known := slices.Clone(checks)
	slices.Sort(known)
	return &analysis.Analyzer{
		Name: "directive",
		Doc: `report malformed //boundvet:ignore directives

A //boundvet:ignore directive silences a boundvet finding on its line or
on the statement below it. It must name the checks it silences
(comma-separated, or "all") and give a reason:

	//boundvet:ignore orphansend the receiver always drains, see drain()

A directive without a reason silences nothing. This check reports such a
directive, a check name that does not exist, and comments that look like
a directive but are not one ("// boundvet:ignore" with a space, a block
comment, an unknown //boundvet: verb), since each of those leaves a
finding reported that its author meant to silence, or silences nothing
while looking as if it did.

` + DirectiveURL,
		URL: DirectiveURL,
		Run: func(pass *analysis.Pass) (any, error) {
			for _, f := range pass.Files {
				if ast.IsGenerated(f) {
					continue
				}
				for _, cg := range f.Comments {
					for _, c := range cg.List {
						if msg := checkDirective(c.Text, known); msg != "" {
							pass.Report(analysis.Diagnostic{
								Pos:      c.Slash,
								End:      c.End(),
								Category: "directive",
								URL:      DirectiveURL,
								Message:  msg,
							})
						}
					}
				}
			}
			return nil, nil
		},
	}
}

// checkDirective returns what is wrong with the comment text as a
// directive, or "" if it is a well-formed one or no directive at all.
func checkDirective(text string, known []string) string {
	const usage = "write //boundvet:ignore <check>[,<check>...] <reason>"
	if !strings.Contains(text, "boundvet:") {
		return "" // the common case: not even close
	}
	d, ok := ParseDirective(text)
	if !ok {
		body, line := strings.CutPrefix(text, "//")
		if !line {
			body = strings.TrimPrefix(text, "/*")
		}
		trimmed := strings.TrimLeft(body, " \t")
		verb, isDirective := strings.CutPrefix(trimmed, "boundvet:")
		switch {
		case !isDirective:
			return "" // prose that mentions boundvet: somewhere
		case !line:
			return "a block comment is not a directive: " + usage + " as a // line comment"
		case trimmed != body:
			return "\"// boundvet:\" with a space is not a directive: write //boundvet:ignore with no space after //"
		default:
			verb, _, _ = strings.Cut(verb, " ")
			return fmt.Sprintf("unknown directive //boundvet:%s: the only directive is //boundvet:ignore", verb)
		}
	}
	if len(d.Checks) == 0 {
		return "//boundvet:ignore names no check, so it silences nothing: " + usage
	}
	var unknown []string
	for _, name := range d.Checks {
		if name != "all" {
			if _, found := slices.BinarySearch(known, name); !found {
				unknown = append(unknown, fmt.Sprintf("%q", name))
			}
		}
	}
	if len(unknown) > 0 {
		return fmt.Sprintf("//boundvet:ignore names %s, which is not a boundvet check (the checks: %s, or all)",
			strings.Join(unknown, ", "), strings.Join(known, ", "))
	}
	if d.Reason == "" {
		return "//boundvet:ignore without a reason silences nothing: say after the check name why the finding does not apply"
	}
	return ""
}
