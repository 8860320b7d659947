// Command corpusfmt turns boundvet -json output into one line per finding,
// for corpus.sh: check, module@version, file:line:col relative to the
// module's root, and the message, separated by tabs. A finding reported in
// both a package and its test variant is printed once. Analysis errors go
// to stderr.
//
//	boundvet -json PKGS | go run ./testdata/corpusfmt MODULE@VERSION MODULE_DIR
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("corpusfmt: ")
	if len(os.Args) != 3 {
		log.Fatal("usage: corpusfmt MODULE@VERSION MODULE_DIR < boundvet.json")
	}
	module, dir := os.Args[1], os.Args[2]
	// package -> check -> findings, or {"error": ...}
	var tree map[string]map[string]json.RawMessage
	if err := json.NewDecoder(os.Stdin).Decode(&tree); err != nil {
		log.Fatalf("reading boundvet -json output: %v", err)
	}
	seen := make(map[string]bool)
	var lines []string
	for pkg, checks := range tree {
		for check, raw := range checks {
			var e struct{ Error string }
			if json.Unmarshal(raw, &e) == nil && e.Error != "" {
				fmt.Fprintf(os.Stderr, "%s: %s: %s\n", pkg, check, e.Error)
				continue
			}
			var diags []struct{ Posn, Message string }
			if err := json.Unmarshal(raw, &diags); err != nil {
				log.Fatalf("%s: %s: %v", pkg, check, err)
			}
			for _, d := range diags {
				posn := d.Posn
				if rel, err := filepath.Rel(dir, posn); err == nil && !strings.HasPrefix(rel, "..") {
					posn = filepath.ToSlash(rel)
				}
				line := strings.Join([]string{check, module, posn, d.Message}, "\t")
				if !seen[line] {
					seen[line] = true
					lines = append(lines, line)
				}
			}
		}
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Println(l)
	}
}
