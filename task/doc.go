// Package task provides groups of goroutines whose tasks cannot outlive
// their parent: a drop-in replacement for golang.org/x/sync/errgroup, plus
// what errgroup lacks. Like errgroup.Group, [Group] is related to
// [sync.WaitGroup] but adds handling of tasks returning errors.
//
// # Drop-in
//
// [Group], [WithContext], [Group.Go], [Group.TryGo], [Group.SetLimit] and
// [Group.Wait] behave as errgroup's, one for one: errgroup's own tests pass
// with only the import line changed (.ci/conformance). Wait returns the first
// error value itself; the zero Group is valid; a panicking task crashes the
// program (CapturePanics is the opt-in). To switch, change one line:
//
//	import errgroup "github.com/boundgo/bound/task"
//
// # Guarantees, and the pitfalls they answer (rows of the project's pitfalls.md)
//
//   - A3 (WaitGroup Add/Done/Wait misuse): [Run] returns only after every
//     task it started has returned, and there is no counter to get wrong;
//     [Group.Stop] is the deferrable cancel-then-wait for WithContext groups.
//   - A4 (a goroutine ignores ctx.Done()): [Group.SetGrace] makes Wait return
//     a [*LeakError] naming each task still running (by [Group.GoNamed] name,
//     with its stack) instead of hanging; names are pprof labels too.
//   - A5 (a context rebuilt from Background): [Group.GoContext],
//     [Group.TryGoContext], [Group.GoNamed], [Results] and [Map] hand each
//     task the group's context; once it is done no such task starts.
//   - A6 (cancel never called): the package owns every cancel it creates;
//     Wait, Stop, Run and Map call them.
//   - A7 (a closure keeps its captures alive): tasks end with their scope,
//     and a group keeps no task function once Wait has returned.
//   - A9 (a panic in one goroutine): [Group.CapturePanics] turns a panic, or
//     runtime.Goexit, into a [*cleanup.PanicError] with its stack, cancels
//     the siblings at once and returns it from Wait.
//
// Also: error policies ([Group.SetPolicy]: [AllErrors], [FirstSuccess]);
// typed results in submission order ([Results], [Map]).
//
// # Options
//
// Options are setter methods (SetName, SetPolicy, SetGrace, CapturePanics),
// like SetLimit, so the zero Group stays valid. They panic once the group's
// first task has started. SetLimit keeps errgroup's rule: it panics only
// while tasks are active, and may be called again after Wait.
//
// # Cost
//
// Without a limit or options, Go costs what errgroup's does: one goroutine
// and one allocation per task, no pprof labels. With a limit, tasks run on
// workers the group reuses (no allocation per task); they exit when Wait
// returns, or, if Wait is never called, once the group is garbage. Map runs
// min(limit, len) goroutines, not one per element.
//
// # Locked threads
//
// A task run on a reused worker (a group with a limit) must not return with
// its OS thread locked (runtime.LockOSThread without UnlockOSThread): Go
// gives no cheap way to notice it, so the worker would run the group's next
// tasks on that thread until Wait (the thread then ends with the worker, as
// the runtime does for any goroutine that exits locked). Pair the calls, or
// run such a task in a group without a limit, where each task has its own
// goroutine. runtime.Goexit, recovered panics and pprof labels are handled:
// they never carry over to the next task.
package task
