// Package shapes declares one of every kind of exported name.
package shapes

import (
	"context"
	"io"
	"iter"

	"example.com/mod/internal/hidden"
)

// Consts and vars.
const (
	Answer        = 42
	Typed   Level = 2
	hidden1       = 1
)

// Level is a defined integer type.
type Level int

// String is a value method.
func (Level) String() string { return "" }

// Vars.
var (
	ErrX    error
	Hook    func(ctx context.Context, n int) (ok bool, err error)
	hidden2 int
)

// Point is a struct with exported, unexported and embedded fields.
type Point struct {
	X, Y int
	io.Reader
	z int
}

// Move is a pointer method.
func (p *Point) Move(dx, dy int) {}

// Box is generic.
type Box[T any, K comparable] struct {
	Items map[K][]T
}

// All is a method of a generic type.
func (b *Box[T, K]) All() iter.Seq2[K, T] { return nil }

// Shape is an interface with an embedded interface and an unexported method.
type Shape interface {
	io.Closer
	Area(scale float64) float64
	secret()
}

// Outer aliases an internal type: its fields and methods are listed here.
type Outer = hidden.Inner

// Alias of an exported type elsewhere: one line.
type Reader = io.Reader

// Map is a generic function with variadic options and nested function types.
func Map[In, Out any](ctx context.Context, in []In, f func(ctx context.Context, v In) (Out, error), opts ...func(*int)) ([]Out, error) {
	return nil, nil
}

// Chans takes channels of every direction.
func Chans(a chan int, b <-chan []*Point, c chan<- map[string][2]func(x int)) {}

func unexported() {}
