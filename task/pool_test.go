package task

import (
	"runtime"
	"testing"
)

// BenchmarkLockedCheck measures what workers save by not checking, after
// each task, whether it left its OS thread locked (see pool): "check" reads
// the runtime.Stack header that carries the only public sign of it, "none"
// is what workers do.
func BenchmarkLockedCheck(b *testing.B) {
	noop := func() error { return nil }
	check := func() error {
		var buf [64]byte
		_ = runtime.Stack(buf[:], false)
		return nil
	}
	for _, c := range []struct {
		name string
		f    func() error
	}{{"none", noop}, {"check", check}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var g Group
			g.SetLimit(8)
			for b.Loop() {
				g.Go(c.f)
			}
			if err := g.Wait(); err != nil {
				b.Fatalf("Wait() = %v; want nil", err)
			}
		})
	}
}

func TestPoolQueue(t *testing.T) {
	t.Run("the ring grows from empty, keeps order, and is dropped when large", func(t *testing.T) {
		var g Group
		g.SetLimit(1)
		p := g.pool
		if len(p.queue) != 0 {
			t.Fatalf("a new pool's queue has %d slots; want 0", len(p.queue))
		}
		p.mu.Lock()
		for i := range 100 {
			p.push(job{name: string(rune('a' + i%26))})
			if i == 3 {
				// Wrap the ring around before it grows again.
				if got := p.pop().name; got != "a" {
					t.Fatalf("pop() = %q; want %q", got, "a")
				}
				p.push(job{name: "x"})
			}
		}
		if len(p.queue) != 128 || p.n != 100 {
			t.Fatalf("after 100 pushes: %d slots, %d queued; want 128, 100", len(p.queue), p.n)
		}
		want := []string{"b", "c", "d", "x"}
		for i := range 100 {
			got := p.pop().name
			if i < len(want) && got != want[i] {
				t.Fatalf("pop() #%d = %q; want %q", i, got, want[i])
			}
		}
		p.mu.Unlock()
		p.retire()
		if p.queue != nil {
			t.Fatalf("after retire the queue has %d slots; want none (more than %d)", len(p.queue), keptQueue)
		}
	})
}
