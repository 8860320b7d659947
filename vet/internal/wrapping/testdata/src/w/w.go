// Package w declares sentinels and error types, and functions that return
// them as they are, wrapped, or both.
package w

import (
	"errors"
	"fmt"
	"io"
	"os"
)

var ErrNotFound = errors.New("not found")

var ErrTimeout = errors.New("timeout")

// Another name for ErrNotFound: the same value, so the same key.
var ErrMissing = ErrNotFound // want ErrMissing:`alias v:w.ErrNotFound`

// A sentinel returned as it is: "t:?" stands for its dynamic type.
func Find(k string) error { // want Find:`direct\[v:w.ErrNotFound t:\?\] wrapped\[\]`
	if k == "" {
		return ErrNotFound
	}
	return nil
}

// Wrapped with %w: only errors.Is finds the sentinel.
func Load(k string) error { // want Load:`direct\[\] wrapped\[v:w.ErrNotFound t:\?\]`
	if err := Find(k); err != nil {
		return fmt.Errorf("load %s: %w", k, err)
	}
	return nil
}

// Formatted with %v: a new error, which matches nothing; no fact.
func Describe(k string) error {
	if err := Find(k); err != nil {
		return fmt.Errorf("describe %s: %v", k, err)
	}
	return nil
}

// Both: as it is on one path, wrapped on another.
func Both(k string) error { // want Both:`direct\[v:w.ErrNotFound t:\?\] wrapped\[v:w.ErrNotFound t:\?\]`
	err := Find(k)
	if k == "x" {
		return err
	}
	return fmt.Errorf("both: %w", err)
}

// errors.Join wraps each of its arguments.
func Joined() error { // want Joined:`direct\[\] wrapped\[v:w.ErrNotFound t:\? v:w.ErrTimeout\]`
	return errors.Join(ErrNotFound, ErrTimeout)
}

// An error type with an Unwrap method: the type is returned as it is, what
// it holds is wrapped.
type OpError struct {
	Op  string
	Err error
}

func (e *OpError) Error() string { return e.Op + ": " + e.Err.Error() }
func (e *OpError) Unwrap() error { return e.Err } // want Unwrap:`direct\[\] wrapped\[\] passes-unknown`

func Op() error { // want Op:`direct\[t:\*w.OpError\] wrapped\[v:w.ErrTimeout t:\?\]`
	return &OpError{Op: "read", Err: ErrTimeout}
}

// An error type whose Is method matches a sentinel: errors.Is finds
// ErrTimeout in it, == never does.
type TimeoutError struct{}

func (TimeoutError) Error() string { return "timed out" }

func (TimeoutError) Is(target error) bool { return target == ErrTimeout } // want Is:`is \[v:w.ErrTimeout\] any=false`

func Timeout() error { // want Timeout:`direct\[t:w.TimeoutError\] wrapped\[v:w.ErrTimeout\]`
	return TimeoutError{}
}

// A parameter wrapped: the summary keeps it by index, which String does not
// show; the caller learns what it passed (see Wrapper).
func wrap(err error) error { // want wrap:`direct\[\] wrapped\[\]$`
	return fmt.Errorf("wrapped: %w", err)
}

func Wrapper() error { // want Wrapper:`direct\[\] wrapped\[v:w.ErrTimeout t:\?\]`
	return wrap(ErrTimeout)
}

// A guard rules a sentinel out of the wrapped return: io.EOF comes back as
// it is only.
func ReadAll(r io.Reader) error { // want ReadAll:`passes-unknown wraps-unknown`
	_, err := r.Read(nil)
	if err != io.EOF {
		return fmt.Errorf("read: %w", err)
	}
	return err
}

// A known producer behind the guard: ErrNotFound is never wrapped. (The
// "t:?" that stands for its dynamic type stays in the wrapped set: it only
// keeps errassert quiet about type assertions on the result.)
func Guarded(k string) error { // want Guarded:`direct\[v:w.ErrNotFound t:\?\] wrapped\[t:\?\]$`
	err := Find(k)
	if err != ErrNotFound {
		return fmt.Errorf("guarded: %w", err)
	}
	return err
}

// An interface method: the error is of unknown origin.
func Close(c io.Closer) error { // want Close:`passes-unknown`
	return c.Close()
}

// The standard library's facts: os.Open returns *fs.PathError as it is, and
// syscall errors and fs.ErrNotExist only inside it.
func Open(name string) error { // want Open:`^direct\[t:\*io/fs.PathError .*\] wrapped\[.*v:internal/oserror.ErrNotExist.*\]`
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	return f.Close()
}
