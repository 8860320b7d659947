package chanflow

import (
	"fmt"
	"strings"
)

// An Effect is the set of things a function may do to a channel that it is
// handed: the union over every path, goroutines it starts included.
type Effect uint16

const (
	// Send: a send that can block, because nothing else can be chosen
	// in its place (a plain send, or a select with that case alone).
	Send Effect = 1 << iota
	// SendMany: such sends may happen more than once (in a loop, or
	// several on one path).
	SendMany
	// SendGuarded: a send in a select that has another case or a
	// default, so it can give up.
	SendGuarded
	// Recv: a receive.
	Recv
	// Drain: a range over the channel, which only ends when it is
	// closed.
	Drain
	// Close: the channel is closed.
	Close
	// Escape: the channel is handed to code this analysis cannot see
	// (stored, returned, sent, passed to an unknown function) and may
	// be used there in any way.
	Escape
	// Async: the blocking sends happen in a goroutine the function
	// starts, so they may still be pending when it returns.
	Async
)

// Sends reports whether e includes a send of any kind.
func (e Effect) Sends() bool { return e&(Send|SendMany|SendGuarded) != 0 }

// Receives reports whether e includes a receive or a range.
func (e Effect) Receives() bool { return e&(Recv|Drain) != 0 }

var effectNames = []string{"send", "sendmany", "sendguarded", "recv", "drain", "close", "escape", "async"}

func (e Effect) String() string {
	if e == 0 {
		return "none"
	}
	var names []string
	for i, name := range effectNames {
		if e&(1<<i) != 0 {
			names = append(names, name)
		}
	}
	return strings.Join(names, "|")
}

// Many is the count of sends that have no bound the analysis can see.
const Many = 1 << 20

// A Pending result is a channel that the function makes, hands to
// goroutines that send on it, and returns without receiving from it: the
// caller is the only one who can receive what those goroutines send.
type Pending struct {
	Sends  int  // blocking sends the goroutines may make on it; Many when unbounded
	Cap    int  // the channel's buffer
	Closes bool // a goroutine closes it
	Ends   bool // every goroutine that sends on it can return
}

// Blocked reports how many of the sends can block when nobody receives:
// 0 when the buffer holds them all, Many when they are unbounded.
func (p Pending) Blocked() int {
	if p.Sends >= Many {
		return Many
	}
	return max(0, p.Sends-p.Cap)
}

// A Summary is what a function does to its channel parameters and results.
// It is exported as a fact for every function that has a channel parameter
// or result, so a missing fact means "unknown".
type Summary struct {
	Params  []Effect  // by parameter index, receiver excluded; 0 for other types
	Results []Pending // by result index; the zero Pending when not pending
	Returns bool      // some path of the function returns
}

// AFact marks Summary as an analysis fact.
func (*Summary) AFact() {}

func (s *Summary) String() string {
	var b strings.Builder
	b.WriteString("chanflow(")
	sep := ""
	for i, e := range s.Params {
		if e != 0 {
			fmt.Fprintf(&b, "%sp%d=%s", sep, i, e)
			sep = " "
		}
	}
	for i, p := range s.Results {
		if p.Sends > 0 {
			sends := fmt.Sprint(p.Sends)
			if p.Sends >= Many {
				sends = "many"
			}
			fmt.Fprintf(&b, "%sr%d=pending(sends=%s cap=%d closes=%t ends=%t)", sep, i, sends, p.Cap, p.Closes, p.Ends)
			sep = " "
		}
	}
	if !s.Returns {
		b.WriteString(sep + "noreturn")
	}
	b.WriteString(")")
	return b.String()
}

// Param returns the effect on parameter i, Escape when out of range.
func (s *Summary) Param(i int) Effect {
	if s == nil || i < 0 || i >= len(s.Params) {
		return Escape
	}
	return s.Params[i]
}

// Result returns the pending result i, the zero Pending when there is none.
func (s *Summary) Result(i int) Pending {
	if s == nil || i < 0 || i >= len(s.Results) {
		return Pending{}
	}
	return s.Results[i]
}
