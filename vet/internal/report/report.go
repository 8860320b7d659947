// Package report is how every boundvet check reports a finding: with the
// catalogue row as its category, a link to that row in the README, and
// silenced by a //boundvet:ignore directive.
//
// A directive names one check, several checks separated by commas, or "all",
// and then says why the finding does not apply:
//
//	//boundvet:ignore orphansend the receiver always drains, see drain()
//	go produce(ch)
//
//	go produce(ch) //boundvet:ignore orphansend,blockforever drained by drain()
//
// It silences findings on its own line and on the first line of the
// statement (or other syntax) it belongs to, as go/ast's CommentMap
// attaches comments: the statement it ends, or the one right below it (a
// directive may head a block of comments above that statement). A directive
// on a line of its own also silences the line right below its block of
// comments, whatever that line holds (a closing brace, say); a directive
// that ends a line of code does not. A directive
// without a reason silences nothing; the suite's directive check reports it,
// and a check name that does not exist.
//
// Findings in generated files (see [ast.IsGenerated]) are dropped: nobody
// can fix them where they are reported.
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
	pass *analysis.Pass
	row  string

	// files holds, for each file a finding was reported in, whether the
	// file is generated and which lines directives silence for this check;
	// filled on the first report in that file, since most passes report
	// nothing.
	files map[*ast.File]*fileState
}

type fileState struct {
	generated bool
	ignored   map[int]bool // lines silenced for this check
}

// New returns the Reporter for pass, whose findings belong to the catalogue
// row row ("A1", "B3", ...).
func New(pass *analysis.Pass, row string) *Reporter {
	return &Reporter{pass: pass, row: row}
}

// Ignored reports whether a finding at pos is silenced: by a directive for
// this check, or because it lies in a generated file.
func (r *Reporter) Ignored(pos token.Pos) bool {
	f := r.file(pos)
	if f == nil {
		return false
	}
	st := r.state(f)
	return st.generated || st.ignored[r.pass.Fset.Position(pos).Line]
}

// Report reports d, filling in its Category and URL, unless it is silenced
// (see [Reporter.Ignored]).
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

// file returns the file of the package that holds pos, or nil.
func (r *Reporter) file(pos token.Pos) *ast.File {
	if !pos.IsValid() {
		return nil
	}
	for _, f := range r.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

func (r *Reporter) state(f *ast.File) *fileState {
	if st, ok := r.files[f]; ok {
		return st
	}
	if r.files == nil {
		r.files = make(map[*ast.File]*fileState)
	}
	st := &fileState{generated: ast.IsGenerated(f)}
	r.files[f] = st
	if st.generated {
		return st
	}
	name := r.pass.Analyzer.Name
	var cm ast.CommentMap // built only for a file with a directive for this check
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			d, ok := ParseDirective(c.Text)
			if !ok || d.Reason == "" || !d.Names(name) {
				continue
			}
			if st.ignored == nil {
				st.ignored = make(map[int]bool)
				cm = ast.NewCommentMap(r.pass.Fset, f, f.Comments)
			}
			line := r.pass.Fset.Position(c.Slash).Line
			st.ignored[line] = true
			trailing := false
			for _, n := range nodesOf(cm, cg) {
				st.ignored[r.pass.Fset.Position(n.Pos()).Line] = true
				trailing = trailing || r.pass.Fset.Position(n.End()).Line == line
			}
			if !trailing {
				// A directive on a line of its own also covers the line
				// below its block of comments, whatever is there: a
				// closing brace, the end of a function, a case clause.
				st.ignored[r.pass.Fset.Position(cg.End()).Line+1] = true
			}
		}
	}
	return st
}

// nodesOf returns the nodes the comment map attaches the group cg to.
// The map is keyed by node, so this is a walk over it; it runs once per
// file that holds a directive, which is rare.
func nodesOf(cm ast.CommentMap, cg *ast.CommentGroup) []ast.Node {
	var nodes []ast.Node
	for n, groups := range cm {
		for _, g := range groups {
			if g == cg {
				nodes = append(nodes, n)
			}
		}
	}
	return nodes
}

// The directive's spelling.
const (
	prefix = "//boundvet:"
	ignore = prefix + "ignore"
)

// A Directive is a parsed //boundvet:ignore comment.
type Directive struct {
	Checks []string // the check names, "all" for every check; empty if none was given
	Reason string   // the rest of the comment; empty if none was given
}

// ParseDirective parses the text of a comment (with its //) as a
// //boundvet:ignore directive. It reports false if the comment is not one;
// a directive with no check or no reason is returned with those fields
// empty.
func ParseDirective(text string) (Directive, bool) {
	rest, ok := strings.CutPrefix(text, ignore)
	if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return Directive{}, false
	}
	var d Directive
	rest = strings.TrimSpace(rest)
	if rest == "" {
		return d, true
	}
	list, reason := rest, ""
	if i := strings.IndexAny(rest, " \t"); i >= 0 {
		list, reason = rest[:i], rest[i:]
	}
	for name := range strings.SplitSeq(list, ",") {
		if name != "" {
			d.Checks = append(d.Checks, name)
		}
	}
	d.Reason = strings.TrimSpace(reason)
	return d, true
}

// Names reports whether the directive silences the check called name.
func (d Directive) Names(name string) bool {
	for _, c := range d.Checks {
		if c == name || c == "all" {
			return true
		}
	}
	return false
}
