package a

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"

	"lib"
	"mid"
)

// Positives: the producer can wrap the target.

func lookup(key string) string {
	v, err := lib.Lookup(key)
	if err == lib.ErrNotFound { // want `err == lib.ErrNotFound, but lib.Lookup can return it wrapped: the comparison misses a wrapped error \(use errors.Is\(err, lib.ErrNotFound\)\)`
		return ""
	}
	return v
}

func load(key string) bool {
	return lib.Load(key) != lib.ErrNotFound // want `lib.Load\(key\) != lib.ErrNotFound, but lib.Load can return it wrapped`
}

// Through two packages: mid.Lookup returns lib.Lookup's error.
func twoPackages(key string) bool {
	err := mid.Lookup(key)
	return err == lib.ErrNotFound // want `err == lib.ErrNotFound, but mid.Lookup can return it wrapped`
}

func method(s *mid.Store, key string) bool {
	if err := s.Lookup(key); err == lib.ErrNotFound { // want `but Store.Lookup can return it wrapped`
		return true
	}
	return false
}

func search(key string) bool {
	_, ok := lib.Search(key).(*lib.NotFoundError) // want `lib.Search\(key\).\(\*lib.NotFoundError\) fails on a wrapped error, and lib.Search can return it wrapped`
	return ok
}

func do(op string) bool {
	err := lib.Do(op)
	return err == lib.ErrBusy // want `err == lib.ErrBusy, but lib.Do can return it wrapped`
}

func kind(key string) int {
	err := lib.Load(key)
	switch err {
	case nil:
		return 0
	case lib.ErrNotFound: // want `switch on err compares with ==, but for lib.ErrNotFound lib.Load can return it wrapped`
		return 1
	}
	return 2
}

func typeSwitch(key string) int {
	switch lib.Search(key).(type) {
	case *lib.NotFoundError: // want `type switch on lib.Search\(key\): case \*lib.NotFoundError fails on a wrapped error`
		return 1
	}
	return 0
}

// Read wraps whatever the reader returns, and never returns io.EOF itself.
func readAll(r io.Reader) error {
	buf := make([]byte, 8)
	for {
		err := lib.Read(r, buf)
		if err == io.EOF { // want `err == io.EOF, but lib.Read returns it only wrapped, if at all`
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// os.Open wraps the system's error in *fs.PathError: == fs.ErrNotExist
// never holds, errors.Is does.
func exists(name string) bool {
	f, err := os.Open(name)
	if err == fs.ErrNotExist { // want `err == fs.ErrNotExist, but os.Open can return it wrapped`
		return false
	}
	f.Close()
	return true
}

func generic(key string) bool {
	_, err := lib.Generic(key, key != "")
	return err == lib.ErrNotFound // want `but lib.Generic can return it wrapped`
}

// Negatives.

// Every producer returns the sentinel unwrapped.
func get(key string) bool {
	_, err := lib.Get(key)
	return err == lib.ErrNotFound
}

// Through two packages, still unwrapped.
func getTwo(s mid.Store, key string) bool {
	if err := mid.Get(key); err == lib.ErrNotFound {
		return true
	}
	return s.Get(key) == lib.ErrNotFound
}

// Close returns ErrClosed as it is; it wraps only other errors.
func closeIt(c io.Closer) bool {
	return lib.Close(c, true) == lib.ErrClosed
}

// io.EOF from a plain Reader: the producer is an interface method.
func readPlain(r io.Reader) error {
	buf := make([]byte, 8)
	for {
		_, err := r.Read(buf)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// A concrete reader that returns io.EOF as it is.
func readLine(r *bufio.Reader) (string, bool) {
	line, err := r.ReadString('\n')
	return line, err == io.EOF
}

// Pass returns the reader's error as it is.
func pass(r io.Reader) bool {
	return lib.Pass(r, nil) == io.EOF
}

// A parameter: unknown producer.
func isNotFound(err error) bool {
	return err == lib.ErrNotFound
}

// Find returns the type as it is.
func find(key string) bool {
	_, ok := lib.Find(key).(*lib.NotFoundError)
	return ok
}

// Formatted wraps nothing.
func formatted(err error) bool {
	return lib.Formatted(err) == lib.ErrNotFound
}

// errors.Is is the fix, and an assertion to an interface is left alone.
func fixed(key string) bool {
	_, err := lib.Lookup(key)
	_, ok := err.(interface{ Timeout() bool })
	return ok || errors.Is(err, lib.ErrNotFound)
}

// Reassigned before the comparison: the last assignment counts.
func reassigned(key string) bool {
	_, err := lib.Lookup(key)
	if err != nil {
		_, err = lib.Get(key)
	}
	return err == lib.ErrNotFound
}

// ReadFile hands io.EOF on through a helper that may reassign its
// parameter: the parameter's own value still comes through.
func readFile(r io.Reader) bool {
	return lib.ReadFile(r, nil) == io.EOF
}

// *os.PathError is an alias of *fs.PathError: one type. lib.Stat returns
// os.Stat's error as it is, so the assertion holds.
func statPath(name string) bool {
	_, ok := lib.Stat(name).(*fs.PathError)
	return ok
}

// lib.Open wraps os.Open's *os.PathError: the assertion to the alias fails.
func openPath(name string) bool {
	_, ok := lib.Open(name).(*fs.PathError) // want `lib.Open can return it wrapped`
	return ok
}

// A wrapping helper with the sentinel as an argument.
func flush() bool {
	return lib.Flush(true) == lib.ErrClosed // want `lib.Flush can return it wrapped`
}

// Trace returns its argument as it is on one path (when it is already an
// *OpError): a sentinel that may come back bare keeps == quiet. (ErrBusy is
// never an *OpError, but the summary does not follow the type test.)
func stop() bool {
	return lib.Stop() == lib.ErrBusy
}

// A producer that returns the sentinel bare on one path and wrapped on
// another: the bare path is what == is for (a clean end of input).
func clean(r *bytes.Reader) bool {
	return lib.ReadHeader(r) == io.EOF
}

// A kind matched by an Is method: == misses it.
func reject() bool {
	return lib.Reject() == lib.ErrBusy // want `lib.Reject can return it wrapped`
}

// A helper that hands its argument back as it is: the sentinel stays bare.
func annotate() bool {
	return lib.Annotate(lib.ErrBusy, "x") == lib.ErrBusy
}

// Guards and reused variables: the sentinel itself is never wrapped.
func guards(r io.Reader) bool {
	return lib.Next(r, nil) == io.EOF || lib.Prepare(true) == lib.ErrNew || lib.Drop() == lib.ErrBusy
}

// The helper's guard on its parameter keeps io.EOF bare for every caller.
func readOp(r io.Reader) bool {
	return lib.ReadOp(r, nil) == io.EOF
}

// os.ErrNotExist is fs.ErrNotExist: one sentinel, matched inside the
// *PathError by syscall.Errno's Is method, never by ==.
func removed(name string) bool {
	_, err := os.Stat(name)
	return err == os.ErrNotExist // want `err == os.ErrNotExist, but os.Stat can return it wrapped`
}

// A write never reports io.EOF: == and errors.Is both fail, nothing to fix.
func writeAt(f *os.File) bool {
	_, err := f.WriteAt(nil, 0)
	return err == io.EOF
}

// lib.Connect returns its sentinel inside a type whose Is method asks
// errors.Is of its fields: only errors.Is finds it.
func connect() bool {
	return lib.Connect() == lib.ErrNoBrokers // want `lib.Connect returns it only wrapped, if at all`
}

// The bare path may come through an interface: readBatch returns the
// reader's own error as it is first, and wraps it later.
func batch(r io.ByteReader) bool {
	return lib.ReadBatch(r) == io.EOF
}

// os.IsNotExist looks inside *fs.PathError, not inside fmt.Errorf's %w: a
// helper that adds context to os.ReadFile's error hides it from the test.
func readConfig(name string) ([]byte, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, wrapf(err, "config %s", name)
	}
	return data, nil
}

func wrapf(err error, format string, args ...any) error {
	return &wrapped{msg: format, err: err}
}

type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg + ": " + w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }

func configMissing(name string) bool {
	_, err := readConfig(name)
	return os.IsNotExist(err) // want `os.IsNotExist\(err\) does not look inside the wrapper readConfig returns \(it unwraps only \*fs.PathError, \*os.LinkError and \*os.SyscallError\): the test is false for a wrapped error \(use errors.Is\(err, os.ErrNotExist\)\)`
}

func configDenied(name string) bool {
	_, err := readConfig(name)
	return os.IsPermission(err) // want `os.IsPermission\(err\) does not look inside the wrapper readConfig returns`
}

// Negatives: the *fs.PathError os.Open returns as it is; errors.Is; an
// error of unknown origin; a producer that returns no such error at all.
func openMissing(name string) bool {
	_, err := os.Open(name)
	return os.IsNotExist(err)
}

func configMissingIs(name string) bool {
	_, err := readConfig(name)
	return errors.Is(err, fs.ErrNotExist)
}

func unknownMissing(f func() error) bool {
	return os.IsNotExist(f())
}

func parse(s string) error {
	if s == "" {
		return errors.New("empty")
	}
	return nil
}

func parseMissing(s string) bool {
	return os.IsNotExist(parse(s))
}
