// Package lib produces errors: some returned as they are, some wrapped.
package lib

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
)

var (
	ErrNotFound = errors.New("not found")
	ErrClosed   = errors.New("closed")
	ErrBusy     = errors.New("busy")
)

// NotFoundError is an error type without Unwrap.
type NotFoundError struct{ Key string }

func (e *NotFoundError) Error() string { return "not found: " + e.Key }

// OpError wraps another error.
type OpError struct {
	Op  string
	Err error
}

func (e *OpError) Error() string { return e.Op + ": " + e.Err.Error() }
func (e *OpError) Unwrap() error { return e.Err }

// Get returns ErrNotFound as it is.
func Get(key string) (string, error) {
	if key == "" {
		return "", ErrNotFound
	}
	return key, nil
}

// Lookup wraps ErrNotFound.
func Lookup(key string) (string, error) {
	if key == "" {
		return "", fmt.Errorf("lookup %q: %w", key, ErrNotFound)
	}
	return key, nil
}

// Load wraps through another function: the result of Lookup.
func Load(key string) error {
	_, err := Lookup(key)
	if err != nil {
		return err
	}
	return nil
}

// Close returns ErrClosed as it is, and wraps other errors: a caller
// comparing with ErrClosed is right.
func Close(c io.Closer, closed bool) error {
	if closed {
		return ErrClosed
	}
	if err := c.Close(); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	return nil
}

// Find returns a *NotFoundError as it is.
func Find(key string) error {
	if key == "" {
		return &NotFoundError{Key: key}
	}
	return nil
}

// Search wraps a *NotFoundError with errors.Join.
func Search(key string) error {
	return errors.Join(errors.New("search"), Find(key))
}

// Do wraps in an error type with Unwrap.
func Do(op string) error {
	if op == "" {
		return &OpError{Op: op, Err: ErrBusy}
	}
	return nil
}

// Read wraps whatever the reader returns.
func Read(r io.Reader, p []byte) error {
	if _, err := r.Read(p); err != nil {
		return fmt.Errorf("read: %w", err)
	}
	return nil
}

// Pass returns the reader's error as it is.
func Pass(r io.Reader, p []byte) error {
	_, err := r.Read(p)
	return err
}

// Formatted formats with %v: nothing is wrapped.
func Formatted(err error) error {
	return fmt.Errorf("formatted: %v", err)
}

// Stat wraps what os.Stat returns, *fs.PathError included.
func Stat(name string) error {
	_, err := os.Stat(name)
	return err
}

// Generic returns a sentinel from a generic function.
func Generic[T any](v T, ok bool) (T, error) {
	if !ok {
		return v, fmt.Errorf("generic: %w", ErrNotFound)
	}
	return v, nil
}

// wrapErr passes its parameter through unless it rewrites it: the value it
// came in with is unknown.
func wrapErr(op string, err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	if err == ErrBusy {
		err = ErrClosed
	}
	return &OpError{Op: op, Err: err}
}

// ReadFile returns io.EOF as it is, through wrapErr.
func ReadFile(r io.Reader, p []byte) error {
	_, err := r.Read(p)
	return wrapErr("read", err)
}

// Open wraps what os.Open returns.
func Open(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	f.Close()
	return nil
}

// Wrapf wraps its first argument: callers learn which sentinel it was.
func Wrapf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// Trace returns its argument as it is when it already carries a trace.
func Trace(err error) error {
	if _, ok := err.(*OpError); ok {
		return err
	}
	return &OpError{Op: "trace", Err: err}
}

// Flush wraps ErrClosed through Wrapf; Stop passes ErrBusy through Trace
// as it is on one path.
func Flush(closed bool) error {
	if closed {
		return Wrapf(ErrClosed, "flush")
	}
	return nil
}

func Stop() error { return Trace(ErrBusy) }

// kindError matches its kind through an Is method, not Unwrap.
type kindError struct {
	kind error
	msg  string
}

func (e kindError) Error() string        { return e.msg }
func (e kindError) Is(target error) bool { return e.kind == target }

// Reject returns ErrBusy inside a kindError.
func Reject() error { return kindError{kind: ErrBusy, msg: "rejected"} }

// Annotate returns its argument as it is.
func Annotate(err error, note string) error {
	_ = note
	return err
}

// Next returns io.EOF as it is and wraps every other error: the guard
// rules io.EOF out of the wrapped return.
func Next(r io.Reader, p []byte) error {
	var err error
	if _, err = r.Read(p); err != nil {
		if err != io.EOF {
			return Wrapf(err, "next")
		}
		return err
	}
	return nil
}

var ErrNew = errors.New("new file")

func create(fresh bool) error {
	if fresh {
		return ErrNew
	}
	return nil
}

// Prepare returns ErrNew as it is; other errors of create are wrapped in
// the else branch of the test for it.
func Prepare(fresh bool) error {
	ferr := create(fresh)
	if ferr == ErrNew {
		return ferr
	} else if ferr != nil {
		return Wrapf(ferr, "prepare")
	}
	return nil
}

// Drop returns ErrBusy from its first step as it is; the variable is then
// reused for a second step whose error is wrapped.
func Drop() error {
	err := begin()
	if err != nil {
		return err
	}
	err = Find("x")
	if err != nil {
		return Wrapf(err, "drop")
	}
	return nil
}

func begin() error { return ErrBusy }

// wrapOp returns io.EOF as it is and wraps anything else: the guard is on
// the parameter, so it holds for every caller.
func wrapOp(op string, err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	return &OpError{Op: op, Err: err}
}

// ReadOp hands io.EOF on bare through wrapOp.
func ReadOp(r io.Reader, p []byte) error {
	_, err := r.Read(p)
	if err == nil {
		err = io.EOF
	}
	return wrapOp("read", err)
}

var ErrNoBrokers = errors.New("no brokers")

// sentinelError keeps a sentinel and the errors behind it; its Is asks
// errors.Is of both, so == on the sentinel never matches.
type sentinelError struct {
	sentinel error
	wrapped  error
}

func (e sentinelError) Error() string { return e.sentinel.Error() }

func (e sentinelError) Is(target error) bool {
	return errors.Is(e.sentinel, target) || errors.Is(e.wrapped, target)
}

func wrapSentinel(sentinel error, wrapped ...error) sentinelError {
	return sentinelError{sentinel: sentinel, wrapped: errors.Join(wrapped...)}
}

// Connect fails with ErrNoBrokers wrapped with the brokers' errors.
func Connect() error {
	var errs []error
	return wrapSentinel(ErrNoBrokers, errs...)
}

// ReadHeader returns io.EOF as it is at a clean end, and wrapped when the
// input stops inside a header.
func ReadHeader(r *bytes.Reader) error {
	var b [1]byte
	if _, err := r.Read(b[:]); err != nil {
		return err
	}
	if _, err := io.ReadFull(r, make([]byte, 4)); err != nil {
		return fmt.Errorf("header: %w", err)
	}
	return nil
}

// ReadBatch hands the reader's first error on as it is (a clean end), and
// wraps the errors of a batch cut short.
func ReadBatch(r io.ByteReader) error {
	if _, err := r.ReadByte(); err != nil {
		return err
	}
	if _, err := r.ReadByte(); err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	return nil
}
