package suite

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestSuiteIsValid(t *testing.T) {
	all := append(append(slices.Clone(Default), Directive), OptIn...)
	if err := analysis.Validate(all); err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]bool)
	for _, a := range all {
		if seen[a.Name] || a.Name == "all" {
			t.Errorf("check name %q is used twice or reserved", a.Name)
		}
		seen[a.Name] = true
	}
}

func TestSelect(t *testing.T) {
	for _, tc := range []struct {
		enable, disable []string
		on, off         []string
	}{
		{nil, nil, []string{"orphansend", "directive"}, []string{"barego", "uselib"}},
		{[]string{"barego"}, nil, []string{"orphansend", "barego"}, []string{"uselib"}},
		{nil, []string{"orphansend", "directive"}, []string{"nowait"}, []string{"orphansend", "directive", "barego"}},
		{[]string{"all"}, []string{"uselib"}, []string{"barego", "detachedctx", "nowait"}, []string{"uselib"}},
		{nil, []string{"all"}, nil, []string{"nowait", "directive"}},
	} {
		got, err := Select(tc.enable, tc.disable)
		if err != nil {
			t.Fatal(err)
		}
		names := names(got)
		for _, n := range tc.on {
			if !slices.Contains(names, n) {
				t.Errorf("Select(%q, %q) = %v; want %s in it", tc.enable, tc.disable, names, n)
			}
		}
		for _, n := range tc.off {
			if slices.Contains(names, n) {
				t.Errorf("Select(%q, %q) = %v; want no %s in it", tc.enable, tc.disable, names, n)
			}
		}
	}
	if _, err := Select([]string{"nowiat"}, nil); err == nil || !strings.Contains(err.Error(), `"nowiat"`) {
		t.Errorf(`Select(["nowiat"], nil): error %v; want one naming "nowiat"`, err)
	}
}

// TestChecksCarryTheirDocs pins what the issue asks of every check: a
// one-line summary first, and the link to its row both in the URL field
// and in the documentation.
func TestChecksCarryTheirDocs(t *testing.T) {
	for _, a := range append(append(slices.Clone(Default), Directive), OptIn...) {
		first, rest, _ := strings.Cut(a.Doc, "\n")
		if first == "" || first == "scaffold" || rest != "" && !strings.HasPrefix(rest, "\n") {
			t.Errorf("%s: Doc does not start with a one-line summary and a blank line: %q", a.Name, first)
		}
		if !strings.HasPrefix(a.URL, "https://github.com/boundgo/bound#") || !strings.Contains(a.Doc, a.URL) {
			t.Errorf("%s: URL %q is not a link to the catalogue, or Doc does not give it", a.Name, a.URL)
		}
	}
}
