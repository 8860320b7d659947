package cleanup

import (
	"runtime"
	"sync/atomic"
)

// stackState is where a Stack is in its life; it only moves forward.
type stackState uint32

const (
	open     stackState = iota // steps are pushed and kept
	running                    // one goroutine is running the steps
	released                   // the steps have run; the error is final
)

// stateWord holds a Stack's state and, in its low bit, a spin lock that
// guards the Stack's other fields, so that the common transitions are one
// atomic operation: a push is a lock and an unlock, and starting and
// finishing a release are one compare-and-swap each. The lock is held for a
// few instructions, never while a step runs or while waiting, so under
// contention yielding is enough.
//
// A sync.Mutex costs as many atomic operations per push uncontended (a
// compare-and-swap to lock, an add to unlock), needs the state kept apart
// from it, and its slow path makes every Stack escape to the heap (the
// escape analysis cannot see through it), while a Stack that does not
// escape costs no allocation: that is what lets it stand in for plain
// defers. Two atomic operations per push are the floor for a step held in
// an interface: one to claim a place, one to publish what was written
// there.
type stateWord struct {
	v atomic.Uint32 // state<<1 | locked; the zero value is open and unlocked
}

const lockedBit = 1

// tryLockOpen locks w if it is open and unlocked: a push's fast path.
func (w *stateWord) tryLockOpen() bool {
	return w.v.CompareAndSwap(uint32(open)<<1, uint32(open)<<1|lockedBit)
}

// lock waits until w is unlocked, locks it and returns the state.
func (w *stateWord) lock() stackState {
	for {
		v := w.v.Load()
		if v&lockedBit == 0 && w.v.CompareAndSwap(v, v|lockedBit) {
			return stackState(v >> 1)
		}
		runtime.Gosched()
	}
}

// unlock sets the state to st and unlocks w.
func (w *stateWord) unlock(st stackState) {
	w.v.Store(uint32(st) << 1)
}

// move changes the state from one to the other if w is unlocked.
func (w *stateWord) move(from, to stackState) bool {
	return w.v.CompareAndSwap(uint32(from)<<1, uint32(to)<<1)
}

// state returns the state without locking.
func (w *stateWord) state() stackState {
	return stackState(w.v.Load() >> 1)
}
