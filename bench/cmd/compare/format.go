package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"golang.org/x/perf/benchmath"
)

// writeText writes the table for a terminal and returns the first write
// error.
func writeText(out io.Writer, rows []row, count int, benchtime string) error {
	w := new(strings.Builder)
	fmt.Fprintf(w, "Ours against each peer, in one process: median time per op ± its 95%% confidence\n")
	fmt.Fprintf(w, "interval over %d runs of %s; ratio = ours / peer (below 1: ours is faster);\n", count, benchtime)
	fmt.Fprintf(w, "\"~\" marks a difference not significant at p < 0.05 (Mann-Whitney U);\n")
	fmt.Fprintf(w, "a target is \"within noise\" when the ratio is above it but not told apart from 1.\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "case\tours\tpeer\tours time\tpeer time\tratio\tp\tallocs/op ours\tpeer\ttarget")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			r.bench, r.ours, r.peer, timeCI(r.time[0]), timeCI(r.time[1]),
			ratio(r), pValue(r.p), num(r.allocs[0]), num(r.allocs[1]), target(r))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(out, w.String())
	return err
}

// writeMarkdown writes the table as Markdown, for the README, and returns
// the first write error.
func writeMarkdown(out io.Writer, rows []row, count int, benchtime string) error {
	w := new(strings.Builder)
	fmt.Fprintf(w, "Median time per op ± 95%% confidence interval, %d interleaved runs of %s each;\n", count, benchtime)
	fmt.Fprintf(w, "ratio = ours / peer (below 1: ours is faster); `~`: not significant at p < 0.05;\n")
	fmt.Fprintf(w, "a target is \"within noise\" when the ratio is above it but not told apart from 1.\n\n")
	fmt.Fprintln(w, "| case | ours | peer | ours time | peer time | ratio | allocs/op ours | allocs/op peer | target |")
	fmt.Fprintln(w, "|---|---|---|---:|---:|---:|---:|---:|---|")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			r.bench, r.ours, r.peer, timeCI(r.time[0]), timeCI(r.time[1]),
			ratio(r), num(r.allocs[0]), num(r.allocs[1]), target(r))
	}
	_, err := io.WriteString(out, w.String())
	return err
}

func ratio(r row) string {
	s := fmt.Sprintf("%.2f", r.ratio)
	if !r.significant() {
		s += " ~"
	}
	return s
}

func pValue(p float64) string { return fmt.Sprintf("%.3f", p) }

func target(r row) string {
	switch {
	case r.target == 0:
		return ""
	case r.meetsTarget():
		return fmt.Sprintf("≤ %.2f met", r.target)
	case r.withinNoise():
		return fmt.Sprintf("≤ %.2f within noise", r.target)
	default:
		return fmt.Sprintf("≤ %.2f MISSED", r.target)
	}
}

// timeCI formats a summary of seconds per op as "123ns ±2%".
func timeCI(s benchmath.Summary) string {
	return duration(s.Center) + " ±" + s.PctRangeString()
}

// duration formats seconds with three significant digits in the largest
// unit that keeps the number at or above 1.
func duration(sec float64) string {
	units := []struct {
		name  string
		scale float64
	}{{"s", 1}, {"ms", 1e-3}, {"µs", 1e-6}, {"ns", 1e-9}}
	for _, u := range units {
		if v := sec / u.scale; v >= 1 || u.name == "ns" {
			switch {
			case v >= 100:
				return fmt.Sprintf("%.0f%s", v, u.name)
			case v >= 10:
				return fmt.Sprintf("%.1f%s", v, u.name)
			default:
				return fmt.Sprintf("%.2f%s", v, u.name)
			}
		}
	}
	panic("unreachable")
}

func num(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}
