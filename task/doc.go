// Package task provides groups of goroutines whose tasks cannot outlive
// their parent: a drop-in replacement for golang.org/x/sync/errgroup, plus
// what errgroup lacks. Like errgroup.Group, [Group] is related to
// [sync.WaitGroup] but adds handling of tasks returning errors.
//
// [Group], [WithContext], [Group.Go], [Group.TryGo], [Group.SetLimit] and
// [Group.Wait] behave as errgroup's: Wait returns the first error value
// itself, the zero Group is valid, a panicking task crashes the program.
// To switch, change one line: import errgroup "github.com/boundgo/bound/task".
//
// What errgroup lacks, by pitfall of the README's catalogue: [Run] returns
// only after every task it started has returned, and [Group.Stop] is a
// deferrable cancel-then-wait (A3, A6); [Group.GoContext], [Group.GoNamed],
// [Results], [Map] and [ForEach] hand each task the group's context and start
// none once it is done (A5); [Group.SetGrace] makes Wait report the tasks that
// ignore their context, by name and stack, in a [*LeakError] (A4);
// [Group.CapturePanics] turns a panic into a
// [*github.com/boundgo/bound/cleanup.PanicError] that cancels the siblings
// (A9); a group keeps no task function after Wait (A7). Also: error policies
// ([Group.SetErrorPolicy]), typed results in submission order ([Results],
// [Map], [MapSeq]), bounded loops over slices and iterators ([ForEach],
// [ForEachSeq]).
//
// # Limits
//
// One rule for every limit of the package ([Group.SetLimit], the limit of
// [Map], [MapSeq], [ForEach] and [ForEachSeq]): a limit n > 0 lets at most n
// tasks run at once; n < 0 means no limit; n == 0 lets nothing run, so a
// call that would have to wait for a start could never return and panics
// instead (Go, GoContext, GoNamed, Results.Go, Map and the others), while
// a call that only tries (TryGo, TryGoContext, Results.TryGo) reports false,
// as errgroup's TryGo does. Any int is a valid limit, math.MaxInt included:
// memory follows the tasks queued or running, never the limit. A [Limiter]
// shared by many groups ([Group.SetLimiter]) and loops ([MapWithLimiter],
// [ForEachWithLimiter]) caps their tasks together, on top of each one's own
// limit; one of size 0 grants nothing, and is treated as a limit of 0.
//
// # Options
//
// Options are setter methods (SetLimit, SetLimiter, SetName, SetErrorPolicy,
// SetGrace, CapturePanics), so the zero Group stays valid. Each panics while tasks of
// the group are active, and may be called again after Wait.
//
// # Cost
//
// Without a limit or options, Go costs what errgroup's does: one goroutine
// and one allocation per task. With a limit or a limiter, tasks run on
// workers the group reuses, with no allocation per task; they exit when
// Wait returns, or once the group is garbage if Wait is never called. A task run on such a worker
// must not return with its OS thread locked (runtime.LockOSThread without
// UnlockOSThread): the worker would run the group's next tasks on that
// thread. Goexit, recovered panics and pprof labels never carry over.
package task
