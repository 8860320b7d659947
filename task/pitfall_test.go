package task_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"runtime"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
	"weak"

	"github.com/boundgo/bound/cleanup"
	"github.com/boundgo/bound/task"
	"github.com/stretchr/testify/require"
)

// A3: with a WaitGroup, Add inside the goroutine lets Wait return early.
// A group does the counting; a task may even start more tasks, and Run
// returns only after all of them.
func TestPitfallA3TasksCannotOutliveTheScope(t *testing.T) {
	t.Run("tasks started by tasks are waited for too", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var ended atomic.Int32
			err := task.Run(context.Background(), func(ctx context.Context, g *task.Group) error {
				g.GoContext(func(ctx context.Context) error {
					time.Sleep(time.Second)
					g.GoContext(func(ctx context.Context) error { // "Add inside the goroutine"
						time.Sleep(time.Second)
						ended.Add(1)
						return nil
					})
					ended.Add(1)
					return nil
				})
				return nil
			})
			require.NoError(t, err)
			require.EqualValues(t, 2, ended.Load(), "Run returned before a nested task ended")
		})
	})
}

// A4: a task that ignores ctx.Done() does not stop; with a grace period the
// group says which one and where, instead of hanging silently.
func TestPitfallA4IgnoredCancellationIsReported(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, _ := task.WithContext(context.Background())
		g.SetGrace(5 * time.Second)
		g.GoNamed("sleeper", func(ctx context.Context) error {
			time.Sleep(time.Hour) // ignores ctx
			return nil
		})
		synctest.Wait() // the sleeper is running
		g.Stop()
		err := g.Wait()
		var leak *task.LeakError
		require.ErrorAs(t, err, &leak)
		require.Equal(t, "sleeper", leak.Tasks[0].Name)
		require.Contains(t, string(leak.Tasks[0].Stack), "time.Sleep")
		time.Sleep(time.Hour) // let the sleeper end inside the bubble
	})
}

// A5: a context rebuilt from context.Background() inside a goroutine never
// sees the parent's cancellation. GoContext hands the task a context derived
// from the parent, so there is nothing to rebuild.
func TestPitfallA5TheTaskContextIsDerivedFromTheParent(t *testing.T) {
	parent, cancel := context.WithCancelCause(context.Background())
	g, _ := task.WithContext(parent)
	started := make(chan struct{})
	g.GoContext(func(ctx context.Context) error {
		close(started)
		<-ctx.Done() // reached only through the parent's cancellation
		return context.Cause(ctx)
	})
	<-started
	cancel(errDoom)
	err := g.Wait()
	require.Same(t, errDoom, err, "Wait() = %v; want %v", err, errDoom)
}

// A6: a cancel function that is never called leaks the context. The group
// owns every cancel it creates: Wait, Stop, Run and Map call them.
func TestPitfallA6EveryCancelIsCalled(t *testing.T) {
	t.Run("wait cancels the group's context", func(t *testing.T) {
		g, ctx := task.WithContext(context.Background())
		require.NoError(t, g.Wait())
		require.Error(t, ctx.Err())
	})
	t.Run("run cancels the body's context", func(t *testing.T) {
		var inner context.Context
		_ = task.Run(context.Background(), func(ctx context.Context, g *task.Group) error {
			inner = ctx
			return nil
		})
		require.Error(t, inner.Err())
	})
	t.Run("map cancels the context it hands to f", func(t *testing.T) {
		var inner atomic.Value
		_, err := task.Map(context.Background(), []int{1}, 1, func(ctx context.Context, v int) (int, error) {
			inner.Store(ctx)
			return v, nil
		})
		require.NoError(t, err)
		require.Error(t, inner.Load().(context.Context).Err())
	})
}

// A7: a goroutine that lives on keeps what its closure captured. Once Wait
// returns, the group (its retired workers included) holds no task function,
// so what the tasks captured can be collected.
func TestPitfallA7CapturedValuesAreReleasedAfterWait(t *testing.T) {
	for _, limit := range []int{-1, 2} {
		var g task.Group
		g.SetLimit(limit)
		big := new([1 << 20]byte)
		wp := weak.Make(big)
		g.Go(func() error { big[0] = 1; return nil })
		require.NoError(t, g.Wait())
		big = nil
		require.Eventually(t, func() bool {
			runtime.GC()
			return wp.Value() == nil
		}, 5*time.Second, time.Millisecond, "limit %d: a task's capture is still reachable after Wait", limit)
		_ = big
	}
}

// A9: a panic in a plain goroutine kills the process (and under errgroup
// too, which this package keeps as the default); with CapturePanics it is
// caught with its stack, the siblings are cancelled at once, and Wait
// returns it.
func TestPitfallA9APanicIsNeverLost(t *testing.T) {
	t.Run("by default a panicking task crashes the program as under errgroup", func(t *testing.T) {
		if os.Getenv("TASK_PITFALL_A9_CHILD") == "1" {
			var g task.Group
			g.Go(func() error { panic("boom in a task") })
			_ = g.Wait()
			return
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestPitfallA9APanicIsNeverLost$/default")
		cmd.Env = append(os.Environ(), "TASK_PITFALL_A9_CHILD=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		require.Error(t, err, "the child process survived a panicking task")
		require.Contains(t, stderr.String(), "panic: boom in a task")
		require.Contains(t, stderr.String(), "pitfall_test.go", "the crash shows the task's own stack")
	})

	t.Run("with CapturePanics the panic surfaces from Wait and siblings are cancelled", func(t *testing.T) {
		g, ctx := task.WithContext(context.Background())
		g.CapturePanics()
		g.SetLimit(4)
		cancelled, started := make(chan struct{}), make(chan struct{})
		g.GoContext(func(ctx context.Context) error {
			close(started)
			<-ctx.Done() // returns only because the panic cancelled it
			close(cancelled)
			return nil
		})
		<-started
		g.Go(func() error { panic("boom") })
		<-cancelled
		err := g.Wait()
		var pe *cleanup.PanicError
		require.ErrorAs(t, err, &pe)
		require.Equal(t, "boom", pe.Value)
		require.Contains(t, string(pe.Stack), "pitfall_test.go")
		require.Same(t, err, context.Cause(ctx), "Cause(ctx) = %v; want %v", context.Cause(ctx), err)
	})
}
