// Command compare runs the bench module's benchmarks, ours and the peers'
// side by side in one process, and prints per case our time and allocations
// beside each peer's, the ratio, and the spread over runs.
//
// Run it from the repository root:
//
//	go -C bench run ./cmd/compare
//
// By default it takes under a minute on two cores, the build included: 6
// rounds (the fewest that give a 95% confidence interval for a median) of
// 60ms per benchmark. For numbers worth quoting, run longer:
//
//	go -C bench run ./cmd/compare -count 10 -benchtime 1s -o bench.txt
//
// The rounds interleave the implementations: every round runs every
// benchmark once, so a slow spell on a noisy machine hits ours and the peers
// alike. Statistics are benchstat's (golang.org/x/perf/benchmath): medians with
// 95% confidence intervals, and a Mann-Whitney U test for each ratio. The raw
// output written with -o is what benchstat reads: its names carry the
// implementation as a key (BenchmarkGroupGo/impl=task-2), so that
//
//	benchstat -filter '/impl:(task OR errgroup)' -col /impl bench.txt
//
// sets one of ours against one peer, ours as the base column.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/boundgo/bound/cleanup"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr, buildBench); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(os.Stderr, "compare: %v\n", err)
		}
		os.Exit(2)
	}
}

// buildBench compiles the bench package's test binary into dir.
func buildBench(dir string, progress io.Writer) (string, error) {
	bin := filepath.Join(dir, "bench.test")
	build := exec.Command("go", "test", "-c", "-o", bin, ".")
	build.Stdout, build.Stderr = progress, progress
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("building the benchmarks: %v", err)
	}
	return bin, nil
}

// run is the command: it parses args, builds the benchmarks with build,
// runs the rounds with progress on stderr and prints the table on stdout.
func run(args []string, stdout, stderr io.Writer, build func(dir string, progress io.Writer) (string, error)) (err error) {
	// The benchmark binary's stderr is copied to stderr by a goroutine of
	// os/exec unless stderr is a file, while progress is written here.
	stderr = &lockedWriter{w: stderr}
	flags := flag.NewFlagSet("compare", flag.ContinueOnError)
	flags.SetOutput(stderr)
	var (
		bench     = flags.String("bench", ".", "run only the benchmarks matching `regexp`")
		count     = flags.Int("count", 6, "run every benchmark `n` times, in interleaved rounds")
		benchtime = flags.String("benchtime", "60ms", "run each benchmark for `d` per round (a duration, or Nx)")
		cpu       = flags.String("cpu", "", "GOMAXPROCS `list` to run each benchmark with (default: this machine's)")
		format    = flags.String("format", "text", "table format: text or markdown")
		rawPath   = flags.String("o", "", "also write the raw benchmark output to `file`, for benchstat")
	)
	flags.Usage = func() {
		fmt.Fprintf(stderr, "usage: go -C bench run ./cmd/compare [flags]\n\n")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *format != "text" && *format != "markdown" {
		return fmt.Errorf("-format must be text or markdown, not %q", *format)
	}
	if *count < 1 {
		return errors.New("-count must be at least 1")
	}

	raw := io.Discard
	if *rawPath != "" {
		f, err := os.Create(*rawPath)
		if err != nil {
			return err
		}
		defer cleanup.Close(&err, f) // the raw file is data: a failed Close is an error (pitfall B1)
		raw = f
	}

	dir, err := os.MkdirTemp("", "compare")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }() // a temporary directory: nothing to report if it stays
	fmt.Fprintf(stderr, "compare: building the benchmarks…\n")
	bin, err := build(dir, stderr)
	if err != nil {
		return err
	}

	benchArgs := []string{"-test.run", "^$", "-test.bench", *bench, "-test.benchmem", "-test.benchtime", *benchtime}
	if *cpu != "" {
		benchArgs = append(benchArgs, "-test.cpu", *cpu)
	}
	multiCPU := strings.Contains(*cpu, ",")

	res := newResults()
	start := time.Now()
	for round := 1; round <= *count; round++ {
		roundStart := time.Now()
		n, err := runRound(bin, benchArgs, round, res, raw, stderr, multiCPU)
		if err != nil {
			return fmt.Errorf("round %d: %v", round, err)
		}
		if n == 0 {
			return fmt.Errorf("no benchmark matched -bench %q", *bench)
		}
		fmt.Fprintf(stderr, "compare: round %d/%d done: %d benchmarks in %.1fs\n",
			round, *count, n, time.Since(roundStart).Seconds())
	}
	fmt.Fprintf(stderr, "compare: %d rounds in %.0fs\n\n", *count, time.Since(start).Seconds())

	rows := res.compare()
	if *format == "markdown" {
		return writeMarkdown(stdout, rows, *count, *benchtime)
	}
	return writeText(stdout, rows, *count, *benchtime)
}

// runRound runs every selected benchmark once, records the results and
// reports progress on stderr. It returns how many results it read.
func runRound(bin string, args []string, round int, res *results, raw, stderr io.Writer, multiCPU bool) (int, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	n := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		r, ok := parseLine(line, multiCPU)
		if !ok {
			// Keep the configuration lines (goos, cpu, pkg...) once, so
			// benchstat can label its output.
			if round == 1 && strings.Contains(line, ": ") && !strings.HasPrefix(line, "---") {
				fmt.Fprintln(raw, line)
			}
			if strings.HasPrefix(line, "--- FAIL") || strings.HasPrefix(line, "FAIL") || strings.HasPrefix(line, "panic:") {
				fmt.Fprintln(stderr, line)
			}
			continue
		}
		fmt.Fprintln(raw, benchstatLine(line))
		res.add(r)
		n++
		if round == 1 {
			fmt.Fprintf(stderr, "  %-40s %12.1f ns/op %8.0f allocs/op\n", r.name(), r.values["sec/op"]*1e9, r.values["allocs/op"])
		}
	}
	if err := sc.Err(); err != nil {
		return n, err
	}
	if err := cmd.Wait(); err != nil {
		return n, fmt.Errorf("benchmark binary: %v", err)
	}
	return n, nil
}

// lockedWriter serializes writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
