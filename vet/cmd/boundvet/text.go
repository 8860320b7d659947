package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// childEnv marks the process that textMode starts: it runs multichecker
// with the arguments it is given, as they are.
const childEnv = "BOUNDVET_JSON_CHILD"

// textMode reports whether boundvet prints findings as text: not under go
// vet, not with -json, -fix, -flags or -V, and not for help.
func textMode(s selection, flags, pkgs []string) bool {
	if len(pkgs) == 0 || pkgs[0] == "help" || isConfig(pkgs) {
		return false
	}
	for _, name := range []string{"json", "fix", "flags", "V"} {
		if v, ok := flagValue(s, flags, name); ok && v != "false" {
			return false
		}
	}
	return true
}

// flagValue returns the value the flags give to the flag name ("true" for
// a bare boolean flag), the last one winning.
func flagValue(s selection, flags []string, name string) (value string, ok bool) {
	for i := 0; i < len(flags); i++ {
		f := flags[i]
		if f == "--" {
			break
		}
		n, v, hasValue := strings.Cut(strings.TrimLeft(f, "-"), "=")
		takes := !hasValue && s.takesValue(n)
		if takes && i+1 < len(flags) {
			v, hasValue = flags[i+1], true
			i++
		}
		if n == name {
			value, ok = v, true
			if !hasValue {
				value = "true"
			}
		}
	}
	return value, ok
}

// runText runs boundvet again with -json in a child process and prints
// its findings as multichecker does (file:line:col: message, with -c's
// context lines and the related positions below) but with the check's name
// in front of the message, as golangci-lint and staticcheck show it, since
// that name is what a //boundvet:ignore directive needs; with paths
// relative to home, the directory boundvet was started in, when that is
// shorter; sorted by position. The exit code is multichecker's: 1 if
// anything failed, else 3 if anything was found, else 0.
func runText(s selection, extra, flags, pkgs []string, home string, w io.Writer) int {
	exe, err := os.Executable()
	if err != nil {
		fatal(err)
	}
	// -json goes last among the flags, before the packages.
	child := slices.Concat(extra, withJSON(flags), pkgs)
	cmd := exec.Command(exe, child...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stdin, cmd.Stderr = os.Stdin, os.Stderr
	out, err := cmd.Output()
	code := 0
	if err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			fatal(err)
		}
		code = exit.ExitCode()
	}
	// package -> check -> findings, or {"error": ...}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(out, &tree); err != nil {
		if code != 0 {
			return code // the child said why, on stderr
		}
		fatal(fmt.Errorf("reading the findings: %v", err))
	}
	contextLines := -1
	if v, ok := flagValue(s, flags, "c"); ok {
		if n, err := strconv.Atoi(v); err == nil {
			contextLines = n
		}
	}

	type finding struct {
		check string
		jsonDiagnostic
	}
	var (
		findings []finding
		failures []string
		seen     = make(map[string]bool)
	)
	for _, checks := range tree {
		for check, raw := range checks {
			var e struct{ Error string }
			if json.Unmarshal(raw, &e) == nil && e.Error != "" {
				failures = append(failures, fmt.Sprintf("%s: %s", check, e.Error))
				continue
			}
			var diags []jsonDiagnostic
			if err := json.Unmarshal(raw, &diags); err != nil {
				fatal(fmt.Errorf("reading the findings of %s: %v", check, err))
			}
			for _, d := range diags {
				// A file of a package and of its test variant is analyzed twice.
				key := strings.Join([]string{check, d.Posn, d.End, d.Message}, "\x00")
				if !seen[key] {
					seen[key] = true
					findings = append(findings, finding{check, d})
				}
			}
		}
	}
	slices.SortFunc(findings, func(a, b finding) int {
		pa, pb := parsePosn(a.Posn), parsePosn(b.Posn)
		return cmp.Or(cmp.Compare(pa.file, pb.file), cmp.Compare(pa.line, pb.line), cmp.Compare(pa.col, pb.col),
			cmp.Compare(a.check, b.check), cmp.Compare(a.Message, b.Message))
	})
	slices.Sort(failures)
	for _, f := range failures {
		fmt.Fprintln(w, f)
	}
	for _, f := range findings {
		printPlain(w, home, contextLines, f.Posn, f.End, f.check+": "+f.Message)
		for _, r := range f.Related {
			printPlain(w, home, contextLines, r.Posn, r.End, "\t"+r.Message)
		}
	}
	switch {
	case code != 0 || len(failures) > 0:
		return max(code, 1)
	case len(findings) > 0:
		return 3
	}
	return 0
}

// withJSON returns flags with -json added before a "--" terminator.
func withJSON(flags []string) []string {
	if i := slices.Index(flags, "--"); i >= 0 {
		return slices.Concat(flags[:i], []string{"-json"}, flags[i:])
	}
	return append(slices.Clone(flags), "-json")
}

// jsonDiagnostic is a finding in x/tools' JSON output.
type jsonDiagnostic struct {
	Posn, End, Message string
	Related            []struct{ Posn, End, Message string }
}

type posn struct {
	file      string
	line, col int
}

// parsePosn parses "file:line:col".
func parsePosn(s string) posn {
	p := posn{file: s}
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return p
	}
	j := strings.LastIndexByte(s[:i], ':')
	if j < 0 {
		return p
	}
	line, err1 := strconv.Atoi(s[j+1 : i])
	col, err2 := strconv.Atoi(s[i+1:])
	if err1 != nil || err2 != nil {
		return p
	}
	return posn{s[:j], line, col}
}

// printPlain prints a finding as x/tools' text output does, with the path
// shortened as go vet shortens it.
func printPlain(w io.Writer, home string, contextLines int, start, end, message string) {
	p := parsePosn(start)
	if p.line == 0 {
		fmt.Fprintf(w, "%s: %s\n", start, message)
		return
	}
	file := p.file
	if rel, err := filepath.Rel(home, file); err == nil && len(rel) < len(file) {
		file = rel
	}
	fmt.Fprintf(w, "%s:%d:%d: %s\n", file, p.line, p.col, message)
	if contextLines < 0 {
		return
	}
	e := parsePosn(end)
	if e.line == 0 {
		e = p
	}
	data, _ := os.ReadFile(p.file)
	lines := strings.Split(string(data), "\n")
	for i := p.line - contextLines; i <= e.line+contextLines; i++ {
		if 1 <= i && i <= len(lines) {
			fmt.Fprintf(w, "%d\t%s\n", i, lines[i-1])
		}
	}
}
