package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// A selection turns boundvet's rule for which checks run into the flags
// that x/tools' multichecker understands. Multichecker runs every analyzer
// it is given unless a -NAME flag says otherwise: with any -NAME=true only
// those run, else with any -NAME=false all but those. boundvet adds flags
// in front of the user's so that the opt-in checks are off unless named,
// naming one adds it to the rest, and the directive check follows along.
type selection struct {
	defaults, optIn []*analysis.Analyzer
	directive       *analysis.Analyzer
}

func (s selection) all() []*analysis.Analyzer {
	return append(append(append([]*analysis.Analyzer(nil), s.defaults...), s.directive), s.optIn...)
}

// driverValueFlags are the flags of x/tools' checker drivers that take a
// value (-name value as well as -name=value); every other flag of theirs is
// boolean. Listed here because multichecker registers its flags only
// when it parses them.
var driverValueFlags = map[string]bool{
	"c": true, "debug": true, "cpuprofile": true, "memprofile": true, "trace": true, "tags": true,
}

// split splits args at the first package argument, as package flag
// parses them: flags (with a "--" terminator) come first. Whatever it cannot
// tell apart is left to the flag package to reject.
func (s selection) split(args []string) (flags, pkgs []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return args[:i+1], args[i+1:]
		}
		if len(a) < 2 || a[0] != '-' {
			return args[:i], args[i:]
		}
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if s.takesValue(name) {
			i++ // -name value
		}
	}
	return args, nil
}

// takesValue reports whether the flag name is followed by its value
// rather than being a boolean.
func (s selection) takesValue(name string) bool {
	if driverValueFlags[name] {
		return true
	}
	check, fl, ok := strings.Cut(name, ".")
	if !ok {
		return false
	}
	for _, a := range s.all() {
		if a.Name == check {
			if f := a.Flags.Lookup(fl); f != nil {
				b, isBool := f.Value.(interface{ IsBoolFlag() bool })
				return !isBool || !b.IsBoolFlag()
			}
		}
	}
	return false
}

// named returns the value the flags give to each check's -NAME flag, for
// the checks they name (the last one wins, as in package flag).
func (s selection) named(flags []string) map[string]bool {
	checks := make(map[string]bool)
	for _, a := range s.all() {
		checks[a.Name] = true
	}
	set := make(map[string]bool)
	for i := 0; i < len(flags); i++ {
		f := flags[i]
		if f == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(f, "-"), "=")
		if !checks[name] {
			if !hasValue && s.takesValue(name) {
				i++
			}
			continue
		}
		on := true
		if hasValue {
			b, err := strconv.ParseBool(value)
			if err != nil {
				continue // package flag reports it
			}
			on = b
		}
		set[name] = on
	}
	return set
}

// extra returns the flags to put in front of the user's flags.
func (s selection) extra(flags []string) []string {
	set := s.named(flags)
	var extra []string
	add := func(a *analysis.Analyzer, on bool) {
		if _, ok := set[a.Name]; !ok {
			extra = append(extra, fmt.Sprintf("-%s=%t", a.Name, on))
		}
	}
	anyTrue := func(list []*analysis.Analyzer) bool {
		return slices.ContainsFunc(list, func(a *analysis.Analyzer) bool { return set[a.Name] })
	}
	switch {
	case anyTrue(s.defaults) || set[s.directive.Name]:
		// x/tools' rule: only the named checks run; keep the directive check.
		add(s.directive, true)
	case anyTrue(s.optIn):
		// An opt-in check adds to the defaults.
		for _, a := range s.defaults {
			add(a, true)
		}
		add(s.directive, true)
	default:
		// Nothing named true: the defaults, less those named false.
		for _, a := range s.optIn {
			add(a, false)
		}
	}
	return extra
}

// help prints what boundvet help prints with no check named. Multichecker's
// own summary says that all analyzers run by default, which is not
// boundvet's rule.
func (s selection) help(w io.Writer) {
	fmt.Fprint(w, `boundvet checks Go packages for the mistakes of bound's pitfall catalogue:
goroutine leaks, broken defer chains and unchecked interface assertions.
Each finding links to its row of the catalogue, where the fix is shown.

Usage: boundvet [-flag] [package pattern ...]
       go vet -vettool=$(which boundvet) [-flag] [package pattern ...]

`)
	list := func(title string, as []*analysis.Analyzer) {
		fmt.Fprintf(w, "%s\n\n", title)
		for _, a := range as {
			fmt.Fprintf(w, "    %-14s %s\n", a.Name, strings.SplitN(a.Doc, "\n", 2)[0])
		}
		fmt.Fprintln(w)
	}
	list("Checks on by default:", append(append([]*analysis.Analyzer(nil), s.defaults...), s.directive))
	list("Opt-in checks, off unless named:", s.optIn)
	fmt.Fprint(w, `-NAME adds an opt-in check to the defaults. Naming a default check with
-NAME (or -NAME=true) runs only the checks named; -NAME=false drops one.
The directive check runs along with any selection unless -directive=false.

Silence one finding with a comment on its line or on the line above it:

    //boundvet:ignore <check>[,<check>...] <reason>

Core flags, as x/tools' multichecker (and go vet) has them:

`)
	fs := flag.NewFlagSet("boundvet", flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Bool("json", false, "print findings as JSON on stdout (exit code 0 unless something failed)")
	fs.Bool("fix", false, "apply every suggested fix instead of printing the findings")
	fs.Bool("diff", false, "with -fix, print the fixes as a unified diff instead of applying them")
	fs.Int("c", -1, "print each finding's line and this many lines around it")
	fs.Bool("test", true, "check the packages' test files too")
	fs.String("cpuprofile", "", "write a CPU profile to this file")
	fs.String("memprofile", "", "write a memory profile to this file")
	fs.String("trace", "", "write an execution trace to this file")
	fs.String("debug", "", `debug flags, any of "fpstv" (t: time per check; p: one at a time)`)
	fs.Bool("flags", false, "print the flags as JSON (go vet's handshake)")
	fs.PrintDefaults()
	fmt.Fprint(w, `
Exit codes: 0 nothing found, 3 findings printed, 1 a package did not load or a
check failed.

Run 'boundvet help NAME' for a check's documentation and flags.
`)
}

// isConfig reports whether the arguments are go vet's one .cfg file, the
// unitchecker protocol.
func isConfig(pkgs []string) bool {
	return len(pkgs) == 1 && strings.HasSuffix(pkgs[0], ".cfg")
}
