package task

import (
	"context"
	"testing"
)

// BenchmarkTraceHooks is the A/B benchmark of the execution tracer's hooks
// while tracing is off: "hooked" is what tasks of a group with options do
// (one check of trace.IsEnabled each), "plain" skips the check. Named tasks
// of a named group, under a limit of 8.
func BenchmarkTraceHooks(b *testing.B) {
	noop := func(context.Context) error { return nil }
	for _, hooked := range []bool{true, false} {
		name := "plain"
		if hooked {
			name = "hooked"
		}
		b.Run(name, func(b *testing.B) {
			traceHooks = hooked
			defer func() { traceHooks = true }()
			b.ReportAllocs()
			var g Group
			g.SetName("bench")
			g.SetLimit(8)
			for b.Loop() {
				g.GoNamed("noop", noop)
			}
			if err := g.Wait(); err != nil {
				b.Fatalf("Wait() = %v; want nil", err)
			}
		})
	}
}
