// Package rangenoclose defines an Analyzer that reports a loop over a
// channel that nothing closes.
//
// # Analyzer rangenoclose
//
// rangenoclose: report a range over a channel made here that no path closes
//
// Pitfall A1 of the catalogue: "for v := range ch" ends only when ch is
// closed. When the producer forgets close, the loop, and the goroutine
// running it, blocks forever once the last value has been sent, keeping
// everything it references alive; when the loop is the function's own, the
// function never returns.
//
//	jobs := make(chan job)
//	for range 4 {
//		go worker(jobs) // worker ranges over jobs
//	}
//	for _, j := range list {
//		jobs <- j
//	}
//	// no close(jobs): the four workers never stop
//
// The check considers channels made in a function (by make) that are
// ranged over there, by a goroutine or closure it starts, or by a callee
// that drains its parameter (known across packages through chanflow's
// facts), or received in a loop of the "v, ok := <-ch" form. It reports
// when some code sends on the channel, every sender can finish, and
// nothing closes it: no close(ch) anywhere, no callee or goroutine that
// closes it, and the channel does not escape to code that could (a field,
// a return, a send, an unknown function, an interface). It also reports a
// range over the channel a function returns (directly, "for v := range
// gen()", or through a variable) when, by chanflow's facts, the goroutines
// that function starts send on it, can finish, and never close it.
//
// Channels kept in struct fields are followed too, when the field is
// unexported and of a struct type the package declares: only the package
// can name it, so its code is all the code that could close it. The check
// reports a range over such a field (or a callee that drains it) when the
// package sends on the field, only ever stores channels it makes there,
// hands the field to nothing that could close it, and never closes it,
// or closes it only after a range over it has ended, which waits for that
// very close (pulsar-client-go's failLeftRequestsWhenClose before v0.5.0;
// badger's y.WaterMark before dgraph-io/badger#688). A field of a value
// made only for a package variable (in its initialiser, or in an unexported
// constructor that only package variables' initialisers call, as behind
// sync.OnceValue) is left alone: a pool that lives as long as the process.
//
// It stays silent when the loop has its own way out that does not wait
// for close: an exit taken unconditionally, or one guarded by a count
// ("if n == len(xs) { break }"); when a sender never returns (an endless
// producer makes an endless consumer a design, not a leak); and when no
// one sends at all (blockforever's case). The fix is close(ch) once the
// last send is done (defer close(ch) in the single sender, or a
// WaitGroup.Wait then close for several), or chanx.Produce, whose channel
// is closed when the producer returns.
//
// The runtime backstop is go.uber.org/goleak, which names the goroutine
// blocked in "chan receive (nil chan)" or "chan receive" at the end of a
// test, and testing/synctest, which reports a bubble deadlocked on it.
//
// https://github.com/boundgo/bound#a1
package rangenoclose

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/boundgo/bound/vet/internal/chanflow"
	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"
)

const doc = `report a range over a channel made here that no path closes

Pitfall A1: "for v := range ch" ends only when ch is closed. When the
producer forgets close, the loop, and the goroutine running it, blocks
forever after the last send and keeps what it references alive.

rangenoclose considers channels made in a function that are ranged over
there, by a goroutine or closure it starts, or by a callee that drains its
parameter (known across packages through facts), or received in a loop of
the "v, ok := <-ch" form. It reports when some code sends on the channel,
every sender can finish, and nothing closes it: no close anywhere, no
closing callee or goroutine, and no escape to code that could close it.
It also reports a range over the channel a function returns when, by fact,
the goroutines that function starts send on it, can finish, and never
close it; and a range over an unexported channel field of a struct of this
package that the package sends on, fills only with channels it makes,
hands to nothing that could close it, and never closes (or closes only
after such a range has ended), unless the struct is only ever made for a
package variable (a process-wide pool, as behind sync.OnceValue).

Silent when the loop has its own way out (an unconditional exit, or one
guarded by a count), when a sender never returns, and when nobody sends
(see blockforever). Fix: close(ch) after the last send (defer close in the
sender; WaitGroup.Wait then close for several), or chanx.Produce. Runtime
backstop: go.uber.org/goleak and testing/synctest.

https://github.com/boundgo/bound#a1`

// Analyzer is the rangenoclose check.
var Analyzer = &analysis.Analyzer{
	Name:     "rangenoclose",
	Doc:      doc,
	URL:      report.URL("A1"),
	Run:      run,
	Requires: []*analysis.Analyzer{inspect.Analyzer, chanflow.Analyzer},
}

func run(pass *analysis.Pass) (any, error) {
	flow := pass.ResultOf[chanflow.Analyzer].(*chanflow.Result)
	rep := report.New(pass, "A1")
	for _, ch := range flow.Chans() {
		if ch.Producer == nil {
			check(pass, flow, rep, ch)
		} else {
			checkProduced(pass, flow, rep, ch)
		}
	}
	checkRangeOverCall(pass, flow, rep)
	checkFields(pass, flow, rep)
	return nil, nil
}

// neverClosed reports whether the channel of a producer's pending result
// is one its goroutines send on, can finish, and never close.
func neverClosed(p chanflow.Pending) bool { return p.Sends > 0 && !p.Closes && p.Ends }

// checkProduced reports a range over a variable holding a channel that its
// producer's goroutines never close.
func checkProduced(pass *analysis.Pass, flow *chanflow.Result, rep *report.Reporter, ch *chanflow.Chan) {
	if !neverClosed(ch.Pending) {
		return
	}
	var drainers []*chanflow.Use
	for _, u := range ch.Uses {
		switch u.Kind {
		case chanflow.KindBenign, chanflow.KindRecv:
			continue
		case chanflow.KindRange:
			if !hasOwnExit(pass.TypesInfo, u) && repeats(flow, u) {
				drainers = append(drainers, u)
			}
			continue
		}
		return // closed, handed on, or stored: someone else may close it
	}
	name := chanflow.Name(ch.Producer)
	for _, u := range drainers {
		rep.Report(analysis.Diagnostic{
			Pos: u.Op.Pos(), End: opEnd(u),
			Message: fmt.Sprintf("for range %s waits for it to be closed, but the goroutine %s starts never closes it: the loop blocks forever after the last value (close it in that goroutine when it is done, e.g. defer close, or use chanx.Produce)", ch.Var.Name(), name),
		})
	}
}

// checkRangeOverCall reports "for v := range f()" where f returns a channel
// that its goroutines never close.
func checkRangeOverCall(pass *analysis.Pass, flow *chanflow.Result, rep *report.Reporter) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range in.Root().Preorder((*ast.RangeStmt)(nil)) {
		rs := cur.Node().(*ast.RangeStmt)
		call, ok := ast.Unparen(rs.X).(*ast.CallExpr)
		if !ok || !chanflow.IsChan(pass.TypesInfo.TypeOf(call)) {
			continue
		}
		fn := typeutil.StaticCallee(pass.TypesInfo, call)
		if fn == nil || !neverClosed(flow.Summary(fn).Result(0)) {
			continue
		}
		xc, ok := cur.FindNode(rs.X)
		if !ok {
			continue
		}
		u := &chanflow.Use{Kind: chanflow.KindRange, Op: rs, Cur: xc, Func: chanflow.EnclosingFunc(cur)}
		if u.Func == nil || hasOwnExit(pass.TypesInfo, u) || !repeats(flow, u) {
			continue
		}
		name := chanflow.Name(fn)
		rep.Report(analysis.Diagnostic{
			Pos: rs.Pos(), End: rs.X.End(),
			Message: fmt.Sprintf("for range over the channel %s returns waits for it to be closed, but the goroutine %s starts never closes it: the loop blocks forever after the last value (close it in that goroutine when it is done, e.g. defer close, or use chanx.Produce)", name, name),
		})
	}
}

func check(pass *analysis.Pass, flow *chanflow.Result, rep *report.Reporter, ch *chanflow.Chan) {
	var drainers []*chanflow.Use
	senders := 0
	for _, u := range ch.Uses {
		switch u.Kind {
		case chanflow.KindBenign:
			continue
		case chanflow.KindEscape, chanflow.KindReturn, chanflow.KindAssign, chanflow.KindClose:
			return
		}
		e := flow.Effect(u)
		if e&(chanflow.Close|chanflow.Escape) != 0 {
			return
		}
		if e.Sends() {
			if !finite(flow, u) {
				return
			}
			senders++
		}
		switch {
		case u.Kind == chanflow.KindRange:
			if !hasOwnExit(pass.TypesInfo, u) && repeats(flow, u) {
				drainers = append(drainers, u)
			}
		case u.Kind == chanflow.KindCall && e&chanflow.Drain != 0:
			drainers = append(drainers, u)
		case u.Kind == chanflow.KindRecv && u.CommaOk && !u.Guarded && loopsInFunc(u):
			drainers = append(drainers, u)
		}
	}
	if senders == 0 || len(drainers) == 0 {
		return
	}
	name := ch.Var.Name()
	fix := fmt.Sprintf("close(%s) after the last send (defer close(%s) in the sender, or WaitGroup.Wait then close for several), or use chanx.Produce", name, name)
	for _, u := range drainers {
		var msg string
		switch u.Kind {
		case chanflow.KindRange:
			msg = fmt.Sprintf("for range %s waits for %s to be closed, but nothing closes it: the loop blocks forever once the senders stop (%s)", name, name, fix)
		case chanflow.KindCall:
			callee := "the func literal"
			if u.Callee != nil {
				callee = chanflow.Name(u.Callee)
			}
			msg = fmt.Sprintf("%s ranges over %s until it is closed, but nothing closes %s: it blocks forever once the senders stop (%s)", callee, name, name, fix)
		default:
			msg = fmt.Sprintf("this loop receives from %s until it is closed, but nothing closes %s: it blocks forever once the senders stop (%s)", name, name, fix)
		}
		rep.Report(analysis.Diagnostic{
			Pos: u.Op.Pos(), End: opEnd(u), Message: msg,
			Related: []analysis.RelatedInformation{{Pos: ch.Make.Pos(), End: ch.Make.End(), Message: name + " is made here"}},
		})
	}
}

// opEnd keeps a range report to its header.
func opEnd(u *chanflow.Use) token.Pos {
	if rs, ok := u.Op.(*ast.RangeStmt); ok {
		return rs.X.End()
	}
	return u.Op.End()
}

// finite reports whether the sender u can finish: the function holding
// the send returns, and so does a callee that sends.
func finite(flow *chanflow.Result, u *chanflow.Use) bool {
	if f := flow.Flow(u.Func); f == nil || !f.Returns() {
		return false
	}
	if u.Kind != chanflow.KindCall {
		return true
	}
	if u.Lit != nil {
		f := flow.Flow(u.Lit)
		return f != nil && f.Returns()
	}
	s := flow.Summary(u.Callee)
	return s != nil && s.Returns
}

// loopsInFunc reports whether the innermost loop of u's own function
// around u is a for without a condition: a loop that only a close (or
// its own exit) ends. A counted loop knows how many values it wants.
func loopsInFunc(u *chanflow.Use) bool {
	for c := u.Cur; c.Node() != nil && c.Node() != u.Func; c = c.Parent() {
		switch c.ParentEdgeKind() {
		case edge.ForStmt_Body:
			return c.Parent().Node().(*ast.ForStmt).Cond == nil
		case edge.RangeStmt_Body:
			return false
		}
	}
	return false
}

// hasOwnExit reports whether the range u can end without a close: its
// body has an exit taken unconditionally, or one guarded by a count.
func hasOwnExit(info *types.Info, u *chanflow.Use) bool {
	rs := u.Op.(*ast.RangeStmt)
	rc := u.Cur.Parent()
	for rc.Node() != nil && rc.Node() != rs {
		rc = rc.Parent()
	}
	if rc.Node() == nil {
		return false
	}
	own := false
	rc.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.ReturnStmt)(nil), (*ast.BranchStmt)(nil)}, func(c inspector.Cursor) bool {
		if own {
			return false
		}
		switch n := c.Node().(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			own = exitIsOwn(info, c, rs)
		case *ast.BranchStmt:
			if chanflow.LeavesRange(c, n, rs) {
				own = exitIsOwn(info, c, rs)
			}
		}
		return true
	})
	return own
}

// exitIsOwn reports whether the exit at c, inside the range rs, is taken
// unconditionally or under a counting comparison.
func exitIsOwn(info *types.Info, c inspector.Cursor, rs *ast.RangeStmt) bool {
	conditional := false
	for p := c; p.Node() != nil && p.Node() != rs; p = p.Parent() {
		switch p.ParentEdgeKind() {
		case edge.IfStmt_Body, edge.IfStmt_Else:
			conditional = true
			if counting(info, p.Parent().Node().(*ast.IfStmt).Cond) {
				return true
			}
		case edge.CaseClause_Body:
			conditional = true
			for _, e := range p.Parent().Node().(*ast.CaseClause).List {
				if counting(info, e) {
					return true
				}
			}
		case edge.CommClause_Body:
			conditional = true
		}
	}
	return !conditional
}

// counting reports whether cond compares integers: n == len(xs),
// i >= limit, got == want. Comparisons of errors, pointers, booleans and
// strings are not counts.
func counting(info *types.Info, cond ast.Expr) bool {
	found := false
	ast.Inspect(cond, func(n ast.Node) bool {
		if found {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if be, ok := n.(*ast.BinaryExpr); ok {
			switch be.Op {
			case token.EQL, token.LSS, token.LEQ, token.GTR, token.GEQ:
				found = isInteger(info.TypeOf(be.X)) && isInteger(info.TypeOf(be.Y))
			}
		}
		return true
	})
	return found
}

func isInteger(t types.Type) bool {
	b, ok := t.(*types.Basic)
	if !ok {
		if t == nil {
			return false
		}
		b, ok = t.Underlying().(*types.Basic)
	}
	return ok && b.Info()&types.IsInteger != 0
}

// repeats reports whether the body of the range u can come back for a
// second value: a body that always returns, breaks, panics or fails the
// test takes one value at most and does not wait for close.
func repeats(flow *chanflow.Result, u *chanflow.Use) bool {
	rs := u.Op.(*ast.RangeStmt)
	f := flow.Flow(u.Func)
	if f == nil {
		return true
	}
	head, _ := f.Loop(rs)
	var body *cfg.Block
	for _, b := range f.CFG.Blocks {
		if b.Kind == cfg.KindRangeBody && b.Stmt == rs {
			body = b
		}
	}
	if head == nil || body == nil {
		return true
	}
	seen := map[*cfg.Block]bool{body: true}
	work := []*cfg.Block{body}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for _, s := range b.Succs {
			if s == head {
				return true
			}
			if !seen[s] {
				seen[s] = true
				work = append(work, s)
			}
		}
	}
	return false
}
