package panics

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/boundgo/bound/cleanup"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestCaptured(t *testing.T) {
	t.Run("a panic value is kept with the stack of the recovering goroutine", func(t *testing.T) {
		var p *cleanup.PanicError
		func() {
			defer func() { p = Captured(recover()) }()
			panic("boom")
		}()
		if p.Goexit || p.Value != "boom" || !strings.Contains(string(p.Stack), "TestCaptured") {
			t.Errorf("Captured = %+v; want value boom, not Goexit, a stack naming the test", p)
		}
	})
	t.Run("nil means runtime.Goexit", func(t *testing.T) {
		done := make(chan *cleanup.PanicError)
		go func() {
			defer func() { done <- Captured(recover()) }()
			runtime.Goexit()
		}()
		if p := <-done; !p.Goexit || !errors.Is(p, cleanup.ErrGoexit) {
			t.Errorf("Captured(nil) = %+v; want a Goexit matching cleanup.ErrGoexit", p)
		}
	})
}
