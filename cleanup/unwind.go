package cleanup

import (
	"errors"

	"github.com/boundgo/bound/internal/panics"
)

// unwinder runs steps last first, recovering each panic and Goexit.
type unwinder struct {
	s    *Stack // the stack whose steps run
	next int    // index of the next step to run, counting down; -1 when done

	// errs is behind a pointer because escape analysis does not tell fields
	// apart: errors go to the heap, and were they fields of the unwinder,
	// the Stack it points to would go there too.
	errs *errList
}

// errList gathers the errors of an unwinding, in the order steps ran.
type errList struct {
	first error
	rest  []error // nil, or every error including first
}

func (u *unwinder) run() {
	for u.next >= 0 {
		u.segment()
	}
}

// segment runs steps from u.next down until one panics or calls Goexit.
// One deferred call per segment, not per step, keeps the common case cheap.
func (u *unwinder) segment() {
	defer u.caught()
	s := u.s
	i := u.next
	for ; i >= inlineSteps; i-- {
		u.next = i // for caught, should step i panic
		if err := s.spill[i-inlineSteps].call(); err != nil {
			u.errs.add(err)
		}
	}
	for ; i >= 0; i-- {
		u.next = i
		st := s.inline[i]
		var err error
		if f, ok := st.fn.(func() error); ok { // the common step, called inline
			err = f()
		} else {
			err = st.call()
		}
		if err != nil {
			u.errs.add(err)
		}
	}
	u.next = -1
}

// caught is deferred by segment: if a step panicked or called Goexit, it
// records that and goes on with the next step.
func (u *unwinder) caught() {
	if u.next < 0 {
		return // every step returned
	}
	v := recover() // called directly by the deferred function (B6)
	u.errs.add(panics.New(v))
	u.next--
	if v == nil {
		// runtime.Goexit cannot be stopped, only watched: run the rest
		// now, from this deferred call, publish the result, and let the
		// goroutine go on exiting. A Goexit in one of the remaining steps
		// lands in a nested segment that does the same, so this frame
		// never resumes.
		u.run()
		_ = u.finish() // published to the stack; nobody returns it here
	}
}

func (l *errList) add(err error) {
	if l.first == nil {
		l.first = err
		return
	}
	if l.rest == nil {
		l.rest = append(l.rest, l.first)
	}
	l.rest = append(l.rest, err)
}

func (l *errList) joined() error {
	if l.rest != nil {
		return errors.Join(l.rest...)
	}
	return l.first
}

// finish publishes the result to the stack, if any, and returns it.
func (u *unwinder) finish() error {
	err := u.errs.joined()
	if s := u.s; s != nil { // nil once finished
		u.s = nil
		// Publish the result and move to released under the lock: a step
		// pushed late while the steps ran has left its error in late.
		s.w.lock()
		err = join(err, s.late)
		s.err, s.late = err, nil
		s.w.unlock(released)
		// A waiter makes done under the lock, before the move; none can
		// after it.
		if s.done != nil {
			close(s.done)
		}
		// Nothing touches the steps once released: let their captures
		// go, after the move, so that it does not wait for these stores.
		s.n, s.inline, s.spill = 0, [inlineSteps]step{}, nil
	}
	return err
}
