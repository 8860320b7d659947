package a

import (
	"io"
	"os"
)

// Shapes that must not crash the check.

type closer interface {
	io.Writer
	error
	Close() error
}

func generic[W io.WriteCloser](open func() (W, error)) (err error) {
	w, err := open()
	if err != nil {
		return err
	}
	defer w.Close() // want `defer w.Close\(\) drops the error of a writer's Close`
	_, err = w.Write(nil)
	return err
}

type errT[E error] struct{ e E }

func (x errT[E]) get() (err error) {
	defer func() {
		err = x.e // want `deferred closure assigns err without looking at it`
	}()
	return os.ErrClosed
}

func methodValue(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	closeIt := f.Close
	defer closeIt()
	_, err = f.Write(nil)
	return err
}

func fieldWriter(s *struct{ f *os.File }) error {
	defer s.f.Close()
	_, err := s.f.Write(nil)
	return err
}

func labeled(name string) (err error) {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
loop:
	for i := 0; ; i++ {
		if i > 2 {
			break loop
		}
		goto next
	next:
	}
	defer func() { err = f.Close() }() // want `deferred closure assigns err`
	_, err = f.Write(nil)
	return
}

func nested() func() error {
	return func() error {
		f, err := os.Create("x")
		if err != nil {
			return err
		}
		defer f.Close() // want `defer f.Close\(\) drops the error`
		_, err = f.Write(nil)
		return err
	}
}

func emb(c closer) error {
	defer c.Close() // want `defer c.Close\(\) drops the error of a writer's Close`
	_, err := c.Write(nil)
	return err
}
