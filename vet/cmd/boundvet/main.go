// Command boundvet runs the checks of bound's pitfall catalogue (goroutine
// leaks, broken defer chains, unchecked assertions) over Go packages, next to
// go vet and staticcheck in code review:
//
//	go run github.com/boundgo/bound/vet/cmd/boundvet@latest ./...
//	go vet -vettool=$(which boundvet) ./...
//
// It is x/tools' multichecker with the suite's checks, so it keeps that
// driver's flags (-json, -fix, -diff, -c, -test, -cpuprofile, ...) and its
// exit codes: 0 when nothing is found, 3 when findings are printed, 1 when
// a package fails to load or a check fails (that wins over 3), 2 for a bad
// flag; with -json the findings go to stdout as JSON and the exit code is 0
// unless something failed; -fix applies the suggested fixes and exits 0.
// Under go vet -vettool, go vet prints the findings and exits 1 for any
// (and so does go run, which reports the 3 as "exit status 3").
//
// Its text output differs from multichecker's in three ways, all for the
// reviewer: each message starts with the name of the check, which is what
// a //boundvet:ignore directive names (golangci-lint and staticcheck show
// it too; multichecker and go vet do not); paths are relative to the
// current directory where that is shorter, as go vet prints them; and the
// findings are sorted by position and printed once, even when a file
// belongs to a package and its test variant. For that boundvet runs itself
// again with -json and prints what that run found:
//
//	task/group.go:337:3: nowait: the end of the function is reached without waiting for ...
//	task/group.go:332:5: 	goroutines added here
//
// # Which checks run
//
// With no check flag, the default checks run, plus the directive check,
// which reports malformed //boundvet:ignore comments. The opt-in checks
// (boundvet help lists them) run only when named, and naming one adds it to
// whatever would run anyway:
//
//	boundvet -barego ./...                  the defaults and barego
//	boundvet -nowait=false ./...            the defaults but nowait
//	boundvet -nowait -orphansend ./...      only nowait and orphansend (x/tools' rule)
//	boundvet -nowait -barego ./...          only nowait and barego
//
// That is x/tools' rule for the default checks (naming any of them with
// -NAME or -NAME=true runs only the named ones; -NAME=false drops one),
// except that an opt-in check never narrows the selection, and the
// directive check stays on unless -directive=false. The same flags work
// under go vet -vettool, which passes them through.
//
// # Directory arguments
//
// Package patterns are go list's, resolved in the module of the current
// directory. A pattern that is a directory path (".", "..", "./x/...",
// "../...", "/abs/dir/...") in another module is resolved in that module:
// boundvet runs from that module's root, so "go -C vet run ./cmd/boundvet
// ../..." from a clone checks the library, not the vet module. All the
// directory patterns of one run must then lie in the same module. A
// directory that holds no Go files stands for every package below it
// ("boundvet .." at a module root with no package of its own is
// "boundvet ../..."), and boundvet says so on stderr.
package main

import (
	"fmt"
	"os"

	"github.com/boundgo/bound/vet/suite"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"
)

func main() {
	run(suite.Default, suite.OptIn, suite.Directive)
}

// run is main with the suite as arguments, so that tests can run the
// driver with checks of their own.
func run(defaults, optIn []*analysis.Analyzer, directive *analysis.Analyzer) {
	s := selection{defaults: defaults, optIn: optIn, directive: directive}
	if os.Getenv(childEnv) != "" {
		multichecker.Main(s.all()...) // started by runText, with its arguments ready
	}
	args := os.Args[1:]
	flags, pkgs := s.split(args)
	if len(pkgs) == 1 && pkgs[0] == "help" {
		s.help(os.Stdout)
		os.Exit(0)
	}
	cwd, err := os.Getwd()
	if err != nil {
		fatal(err)
	}
	if len(pkgs) > 0 && pkgs[0] != "help" && !isConfig(pkgs) {
		r, err := relocate(cwd, pkgs)
		if err != nil {
			fatal(err)
		}
		for _, n := range r.notes {
			fmt.Fprintf(os.Stderr, "boundvet: %s\n", n)
		}
		if r.dir != "" {
			if err := os.Chdir(r.dir); err != nil {
				fatal(err)
			}
			os.Setenv("PWD", r.dir)
		}
		pkgs = r.patterns
	}
	var extra []string
	if len(pkgs) == 0 || pkgs[0] != "help" { // help NAME must know every check
		extra = s.extra(flags)
	}
	if textMode(s, flags, pkgs) {
		os.Exit(runText(s, extra, flags, pkgs, cwd, os.Stderr))
	}
	os.Args = append(append(append([]string{os.Args[0]}, extra...), flags...), pkgs...)
	multichecker.Main(s.all()...)
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "boundvet: %v\n", err)
	os.Exit(1)
}
