package task_test

import (
	"bytes"
	"context"
	"fmt"
	"runtime/trace"
	"testing"

	"github.com/boundgo/bound/task"
	"github.com/stretchr/testify/require"
)

func TestTrace(t *testing.T) {
	t.Run("a named group is a trace task and its named tasks are regions", func(t *testing.T) {
		for _, limit := range []int{-1, 2} {
			var buf bytes.Buffer
			if err := trace.Start(&buf); err != nil {
				t.Skipf("trace.Start: %v (the tracer is already on)", err)
			}
			g, _ := task.WithContext(context.Background())
			g.SetName("group-under-trace")
			g.SetLimit(limit)
			var sawTask bool
			g.GoNamed("task-under-trace", func(ctx context.Context) error {
				sawTask = trace.IsEnabled()
				return nil
			})
			g.GoContext(func(ctx context.Context) error { return nil })
			err := g.Wait()
			trace.Stop()
			require.NoError(t, err)
			require.True(t, sawTask, "limit %d: the task did not run while tracing", limit)
			requireInTrace(t, &buf, "group-under-trace", "limit %d: the trace does not name the group's task", limit)
			requireInTrace(t, &buf, "task-under-trace", "limit %d: the trace does not name the task's region", limit)
		}
	})

	t.Run("a named task of an unnamed group is a region", func(t *testing.T) {
		var buf bytes.Buffer
		if err := trace.Start(&buf); err != nil {
			t.Skipf("trace.Start: %v (the tracer is already on)", err)
		}
		var g task.Group
		g.GoNamed("lonely-region", func(context.Context) error { return nil })
		err := g.Wait()
		trace.Stop()
		require.NoError(t, err)
		requireInTrace(t, &buf, "lonely-region")
	})

	t.Run("each round of a named group is a task of its own", func(t *testing.T) {
		var buf bytes.Buffer
		if err := trace.Start(&buf); err != nil {
			t.Skipf("trace.Start: %v (the tracer is already on)", err)
		}
		var g task.Group
		g.SetName("round-group")
		for range 3 {
			g.GoNamed("round-task", func(context.Context) error { return nil })
			require.NoError(t, g.Wait())
		}
		trace.Stop()
		requireInTrace(t, &buf, "round-group")
	})

	t.Run("the context handed to a task is still the group's, cancellation included", func(t *testing.T) {
		var buf bytes.Buffer
		if err := trace.Start(&buf); err != nil {
			t.Skipf("trace.Start: %v (the tracer is already on)", err)
		}
		defer trace.Stop()
		g, ctx := task.WithContext(context.Background())
		g.SetName("cancelled-group")
		started := make(chan struct{})
		g.GoNamed("waiter", func(taskCtx context.Context) error {
			close(started)
			<-taskCtx.Done()
			return context.Cause(taskCtx)
		})
		<-started
		g.Go(func() error { return errDoom })
		err := g.Wait()
		require.Same(t, errDoom, err, "Wait() = %v; want %v", err, errDoom)
		require.Same(t, errDoom, context.Cause(ctx), "Cause(ctx) = %v; want %v", context.Cause(ctx), errDoom)
	})
}

// requireInTrace fails unless the trace in buf contains name, without
// printing the whole binary trace.
func requireInTrace(t *testing.T, buf *bytes.Buffer, name string, msgAndArgs ...any) {
	t.Helper()
	if !bytes.Contains(buf.Bytes(), []byte(name)) {
		msg := ""
		if len(msgAndArgs) > 0 {
			msg = fmt.Sprintf(msgAndArgs[0].(string), msgAndArgs[1:]...) + ": "
		}
		t.Fatalf("%sthe trace (%d bytes) does not contain %q", msg, buf.Len(), name)
	}
}
