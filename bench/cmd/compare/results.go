package main

import (
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/perf/benchmath"
)

// ours names the implementations that are this library's; every other
// sub-benchmark name in a case is a peer. Benchmarks are named
// Benchmark<Case>/<impl>.
var ours = map[string]bool{"task": true, "chanx": true, "cleanup": true, "typed": true}

// targets are the time ratios (ours / peer) that the issues set, keyed by
// "<Case>/<peer>". A row whose median ratio is above its target is marked.
var targets = map[string]float64{
	"GroupGo/errgroup":           1.0,
	"GroupGoLimit/errgroup":      0.6,
	"GroupGoLimit/conc":          1.0,
	"Map/errgroup":               0.8,
	"ReleaseAgain/oncevalue":     1.2,
	"ReleaseContended/oncevalue": 1.2,
	"Stack/defer":                3.0,
	"SendRecv/raw":               1.15,
	"ProduceRange/handwritten":   1.1,
	"PipelineMap/handwritten":    1.2,
	"MapLoad/syncmap":            0.8,
	"MapLoad/xsync":              1.0,
	"MapMixed/xsync":             1.0,
	"Heap/containerheap":         0.33,
	"Pool/syncpool":              1.0,
	"ValueLoad/atomicpointer":    1.1,
	"Limiter/semaphore":          1.0,
	"LimiterContended/semaphore": 1.0,
	"MapChurn/xsync":             1.0,
	"GroupSharedLimit/errgroup":  1.0,
	"ForEach/conc":               1.0,
	"MapLoadOrTryCompute/xsync":  1.0,
	"MapDeleteFunc/xsync":        1.0,
	"MapGrow/xsync":              1.0,
}

// A result is one line of benchmark output.
type result struct {
	bench, impl string
	values      map[string]float64 // by unit: sec/op, B/op, allocs/op
}

func (r result) name() string { return r.bench + "/" + r.impl }

// benchLine matches "BenchmarkCase/impl-8   123   45.6 ns/op   7 B/op   1 allocs/op".
var benchLine = regexp.MustCompile(`^Benchmark(\S+)\s+(\d+)\s+(.*)$`)

// procsSuffix is the "-GOMAXPROCS" suffix that go test appends to names.
var procsSuffix = regexp.MustCompile(`-(\d+)$`)

// benchstatLine returns a benchmark line with its implementation part
// written as a benchstat key, "BenchmarkCase/impl=task-2", so that
// `benchstat -col /impl` puts each implementation in a column of its own.
// The test names stay Benchmark<Case>/<impl>: only the raw file says impl=.
func benchstatLine(line string) string {
	end := strings.IndexAny(line, " \t")
	if end < 0 {
		end = len(line)
	}
	slash := strings.LastIndexByte(line[:end], '/')
	if slash < 0 || strings.Contains(line[slash:end], "=") {
		return line
	}
	return line[:slash+1] + "impl=" + line[slash+1:]
}

// parseLine parses one line of benchmark output. Names without an
// implementation part (no "/") are not comparisons and are skipped. With
// multiCPU, the GOMAXPROCS suffix is kept in the case name as "@N".
func parseLine(line string, multiCPU bool) (result, bool) {
	m := benchLine.FindStringSubmatch(line)
	if m == nil {
		return result{}, false
	}
	name, procs := m[1], ""
	if p := procsSuffix.FindStringSubmatchIndex(name); p != nil {
		procs, name = name[p[2]:p[3]], name[:p[0]]
	}
	slash := strings.LastIndexByte(name, '/')
	if slash < 0 {
		return result{}, false
	}
	r := result{bench: name[:slash], impl: name[slash+1:], values: map[string]float64{}}
	if multiCPU && procs != "" {
		r.bench += "@" + procs
	}
	fields := strings.Fields(m[3])
	for i := 0; i+1 < len(fields); i += 2 {
		v, err := strconv.ParseFloat(fields[i], 64)
		if err != nil {
			return result{}, false
		}
		unit := fields[i+1]
		if unit == "ns/op" {
			unit, v = "sec/op", v/1e9
		}
		r.values[unit] = v
	}
	if _, ok := r.values["sec/op"]; !ok {
		return result{}, false
	}
	return r, true
}

// results holds every measurement, in the order benchmarks first appeared.
type results struct {
	cases []string
	impls map[string][]string                        // by case, in order of appearance
	data  map[string]map[string]map[string][]float64 // case → impl → unit → values
}

func newResults() *results {
	return &results{impls: map[string][]string{}, data: map[string]map[string]map[string][]float64{}}
}

func (rs *results) add(r result) {
	byImpl, ok := rs.data[r.bench]
	if !ok {
		byImpl = map[string]map[string][]float64{}
		rs.data[r.bench] = byImpl
		rs.cases = append(rs.cases, r.bench)
	}
	byUnit, ok := byImpl[r.impl]
	if !ok {
		byUnit = map[string][]float64{}
		byImpl[r.impl] = byUnit
		rs.impls[r.bench] = append(rs.impls[r.bench], r.impl)
	}
	for unit, v := range r.values {
		byUnit[unit] = append(byUnit[unit], v)
	}
}

// A row compares our implementation of a case with one peer.
type row struct {
	bench, ours, peer string
	time              [2]benchmath.Summary // ours, peer: sec/op
	allocs, bytes     [2]float64           // medians
	ratio             float64              // median time ours / peer
	p                 float64              // U test p-value; ratio is meaningful when p < alpha
	alpha             float64
	target            float64 // 0 when none
}

func (r row) significant() bool { return r.p < r.alpha }

// meetsTarget reports whether the row has a target and the ratio is within it.
func (r row) meetsTarget() bool { return r.target > 0 && r.ratio <= r.target }

// withinNoise reports whether a row above its target cannot be told from
// parity: the difference is not significant, and the target allows a ratio
// of 1. Such a row is neither met nor shown to be missed; a longer run
// decides it.
func (r row) withinNoise() bool {
	return r.target >= 1 && r.ratio > r.target && !r.significant()
}

// compare builds one row per (case, peer) pair. Cases without one of our
// implementations are skipped.
func (rs *results) compare() []row {
	var rows []row
	for _, c := range rs.cases {
		our := ""
		for _, impl := range rs.impls[c] {
			if ours[impl] {
				our = impl
				break
			}
		}
		if our == "" {
			continue
		}
		for _, peer := range rs.impls[c] {
			if peer == our {
				continue
			}
			rows = append(rows, compareOne(c, our, peer, rs.data[c][our], rs.data[c][peer]))
		}
	}
	return rows
}

func compareOne(bench, our, peer string, a, b map[string][]float64) row {
	thr := &benchmath.DefaultThresholds
	sa := benchmath.NewSample(append([]float64(nil), a["sec/op"]...), thr)
	sb := benchmath.NewSample(append([]float64(nil), b["sec/op"]...), thr)
	r := row{bench: bench, ours: our, peer: peer, alpha: thr.CompareAlpha}
	r.time[0] = benchmath.AssumeNothing.Summary(sa, 0.95)
	r.time[1] = benchmath.AssumeNothing.Summary(sb, 0.95)
	r.p = benchmath.AssumeNothing.Compare(sa, sb).P
	if r.time[1].Center > 0 {
		r.ratio = r.time[0].Center / r.time[1].Center
	}
	r.allocs = [2]float64{median(a["allocs/op"]), median(b["allocs/op"])}
	r.bytes = [2]float64{median(a["B/op"]), median(b["B/op"])}
	r.target = targets[trimProcs(bench)+"/"+peer]
	return r
}

func trimProcs(bench string) string {
	if i := strings.LastIndexByte(bench, '@'); i >= 0 {
		return bench[:i]
	}
	return bench
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := benchmath.NewSample(append([]float64(nil), xs...), &benchmath.DefaultThresholds)
	n := len(s.Values)
	if n%2 == 1 {
		return s.Values[n/2]
	}
	return (s.Values[n/2-1] + s.Values[n/2]) / 2
}
