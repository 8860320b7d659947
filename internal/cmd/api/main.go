// Command api prints the exported API of Go packages, one line per exported
// name with its signature, in the spirit of the Go project's api/go1.*.txt
// files, so that a checked-in copy makes every change to it visible:
//
//	go run ./internal/cmd/api [-C dir] [packages]
//	go run ./internal/cmd/api -flags path/to/checker
//
// It reads the packages' export data (go list -export), so what it prints is
// what an importer sees. Packages named main, internal packages and test
// packages are left out. With -flags it lists instead the flags of a
// go/analysis checker (its checks' on/off switches among them), as the
// checker describes them to go vet. .ci/api compares its output with the
// files in api/.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main with its arguments and outputs; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("api", flag.ContinueOnError)
	flags.SetOutput(stderr)
	dir := flags.String("C", ".", "run in `dir`, as go -C does")
	vettool := flags.String("flags", "", "list the flags of the go/analysis checker `tool` instead")
	flags.Usage = func() {
		_, _ = fmt.Fprintln(stderr, "usage: api [-C dir] [packages]\n       api -flags tool")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	patterns := flags.Args()
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	var lines []string
	var err error
	if *vettool != "" {
		lines, err = Flags(*vettool)
	} else {
		lines, err = API(*dir, patterns)
	}
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "api:", err)
		return 1
	}
	if len(lines) == 0 {
		return 0
	}
	if _, err := io.WriteString(stdout, strings.Join(lines, "\n")+"\n"); err != nil {
		_, _ = fmt.Fprintln(stderr, "api:", err)
		return 1
	}
	return 0
}

// listed is what go list says of a package.
type listed struct {
	ImportPath string
	Name       string
	Export     string
	DepOnly    bool
	Error      *struct{ Err string }
}

// API returns the sorted lines of the exported API of the packages matched
// by patterns, resolved in dir.
func API(dir string, patterns []string) ([]string, error) {
	args := append([]string{"list", "-deps", "-export", "-json=ImportPath,Name,Export,DepOnly,Error"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, stderr.Bytes())
	}
	exports := make(map[string]string)
	var targets []string
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		if p.Error != nil {
			return nil, fmt.Errorf("%s: %s", p.ImportPath, p.Error.Err)
		}
		exports[p.ImportPath] = p.Export
		if !p.DepOnly && public(p.ImportPath, p.Name) {
			targets = append(targets, p.ImportPath)
		}
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok || file == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	})
	var lines []string
	for _, path := range targets {
		pkg, err := imp.Import(path)
		if err != nil {
			return nil, err
		}
		lines = append(lines, Lines(pkg)...)
	}
	slices.Sort(lines)
	return slices.Compact(lines), nil
}

// public reports whether a package is part of the API: not a command, not
// internal.
func public(path, name string) bool {
	if name == "main" {
		return false
	}
	for elem := range strings.SplitSeq(path, "/") {
		if elem == "internal" || elem == "testdata" {
			return false
		}
	}
	return true
}

// Lines returns the API lines of pkg, unsorted.
func Lines(pkg *types.Package) []string {
	w := &writer{pkg: pkg}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		if obj := scope.Lookup(name); obj.Exported() {
			w.object(obj)
		}
	}
	return w.lines
}

type writer struct {
	pkg   *types.Package
	lines []string
}

func (w *writer) emit(format string, args ...any) {
	w.lines = append(w.lines, "pkg "+w.pkg.Path()+", "+fmt.Sprintf(format, args...))
}

// typ writes t with the names of other packages qualified by package name,
// as Go source reads.
func (w *writer) typ(t types.Type) string {
	return types.TypeString(unnamed(t), w.qualifier)
}

// unnamed returns t with the parameter names of every function type in it
// dropped: renaming a parameter does not change the API.
func unnamed(t types.Type) types.Type {
	switch t := t.(type) {
	case *types.Signature:
		return types.NewSignatureType(nil, nil, nil, unnamedTuple(t.Params()), unnamedTuple(t.Results()), t.Variadic())
	case *types.Pointer:
		return types.NewPointer(unnamed(t.Elem()))
	case *types.Slice:
		return types.NewSlice(unnamed(t.Elem()))
	case *types.Array:
		return types.NewArray(unnamed(t.Elem()), t.Len())
	case *types.Map:
		return types.NewMap(unnamed(t.Key()), unnamed(t.Elem()))
	case *types.Chan:
		return types.NewChan(t.Dir(), unnamed(t.Elem()))
	}
	return t
}

func unnamedTuple(tuple *types.Tuple) *types.Tuple {
	vars := make([]*types.Var, tuple.Len())
	for i := range vars {
		vars[i] = types.NewParam(token.NoPos, nil, "", unnamed(tuple.At(i).Type()))
	}
	return types.NewTuple(vars...)
}

func (w *writer) qualifier(p *types.Package) string {
	if p == w.pkg {
		return ""
	}
	return p.Name()
}

func (w *writer) object(obj types.Object) {
	switch obj := obj.(type) {
	case *types.Const:
		w.emit("const %s %s", obj.Name(), w.typ(obj.Type()))
		w.emit("const %s = %s", obj.Name(), obj.Val().ExactString())
	case *types.Var:
		w.emit("var %s %s", obj.Name(), w.typ(obj.Type()))
	case *types.Func:
		w.emit("func %s%s", obj.Name(), w.signature(obj.Type().(*types.Signature)))
	case *types.TypeName:
		w.typeName(obj)
	}
}

func (w *writer) typeName(obj *types.TypeName) {
	name := obj.Name()
	named, ok := types.Unalias(obj.Type()).(*types.Named)
	if obj.IsAlias() {
		w.emit("type %s = %s", name, w.typ(types.Unalias(obj.Type())))
		if !ok || named.Obj().Pkg() == nil || public(named.Obj().Pkg().Path(), "") {
			return // the target's own package lists it
		}
		// An alias of a type defined in an internal package: its fields and
		// methods are this package's API.
	}
	tparams := w.typeParams(named.TypeParams())
	head := name + tparams
	switch u := named.Underlying().(type) {
	case *types.Struct:
		w.emit("type %s struct", head)
		for f := range u.Fields() {
			if !f.Exported() {
				continue
			}
			if f.Embedded() {
				w.emit("type %s struct, embedded %s", head, w.typ(f.Type()))
			} else {
				w.emit("type %s struct, %s %s", head, f.Name(), w.typ(f.Type()))
			}
		}
	case *types.Interface:
		w.emit("type %s interface { %s }", head, w.methodNames(u))
		for m := range u.ExplicitMethods() {
			if m.Exported() {
				w.emit("type %s interface, %s%s", head, m.Name(), w.signature(m.Type().(*types.Signature)))
			}
		}
		for e := range u.EmbeddedTypes() {
			w.emit("type %s interface, embedded %s", head, w.typ(e))
		}
	default:
		w.emit("type %s %s", head, w.typ(u))
	}
	// Methods, promoted ones included, on T and on *T.
	recv := name + w.typeArgNames(named.TypeParams())
	seen := make(map[string]bool)
	for _, t := range []types.Type{named, types.NewPointer(named)} {
		ms := types.NewMethodSet(t)
		for sel := range ms.Methods() {
			m := sel.Obj().(*types.Func)
			if !m.Exported() || seen[m.Name()] {
				continue
			}
			if _, isIface := named.Underlying().(*types.Interface); isIface {
				continue // listed with the interface
			}
			seen[m.Name()] = true
			r := recv
			if _, ptr := m.Type().(*types.Signature).Recv().Type().(*types.Pointer); ptr {
				r = "*" + recv
			}
			w.emit("method (%s) %s%s", r, m.Name(), w.signature(m.Type().(*types.Signature)))
		}
	}
}

// methodNames lists an interface's exported methods, for its summary line.
func (w *writer) methodNames(u *types.Interface) string {
	var names []string
	for m := range u.Methods() {
		if m.Exported() {
			names = append(names, m.Name())
		} else {
			names = append(names, "unexported methods")
		}
	}
	slices.Sort(names)
	return strings.Join(slices.Compact(names), ", ")
}

func (w *writer) typeParams(tps *types.TypeParamList) string {
	if tps.Len() == 0 {
		return ""
	}
	var parts []string
	for tp := range tps.TypeParams() {
		parts = append(parts, tp.Obj().Name()+" "+w.typ(tp.Constraint()))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func (w *writer) typeArgNames(tps *types.TypeParamList) string {
	if tps.Len() == 0 {
		return ""
	}
	var parts []string
	for tp := range tps.TypeParams() {
		parts = append(parts, tp.Obj().Name())
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// signature writes a function's type parameters, parameters and results,
// without parameter names: renaming a parameter does not change the API.
func (w *writer) signature(sig *types.Signature) string {
	var b strings.Builder
	b.WriteString(w.typeParams(sig.TypeParams()))
	b.WriteString("(")
	params := sig.Params()
	for i := range params.Len() {
		p := params.At(i)
		if i > 0 {
			b.WriteString(", ")
		}
		if sig.Variadic() && i == sig.Params().Len()-1 {
			b.WriteString("..." + w.typ(p.Type().(*types.Slice).Elem()))
		} else {
			b.WriteString(w.typ(p.Type()))
		}
	}
	b.WriteString(")")
	switch res := sig.Results(); res.Len() {
	case 0:
	case 1:
		b.WriteString(" " + w.typ(res.At(0).Type()))
	default:
		b.WriteString(" (")
		for i := range res.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(w.typ(res.At(i).Type()))
		}
		b.WriteString(")")
	}
	return b.String()
}
