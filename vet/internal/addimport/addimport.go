// Package addimport computes the edits that make a package reachable from a
// file, for suggested fixes that call a function of another package.
package addimport

import (
	"go/ast"
	"go/token"
	"go/types"
	"path"
	"strconv"

	"golang.org/x/tools/go/analysis"
)

// Ensure returns the name under which file reaches the package pkgPath at
// pos, and the edits that add its import when file does not import it yet.
// It fails when that name means something else at pos (a local variable or
// a package-level declaration of the same name), or when the package is
// imported as _ or with a dot.
func Ensure(pass *analysis.Pass, file *ast.File, pkgPath string, pos token.Pos) (name string, edits []analysis.TextEdit, ok bool) {
	for _, imp := range file.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil || p != pkgPath {
			continue
		}
		name = path.Base(pkgPath)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if name == "_" || name == "." {
			return "", nil, false
		}
		if obj := lookup(pass, name, pos); obj != nil {
			if pn, isPkg := obj.(*types.PkgName); isPkg && pn.Imported().Path() == pkgPath {
				return name, nil, true
			}
		}
		return "", nil, false
	}
	name = path.Base(pkgPath)
	if lookup(pass, name, pos) != nil {
		return "", nil, false
	}
	spec := strconv.Quote(pkgPath)
	for _, decl := range file.Decls {
		gd, isGen := decl.(*ast.GenDecl)
		if !isGen || gd.Tok != token.IMPORT {
			continue
		}
		if gd.Lparen.IsValid() {
			return name, []analysis.TextEdit{{Pos: gd.Rparen, End: gd.Rparen, NewText: []byte("\n" + spec + "\n")}}, true
		}
		return name, []analysis.TextEdit{{Pos: gd.End(), End: gd.End(), NewText: []byte("\nimport " + spec)}}, true
	}
	end := file.Name.End()
	return name, []analysis.TextEdit{{Pos: end, End: end, NewText: []byte("\n\nimport " + spec)}}, true
}

func lookup(pass *analysis.Pass, name string, pos token.Pos) types.Object {
	scope := pass.Pkg.Scope().Innermost(pos)
	if scope == nil {
		return types.Universe.Lookup(name) // be safe: treat as taken if universal
	}
	_, obj := scope.LookupParent(name, pos)
	return obj
}
