// Package blockforever defines an Analyzer that reports a channel
// operation that can never complete.
//
// # Analyzer blockforever
//
// blockforever: report a send or receive on a channel made here, or never made, that can never complete
//
// Pitfall A2 of the catalogue, in the two shapes where the block is
// certain rather than possible:
//
// A send on an unbuffered channel made in this function, before any
// goroutine that could receive from it exists. The send waits for a
// receiver that cannot appear, because the channel has not been shared yet:
//
//	errC := make(chan error)
//	if err := check(); err != nil {
//		errC <- err // blocks forever: the caller cannot receive before this returns
//		return errC
//	}
//
// A receive from a channel made in this function that nothing sends on or
// closes: no send, no close, and the channel goes only to callees that (by
// chanflow's facts, across packages) never send on it or close it.
//
//	done := make(chan struct{})
//	go watch(done) // watch only receives from done
//	<-done         // blocks forever
//
// And a send, a range, or a receive whose value is used, on a channel
// variable declared without a value and never assigned: a nil channel,
// which blocks every operation for good (the shape of DefangLabs/defang's
// error channel that was declared and never made):
//
//	var errC chan error
//	go func() { errC <- run() }() // blocks forever: errC is nil
//
// A bare receive ("var forever chan struct{}; <-forever") is left alone, as
// the idiom of a function that means to block; so is a select case beside
// others or a default, where a nil channel turns its case off.
//
// The check does not widen this to "may not send on some path": a channel
// that escapes (to a field, a return, an unknown function, a closure that
// runs before the send) could be served, and it stays silent. A send or
// receive that is one case of a select with others, or with a default, is
// not blocking. main.main is skipped: blocking there is a way to wait for
// ever on purpose.
//
// The runtime backstop is the runtime's own "all goroutines are asleep"
// when nothing else runs, go.uber.org/goleak for a goroutine stuck so, and
// testing/synctest, which reports the bubble as deadlocked.
//
// https://github.com/boundgo/bound#a2
package blockforever

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"slices"

	"github.com/boundgo/bound/vet/internal/chanflow"
	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"
)

const doc = `report a send or receive on a channel made here, or never made, that can never complete

Pitfall A2, in the two shapes where the block is certain: a send on an
unbuffered channel made in this function before any goroutine that could
receive from it exists ("errC := make(chan error); errC <- err; return
errC"), and a receive from a channel made here that nothing sends on or
closes, the channel going only to callees that by fact never send on it or
close it. Also a send, a range or a used receive on a channel variable
declared without a value and never assigned: a nil channel ("var errC chan
error; errC <- err"); a bare "<-forever", the idiom of blocking on purpose,
is left alone.

Not widened to "may not send on some path": a channel that escapes before
the send, or to code that could send, keeps the check silent. A select case
beside others or a default does not block. main.main is skipped. Runtime
backstop: "all goroutines are asleep", go.uber.org/goleak, and
testing/synctest's deadlocked bubble.

https://github.com/boundgo/bound#a2`

// Analyzer is the blockforever check.
var Analyzer = &analysis.Analyzer{
	Name:     "blockforever",
	Doc:      doc,
	URL:      report.URL("A2"),
	Run:      run,
	Requires: []*analysis.Analyzer{chanflow.Analyzer, inspect.Analyzer},
}

func run(pass *analysis.Pass) (any, error) {
	flow := pass.ResultOf[chanflow.Analyzer].(*chanflow.Result)
	rep := report.New(pass, "A2")
	nilChans(pass, pass.ResultOf[inspect.Analyzer].(*inspector.Inspector), rep)
	for _, ch := range flow.Chans() {
		if ch.Producer != nil || isMainMain(pass, ch.Home) {
			continue
		}
		if !noSender(flow, rep, ch) {
			sendBeforeReceiver(flow, rep, ch)
		}
	}
	return nil, nil
}

// noSender reports the blocking receives of ch when nothing can ever send
// on it or close it, and reports whether it did.
func noSender(flow *chanflow.Result, rep *report.Reporter, ch *chanflow.Chan) bool {
	var recvs []*chanflow.Use
	callees := false
	for _, u := range ch.Uses {
		switch u.Kind {
		case chanflow.KindBenign:
			continue
		case chanflow.KindRecv:
			if !u.Guarded {
				recvs = append(recvs, u)
			}
			continue
		case chanflow.KindRange:
			recvs = append(recvs, u)
			continue
		case chanflow.KindCall:
			e := flow.Effect(u)
			if e.Sends() || e&(chanflow.Close|chanflow.Escape) != 0 {
				return false
			}
			callees = true
			continue
		}
		return false // a send, a close, an escape
	}
	name := ch.Var.Name()
	why := fmt.Sprintf("nothing sends on %s or closes it", name)
	if callees {
		why += ", and the functions it is passed to never do"
	}
	for _, u := range recvs {
		what := "this receive from " + name
		if u.Kind == chanflow.KindRange {
			what = "for range " + name
		}
		rep.Report(analysis.Diagnostic{
			Pos: u.Op.Pos(), End: recvEnd(u),
			Message: fmt.Sprintf("%s blocks forever: %s (send or close where the value is ready, or use chanx.Produce, whose channel is closed when the producer returns)", what, why),
			Related: []analysis.RelatedInformation{{Pos: ch.Make.Pos(), End: ch.Make.End(), Message: name + " is made here"}},
		})
	}
	return len(recvs) > 0
}

// recvEnd keeps a range report to its header.
func recvEnd(u *chanflow.Use) token.Pos {
	if rs, ok := u.Op.(*ast.RangeStmt); ok {
		return rs.X.End()
	}
	return u.Op.End()
}

// sendBeforeReceiver reports a send on the unbuffered ch, by its home
// function, that every path reaches before ch is shared with anything that
// could receive.
func sendBeforeReceiver(flow *chanflow.Result, rep *report.Reporter, ch *chanflow.Chan) {
	if !ch.CapKnown || ch.Cap != 0 {
		return
	}
	f := flow.Flow(ch.Home)
	if f == nil {
		return
	}
	def, ok := f.At(ch.Cur)
	if !ok {
		return
	}
	type mark struct {
		at     chanflow.Point
		target *chanflow.Use // a blocking send; nil: a point where ch is shared
		def    bool          // the definition: passing it again makes a new channel
	}
	marks := []mark{{at: def, def: true}}
	targets := 0
	for _, u := range ch.Uses {
		if u.Kind == chanflow.KindBenign {
			continue
		}
		p, ok := f.At(u.Cur)
		if !ok {
			return
		}
		switch {
		case u.Site == nil && u.Kind == chanflow.KindSend && !u.Guarded:
			marks = append(marks, mark{at: p, target: u})
			targets++
		case u.Site == nil && (u.Kind == chanflow.KindSend || u.Kind == chanflow.KindRecv || u.Kind == chanflow.KindRange):
			// the function's own guarded send or receive shares nothing
		default:
			marks = append(marks, mark{at: p})
		}
	}
	if targets == 0 {
		return
	}
	slices.SortStableFunc(marks, func(a, b mark) int { return cmp.Compare(a.at.Index, b.at.Index) })
	byBlock := make(map[*cfg.Block][]mark)
	for _, m := range marks {
		byBlock[m.at.Block] = append(byBlock[m.at.Block], m)
	}

	// walk visits the points after start (in its block, then onwards) up
	// to the definition, calling visit for each mark; visit says whether
	// to go on past it.
	walk := func(start chanflow.Point, visit func(mark) bool) {
		seen := make(map[*cfg.Block]bool)
		type item struct {
			b    *cfg.Block
			from int
		}
		work := []item{{start.Block, start.Index + 1}}
	next:
		for len(work) > 0 {
			it := work[len(work)-1]
			work = work[:len(work)-1]
			for _, m := range byBlock[it.b] {
				if m.at.Index < it.from && !(m.at.Index == -1 && it.from == -1) {
					continue
				}
				if m.def || !visit(m) {
					continue next
				}
			}
			for _, s := range it.b.Succs {
				if !seen[s] {
					seen[s] = true
					work = append(work, item{s, -1})
				}
			}
		}
	}

	clean := make(map[*chanflow.Use]bool)
	var shared []chanflow.Point
	walk(def, func(m mark) bool {
		if m.target != nil {
			clean[m.target] = true
			return false // blocked here
		}
		shared = append(shared, m.at)
		return false
	})
	dirty := make(map[*chanflow.Use]bool)
	for _, p := range shared {
		walk(p, func(m mark) bool {
			if m.target != nil {
				dirty[m.target] = true
			}
			return true
		})
	}
	name := ch.Var.Name()
	for _, u := range ch.Uses {
		if !clean[u] || dirty[u] {
			continue
		}
		rep.Report(analysis.Diagnostic{
			Pos: u.Op.Pos(), End: u.Op.End(),
			Message: fmt.Sprintf("this send on the unbuffered %s blocks forever: no goroutine that could receive from %s exists yet (give %s a buffer, or send from a goroutine started here)", name, name, name),
			Related: []analysis.RelatedInformation{{Pos: ch.Make.Pos(), End: ch.Make.End(), Message: name + " is made here"}},
		})
	}
}

func isMainMain(pass *analysis.Pass, fn ast.Node) bool {
	decl, ok := fn.(*ast.FuncDecl)
	return ok && decl.Recv == nil && decl.Name.Name == "main" && pass.Pkg.Name() == "main"
}
