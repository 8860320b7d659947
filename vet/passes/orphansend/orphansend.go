// Package orphansend defines an Analyzer that reports a goroutine left
// blocked forever on a send because the function that started it stopped
// receiving.
//
// # Analyzer orphansend
//
// orphansend: report a goroutine whose send can block forever because its starter stops receiving
//
// Pitfall A2 of the catalogue: a send on an unbuffered channel (or on a
// buffer too small for every send) blocks until someone receives. When the
// function that made the channel and started the goroutine returns early
// (a timeout, a cancelled context, a stop channel, an error) without
// receiving, the goroutine blocks forever, with everything it references.
//
//	ch := make(chan result)
//	go func() { ch <- work() }()
//	select {
//	case r := <-ch:
//		return r.val, r.err
//	case <-ctx.Done():
//		return nil, ctx.Err() // the goroutine never finishes its send
//	}
//
// The check follows every path of the starting function from the go
// statement (or errgroup/task/WaitGroup Go call) to a return, judging each
// select case on its own, and reports a path that receives fewer values
// than can block: none for a single send, and for sends that a loop
// repeats, any path that leaves the receiving loop early (break or return
// inside it) or never enters one. A channel that a function returns to its
// caller with such a goroutine behind it is recorded as a fact, and the
// caller is checked the same way, also when it drops the channel, receives
// it in one select case among others, or leaves a range over it early.
// When the only receiver is one goroutine the function starts, that
// goroutine's paths are followed instead (a watcher that returns on one
// case while the other side must still send). A Wait on the senders'
// WaitGroup or group, reached before anything receives, is reported too:
// it never returns. A helper that starts the sending goroutine counts as
// its go statement.
//
// It stays silent when the buffer holds every send (a constant large
// enough, any non-constant size, or two slots or more for sends it cannot
// count), when the count of sends cannot be matched to the receives (a
// stream read a fixed number of times, goroutines of a loop of unknown
// count that send only under a condition), on paths where a test has
// already failed or the senders have signalled their own end, when a
// goroutine sends both from a deferred call and from its body, when the
// send selects on another case (ctx.Done(), a done channel, a default),
// when the path drains the channel, closes it or hands it to a function
// that receives, when the channel escapes (stored, returned, passed to
// code it cannot see, shared with a closure or a callback), and in
// main.main. Where exactly one send can block, a suggested fix gives the
// channel a buffer of one.
//
// The runtime backstop is go.uber.org/goleak (VerifyNone in TestMain, or
// per test), which sees the blocked goroutine only when a test takes the
// early path; testing/synctest reports it as durably blocked in a bubble.
//
// https://github.com/boundgo/bound#a2
package orphansend

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"github.com/boundgo/bound/vet/internal/chanflow"
	"github.com/boundgo/bound/vet/internal/report"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"
)

const doc = `report a goroutine whose send can block forever because its starter stops receiving

Pitfall A2: a send on an unbuffered channel, or on a buffer too small for
every send, blocks until someone receives. When the function that made the
channel and started the goroutine returns early (a timeout, ctx.Done(), a
stop channel, an error) without receiving, the goroutine blocks forever
and keeps everything it references alive.

orphansend follows each path of the starting function from the go
statement to a return, judging each select case on its own, and reports a
path that receives fewer values than can block. Sends repeated by a loop
need a receiving loop that runs to its end. A function that returns such a
channel is summarized as a fact, and its callers are checked the same way,
also when they drop the channel, receive it in one case of a select, or
leave a range over it early. A lone receiving goroutine's own paths are
followed the same way, and a Wait for the senders reached before any
receive is reported as the deadlock it is.

Silent when the buffer holds every send, when the send selects on another
case, when the path drains, closes or hands on the channel, when the
channel escapes, and in main.main. Where exactly one send can block, a
suggested fix gives the channel a buffer of one. Runtime backstop:
go.uber.org/goleak, and testing/synctest, which see the blocked goroutine
only when a test takes the early path.

https://github.com/boundgo/bound#a2`

// Analyzer is the orphansend check.
var Analyzer = &analysis.Analyzer{
	Name:     "orphansend",
	Doc:      doc,
	URL:      report.URL("A2"),
	Run:      run,
	Requires: []*analysis.Analyzer{inspect.Analyzer, chanflow.Analyzer},
}

func run(pass *analysis.Pass) (any, error) {
	flow := pass.ResultOf[chanflow.Analyzer].(*chanflow.Result)
	rep := report.New(pass, "A2")
	byHome := make(map[ast.Node][]*chanflow.Chan)
	for _, ch := range flow.Chans() {
		byHome[ch.Home] = append(byHome[ch.Home], ch)
	}
	for _, ch := range flow.Chans() {
		if isMainMain(pass, ch.Home) {
			continue
		}
		checkChan(pass, flow, rep, ch, byHome[ch.Home])
	}
	checkProducerCalls(pass, flow, rep)
	return nil, nil
}

// A sender is a goroutine that sends on the channel.
type sender struct {
	start    ast.Node // the go statement or starter call
	at       chanflow.Point
	sends    int
	repeated bool        // a loop starts it more than once
	via      *types.Func // the function, called here, that starts it
	starter  bool        // started by a group's Go method
	uses     []*chanflow.Use
}

// An op is a point of the home function that matters to the search: a
// receive (a receive, a range, a close, a receiving callee), the start of
// a later sender, a point where the path is settled, or the definition
// itself (a second pass through it makes a new channel).
type op struct {
	at     chanflow.Point
	use    *chanflow.Use // nil for the definition
	loop   ast.Stmt      // the counting loop the receive is in, if any
	free   bool          // in a loop without a condition
	failed bool          // the path is settled: a test failed, or the senders signalled
	start  *sender       // a later sender starts here
	wait   ast.Node      // a Wait for the senders' WaitGroup or group
}

func checkChan(pass *analysis.Pass, flow *chanflow.Result, rep *report.Reporter, ch *chanflow.Chan, siblings []*chanflow.Chan) {
	if !ch.CapKnown {
		return // a buffer sized at run time: assume it fits
	}
	f := flow.Flow(ch.Home)
	if f == nil {
		return
	}
	var senders []*sender
	bySite := make(map[ast.Node]*sender)
	var ops []op
	var homeSends []*chanflow.Use                   // the home function's own blocking sends
	recvSites := make(map[ast.Node][]*chanflow.Use) // goroutines that receive
	for _, u := range ch.Uses {
		switch u.Kind {
		case chanflow.KindBenign:
			continue
		case chanflow.KindEscape, chanflow.KindReturn, chanflow.KindAssign:
			return
		}
		if u.Site != nil && u.Go == nil || flow.InStoredClosure(u) {
			return // a closure, a callback, may run anywhere, at any time
		}
		e := flow.Effect(u)
		if e&chanflow.Escape != 0 {
			return
		}
		var start ast.Node
		switch {
		case u.Site != nil:
			if e&(chanflow.Recv|chanflow.Drain) != 0 {
				if e.Sends() || u.HomeRepeats {
					return
				}
				recvSites[u.Go] = append(recvSites[u.Go], u)
				continue
			}
			start = u.Go
		case u.Kind == chanflow.KindCall && (u.InGo || e&chanflow.Async != 0):
			// go f(ch), or f(ch) where f starts the goroutine that sends
			if e&(chanflow.Recv|chanflow.Drain) != 0 {
				return
			}
			start = u.Op
		default:
			if e&(chanflow.Recv|chanflow.Drain|chanflow.Close) != 0 {
				p, ok := f.At(u.Cur)
				if !ok {
					return
				}
				loop, free := receiveLoop(u, ch.Var.Pos(), u.Home)
				ops = append(ops, op{at: p, use: u, loop: loop, free: free})
			} else if e&chanflow.Send != 0 {
				homeSends = append(homeSends, u)
			}
			continue
		}
		if e&chanflow.Send == 0 {
			continue
		}
		s := bySite[start]
		if s == nil {
			p, ok := f.At(u.Cur)
			if !ok {
				return
			}
			s = &sender{start: start, at: p, repeated: startRepeats(u, start, ch)}
			if u.Kind == chanflow.KindCall && !u.InGo {
				s.via = u.Callee
			}
			_, s.starter = u.Go.(*ast.CallExpr)
			bySite[start] = s
			senders = append(senders, s)
		}
		s.uses = append(s.uses, u)
	}
	if len(recvSites) > 0 {
		if len(recvSites) == 1 && len(ops) == 0 && ch.Producer == nil {
			for site, uses := range recvSites {
				checkReceiver(pass, flow, rep, ch, siblings, senders, homeSends, site, uses)
			}
		}
		return
	}

	// The search starts where the first sender starts (or where the
	// producer's channel arrives) with its sends outstanding; each later
	// sender adds its own.
	for _, s := range senders {
		if mixedDefer(s) {
			return // a deferred signal beside a plain one: a protocol this cannot count
		}
	}
	var total int
	var first chanflow.Point
	var pending int
	if ch.Producer != nil {
		if len(senders) > 0 {
			return
		}
		p, ok := f.At(ch.Cur)
		if !ok {
			return
		}
		first, pending, total = p, ch.Pending.Sends, ch.Pending.Sends
	} else {
		if len(senders) == 0 {
			return
		}
		slices.SortFunc(senders, func(a, b *sender) int { return cmp.Compare(a.start.Pos(), b.start.Pos()) })
		for i, s := range senders {
			s.sends = flow.SiteSends(s.uses)
			total = add(total, s.sends)
			if i > 0 {
				ops = append(ops, op{at: s.at, start: s})
			}
		}
		first, pending = senders[0].at, senders[0].sends
	}
	if total <= ch.Cap {
		return
	}
	if ch.Producer == nil && ambiguous(flow, senders, ops) {
		return
	}
	if total >= chanflow.Many && ch.Cap >= 2 {
		return // a buffer sized, by all appearances, for sends this cannot count
	}
	if p, ok := f.At(ch.Cur); ok {
		ops = append(ops, op{at: p})
	}
	// A test that has reported a failure on this path is done: what it
	// leaves behind does not matter.
	for _, p := range testFailures(pass, f) {
		ops = append(ops, op{at: p, failed: true})
	}
	// Waiting for the senders to finish, before receiving what they
	// send, waits for ever.
	if ch.Producer == nil {
		ops = append(ops, waits(pass, f, senders)...)
	}
	// A receive from another channel that the senders themselves signal
	// means they got that far: the starter is in step with them, and
	// cannot be judged to have left them behind.
	started := make(map[ast.Node]bool)
	for _, s := range senders {
		started[s.start] = true
	}
	for _, other := range siblings {
		if other == ch || !signalledBy(other, started) {
			continue
		}
		for _, u := range other.Uses {
			if u.Site == nil && (u.Kind == chanflow.KindRecv || u.Kind == chanflow.KindRange) {
				if p, ok := f.At(u.Cur); ok {
					ops = append(ops, op{at: p, failed: true})
				}
			}
		}
	}

	s := &search{f: f, cap: ch.Cap, ops: make(map[*cfg.Block][]op)}
	slices.SortStableFunc(ops, func(a, b op) int { return cmp.Compare(a.at.Index, b.at.Index) })
	for _, o := range ops {
		s.ops[o.at.Block] = append(s.ops[o.at.Block], o)
	}
	for _, o := range ops {
		if o.loop != nil {
			head, done := f.Loop(o.loop)
			if head == nil || done == nil {
				return
			}
			if s.exits == nil {
				s.exits = make(map[exit]bool)
			}
			s.exits[exit{head, done}] = true
		}
	}
	leak := s.run(first, pending)
	if leak == nil {
		return
	}
	reportLeak(pass, rep, ch, senders, total, leak)
}

// receiveLoop returns the loop that repeats the receive u within the
// function fn: a counting loop (a for with a condition, or a range), or, when
// free, a for without condition.
func receiveLoop(u *chanflow.Use, decl token.Pos, fn ast.Node) (loop ast.Stmt, free bool) {
	if rs, ok := u.Op.(*ast.RangeStmt); ok && u.Kind == chanflow.KindRange {
		return rs, false
	}
	if u.Comm != nil && leavesAfter(u.Comm) {
		// A loop that polls (a timer, a health check) and leaves as
		// soon as this case receives takes one value at most: it is
		// not a loop that receives what the senders send.
		return nil, false
	}
	for c := u.Cur; c.Node() != nil && c.Node() != fn; c = c.Parent() {
		switch c.ParentEdgeKind() {
		case edge.ForStmt_Body, edge.RangeStmt_Body:
			if l := c.Parent().Node(); l.Pos() <= decl && decl < l.End() {
				return nil, false // each time round has its own channel
			}
		}
		switch c.ParentEdgeKind() {
		case edge.ForStmt_Body:
			fs := c.Parent().Node().(*ast.ForStmt)
			if fs.Cond == nil {
				return nil, true
			}
			return fs, false
		case edge.RangeStmt_Body:
			return c.Parent().Node().(ast.Stmt), false
		}
	}
	return nil, false
}

// leavesAfter reports whether the body of the select case cc always
// leaves the function or the loops around it: it ends in a return, a goto,
// a labeled break, or a panic.
func leavesAfter(cc *ast.CommClause) bool {
	if len(cc.Body) == 0 {
		return false
	}
	switch last := cc.Body[len(cc.Body)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return last.Tok == token.GOTO || last.Tok == token.BREAK && last.Label != nil
	case *ast.ExprStmt:
		if call, ok := last.X.(*ast.CallExpr); ok {
			if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "panic" {
				return true
			}
		}
	}
	return false
}

// A state is what a path still owes the senders: pending sends not yet
// received (Many when unbounded), or sends being received by a loop that
// has not yet run to its end, or nothing (done).
type state struct {
	pending int
	loop    ast.Stmt
	done    bool
}

type visit struct {
	block int32
	st    state
}

type search struct {
	f     *chanflow.Flow
	cap   int
	ops   map[*cfg.Block][]op
	exits map[exit]bool // the normal exits of receiving loops
}

type exit struct{ head, done *cfg.Block }

// A leak is where a path stops receiving: a return, or the definition
// reached again (a loop makes a new channel).
type leak struct {
	ret    *ast.ReturnStmt
	remade bool
	wait   ast.Node // a Wait reached while senders are blocked: a deadlock
}

func (s *search) apply(st state, o op) state {
	switch {
	case st.done:
		return st
	case o.failed:
		return state{done: true}
	case o.start != nil:
		st.pending = add(st.pending, o.start.sends)
		return st
	case o.wait != nil:
		return state{done: true} // the senders are finished (run judges the wait)
	case o.use == nil:
		return st // the definition: judged by run
	case o.use.Kind == chanflow.KindClose || o.use.Kind == chanflow.KindCall:
		return state{done: true}
	case st.pending == 1:
		return state{loop: st.loop}
	case o.loop != nil:
		return state{pending: st.pending, loop: o.loop}
	case o.free && st.pending >= chanflow.Many:
		return state{done: true}
	case st.pending >= chanflow.Many:
		return st
	}
	return state{pending: max(0, st.pending-1), loop: st.loop}
}

// owes reports whether a path in state st leaves a sender blocked.
func (s *search) owes(st state) bool { return !st.done && st.pending > s.cap }

// run searches the paths from start, with pending sends outstanding, for
// one that returns, or makes a new channel, while a sender is still
// blocked.
func (s *search) run(start chanflow.Point, pending int) *leak {
	seen := make(map[visit]bool)
	type item struct {
		b    *cfg.Block
		from int // first node index to apply; -1 applies entry ops too
		st   state
	}
	work := []item{{start.Block, start.Index + 1, state{pending: pending}}}
	var remade *leak
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		st := it.st
		for _, o := range s.ops[it.b] {
			if o.at.Index < it.from && !(o.at.Index == -1 && it.from == -1) {
				continue
			}
			if o.wait != nil && s.owes(st) {
				return &leak{wait: o.wait}
			}
			if o.use == nil && !o.failed && o.start == nil && o.wait == nil {
				if s.owes(st) && remade == nil {
					remade = &leak{remade: true}
				}
				st.done = true // a new channel: the old one is judged
			}
			st = s.apply(st, o)
		}
		if st.done {
			continue
		}
		if ret := it.b.Return(); ret != nil {
			if s.owes(st) {
				return &leak{ret: ret}
			}
			continue
		}
		for _, succ := range it.b.Succs {
			next := st
			// A receiving loop that runs to its end receives what the
			// senders send, even when the graph takes it zero times:
			// such a loop and the loop that starts the senders
			// usually count over the same thing.
			if s.exits[exit{it.b, succ}] {
				continue
			}
			v := visit{succ.Index, next}
			if seen[v] {
				continue
			}
			seen[v] = true
			work = append(work, item{succ, -1, next})
		}
	}
	return remade
}

func reportLeak(pass *analysis.Pass, rep *report.Reporter, ch *chanflow.Chan, senders []*sender, total int, l *leak) {
	name := ch.Var.Name()
	var who string
	switch {
	case ch.Producer != nil:
		who = fmt.Sprintf("the goroutine that %s started sends on %s", chanflow.Name(ch.Producer), name)
	case len(senders) == 1 && senders[0].via != nil:
		who = fmt.Sprintf("the goroutine that %s starts on line %d sends on %s", chanflow.Name(senders[0].via), pass.Fset.Position(senders[0].start.Pos()).Line, name)
	case len(senders) == 1 && !senders[0].repeated:
		who = fmt.Sprintf("the goroutine started on line %d sends on %s", pass.Fset.Position(senders[0].start.Pos()).Line, name)
	default:
		who = fmt.Sprintf("goroutines started on line %d send on %s", pass.Fset.Position(senders[0].start.Pos()).Line, name)
	}
	fix := fmt.Sprintf("have the senders select on ctx.Done() or a done channel, give %s a buffer for every send, or use chanx.Produce", name)
	if total-ch.Cap == 1 {
		fix = fmt.Sprintf("give %s a buffer of 1, or receive from it on this path", name)
	}
	var d analysis.Diagnostic
	if l.wait != nil {
		d = analysis.Diagnostic{
			Pos: l.wait.Pos(), End: l.wait.End(),
			Message: fmt.Sprintf("%s, but this Wait waits for those goroutines before anything receives from %s: it never returns (receive while waiting, e.g. wait and close(%s) in a goroutine and range over %s here, or give %s a buffer for every send)", who, name, name, name, name),
		}
	} else if l.remade {
		d = analysis.Diagnostic{
			Pos: ch.Def.Pos(), End: ch.Def.End(),
			Message: fmt.Sprintf("%s, but a path of this loop comes back here without receiving and makes a new %s: the old send blocks forever (%s)", who, name, fix),
		}
	} else {
		pos, end := l.ret.Pos(), l.ret.End()
		where := "this return"
		if isImplicit(ch.Home, l.ret) {
			where, end = "the end of the function", pos
		}
		if pass.Fset.File(pos) != pass.Fset.File(end) {
			end = pos
		}
		d = analysis.Diagnostic{
			Pos: pos, End: end,
			Message: fmt.Sprintf("%s, but %s is reached without receiving everything: the send blocks forever (%s)", who, where, fix),
		}
	}
	if ch.Producer == nil && total == 1 && ch.Cap == 0 {
		if edit, ok := bufferOne(pass, ch.Make); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message:   fmt.Sprintf("give %s a buffer of 1", name),
				TextEdits: []analysis.TextEdit{edit},
			}}
		}
	}
	d.Related = append(d.Related, analysis.RelatedInformation{Pos: ch.Make.Pos(), End: ch.Make.End(), Message: name + " is made here"})
	rep.Report(d)
}

// isImplicit reports whether ret is the return the graph adds at the
// closing brace of fn.
func isImplicit(fn ast.Node, ret *ast.ReturnStmt) bool {
	var body *ast.BlockStmt
	switch fn := fn.(type) {
	case *ast.FuncDecl:
		body = fn.Body
	case *ast.FuncLit:
		body = fn.Body
	}
	return body != nil && ret.Return == body.Rbrace
}

// bufferOne returns the edit that makes make(chan T) or make(chan T, 0)
// into make(chan T, 1).
func bufferOne(pass *analysis.Pass, call *ast.CallExpr) (analysis.TextEdit, bool) {
	switch len(call.Args) {
	case 1:
		if call.Ellipsis != token.NoPos {
			return analysis.TextEdit{}, false
		}
		return analysis.TextEdit{Pos: call.Args[0].End(), End: call.Args[0].End(), NewText: []byte(", 1")}, true
	case 2:
		if lit, ok := call.Args[1].(*ast.BasicLit); ok && lit.Value == "0" {
			return analysis.TextEdit{Pos: lit.Pos(), End: lit.End(), NewText: []byte("1")}, true
		}
	}
	return analysis.TextEdit{}, false
}

// checkProducerCalls reports calls to a function that returns a pending
// channel when the caller drops the channel, or receives it in one case
// of a select that can take another.
func checkProducerCalls(pass *analysis.Pass, flow *chanflow.Result, rep *report.Reporter) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		t := pass.TypesInfo.TypeOf(call)
		if t == nil || !chanflow.IsChan(t) {
			continue
		}
		fn := typeutil.StaticCallee(pass.TypesInfo, call)
		if fn == nil {
			continue
		}
		p := flow.Summary(fn).Result(0)
		if p.Blocked() == 0 {
			continue
		}
		e := cur
		for {
			if _, ok := e.Parent().Node().(*ast.ParenExpr); !ok {
				break
			}
			e = e.Parent()
		}
		fix := "receive from it, or make the goroutine select on ctx.Done() or send into a buffer of 1"
		name := chanflow.Name(fn)
		switch parent := e.Parent().Node().(type) {
		case *ast.ExprStmt:
			rep.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(),
				Message: fmt.Sprintf("the channel returned by %s is dropped, but the goroutine %s started sends on it: the send blocks forever (%s)", name, name, fix)})
		case *ast.AssignStmt:
			if len(parent.Lhs) == 1 && len(parent.Rhs) == 1 {
				if id, ok := parent.Lhs[0].(*ast.Ident); ok && id.Name == "_" {
					rep.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(),
						Message: fmt.Sprintf("the channel returned by %s is dropped, but the goroutine %s started sends on it: the send blocks forever (%s)", name, name, fix)})
				}
			}
		case *ast.RangeStmt:
			// for v := range gen() { ... return }: leaving early leaves
			// a streaming producer blocked on its next send.
			if e.ParentEdgeKind() != edge.RangeStmt_X || p.Blocked() < chanflow.Many || isMainMain(pass, enclosing(e)) {
				continue
			}
			if exit := earlyExit(e.Parent(), parent); exit != nil {
				rep.Report(analysis.Diagnostic{Pos: exit.Pos(), End: exit.End(),
					Message: fmt.Sprintf("this leaves the range over the channel %s returned before it is drained, and the goroutine %s started blocks forever sending the next value (drain the rest, or use chanx.Produce, whose consumer stops its producer)", name, name)})
			}
		case *ast.UnaryExpr:
			if parent.Op != token.ARROW || isMainMain(pass, enclosing(e)) {
				continue
			}
			if guardedComm(e.Parent()) && p.Blocked() >= 1 {
				rep.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(),
					Message: fmt.Sprintf("when this select takes another case, nothing receives from the channel %s returned, and the goroutine %s started blocks forever sending on it (%s)", name, name, fix)})
			}
		}
	}
}

// guardedComm reports whether the receive at r is the communication of a
// select case with another case or a default beside it.
func guardedComm(r inspector.Cursor) bool {
	s := r.Parent()
	switch s.Node().(type) {
	case *ast.ExprStmt, *ast.AssignStmt:
	default:
		return false
	}
	if s.ParentEdgeKind() != edge.CommClause_Comm {
		return false
	}
	sel, ok := s.Parent().Parent().Parent().Node().(*ast.SelectStmt)
	return ok && len(sel.Body.List) > 1
}

func enclosing(c inspector.Cursor) ast.Node {
	for ; c.Node() != nil; c = c.Parent() {
		switch c.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return c.Node()
		}
	}
	return nil
}

func isMainMain(pass *analysis.Pass, fn ast.Node) bool {
	decl, ok := fn.(*ast.FuncDecl)
	return ok && decl.Recv == nil && decl.Name.Name == "main" && pass.Pkg.Name() == "main"
}

func add(a, b int) int {
	if a >= chanflow.Many || b >= chanflow.Many {
		return chanflow.Many
	}
	return a + b
}

// startRepeats reports whether a loop of the channel's home function,
// inside the channel's scope, runs the goroutine start more than once.
func startRepeats(u *chanflow.Use, start ast.Node, ch *chanflow.Chan) bool {
	c := u.Cur
	for c.Node() != nil && c.Node() != start {
		c = c.Parent()
	}
	for ; c.Node() != nil && c.Node() != ch.Home; c = c.Parent() {
		switch c.ParentEdgeKind() {
		case edge.ForStmt_Body, edge.ForStmt_Cond, edge.ForStmt_Post, edge.RangeStmt_Body:
			if loop := c.Parent().Node(); !(loop.Pos() <= ch.Var.Pos() && ch.Var.Pos() < loop.End()) {
				return true
			}
		}
	}
	return false
}

// testFailures returns the points of f where a test reports failure
// (t.Error, t.Errorf, t.Fail and the like on testing's types, testify's
// Fail and FailNow).
func testFailures(pass *analysis.Pass, f *chanflow.Flow) []chanflow.Point {
	var pts []chanflow.Point
	for _, b := range f.CFG.Blocks {
		for i, n := range b.Nodes {
			found := false
			ast.Inspect(n, func(n ast.Node) bool {
				if found {
					return false
				}
				switch n := n.(type) {
				case *ast.FuncLit:
					return false
				case *ast.CallExpr:
					if fn := typeutil.StaticCallee(pass.TypesInfo, n); fn != nil && fn.Pkg() != nil {
						switch fn.Pkg().Path() {
						case "testing":
							switch fn.Name() {
							case "Error", "Errorf", "Fail", "FailNow", "Fatal", "Fatalf", "Skip", "Skipf", "SkipNow":
								found = true
							}
						case "github.com/stretchr/testify/require", "github.com/stretchr/testify/assert":
							// The functions that fail whatever their
							// arguments, as functions or as methods of
							// the packages' Assertions.
							switch fn.Name() {
							case "Fail", "Failf", "FailNow", "FailNowf":
								found = true
							}
						}
					}
				}
				return true
			})
			if found {
				pts = append(pts, chanflow.Point{Block: b, Index: i})
			}
		}
	}
	return pts
}

// signalledBy reports whether a goroutine started at one of starts sends
// on ch or closes it.
func signalledBy(ch *chanflow.Chan, starts map[ast.Node]bool) bool {
	for _, u := range ch.Uses {
		if (u.Kind == chanflow.KindSend || u.Kind == chanflow.KindClose) && u.Go != nil && starts[u.Go] {
			return true
		}
	}
	return false
}

// mixedDefer reports whether the goroutine s sends both from a deferred
// call and from its body: the deferred send usually signals an exit
// (a panic, runtime.Goexit) that replaces the other.
func mixedDefer(s *sender) bool {
	deferred, plain := false, false
	for _, u := range s.uses {
		d := false
		for c := u.Cur; c.Node() != nil && c.Node() != s.start; c = c.Parent() {
			if _, ok := c.Node().(*ast.DeferStmt); ok {
				d = true
				break
			}
		}
		if d {
			deferred = true
		} else {
			plain = true
		}
	}
	return deferred && plain
}

// checkReceiver checks the paths of the one goroutine that receives from
// ch (started at site, receiving through uses) for a return that leaves
// the senders, goroutines or the home function itself, blocked.
func checkReceiver(pass *analysis.Pass, flow *chanflow.Result, rep *report.Reporter, ch *chanflow.Chan, siblings []*chanflow.Chan, senders []*sender, homeSends []*chanflow.Use, site ast.Node, uses []*chanflow.Use) {
	lit := uses[0].Site
	f := flow.Flow(lit)
	if f == nil || len(f.CFG.Blocks) == 0 {
		return
	}
	total := 0
	for _, s := range senders {
		if mixedDefer(s) {
			return
		}
		s.sends = flow.SiteSends(s.uses)
		total = add(total, s.sends)
	}
	if len(homeSends) > 0 {
		n := flow.SendCount(ch.Home, homeSends)
		if n >= chanflow.Many && !receivesInLoop(uses, lit) {
			return // fed by a loop, received once: the send must be conditional
		}
		total = add(total, n)
	}
	if total <= ch.Cap || total >= chanflow.Many && ch.Cap >= 2 {
		return
	}
	var ops []op
	for _, u := range uses {
		p, ok := f.At(u.Cur)
		if !ok {
			return
		}
		loop, free := receiveLoop(u, ch.Var.Pos(), lit)
		ops = append(ops, op{at: p, use: u, loop: loop, free: free})
	}
	for _, p := range testFailures(pass, f) {
		ops = append(ops, op{at: p, failed: true})
	}
	started := make(map[ast.Node]bool)
	for _, s := range senders {
		started[s.start] = true
	}
	for _, other := range siblings {
		if other == ch || !(signalledBy(other, started) || len(homeSends) > 0 && signalledByHome(other)) {
			continue
		}
		for _, u := range other.Uses {
			if u.Site == lit && (u.Kind == chanflow.KindRecv || u.Kind == chanflow.KindRange) {
				if p, ok := f.At(u.Cur); ok {
					ops = append(ops, op{at: p, failed: true})
				}
			}
		}
	}
	s := &search{f: f, cap: ch.Cap, ops: make(map[*cfg.Block][]op)}
	slices.SortStableFunc(ops, func(a, b op) int { return cmp.Compare(a.at.Index, b.at.Index) })
	for _, o := range ops {
		s.ops[o.at.Block] = append(s.ops[o.at.Block], o)
		if o.loop != nil {
			head, done := f.Loop(o.loop)
			if head == nil || done == nil {
				return
			}
			if s.exits == nil {
				s.exits = make(map[exit]bool)
			}
			s.exits[exit{head, done}] = true
		}
	}
	l := s.run(chanflow.Point{Block: f.CFG.Blocks[0], Index: -1}, total)
	if l == nil || l.ret == nil {
		return
	}
	name := ch.Var.Name()
	var who string
	switch {
	case len(senders) == 0:
		who = "this function sends on " + name
	case len(senders) == 1 && !senders[0].repeated && len(homeSends) == 0:
		who = fmt.Sprintf("the goroutine started on line %d sends on %s", pass.Fset.Position(senders[0].start.Pos()).Line, name)
	default:
		who = fmt.Sprintf("goroutines started from line %d send on %s", pass.Fset.Position(senders[0].start.Pos()).Line, name)
	}
	where := "returns here"
	pos, end := l.ret.Pos(), l.ret.End()
	if isImplicit(lit, l.ret) {
		where, end = "ends", pos
	}
	if pass.Fset.File(pos) != pass.Fset.File(end) {
		end = pos
	}
	fix := fmt.Sprintf("give %s a buffer of 1, or have the sender select on a done channel", name)
	if total-ch.Cap > 1 {
		fix = fmt.Sprintf("have the senders select on ctx.Done() or a done channel, or give %s a buffer for every send", name)
	}
	d := analysis.Diagnostic{
		Pos: pos, End: end,
		Message: fmt.Sprintf("%s, but the goroutine receiving from it (line %d) %s without receiving everything: the send blocks forever (%s)",
			who, pass.Fset.Position(site.Pos()).Line, where, fix),
		Related: []analysis.RelatedInformation{{Pos: ch.Make.Pos(), End: ch.Make.End(), Message: name + " is made here"}},
	}
	if total == 1 && ch.Cap == 0 {
		if edit, ok := bufferOne(pass, ch.Make); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message:   fmt.Sprintf("give %s a buffer of 1", name),
				TextEdits: []analysis.TextEdit{edit},
			}}
		}
	}
	rep.Report(d)
}

// signalledByHome reports whether the home function itself sends on ch or
// closes it.
func signalledByHome(ch *chanflow.Chan) bool {
	for _, u := range ch.Uses {
		if (u.Kind == chanflow.KindSend || u.Kind == chanflow.KindClose) && u.Site == nil {
			return true
		}
	}
	return false
}

// receivesInLoop reports whether one of uses receives in a loop of fn.
func receivesInLoop(uses []*chanflow.Use, fn ast.Node) bool {
	for _, u := range uses {
		if u.Kind == chanflow.KindRange {
			return true
		}
		for c := u.Cur; c.Node() != nil && c.Node() != fn; c = c.Parent() {
			switch c.ParentEdgeKind() {
			case edge.ForStmt_Body, edge.RangeStmt_Body:
				return true
			}
		}
	}
	return false
}

// waits returns the points of f where it waits for all the senders: a
// Wait on the sync.WaitGroup that each sending goroutine marks Done after
// its sends, or on the group whose Go started each of them.
func waits(pass *analysis.Pass, f *chanflow.Flow, senders []*sender) []op {
	var group types.Object
	for _, s := range senders {
		g := waiterOf(pass, s)
		if g == nil || group != nil && g != group {
			return nil
		}
		group = g
	}
	if group == nil {
		return nil
	}
	var ops []op
	for _, b := range f.CFG.Blocks {
		for i, n := range b.Nodes {
			ast.Inspect(n, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Wait" && objOf(pass, sel.X) == group {
						ops = append(ops, op{at: chanflow.Point{Block: b, Index: i}, wait: n})
					}
				}
				return true
			})
		}
	}
	return ops
}

// waiterOf returns the variable that the goroutine s is waited for by:
// the group whose Go started it, or the sync.WaitGroup it marks Done
// (deferred, or after its last send).
func waiterOf(pass *analysis.Pass, s *sender) types.Object {
	switch start := s.start.(type) {
	case *ast.CallExpr:
		if sel, ok := start.Fun.(*ast.SelectorExpr); ok && s.starter {
			return objOf(pass, sel.X)
		}
	case *ast.GoStmt:
		lit, ok := start.Call.Fun.(*ast.FuncLit)
		if !ok {
			return nil
		}
		last := token.NoPos
		for _, u := range s.uses {
			last = max(last, u.Op.End())
		}
		var wg types.Object
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if wg != nil {
				return false
			}
			var call *ast.CallExpr
			switch n := n.(type) {
			case *ast.DeferStmt:
				call = n.Call
			case *ast.ExprStmt:
				if c, ok := n.X.(*ast.CallExpr); ok && c.Pos() > last {
					call = c
				}
			}
			if call == nil {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Done" && isWaitGroup(pass.TypesInfo.TypeOf(sel.X)) {
				wg = objOf(pass, sel.X)
			}
			return true
		})
		return wg
	}
	return nil
}

func objOf(pass *analysis.Pass, e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return pass.TypesInfo.Uses[e]
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return objOf(pass, e.X)
		}
	}
	return nil
}

func isWaitGroup(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "WaitGroup"
}

// ambiguous reports whether the count of sends is one this check cannot
// match against the receives: a goroutine that streams values (sends in a
// loop) to a function that receives a fixed number of them, not in a loop
// (it knows how many it asked for); or goroutines started by a loop whose
// count is not constant and which send only under a condition (perhaps
// only one of them sends).
func ambiguous(flow *chanflow.Result, senders []*sender, ops []op) bool {
	recv, loopRecv := false, false
	for _, o := range ops {
		if o.use != nil {
			recv = true
			if o.loop != nil || o.free {
				loopRecv = true
			}
		}
	}
	if !recv {
		return false
	}
	for _, s := range senders {
		if flow.SiteSendsOnce(s.uses) >= chanflow.Many && !loopRecv {
			return true
		}
		if _, ok := flow.Trips(s.uses); !ok && conditional(s) {
			return true
		}
	}
	return false
}

// conditional reports whether every send of the goroutine s is made under
// a condition of its own (an if, a switch case, a select case).
func conditional(s *sender) bool {
	for _, u := range s.uses {
		if u.Site == nil {
			return false
		}
		cond := false
		for c := u.Cur; c.Node() != nil && c.Node() != u.Site; c = c.Parent() {
			switch c.ParentEdgeKind() {
			case edge.IfStmt_Body, edge.IfStmt_Else, edge.CaseClause_Body, edge.CommClause_Body:
				cond = true
			}
		}
		if !cond {
			return false
		}
	}
	return true
}

// earlyExit returns the first statement in the body of the range rs (at
// rc) that leaves it: a return, a break or goto out of it, a labeled
// continue of an outer loop.
func earlyExit(rc inspector.Cursor, rs *ast.RangeStmt) ast.Node {
	var exit ast.Node
	rc.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.ReturnStmt)(nil), (*ast.BranchStmt)(nil)}, func(c inspector.Cursor) bool {
		if exit != nil {
			return false
		}
		switch n := c.Node().(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			exit = n
		case *ast.BranchStmt:
			if chanflow.LeavesRange(c, n, rs) {
				exit = n
			}
		}
		return true
	})
	return exit
}
