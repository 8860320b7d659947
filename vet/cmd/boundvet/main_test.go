package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"go/ast"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// The tests run this test binary as boundvet, over a suite of toy checks
// that report something on every package, so that which checks ran, and
// what the driver does with flags, directories and directives, shows in the
// output: through multichecker, and through go vet -vettool.

var (
	// leaky is a default check: it reports each call of leak, through a
	// Reporter, with a fix.
	leaky = &analysis.Analyzer{
		Name:     "leaky",
		Doc:      "report calls of leak",
		Requires: []*analysis.Analyzer{inspect.Analyzer},
		Run: func(pass *analysis.Pass) (any, error) {
			r := report.New(pass, "A2")
			in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
			for n := range in.PreorderSeq((*ast.CallExpr)(nil)) {
				call := n.(*ast.CallExpr)
				if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "leak" {
					r.Report(analysis.Diagnostic{
						Pos: call.Pos(), End: call.End(), Message: "leak called",
						SuggestedFixes: []analysis.SuggestedFix{{
							Message:   "mark it",
							TextEdits: []analysis.TextEdit{{Pos: call.End(), End: call.End(), NewText: []byte(" /* fixed */")}},
						}},
					})
				}
			}
			return nil, nil
		},
	}
	pkgname = ran("pkgname") // a default check
	optin   = ran("optin")   // an opt-in check
)

// ran returns a check that reports "NAME ran" on every file.
func ran(name string) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name: name,
		Doc:  "report that " + name + " ran",
		Run: func(pass *analysis.Pass) (any, error) {
			for _, f := range pass.Files {
				pass.Reportf(f.Name.Pos(), "%s ran", name)
			}
			return nil, nil
		},
	}
}

func TestMain(m *testing.M) {
	if os.Getenv("BOUNDVET_TEST_DRIVER") == "1" {
		defaults := []*analysis.Analyzer{leaky, pkgname}
		optIn := []*analysis.Analyzer{optin}
		run(defaults, optIn, report.NewDirectiveAnalyzer([]string{"leaky", "pkgname", "optin"}))
		panic("unreachable")
	}
	os.Exit(m.Run())
}

// fixture copies testdata to a temporary directory and returns it.
func fixture(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS("testdata")); err != nil {
		t.Fatal(err)
	}
	return dst
}

type result struct {
	stdout, stderr string
	code           int
}

// boundvet runs the test binary as the driver in dir.
func boundvet(t *testing.T, dir string, args ...string) result {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return command(t, dir, exe, args...)
}

func command(t *testing.T, dir, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "BOUNDVET_TEST_DRIVER=1", "GOWORK=off", "PWD="+dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return result{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
}

// ranChecks returns how many findings each kind of message has in out.
func count(out, substr string) int { return strings.Count(out, substr) }

func TestSelection(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	root := fixture(t)
	mod := filepath.Join(root, "mod")
	for _, tc := range []struct {
		args                          []string
		leak, pkgname, optin, malform int // findings of each check
		code                          int
	}{
		{[]string{"./..."}, 3, 2, 0, 1, 3},
		{[]string{"-optin", "./..."}, 3, 2, 2, 1, 3},
		{[]string{"-optin=true", "./..."}, 3, 2, 2, 1, 3},
		{[]string{"-pkgname", "./..."}, 0, 2, 0, 1, 3},
		{[]string{"-pkgname", "-optin", "./..."}, 0, 2, 2, 1, 3},
		{[]string{"-leaky=false", "-optin", "./..."}, 0, 2, 2, 1, 3},
		{[]string{"-leaky=false", "./..."}, 0, 2, 0, 1, 3},
		{[]string{"-optin=false", "./..."}, 3, 2, 0, 1, 3},
		{[]string{"-directive=false", "-pkgname", "./..."}, 0, 2, 0, 0, 3},
		{[]string{"-c", "1", "-optin", "./..."}, 3, 2, 2, 1, 3},
		{[]string{"-leaky=false", "-pkgname=false", "-directive=false", "./..."}, 0, 0, 0, 0, 0},
		{[]string{"-leaky=false", "-pkgname=false", "-directive=false", "-optin", "./..."}, 0, 0, 2, 0, 3},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := boundvet(t, mod, tc.args...)
			got := []int{count(r.stderr, "leak called"), count(r.stderr, "pkgname ran"),
				count(r.stderr, "optin ran"), count(r.stderr, "without a reason"), r.code}
			want := []int{tc.leak, tc.pkgname, tc.optin, tc.malform, tc.code}
			if !equalInts(got, want) {
				t.Errorf("boundvet %s: leak, pkgname, optin, directive findings and exit code = %v; want %v\n%s",
					strings.Join(tc.args, " "), got, want, r.stderr)
			}
		})
	}
}

func TestTextOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	root := fixture(t)
	r := boundvet(t, filepath.Join(root, "mod"), "-c", "0", "./...")
	// Sorted by position, the check's name in front of the message, paths
	// relative to where boundvet was started, -c's context lines below.
	want := `a/a.go:1:9: pkgname: pkgname ran
1	package a
a/a.go:6:2: leaky: leak called
6		leak()
a/a.go:11:2: directive: //boundvet:ignore without a reason silences nothing: say after the check name why the finding does not apply
11		//boundvet:ignore leaky
a/a.go:12:2: leaky: leak called
12		leak()
b/b.go:1:9: pkgname: pkgname ran
1	package b
b/b.go:6:2: leaky: leak called
6		leak()
`
	if r.stderr != want || r.code != 3 {
		t.Errorf("boundvet -c 0 ./...: exit code %d, output\n%s\nwant exit code 3, output\n%s", r.code, r.stderr, want)
	}
	// From another module, paths are relative to the starting directory.
	r = boundvet(t, filepath.Join(root, "mod", "a"), "../../nogo/...")
	if !strings.Contains(r.stderr, "\n../../nogo/sub/sub.go:5:12: leaky: leak called\n") {
		t.Errorf("boundvet ../../nogo/... from mod/a: output\n%s\nwant a finding at ../../nogo/sub/sub.go:5:12", r.stderr)
	}
}

func TestJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	r := boundvet(t, filepath.Join(fixture(t), "mod"), "-json", "-optin", "./...")
	if r.code != 0 {
		t.Errorf("boundvet -json: exit code %d; want 0 (x/tools' rule)\n%s", r.code, r.stderr)
	}
	// package -> check -> findings
	var tree map[string]map[string][]struct {
		Category, Posn, Message string
	}
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("boundvet -json: %v\n%s", err, r.stdout)
	}
	a := tree["example.com/mod/a"]
	if len(a["leaky"]) != 2 || len(a["optin"]) != 1 || len(a["directive"]) != 1 {
		t.Fatalf("boundvet -json: package a has %d leaky, %d optin, %d directive findings; want 2, 1, 1\n%s",
			len(a["leaky"]), len(a["optin"]), len(a["directive"]), r.stdout)
	}
	// x/tools' JSON has no URL field; the category names the row.
	if d := a["leaky"][0]; d.Category != "A2" {
		t.Errorf("leaky finding: Category %q; want A2", d.Category)
	}
}

func TestFix(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	mod := filepath.Join(fixture(t), "mod")
	r := boundvet(t, mod, "-fix", "./...")
	if r.code != 0 {
		t.Errorf("boundvet -fix: exit code %d; want 0\n%s", r.code, r.stderr)
	}
	src, err := os.ReadFile(filepath.Join(mod, "a", "a.go"))
	if err != nil {
		t.Fatal(err)
	}
	// The silenced call is not fixed.
	if n := strings.Count(string(src), "leak() /* fixed */"); n != 2 {
		t.Errorf("after boundvet -fix, a.go has %d fixed calls; want 2\n%s", n, src)
	}
}

func TestDirectoryOfAnotherModule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	root := fixture(t)
	mod := filepath.Join(root, "mod")
	for _, arg := range []string{"../nogo", "../nogo/...", "../nogo/sub", filepath.Join(root, "nogo", "...")} {
		r := boundvet(t, mod, arg)
		if r.code != 3 || count(r.stderr, "leak called") != 1 || !strings.Contains(r.stderr, filepath.Join("nogo", "sub", "sub.go")) {
			t.Errorf("boundvet %s from another module: exit code %d; want 3 and one finding in nogo/sub\n%s", arg, r.code, r.stderr)
		}
		if arg == "../nogo" && !strings.Contains(r.stderr, "no Go files in ../nogo: checking ../nogo/...") {
			t.Errorf("boundvet ../nogo: does not say it checks ../nogo/...\n%s", r.stderr)
		}
	}
	r := boundvet(t, mod, "./...", "../nogo/...")
	if r.code != 1 || !strings.Contains(r.stderr, "different modules") {
		t.Errorf("boundvet ./... ../nogo/...: exit code %d; want 1 and a word on different modules\n%s", r.code, r.stderr)
	}
}

func TestGoVetVettool(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	mod := filepath.Join(fixture(t), "mod")
	for _, tc := range []struct {
		args                 []string
		leak, pkgname, optin int
	}{
		{nil, 3, 2, 0},
		{[]string{"-optin"}, 3, 2, 2},
		{[]string{"-pkgname"}, 0, 2, 0},
		{[]string{"-leaky=false"}, 0, 2, 0},
	} {
		args := append(append([]string{"vet", "-vettool=" + exe}, tc.args...), "./...")
		r := command(t, mod, "go", args...)
		got := []int{count(r.stderr, "leak called"), count(r.stderr, "pkgname ran"), count(r.stderr, "optin ran"), r.code}
		want := []int{tc.leak, tc.pkgname, tc.optin, 1}
		if !equalInts(got, want) {
			t.Errorf("go %s: leak, pkgname, optin findings and exit code = %v; want %v\n%s",
				strings.Join(args, " "), got, want, r.stderr)
		}
	}
}

func TestHelp(t *testing.T) {
	r := boundvet(t, ".", "help")
	if r.code != 0 || !strings.Contains(r.stdout, "Opt-in checks, off unless named:\n\n    optin ") {
		t.Errorf("boundvet help: exit code %d, output\n%s\nwant 0 and optin among the opt-in checks", r.code, r.stdout)
	}
	for _, name := range []string{"optin", "leaky", "directive"} {
		r := boundvet(t, ".", "help", name)
		if r.code != 0 || !strings.HasPrefix(r.stdout, name+": ") {
			t.Errorf("boundvet help %s: exit code %d, output\n%s%s", name, r.code, r.stdout, r.stderr)
		}
	}
}

func TestSplit(t *testing.T) {
	s := selection{defaults: []*analysis.Analyzer{leaky}, optIn: []*analysis.Analyzer{optin}, directive: pkgname}
	for _, tc := range []struct {
		args  string
		flags int // how many leading args are flags
	}{
		{"./...", 0},
		{"-json ./...", 1},
		{"-c 3 -optin ./a", 3},
		{"-c=3 ./a", 1},
		{"-debug tp -cpuprofile /tmp/p ./a", 4},
		{"-- -notaflag", 1},
		{"-V=full", 1},
		{"-leaky=false", 1},
		{"x.cfg", 0},
	} {
		args := strings.Fields(tc.args)
		flags, pkgs := s.split(args)
		if len(flags) != tc.flags || len(flags)+len(pkgs) != len(args) {
			t.Errorf("split(%q) = %q, %q; want %d flags", tc.args, flags, pkgs, tc.flags)
		}
	}
}

func TestRelocateSameModule(t *testing.T) {
	root := fixture(t)
	mod := filepath.Join(root, "mod")
	r, err := relocate(mod, []string{"./...", "./a", "example.com/mod/b", "."})
	if err != nil {
		t.Fatal(err)
	}
	// "." holds no Go files: it stands for "./...".
	if r.dir != "" || strings.Join(r.patterns, " ") != "./... ./a example.com/mod/b ./..." {
		t.Errorf("relocate in its own module = %q, %q; want no move and ./... ./a example.com/mod/b ./...", r.dir, r.patterns)
	}
	r, err = relocate(mod, []string{"../nogo/sub", "example.com/nogo/sub"})
	if err != nil {
		t.Fatal(err)
	}
	if r.dir != filepath.Join(root, "nogo") || strings.Join(r.patterns, " ") != "./sub example.com/nogo/sub" {
		t.Errorf("relocate to another module = %q, %q; want %s and ./sub example.com/nogo/sub", r.dir, r.patterns, filepath.Join(root, "nogo"))
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
