// Package bench holds the benchmarks that compare this library with its
// peers. Every benchmark is named Benchmark<Case>/<impl>, one sub-benchmark
// per implementation, so that ours and the peers' run in the same process
// and a ratio can be read off one run. The command in ./cmd/compare runs
// them and prints the comparison.
//
// This is a module of its own so that the peers never enter the library's
// go.mod.
package bench
