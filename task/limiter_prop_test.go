package task

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/leanovate/gopter/gen"
)

// The Limiter against a model: generated sequences of Acquire (each in a
// goroutine of its own, with a context of its own), TryAcquire, Release,
// over-releases and cancellations, run in a synctest bubble so that after
// each step every goroutine has either returned or is blocked. After each
// step the test compares, with the model, what the step returned, which
// Acquire calls returned during it and with what, the permits held and the
// queue of waiters (read from inside the Limiter). The model grants in FIFO
// order and only while the head's request fits, so the test checks that
// permits held never exceed the size, that grants follow the queue, that a
// cancelled waiter leaves nothing held and wakes those behind it, and that a
// request larger than the size never joins the queue.

// limModel is the state of the model.
type limModel struct {
	size    int64
	held    int64    // permits held by granted requests, not yet released
	queue   []limReq // waiting requests, in FIFO order
	doomed  []limReq // requests larger than size: waiting for their context
	nextID  int
	want    string // what the last step must have observed
	lastCmd string
}

type limReq struct {
	id int
	n  int64
}

func (m limModel) clone() limModel {
	m.queue = slices.Clone(m.queue)
	m.doomed = slices.Clone(m.doomed)
	return m
}

// pending is the ids of the requests still blocked, sorted.
func (m limModel) pending() []int {
	var ids []int
	for _, r := range m.queue {
		ids = append(ids, r.id)
	}
	for _, r := range m.doomed {
		ids = append(ids, r.id)
	}
	slices.Sort(ids)
	return ids
}

// grant grants from the head while the head's request fits, and returns
// the ids granted.
func (m *limModel) grant() []string {
	var done []string
	for len(m.queue) > 0 && m.queue[0].n <= m.size-m.held {
		m.held += m.queue[0].n
		done = append(done, fmt.Sprintf("%d:ok", m.queue[0].id))
		m.queue = m.queue[1:]
	}
	return done
}

// observe formats an observation; the model and the real Limiter both use
// it, so that the two can be compared as strings.
func observe(result string, returned []string, held int64, queue []int64) string {
	slices.Sort(returned)
	return fmt.Sprintf("%s returned=%v held=%d queue=%v", result, returned, held, queue)
}

func (m limModel) observe(result string, returned []string) string {
	var q []int64
	for _, r := range m.queue {
		q = append(q, r.n)
	}
	return observe(result, returned, m.held, q)
}

// limSUT is the Limiter under test and the goroutines blocked in it.
type limSUT struct {
	l       *Limiter
	held    int64 // the harness's own count of what it was granted
	nextID  int
	cancels map[int]context.CancelFunc
	weights map[int]int64

	mu       sync.Mutex
	returned []limReturn // Acquire calls that returned since the last step
}

// A limReturn is an Acquire that returned: its id, and "ok" or its error.
type limReturn struct {
	id  int
	out string
}

// observe waits until every goroutine of the bubble is blocked or gone, then
// reports what happened since the last step and what the Limiter holds.
func (s *limSUT) observe(result string) string {
	synctest.Wait()
	s.mu.Lock()
	var returned []string
	for _, r := range s.returned {
		if r.out == "ok" {
			s.held += s.weights[r.id]
		}
		delete(s.cancels, r.id)
		returned = append(returned, fmt.Sprintf("%d:%s", r.id, r.out))
	}
	s.returned = nil
	s.mu.Unlock()
	s.l.mu.Lock()
	state := s.l.state.Load()
	var q []int64
	for w := s.l.head; w != nil; w = w.next {
		q = append(q, w.n)
	}
	consistent := (state&limiterQueued != 0) == (s.l.head != nil)
	s.l.mu.Unlock()
	if !consistent {
		result += " (queued bit disagrees with the queue)"
	}
	return observe(result, returned, int64(state&^limiterQueued), q)
}

func (s *limSUT) pending() []int {
	ids := make([]int, 0, len(s.cancels))
	for id := range s.cancels {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// limCmd is one step: run applies it to the Limiter and returns the
// observation, step applies it to the model and returns the one wanted.
type limCmd struct {
	desc string
	run  func(*limSUT) string
	step func(*limModel) string
}

func (c limCmd) Run(sut commands.SystemUnderTest) commands.Result { return c.run(sut.(*limSUT)) }

func (c limCmd) NextState(state commands.State) commands.State {
	m := state.(limModel).clone()
	m.want = c.step(&m)
	m.lastCmd = c.desc
	return m
}

func (limCmd) PreCondition(commands.State) bool { return true }

func (c limCmd) PostCondition(state commands.State, result commands.Result) *gopter.PropResult {
	if want := state.(limModel).want; result != want {
		return &gopter.PropResult{Status: gopter.PropFalse,
			Labels: []string{fmt.Sprintf("%s: observed %q; want %q", c.desc, result, want)}}
	}
	return &gopter.PropResult{Status: gopter.PropTrue}
}

func (c limCmd) String() string { return c.desc }

// acquireCmd starts Acquire(ctx, n) in a goroutine; with cancelled, ctx is
// done before the call.
func acquireCmd(n int64, cancelled bool) limCmd {
	desc := fmt.Sprintf("Acquire(%d)", n)
	if cancelled {
		desc = fmt.Sprintf("Acquire(done ctx, %d)", n)
	}
	return limCmd{
		desc: desc,
		run: func(s *limSUT) string {
			id := s.nextID
			s.nextID++
			ctx, cancel := context.WithCancel(context.Background())
			if cancelled {
				cancel()
			}
			s.cancels[id] = cancel
			s.weights[id] = n
			go func() {
				err := s.l.Acquire(ctx, n)
				out := "ok"
				if err != nil {
					out = err.Error()
				}
				s.mu.Lock()
				s.returned = append(s.returned, limReturn{id, out})
				s.mu.Unlock()
			}()
			return s.observe(fmt.Sprintf("id=%d", id))
		},
		step: func(m *limModel) string {
			id := m.nextID
			m.nextID++
			var returned []string
			switch {
			case cancelled:
				returned = []string{fmt.Sprintf("%d:%s", id, context.Canceled)}
			case len(m.queue) == 0 && n <= m.size-m.held:
				m.held += n
				returned = []string{fmt.Sprintf("%d:ok", id)}
			case n > m.size:
				m.doomed = append(m.doomed, limReq{id, n})
			default:
				m.queue = append(m.queue, limReq{id, n})
			}
			return m.observe(fmt.Sprintf("id=%d", id), returned)
		},
	}
}

func tryAcquireCmd(n int64) limCmd {
	return limCmd{
		desc: fmt.Sprintf("TryAcquire(%d)", n),
		run: func(s *limSUT) string {
			ok := s.l.TryAcquire(n)
			if ok {
				s.held += n
			}
			return s.observe(fmt.Sprint(ok))
		},
		step: func(m *limModel) string {
			ok := len(m.queue) == 0 && n <= m.size-m.held
			if ok {
				m.held += n
			}
			return m.observe(fmt.Sprint(ok), nil)
		},
	}
}

// releaseCmd releases k mod (held+1) permits of those the harness holds;
// with over, it releases held+1+k and wants a panic that changes nothing.
func releaseCmd(k int64, over bool) limCmd {
	amount := func(held int64) int64 {
		if over {
			return held + 1 + k
		}
		return k % (held + 1)
	}
	desc := fmt.Sprintf("Release(%d mod (held+1))", k)
	if over {
		desc = fmt.Sprintf("Release(held+1+%d)", k)
	}
	return limCmd{
		desc: desc,
		run: func(s *limSUT) string {
			n := amount(s.held)
			msg := func() (msg string) {
				defer func() {
					if r := recover(); r != nil {
						msg = fmt.Sprint(r)
					}
				}()
				s.l.Release(n)
				return "no panic"
			}()
			if msg == "no panic" {
				s.held -= n
			}
			return s.observe(fmt.Sprintf("n=%d %s", n, msg))
		},
		step: func(m *limModel) string {
			n := amount(m.held)
			if over {
				return m.observe(fmt.Sprintf("n=%d task: Limiter released more than held", n), nil)
			}
			m.held -= n
			return m.observe(fmt.Sprintf("n=%d no panic", n), m.grant())
		},
	}
}

// cancelCmd cancels the context of the k-th (mod their number) blocked
// Acquire, in id order.
func cancelCmd(k int) limCmd {
	return limCmd{
		desc: fmt.Sprintf("cancel(pending[%d mod len])", k),
		run: func(s *limSUT) string {
			ids := s.pending()
			if len(ids) == 0 {
				return s.observe("none")
			}
			id := ids[k%len(ids)]
			s.cancels[id]()
			return s.observe(fmt.Sprintf("id=%d", id))
		},
		step: func(m *limModel) string {
			ids := m.pending()
			if len(ids) == 0 {
				return m.observe("none", nil)
			}
			id := ids[k%len(ids)]
			returned := []string{fmt.Sprintf("%d:%s", id, context.Canceled)}
			if i := slices.IndexFunc(m.doomed, func(r limReq) bool { return r.id == id }); i >= 0 {
				m.doomed = slices.Delete(m.doomed, i, i+1)
			} else {
				i := slices.IndexFunc(m.queue, func(r limReq) bool { return r.id == id })
				m.queue = slices.Delete(m.queue, i, i+1)
				returned = append(returned, m.grant()...)
			}
			return m.observe(fmt.Sprintf("id=%d", id), returned)
		},
	}
}

// genLimCmd decodes one random word into a step, with weights from 0 to
// size+1 so that requests of weight 0 and too large ones both occur.
func genLimCmd(size int64) gopter.Gen {
	return gen.UInt32().Map(func(u uint32) commands.Command {
		kind := u % 16
		u /= 16
		n := int64(u) % (size + 2)
		switch {
		case kind < 6:
			return acquireCmd(n, false)
		case kind < 7:
			return acquireCmd(n, true)
		case kind < 9:
			return tryAcquireCmd(n)
		case kind < 13:
			return releaseCmd(int64(u%8), false)
		case kind < 14:
			return releaseCmd(int64(u%3), true)
		default:
			return cancelCmd(int(u % 8))
		}
	})
}

func TestLimiterModel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cmds := &commands.ProtoCommands{
			NewSystemUnderTestFunc: func(state commands.State) commands.SystemUnderTest {
				return &limSUT{l: NewLimiter(state.(limModel).size),
					cancels: map[int]context.CancelFunc{}, weights: map[int]int64{}}
			},
			DestroySystemUnderTestFunc: func(sut commands.SystemUnderTest) {
				s := sut.(*limSUT)
				for _, cancel := range s.cancels {
					cancel()
				}
				synctest.Wait() // every Acquire has returned
			},
			InitialStateGen: gen.Int64Range(0, 6).Map(func(size int64) limModel { return limModel{size: size} }),
			GenCommandFunc: func(state commands.State) gopter.Gen {
				return genLimCmd(state.(limModel).size)
			},
		}
		params := gopter.DefaultTestParametersWithSeed(1)
		params.MinSuccessfulTests = 500
		params.MaxSize = 40
		props := gopter.NewProperties(params)
		props.Property("Limiter behaves as the FIFO model", commands.Prop(cmds))
		props.TestingRun(t)
	})
}
