// Package stream has the shape of real wrapped-EOF bugs: a client stream
// whose Recv wraps every error of the transport with a stack-carrying
// wrapper (as trace.Wrap or pkg/errors.Wrap do), and a caller that still
// ends its loop on err == io.EOF, which now never holds.
package stream

import (
	"io"
)

type traced struct {
	err   error
	stack []uintptr
}

func (t *traced) Error() string { return t.err.Error() }
func (t *traced) Unwrap() error { return t.err }

// wrap adds a stack to err.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	return &traced{err: err}
}

type transport interface {
	Recv() ([]byte, error)
}

type Stream struct{ t transport }

func (s *Stream) Recv() ([]byte, error) {
	b, err := s.t.Recv()
	if err != nil {
		return nil, wrap(err)
	}
	return b, nil
}

func ReadAll(s *Stream) ([][]byte, error) {
	var out [][]byte
	for {
		b, err := s.Recv()
		if err == io.EOF { // want `err == io.EOF, but Stream.Recv returns it only wrapped, if at all`
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
}

// The transport itself returns io.EOF as it is: an interface, silent.
func readRaw(t transport) error {
	for {
		if _, err := t.Recv(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}
