package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
)

// Flags returns the API lines of a go/analysis checker: the flags it
// describes when run with -flags (the protocol go vet -vettool uses), one
// line per flag, "bool" for the on/off switches of its checks.
func Flags(tool string) ([]string, error) {
	cmd := exec.Command(tool, "-flags")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s -flags: %v\n%s", tool, err, stderr.Bytes())
	}
	var flags []struct {
		Name string
		Bool bool
	}
	if err := json.Unmarshal(out, &flags); err != nil {
		return nil, fmt.Errorf("%s -flags: %v", tool, err)
	}
	name := filepath.Base(tool)
	lines := make([]string, 0, len(flags))
	for _, f := range flags {
		kind := "value"
		if f.Bool {
			kind = "bool"
		}
		lines = append(lines, fmt.Sprintf("cmd %s, flag -%s %s", name, f.Name, kind))
	}
	slices.Sort(lines)
	return lines, nil
}
