// Package odd holds code of unusual shapes: the check must not crash on it,
// and must still be right.
package odd

import (
	"context"
	"log"
	"os"
)

// A generic type holding a cancel, with a generic constructor.
type Cache[K comparable, V any] struct { // want Cache:`canceler\(cancel by Close\)`
	m      map[K]V
	cancel context.CancelFunc
}

func NewCache[K comparable, V any]() *Cache[K, V] { // want NewCache:`starts\(result 0, detached, released by Close\)`
	ctx, cancel := context.WithCancel(context.Background())
	c := &Cache[K, V]{m: map[K]V{}, cancel: cancel}
	go c.expire(ctx)
	return c
}

func (c *Cache[K, V]) expire(ctx context.Context) { <-ctx.Done() }

// Close is reached through a method value too.
func (c *Cache[K, V]) Close() { c.cancel() }

func useCache() {
	c := NewCache[string, int]() // want `c holds a context cancel`
	c.m["a"] = 1
}

func methodValue() {
	c := NewCache[int, int]()
	stop := c.Close // handed on as a method value
	defer stop()
}

// goto, labels, panics, os.Exit and log.Fatal on the paths after the make.
func shapes(rows [][]int) {
	c := NewCache[int, int]()
	i := 0
again:
	if i < len(rows) {
		i++
		goto again
	}
outer:
	for _, r := range rows {
		for _, v := range r {
			switch {
			case v < 0:
				break outer
			case v == 0:
				panic("zero")
			case v == 1:
				os.Exit(1)
			case v == 2:
				log.Fatal("two")
			}
		}
	}
	c.Close()
}

// A closure that makes its own.
func closure() func() {
	return func() {
		c := NewCache[int, string]() // want `c holds a context cancel`
		_ = c.m
	}
}

// A cancel kept in a slice of funcs, and one in a field of a field.
type nested struct {
	inner struct {
		cancel context.CancelFunc
	}
	ctx context.Context
}

func newNested() *nested {
	n := &nested{}
	n.ctx, n.inner.cancel = context.WithCancel(context.Background()) // want `the cancel func stored in field cancel is never called`
	go func() { <-n.ctx.Done() }()
	return n
}
