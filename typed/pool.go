package typed

import "sync"

// A Pool is a typed [sync.Pool] of *T: a set of temporary objects that may be
// reused to spare allocations, and that the garbage collector may free at any
// time.
//
// A Pool hands out *T rather than T so that Put never allocates: a pointer
// fits in the interface sync.Pool stores, where a slice or a struct would be
// copied into a new box on every Put. For byte buffers use Pool[[]byte] and
// keep the *[]byte (see the example): the slice header lives in the pooled
// object, so growing the buffer is kept for the next user.
//
// The zero Pool is ready to use: Get then returns a new zero T. Set New and
// Reset before the first Get or Put and do not change them after. A Pool must
// not be copied after first use. Get and Put are safe for concurrent use and
// cost what sync.Pool's do plus the call to Reset and one function call
// each, as neither fits the compiler's inlining budget. Using an object
// after putting it back is a data race, as with sync.Pool.
type Pool[T any] struct {
	// New, if not nil, makes the value of a new object when the pool is
	// empty. Without it Get returns a pointer to a new zero T.
	New func() T

	// Reset, if not nil, is called by Put before the object goes back into
	// the pool: clear it there so that a pooled object keeps nothing alive
	// and the next Get finds it clean.
	Reset func(*T)

	pool sync.Pool // holds *T only
}

// Get returns an object from the pool, or a new one if the pool is empty.
// It never returns nil.
func (p *Pool[T]) Get() *T {
	// The assertion is one compare with *T's type word: an unsafe cast
	// would save nothing measurable.
	if x, ok := p.pool.Get().(*T); ok { // only Put adds to pool, and only a *T
		return x
	}
	return p.make()
}

func (p *Pool[T]) make() *T {
	x := new(T)
	if p.New != nil {
		*x = p.New()
	}
	return x
}

// Put resets x with Reset, if set, and returns it to the pool. A nil x is
// ignored. The caller must not use x afterwards.
func (p *Pool[T]) Put(x *T) {
	if x == nil {
		return
	}
	if p.Reset != nil {
		p.Reset(x)
	}
	p.pool.Put(x)
}
