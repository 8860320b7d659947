package suite

import (
	"fmt"
	"slices"

	"golang.org/x/tools/go/analysis"
)

// Select returns the checks to run: Default and Directive, plus those
// named in enable (usually opt-in ones; "all" names every check), minus
// those named in disable. It is how the golangci-lint plugin reads its
// settings; the command's flags follow the same rule.
func Select(enable, disable []string) ([]*analysis.Analyzer, error) {
	all := append(append(slices.Clone(Default), Directive), OptIn...)
	on := make(map[*analysis.Analyzer]bool)
	for _, a := range Default {
		on[a] = true
	}
	on[Directive] = true
	set := func(list []string, v bool) error {
		for _, name := range list {
			if name == "all" {
				for _, a := range all {
					on[a] = v
				}
				continue
			}
			i := slices.IndexFunc(all, func(a *analysis.Analyzer) bool { return a.Name == name })
			if i < 0 {
				return fmt.Errorf("boundvet: no check named %q (the checks: %v)", name, names(all))
			}
			on[all[i]] = v
		}
		return nil
	}
	if err := set(enable, true); err != nil {
		return nil, err
	}
	if err := set(disable, false); err != nil {
		return nil, err
	}
	var out []*analysis.Analyzer
	for _, a := range all {
		if on[a] {
			out = append(out, a)
		}
	}
	return out, nil
}
