package task

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A LeakError is returned by Wait when the group's context was done and some
// tasks had still not returned when the grace period ([Group.SetGrace])
// expired: the tasks that ignore their context (pitfall A4 in the README's
// catalogue), reported by name and stack instead of a silent hang. Those
// tasks are left running, and the group starts no task after it.
type LeakError struct {
	// Group is the group's name ([Group.SetName]), possibly empty.
	Group string

	// Grace is the grace period that expired.
	Grace time.Duration

	// Err is why the context was done: the group's error if a task failed,
	// else the context's cause.
	Err error

	// Tasks are the tasks still running, in the order they started.
	Tasks []LeakedTask
}

// A LeakedTask is a task that was still running when a grace period expired.
type LeakedTask struct {
	// Name is the task's name ([Group.GoNamed]), empty if it has none.
	Name string

	// Stack is the task's goroutine stack, in the format of
	// [runtime.Stack], taken when the grace period expired: the same type as
	// the Stack of a [*github.com/boundgo/bound/cleanup.PanicError].
	Stack []byte
}

// Error lists the stuck tasks, then their stacks.
func (e *LeakError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "task: %d task(s)", len(e.Tasks))
	if e.Group != "" {
		fmt.Fprintf(&b, " of group %q", e.Group)
	}
	fmt.Fprintf(&b, " still running %v after the context was done (%v):", e.Grace, e.Err)
	for i, t := range e.Tasks {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, " %s", t.displayName())
	}
	for _, t := range e.Tasks {
		fmt.Fprintf(&b, "\n\n%s:\n%s", t.displayName(), bytes.TrimRight(t.Stack, "\n"))
	}
	return b.String()
}

// Unwrap returns Err, so that errors.Is(err, context.DeadlineExceeded) and
// the like see why the context was done.
func (e *LeakError) Unwrap() error { return e.Err }

func (t LeakedTask) displayName() string {
	if t.Name == "" {
		return "(unnamed)"
	}
	return strconv.Quote(t.Name)
}

// A record tracks one running task of a group with a grace period.
type record struct {
	name string
	seq  uint64 // start order
	gid  uint64 // goroutine id, 0 until the task's goroutine sets it; guarded by extras.mu
}

// register records a task about to start.
func (x *extras) register(name string) *record {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.running == nil {
		x.running = make(map[*record]struct{})
	}
	if len(x.running) == 0 {
		x.empty = make(chan struct{})
	}
	x.seq++
	r := &record{name: name, seq: x.seq}
	x.running[r] = struct{}{}
	return r
}

// started records the goroutine id of the task of r; it runs on it.
func (x *extras) started(r *record) {
	id := goroutineID()
	x.mu.Lock()
	r.gid = id
	x.mu.Unlock()
}

// finish records that the task of r has returned.
func (x *extras) finish(r *record) {
	x.mu.Lock()
	defer x.mu.Unlock()
	delete(x.running, r)
	if len(x.running) == 0 {
		close(x.empty)
	}
}

// goroutineID parses the current goroutine's id from its stack header,
// "goroutine 18 [running]:".
func goroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseUint(string(b), 10, 64)
	return id
}

// waitGrace returns the LeakError a Wait already returned, if any. Else,
// with a grace period, it waits for the running tasks until the group's
// context is done and then at most the grace period; it returns a new
// *LeakError if they did not all return, and nil once none is running.
func (g *Group) waitGrace(x *extras) error {
	if e := x.leak.Load(); e != nil {
		return e
	}
	if x.grace <= 0 || g.ctx == nil {
		return nil
	}
	for {
		x.mu.Lock()
		var empty chan struct{}
		if len(x.running) > 0 {
			empty = x.empty
		}
		x.mu.Unlock()
		if empty == nil {
			return nil
		}
		select {
		case <-empty:
			continue
		case <-g.ctx.Done():
		}
		t := time.NewTimer(x.grace)
		select {
		case <-empty:
			t.Stop()
		case <-t.C:
			return g.leak(x)
		}
	}
}

// leak builds the LeakError for the tasks still running.
func (g *Group) leak(x *extras) error {
	if p := g.pool; p != nil {
		// Tasks still queued (under a limiter, behind the stuck ones) have
		// not started, and now never will: the group is finished. They
		// are not reported.
		p.mu.Lock()
		jobs := p.drain()
		p.mu.Unlock()
		for _, j := range jobs {
			g.refuse(j, false)
			p.release()
		}
	}
	x.mu.Lock()
	recs := make([]*record, 0, len(x.running))
	for r := range x.running {
		recs = append(recs, r)
	}
	x.mu.Unlock()
	slices.SortFunc(recs, func(a, b *record) int { return cmp.Compare(a.seq, b.seq) })
	stacks := goroutineStacks()
	// The context is done: its cause is the first error under FirstError,
	// or why the parent was cancelled.
	e := &LeakError{Group: x.name, Grace: x.grace, Err: context.Cause(g.ctx)}
	for _, r := range recs {
		x.mu.Lock()
		gid := r.gid
		x.mu.Unlock()
		e.Tasks = append(e.Tasks, LeakedTask{Name: r.name, Stack: bytes.Clone(stacks[gid])})
	}
	// The group is finished: it starts nothing more (see start), and the
	// workers of a limited group exit as the leaked tasks return.
	if !x.leak.CompareAndSwap(nil, e) {
		return x.leak.Load() // a concurrent Wait was first
	}
	if p := g.pool; p != nil {
		p.mu.Lock()
		p.close()
		p.mu.Unlock()
	}
	return e
}

// goroutineStacks returns the stack of every goroutine by goroutine id.
func goroutineStacks() map[uint64][]byte {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	stacks := make(map[uint64][]byte)
	for s := range bytes.SplitSeq(buf, []byte("\n\n")) {
		rest, ok := bytes.CutPrefix(s, []byte("goroutine "))
		if !ok {
			continue
		}
		id, _, _ := bytes.Cut(rest, []byte(" "))
		if n, err := strconv.ParseUint(string(id), 10, 64); err == nil {
			stacks[n] = s
		}
	}
	return stacks
}
