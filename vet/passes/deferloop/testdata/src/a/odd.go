package a

import (
	"io"
	"os"
	"sync"
)

// Shapes that must not crash the check: generics, method values, goto,
// labeled loops, range over func, closures.

func generic[T io.Closer](open func(int) (T, error), n int) {
	for i := range n {
		c, err := open(i)
		if err != nil {
			continue
		}
		defer c.Close() // want `defer c.Close\(\) in a loop`
	}
}

type pool[T any] struct {
	mu    sync.Mutex
	items []T
}

func (p *pool[T]) drain(f func(T)) {
	for len(p.items) > 0 {
		p.mu.Lock()
		defer p.mu.Unlock() // want `defer p.mu.Unlock\(\) in a loop`
		f(p.items[0])
		p.items = p.items[1:]
	}
}

func methodValue(names []string) {
	for _, name := range names {
		f, _ := os.Open(name)
		closeIt := f.Close
		defer closeIt() // a method value, not a call result: silent
	}
}

func labeled(groups [][]string) {
outer:
	for _, g := range groups {
		for _, name := range g {
			f, err := os.Open(name)
			if err != nil {
				continue outer
			}
			defer f.Close() // want `defer f.Close\(\) in a loop`
			if name == "" {
				continue outer
			}
			break outer
		}
	}
}

func withGoto(names []string) {
	i := 0
again:
	if i < len(names) {
		f, _ := os.Open(names[i])
		defer f.Close() // no loop statement: silent
		i++
		goto again
	}
}

func seq(yield func(string) bool) {
	for _, s := range []string{"a", "b"} {
		if !yield(s) {
			return
		}
	}
}

func rangeFunc() {
	for name := range seq {
		f, _ := os.Open(name)
		defer f.Close() // want `defer f.Close\(\) in a loop`
	}
}

func nestedLiteral(names []string) func() {
	return func() {
		for _, name := range names {
			f, _ := os.Open(name)
			defer f.Close() // want `defer f.Close\(\) in a loop`
		}
	}
}

func noBody() {
	for {
		defer func() {}()
		break
	}
}
