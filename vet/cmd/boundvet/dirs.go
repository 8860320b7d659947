package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A relocation is where to run go list from, and the patterns to give it.
type relocation struct {
	dir      string   // the module root to run from; "" to stay
	patterns []string // the patterns, rewritten relative to dir
	notes    []string // what boundvet tells the user it did
}

// relocate resolves the directory patterns among pkgs (see the package
// documentation): those in the module of cwd stay as they are; those in
// one other module make boundvet run from that module's root.
func relocate(cwd string, pkgs []string) (relocation, error) {
	r := relocation{patterns: make([]string, len(pkgs))}
	home := moduleRoot(cwd)
	var away []int // indexes of patterns in another module
	stay := -1     // index of a directory pattern in this module
	for i, p := range pkgs {
		r.patterns[i] = p
		if !isDirPattern(p) {
			continue
		}
		base, rest := splitWildcard(p)
		abs := base
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(cwd, base)
		}
		if rest == "" && !hasGoFiles(abs) && isDir(abs) {
			rest = "..."
			expanded := strings.TrimSuffix(p, "/") + "/..."
			r.notes = append(r.notes, fmt.Sprintf("no Go files in %s: checking %s, every package below it", p, expanded))
			r.patterns[i] = expanded
		}
		root := moduleRoot(abs)
		if root == "" || root == home {
			stay = i
			continue
		}
		if r.dir != "" && root != r.dir {
			return r, fmt.Errorf("%s and %s are in different modules (%s, %s): run boundvet once per module",
				pkgs[away[0]], p, r.dir, root)
		}
		r.dir = root
		rel, err := filepath.Rel(root, abs)
		if err != nil {
			return r, err
		}
		pat := "./" + filepath.ToSlash(rel)
		if rel == "." {
			pat = "."
		}
		if rest != "" {
			pat = strings.TrimSuffix(pat, "/") + "/" + rest
		}
		r.patterns[i] = pat
		away = append(away, i)
	}
	if stay >= 0 && len(away) > 0 {
		return r, fmt.Errorf("%s and %s are in different modules (%s, %s): run boundvet once per module",
			pkgs[stay], pkgs[away[0]], home, r.dir)
	}
	return r, nil
}

// isDirPattern reports whether p names directories rather than import
// paths, by go list's rule: it is absolute or starts with . or ..
func isDirPattern(p string) bool {
	return p == "." || p == ".." || filepath.IsAbs(p) ||
		strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") ||
		strings.HasPrefix(p, `.\`) || strings.HasPrefix(p, `..\`)
}

// splitWildcard splits a directory pattern before its first path element
// with "...": "../x/..." is "../x" and "...".
func splitWildcard(p string) (base, rest string) {
	elems := strings.Split(filepath.ToSlash(p), "/")
	for i, e := range elems {
		if strings.Contains(e, "...") {
			base = strings.Join(elems[:i], "/")
			if base == "" && i > 0 {
				base = "/"
			}
			return base, strings.Join(elems[i:], "/")
		}
	}
	return p, ""
}

// moduleRoot returns the directory of the go.mod that governs dir, or "".
func moduleRoot(dir string) string {
	for d := filepath.Clean(dir); ; {
		if fi, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && !fi.IsDir() {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

func isDir(dir string) bool {
	fi, err := os.Stat(dir)
	return err == nil && fi.IsDir()
}

func hasGoFiles(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return true // let go list say what is wrong
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".go") {
			return true
		}
	}
	return false
}
