package bench

import (
	"errors"
	"sync"
	"testing"

	"github.com/boundgo/bound/cleanup"
)

var (
	cleanupSinkErr    error
	cleanupSinkCount  int
	errCleanupRelease = errors.New("release failed")
)

// BenchmarkReleaseAgain measures Release on something already released: the
// path every caller but the first takes.
func BenchmarkReleaseAgain(b *testing.B) {
	b.Run("cleanup", func(b *testing.B) {
		r := cleanup.NewReleaser(func() error { return errCleanupRelease })
		_ = r.Release()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			cleanupSinkErr = r.Release()
		}
	})
	b.Run("oncevalue", func(b *testing.B) {
		release := sync.OnceValue(func() error { return errCleanupRelease })
		_ = release()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			cleanupSinkErr = release()
		}
	})
	b.Run("once", func(b *testing.B) {
		var once sync.Once
		var err error
		release := func() { err = errCleanupRelease }
		once.Do(release)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			once.Do(release)
			cleanupSinkErr = err
		}
	})
}

// BenchmarkReleaseContended has every P release the same thing at once.
func BenchmarkReleaseContended(b *testing.B) {
	b.Run("cleanup", func(b *testing.B) {
		r := cleanup.NewReleaser(func() error { return errCleanupRelease })
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var err error
			for pb.Next() {
				err = r.Release()
			}
			_ = err
		})
	})
	b.Run("oncevalue", func(b *testing.B) {
		release := sync.OnceValue(func() error { return errCleanupRelease })
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var err error
			for pb.Next() {
				err = release()
			}
			_ = err
		})
	})
}

func cleanupStep() error {
	cleanupSinkCount++
	return nil
}

//go:noinline
func cleanupStackOf8() error {
	var s cleanup.Stack
	s.Push(cleanupStep)
	s.Push(cleanupStep)
	s.Push(cleanupStep)
	s.Push(cleanupStep)
	s.Push(cleanupStep)
	s.Push(cleanupStep)
	s.Push(cleanupStep)
	s.Push(cleanupStep)
	return s.Release()
}

// cleanupDefersOf8 is the baseline: plain defers, which drop the steps'
// errors (what the Stack exists to keep).
//
//go:noinline
func cleanupDefersOf8() error {
	defer cleanupStep()
	defer cleanupStep()
	defer cleanupStep()
	defer cleanupStep()
	defer cleanupStep()
	defer cleanupStep()
	defer cleanupStep()
	defer cleanupStep()
	return nil
}

// BenchmarkStack pushes 8 steps on a Stack and releases it, against 8 plain
// defers (open-coded by the compiler, the cheapest they get).
func BenchmarkStack(b *testing.B) {
	b.Run("cleanup", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			cleanupSinkErr = cleanupStackOf8()
		}
	})
	b.Run("defer", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			cleanupSinkErr = cleanupDefersOf8()
		}
	})
}
