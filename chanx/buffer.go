package chanx

import (
	"context"
	"sync"
)

// An Overflow says what [Buffer.Send] does when a capped buffer is full.
type Overflow int

const (
	// OverflowBlock makes Send wait for room, or for its context to end.
	OverflowBlock Overflow = iota
	// OverflowDropOldest makes Send discard the oldest buffered value to
	// make room.
	OverflowDropOldest
	// OverflowDropNewest makes Send discard the value being sent.
	OverflowDropNewest
)

// A Buffer is a FIFO queue of values between goroutines, for where an
// unbounded or capped buffered channel is wanted. Its Len is exact; a capped
// Buffer has an [Overflow] for when it is full; closing it either lets
// receivers drain what is buffered ([Buffer.Close]) or drops it
// ([Buffer.CloseAndDiscard]). It runs no goroutine, so it cannot leak one;
// sending to a closed Buffer returns [ErrClosed] instead of panicking, and
// closing it twice is allowed.
//
// A Buffer is not a channel: a value handed to a channel's receiver could
// not be counted exactly. To select on a Buffer, let a [Producer] move its
// values to a channel (see the example).
//
// The zero Buffer is an empty, unbounded, open buffer ready to use. A Buffer
// must not be copied after first use. Its methods may be called from any
// goroutine; each holds a mutex only while it touches the queue. A receiver
// waiting on an empty buffer (or a sender on a full [OverflowBlock] buffer)
// waits on a channel and honours its context.
type Buffer[T any] struct {
	mu       sync.Mutex
	items    []T // ring: n values from head; guarded by mu
	head     int
	n        int
	capacity int // 0: unbounded
	overflow Overflow
	closed   bool

	// Waiters park on a one-token channel; a woken waiter that leaves the
	// condition still true passes the token on, so no wake-up is lost.
	recvWaiters int
	sendWaiters int
	notEmpty    chan struct{}
	notFull     chan struct{}
	closedCh    chan struct{} // closed by Close
}

// NewBuffer returns an empty buffer holding at most capacity values, with the
// given [Overflow] for a full buffer. A capacity of 0 or less means
// unbounded (the overflow then never applies), as for the zero Buffer. An
// unknown Overflow panics.
func NewBuffer[T any](capacity int, overflow Overflow) *Buffer[T] {
	if overflow < OverflowBlock || overflow > OverflowDropNewest {
		panic("chanx: NewBuffer with unknown Overflow")
	}
	return &Buffer[T]{capacity: max(capacity, 0), overflow: overflow}
}

// Send adds v at the back of the buffer. It returns [ErrClosed] once the
// buffer is closed. An unbounded buffer never blocks; a full capped buffer
// applies its Overflow: [OverflowBlock] waits for room and returns
// context.Cause(ctx) if ctx ends first, [OverflowDropOldest] discards the
// front value, [OverflowDropNewest] discards v. A dropped value is not an
// error. ctx bounds only the wait for room: a Send that need not wait
// succeeds even if ctx is done.
func (b *Buffer[T]) Send(ctx context.Context, v T) error {
	b.mu.Lock()
	for {
		if b.closed {
			b.mu.Unlock()
			return ErrClosed
		}
		if b.capacity == 0 || b.n < b.capacity {
			b.push(v)
			if b.recvWaiters > 0 {
				signal(b.notEmpty)
			}
			if b.sendWaiters > 0 && b.n < b.capacity {
				signal(b.notFull) // pass the token on
			}
			b.mu.Unlock()
			return nil
		}
		switch b.overflow {
		case OverflowDropOldest:
			b.pop()
			b.push(v)
			b.mu.Unlock()
			return nil
		case OverflowDropNewest:
			b.mu.Unlock()
			return nil
		}
		if err := b.park(ctx, true); err != nil {
			b.mu.Unlock()
			return err
		}
	}
}

// Recv removes and returns the value at the front of the buffer, waiting for
// one if it is empty. It returns [ErrClosed] once the buffer is closed and
// has nothing left to hand out, and context.Cause(ctx) if ctx ends while it
// waits. ctx bounds only the wait: a value already buffered is returned even
// if ctx is done.
func (b *Buffer[T]) Recv(ctx context.Context) (T, error) {
	b.mu.Lock()
	for {
		if b.n > 0 {
			return b.take(), nil
		}
		if b.closed {
			b.mu.Unlock()
			var zero T
			return zero, ErrClosed
		}
		if err := b.park(ctx, false); err != nil {
			b.mu.Unlock()
			var zero T
			return zero, err
		}
	}
}

// TryRecv is [Buffer.Recv] without waiting: it returns [ErrWouldBlock] if the
// buffer is empty and open.
func (b *Buffer[T]) TryRecv() (T, error) {
	b.mu.Lock()
	if b.n > 0 {
		return b.take(), nil
	}
	closed := b.closed
	b.mu.Unlock()
	var zero T
	if closed {
		return zero, ErrClosed
	}
	return zero, ErrWouldBlock
}

// Len returns the number of values buffered: sent and neither received nor
// dropped. It is exact at the moment it is taken.
func (b *Buffer[T]) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.n
}

// Close closes the buffer: later sends return [ErrClosed], waiting senders
// are released with ErrClosed, and receivers still get every buffered value,
// then ErrClosed. It does not wait. Closing again does nothing.
func (b *Buffer[T]) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closeLocked()
}

// CloseAndDiscard closes the buffer as [Buffer.Close] does and drops every
// value it holds: receivers get ErrClosed at once, and Len reports 0. After
// Close it drops what receivers have not yet taken; called again it does
// nothing more.
func (b *Buffer[T]) CloseAndDiscard() {
	b.mu.Lock()
	defer b.mu.Unlock()
	clear(b.items) // let the values be collected
	b.head, b.n = 0, 0
	b.closeLocked()
}

func (b *Buffer[T]) closeLocked() {
	if !b.closed {
		b.closed = true
		b.initLocked()
		close(b.closedCh)
	}
}

// take pops the front value and unlocks b, waking whoever can now proceed.
func (b *Buffer[T]) take() T {
	v := b.pop()
	if b.sendWaiters > 0 {
		signal(b.notFull)
	}
	if b.n > 0 && b.recvWaiters > 0 {
		signal(b.notEmpty) // pass the token on
	}
	b.mu.Unlock()
	return v
}

// park waits, with b.mu released, for a token (notFull for a sender,
// notEmpty for a receiver), for Close or for ctx. It returns with b.mu held.
func (b *Buffer[T]) park(ctx context.Context, sender bool) error {
	b.initLocked()
	ch, waiters := b.notEmpty, &b.recvWaiters
	if sender {
		ch, waiters = b.notFull, &b.sendWaiters
	}
	*waiters++
	closed := b.closedCh
	b.mu.Unlock()
	var err error
	select {
	case <-ch:
	case <-closed:
	case <-ctx.Done():
		err = context.Cause(ctx)
	}
	b.mu.Lock()
	*waiters--
	return err
}

func (b *Buffer[T]) initLocked() {
	if b.closedCh == nil {
		b.notEmpty = make(chan struct{}, 1)
		b.notFull = make(chan struct{}, 1)
		b.closedCh = make(chan struct{})
	}
}

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

func (b *Buffer[T]) push(v T) {
	if b.n == len(b.items) {
		grown := make([]T, max(2*len(b.items), 8))
		m := copy(grown, b.items[b.head:])
		copy(grown[m:], b.items[:b.head])
		b.items, b.head = grown, 0
	}
	b.items[(b.head+b.n)%len(b.items)] = v
	b.n++
}

func (b *Buffer[T]) pop() T {
	var zero T
	v := b.items[b.head]
	b.items[b.head] = zero // let the value be collected
	b.head = (b.head + 1) % len(b.items)
	b.n--
	return v
}
