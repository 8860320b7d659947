package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseLine(t *testing.T) {
	t.Run("a sub-benchmark line gives its case, implementation and units", func(t *testing.T) {
		r, ok := parseLine("BenchmarkGroupGo/task-2   \t 4000000\t       251.5 ns/op\t      16 B/op\t       1 allocs/op", false)
		if !ok {
			t.Fatal("parseLine(...) = false; want true")
		}
		if r.bench != "GroupGo" || r.impl != "task" {
			t.Errorf("parseLine(...) = %q/%q; want GroupGo/task", r.bench, r.impl)
		}
		if got := r.values["sec/op"]; got != 251.5e-9 {
			t.Errorf("sec/op = %v; want 251.5e-9", got)
		}
		if r.values["B/op"] != 16 || r.values["allocs/op"] != 1 {
			t.Errorf("values = %v; want 16 B/op and 1 allocs/op", r.values)
		}
	})
	t.Run("nested names keep all but the last element as the case", func(t *testing.T) {
		r, ok := parseLine("BenchmarkMap/n=10/typed-8 100 5 ns/op", true)
		if !ok || r.bench != "Map/n=10@8" || r.impl != "typed" {
			t.Errorf("parseLine(...) = %+v, %v; want Map/n=10@8 and typed", r, ok)
		}
	})
	t.Run("lines that are not comparisons are skipped", func(t *testing.T) {
		for _, line := range []string{"goos: linux", "PASS", "BenchmarkPlain-2 100 5 ns/op", "ok  \tpkg\t1.0s"} {
			if _, ok := parseLine(line, false); ok {
				t.Errorf("parseLine(%q) = true; want false", line)
			}
		}
	})
}

func TestCompare(t *testing.T) {
	rs := newResults()
	for i := range 6 {
		for _, l := range []string{
			fmt.Sprintf("BenchmarkGroupGo/task-2 100 %d ns/op 0 B/op 0 allocs/op", 100+i),
			fmt.Sprintf("BenchmarkGroupGo/errgroup-2 100 %d ns/op 16 B/op 1 allocs/op", 200+i),
			fmt.Sprintf("BenchmarkGroupGo/waitgroup-2 100 %d ns/op 16 B/op 1 allocs/op", 100+i),
			fmt.Sprintf("BenchmarkPeersOnly/a-2 100 %d ns/op", 1),
			fmt.Sprintf("BenchmarkPeersOnly/b-2 100 %d ns/op", 2),
		} {
			r, ok := parseLine(l, false)
			if !ok {
				t.Fatalf("parseLine(%q) = false", l)
			}
			rs.add(r)
		}
	}
	rows := rs.compare()
	if len(rows) != 2 {
		t.Fatalf("compare() gave %d rows; want 2 (cases without ours are skipped)", len(rows))
	}
	t.Run("a clear difference is significant and within its target", func(t *testing.T) {
		r := rows[0]
		if r.peer != "errgroup" || !r.significant() {
			t.Errorf("row = %+v; want a significant row against errgroup", r)
		}
		if r.ratio < 0.49 || r.ratio > 0.52 {
			t.Errorf("ratio = %v; want about 0.5", r.ratio)
		}
		if r.target != 1.0 || !r.meetsTarget() {
			t.Errorf("target = %v, met = %v; want 1.0 and met", r.target, r.meetsTarget())
		}
	})
	t.Run("equal samples are not significant", func(t *testing.T) {
		if r := rows[1]; r.peer != "waitgroup" || r.significant() {
			t.Errorf("row = %+v; want waitgroup, not significant", r)
		}
	})
	t.Run("both formats print every row", func(t *testing.T) {
		var text, md bytes.Buffer
		if err := errors.Join(writeText(&text, rows, 6, "100ms"), writeMarkdown(&md, rows, 6, "100ms")); err != nil {
			t.Fatal(err)
		}
		for _, out := range []string{text.String(), md.String()} {
			if !strings.Contains(out, "errgroup") || !strings.Contains(out, "waitgroup") || !strings.Contains(out, "0.51") {
				t.Errorf("output lacks a row:\n%s", out)
			}
		}
		if !strings.Contains(md.String(), "| GroupGo | task | errgroup | 102ns ±") {
			t.Errorf("markdown row not as expected:\n%s", md.String())
		}
	})
}

func TestDuration(t *testing.T) {
	for _, tc := range []struct {
		sec  float64
		want string
	}{{251.6e-9, "252ns"}, {1.5e-9, "1.50ns"}, {12.25e-6, "12.2µs"}, {2, "2.00s"}} {
		if got := duration(tc.sec); got != tc.want {
			t.Errorf("duration(%v) = %q; want %q", tc.sec, got, tc.want)
		}
	}
}

func TestBenchstatLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"BenchmarkMap/task-2   \t 100\t 5 ns/op", "BenchmarkMap/impl=task-2   \t 100\t 5 ns/op"},
		{"BenchmarkMapLoad/xsync \t 1\t 5 ns/op", "BenchmarkMapLoad/impl=xsync \t 1\t 5 ns/op"},
		{"BenchmarkPlain-2 \t 1\t 5 ns/op", "BenchmarkPlain-2 \t 1\t 5 ns/op"},
		{"BenchmarkMap/impl=task-2 \t 1\t 5 ns/op", "BenchmarkMap/impl=task-2 \t 1\t 5 ns/op"},
	} {
		if got := benchstatLine(tc.in); got != tc.want {
			t.Errorf("benchstatLine(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestTargetVerdict(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    row
		want string
	}{
		{"a ratio within its target is met", row{target: 1.0, ratio: 0.9, p: 0.5, alpha: 0.05}, "≤ 1.00 met"},
		{"a significant ratio above its target is missed", row{target: 1.0, ratio: 1.2, p: 0.01, alpha: 0.05}, "≤ 1.00 MISSED"},
		{"a ratio above a parity target but not significant is within noise", row{target: 1.15, ratio: 1.2, p: 0.3, alpha: 0.05}, "≤ 1.15 within noise"},
		{"a ratio above a target below parity is missed even if not significant", row{target: 0.6, ratio: 0.8, p: 0.3, alpha: 0.05}, "≤ 0.60 MISSED"},
		{"a row without a target says nothing", row{ratio: 2, p: 0.01, alpha: 0.05}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := target(tc.r); got != tc.want {
				t.Errorf("target(%+v) = %q; want %q", tc.r, got, tc.want)
			}
		})
	}
}
