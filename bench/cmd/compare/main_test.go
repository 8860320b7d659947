package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// fakeEnv makes the test binary play a benchmark binary: run hands it the
// flags that go test -c binaries take, and it prints canned results.
const fakeEnv = "COMPARE_FAKE_BENCH"

func TestMain(m *testing.M) {
	if mode := os.Getenv(fakeEnv); mode != "" {
		os.Exit(fakeBench(mode, os.Args[1:]))
	}
	goleak.VerifyTestMain(m)
}

// fakeBench prints what a benchmark binary prints: configuration lines, a
// result per implementation (ours about twice as fast as the peer, with a
// little jitter), and PASS; or a failure, as mode says.
func fakeBench(mode string, args []string) int {
	bench, cpus := "", []string{"2"}
	for i, a := range args {
		switch {
		case i+1 == len(args):
		case a == "-test.bench":
			bench = args[i+1]
		case a == "-test.cpu":
			cpus = strings.Split(args[i+1], ",")
		}
	}
	fmt.Println("goos: linux\ngoarch: amd64\npkg: github.com/boundgo/bound/bench")
	if mode == "fail" {
		fmt.Println("--- FAIL: BenchmarkGroupGo/task")
		fmt.Println("FAIL")
		return 1
	}
	for _, cpu := range cpus {
		if bench == "nomatch" {
			break
		}
		fmt.Printf("BenchmarkGroupGo/task-%s     \t    1000\t%8.1f ns/op\t  24 B/op\t   1 allocs/op\n", cpu, 50+rand.Float64())
		fmt.Printf("BenchmarkGroupGo/errgroup-%s \t    1000\t%8.1f ns/op\t  24 B/op\t   1 allocs/op\n", cpu, 100+rand.Float64())
	}
	fmt.Println("PASS")
	return 0
}

// fakeBuild "builds" the benchmarks by pointing run at this test binary in
// the given fake mode.
func fakeBuild(t *testing.T, mode string) func(string, io.Writer) (string, error) {
	t.Setenv(fakeEnv, mode)
	return func(string, io.Writer) (string, error) { return os.Executable() }
}

func TestRun(t *testing.T) {
	t.Run("it prints progress, the table and a raw file benchstat can split by impl", func(t *testing.T) {
		rawPath := filepath.Join(t.TempDir(), "bench.txt")
		var stdout, stderr bytes.Buffer
		err := run([]string{"-count", "3", "-format", "markdown", "-o", rawPath}, &stdout, &stderr, fakeBuild(t, "ok"))
		if err != nil {
			t.Fatalf("run: %v\n%s", err, stderr.String())
		}
		for _, want := range []string{"building the benchmarks", "round 1/3 done: 2 benchmarks", "round 3/3 done", "GroupGo/task"} {
			if !strings.Contains(stderr.String(), want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
			}
		}
		if !strings.Contains(stdout.String(), "| GroupGo | task | errgroup |") || !strings.Contains(stdout.String(), "≤ 1.00 met") {
			t.Errorf("table lacks the GroupGo row with its met target:\n%s", stdout.String())
		}
		raw, err := os.ReadFile(rawPath)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(raw), "BenchmarkGroupGo/impl=task-2"); n != 3 {
			t.Errorf("raw file has %d task lines; want 3:\n%s", n, raw)
		}
		if n := strings.Count(string(raw), "goos: linux"); n != 1 {
			t.Errorf("raw file has the configuration %d times; want once", n)
		}
	})
	t.Run("with several -cpu values each GOMAXPROCS is a case of its own", func(t *testing.T) {
		var stdout bytes.Buffer
		if err := run([]string{"-count", "2", "-cpu", "1,2"}, &stdout, io.Discard, fakeBuild(t, "ok")); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"GroupGo@1", "GroupGo@2"} {
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("table lacks %s:\n%s", want, stdout.String())
			}
		}
	})
	t.Run("a -bench that matches nothing is an error", func(t *testing.T) {
		err := run([]string{"-bench", "nomatch", "-count", "1"}, io.Discard, io.Discard, fakeBuild(t, "ok"))
		if err == nil || !strings.Contains(err.Error(), "no benchmark matched") {
			t.Errorf("run = %v; want a no-match error", err)
		}
	})
	t.Run("a failing benchmark binary is an error and its failure is shown", func(t *testing.T) {
		var stderr bytes.Buffer
		err := run([]string{"-count", "1"}, io.Discard, &stderr, fakeBuild(t, "fail"))
		if err == nil || !strings.Contains(err.Error(), "benchmark binary") {
			t.Errorf("run = %v; want a benchmark binary error", err)
		}
		if !strings.Contains(stderr.String(), "--- FAIL: BenchmarkGroupGo/task") {
			t.Errorf("stderr lacks the failure:\n%s", stderr.String())
		}
	})
	t.Run("a build failure is returned", func(t *testing.T) {
		errBuild := errors.New("no compiler")
		err := run(nil, io.Discard, io.Discard, func(string, io.Writer) (string, error) { return "", errBuild })
		if !errors.Is(err, errBuild) {
			t.Errorf("run = %v; want %v", err, errBuild)
		}
	})
	t.Run("bad flags are errors, and -h asks for help", func(t *testing.T) {
		for _, args := range [][]string{{"-format", "html"}, {"-count", "0"}, {"-o", filepath.Join(t.TempDir(), "no", "such", "dir")}} {
			if err := run(args, io.Discard, io.Discard, fakeBuild(t, "ok")); err == nil {
				t.Errorf("run(%q) = nil; want an error", args)
			}
		}
		var stderr bytes.Buffer
		if err := run([]string{"-h"}, io.Discard, &stderr, fakeBuild(t, "ok")); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("run(-h) = %v; want flag.ErrHelp", err)
		}
		if !strings.Contains(stderr.String(), "usage: go -C bench run ./cmd/compare") {
			t.Errorf("-h printed %q; want the usage", stderr.String())
		}
	})
}

func TestBuildBench(t *testing.T) {
	t.Run("it compiles the test binary of the package in the current directory", func(t *testing.T) {
		bin, err := buildBench(t.TempDir(), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(bin); err != nil || fi.Mode()&0o111 == 0 {
			t.Errorf("buildBench gave %s (%v); want an executable", bin, err)
		}
	})
}
