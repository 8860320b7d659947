package a

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
)

// B2: a deferred closure that overwrites the named error result.

func copyFile(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		err = out.Close() // want `deferred closure assigns err without looking at it: an error the function was returning is replaced`
	}()
	_, err = io.Copy(out, in)
	return err
}

type tx struct{}

func (tx) Commit() error   { return nil }
func (tx) Rollback() error { return nil }

func update(t tx, apply func() error) (retErr error) {
	defer func() {
		retErr = t.Commit() // want `deferred closure assigns retErr without looking at it`
	}()
	return apply()
}

// Negatives of B2.

// The closure reads err first.
func keepFirst(f *os.File) (err error) {
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = f.Write(nil)
	return err
}

func joined(f *os.File) (err error) {
	defer func() {
		err = errors.Join(err, f.Close())
	}()
	_, err = f.Write(nil)
	return err
}

// Every return after the defer returns nil: the Close error is the only one.
func onlyClose(name string) (err error) {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer func() {
		err = f.Close()
	}()
	f.Write([]byte("x"))
	return nil
}

// Conditional: only on panic.
func recovered() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New("panic")
		}
	}()
	return work()
}

func work() error { return nil }

// A deliberate reset is not a clobber.
func reset() (err error) {
	defer func() {
		err = nil
	}()
	return work()
}

// Shadowed err inside the closure is another variable.
func shadowed(f *os.File) (err error) {
	defer func() {
		err := f.Close()
		_ = err
	}()
	return work()
}

// B1: a writer's Close or Flush dropped.

func writeFile(name string, data []byte) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close() // want `defer f.Close\(\) drops the error of a file opened for writing`
	_, err = f.Write(data)
	return err
}

func appendLine(name, line string) error {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // want `defer f.Close\(\) drops the error of a file opened for writing`
	_, err = io.WriteString(f, line)
	return err
}

func encode(name string, v any) error {
	f, err := os.CreateTemp("", name)
	if err != nil {
		return err
	}
	defer f.Close() // want `defer f.Close\(\) drops the error`
	return json.NewEncoder(f).Encode(v)
}

func buffered(w io.Writer, lines []string) error {
	bw := bufio.NewWriter(w)
	defer bw.Flush() // want `defer bw.Flush\(\) drops the error of the buffered writer's last write`
	for _, l := range lines {
		if _, err := bw.WriteString(l); err != nil {
			return err
		}
	}
	return nil
}

func compress(w io.Writer, data []byte) error {
	zw := gzip.NewWriter(w)
	defer zw.Close() // want `defer zw.Close\(\) drops the error of a writer's Close`
	_, err := zw.Write(data)
	return err
}

func archive(w io.Writer) error {
	zw := zip.NewWriter(w)
	defer zw.Close() // want `defer zw.Close\(\) drops the error of a writer's Close`
	_, err := zw.Create("a")
	return err
}

func table(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	defer cw.Flush() // want `defer cw.Flush\(\) on a csv.Writer and cw.Error\(\) never checked`
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	return nil
}

func viaInterface(open func() (io.WriteCloser, error)) error {
	w, err := open()
	if err != nil {
		return err
	}
	defer w.Close() // want `defer w.Close\(\) drops the error of a writer's Close`
	_, err = w.Write([]byte("x"))
	return err
}

// Negatives of B1.

// Readers: their Close error says nothing about data.
func read(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func readOnlyFlag(name string) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func readGzip(r io.Reader) ([]byte, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

func readCloser(rc io.ReadCloser) ([]byte, error) {
	defer rc.Close()
	return io.ReadAll(rc)
}

// The defer is a safety net: the main path closes and checks.
func safetyNet(name string, data []byte) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Close()
}

func synced(name string, data []byte) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Sync()
}

func flushed(w io.Writer) error {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	bw.WriteString("x")
	return bw.Flush()
}

func csvChecked(w io.Writer) error {
	cw := csv.NewWriter(w)
	defer cw.Flush()
	cw.Write([]string{"a"})
	cw.Flush()
	return cw.Error()
}

// A lock file: opened read-write, never written.
func lock(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.Stat()
	return err
}

// No error to return it through.
func noError(name string) {
	f, _ := os.Create(name)
	defer f.Close()
	f.Write([]byte("x"))
}

func pipe(data []byte) (io.Reader, error) {
	pr, pw := io.Pipe()
	go func() error {
		defer pw.Close()
		_, err := pw.Write(data)
		return err
	}()
	return pr, nil
}

// The closure is the only source of the result: nothing after the defer
// sets err, and the returns are bare (go/parser's ParseFile).
func parse(src []byte) (n int, err error) {
	if len(src) == 0 {
		return 0, errors.New("empty")
	}
	errs := new(errList)
	defer func() {
		err = errs.Err()
	}()
	n = len(src)
	return
}

type errList []error

func (l *errList) Err() error { return nil }

// A bare return after the result was set: the closure wipes it.
func bare(f *os.File) (err error) {
	defer func() {
		err = f.Close() // want `deferred closure assigns err without looking at it`
	}()
	_, err = f.Write(nil)
	return
}

// A transactional writer (containerd's content.Writer): Commit makes the
// data final and reports its error; Close after it only releases, and
// before it abandons the write. Its deferred Close drops nothing.

type ingestWriter interface {
	io.WriteCloser
	Commit(size int64, expected string) error
}

func ingest(w ingestWriter, r io.Reader) error {
	defer w.Close()
	size, err := io.Copy(w, r)
	if err != nil {
		return err
	}
	return w.Commit(size, "")
}

func ingestHelper(open func() (ingestWriter, error), r io.Reader) error {
	cw, err := open()
	if err != nil {
		return err
	}
	defer cw.Close()
	return copyAndCommit(cw, r)
}

func copyAndCommit(w ingestWriter, r io.Reader) error {
	n, err := io.Copy(w, r)
	if err != nil {
		return err
	}
	return w.Commit(n, "")
}

// A scratch file removed when the function returns: what it held is gone
// with it, so a failed Close loses nothing (containerd's erofsutils and
// apparmor's profile loader).
func scratch(r io.Reader, run func(string) error) error {
	f, err := os.CreateTemp("", "scratch-*")
	if err != nil {
		return err
	}
	defer f.Close()
	path := f.Name()
	defer os.Remove(path)
	if _, err := io.Copy(f, r); err != nil {
		return err
	}
	return run(path)
}

func scratchByName(r io.Reader) error {
	f, err := os.CreateTemp("", "scratch-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	_, err = io.Copy(f, r)
	return err
}

func scratchPath(name string, data []byte, run func(string) error) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer os.RemoveAll(name)
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return run(name)
}

// Removed only on failure: on success the file is the output, and its
// Close error is lost.
func keptOnSuccess(name string, r io.Reader) (retErr error) {
	f, err := os.Create(name + ".tmp")
	if err != nil {
		return err
	}
	defer func() {
		if retErr != nil {
			os.Remove(f.Name())
		}
	}()
	defer f.Close() // want `defer f.Close\(\) drops the error of a file opened for writing`
	_, err = io.Copy(f, r)
	return err
}

// Opened read-write as a lock and only read: io.ReadAll takes an
// io.Reader, and the update is written elsewhere (containerd's failpoint
// control file).
func updateLocked(name string, update func([]byte) []byte) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0o666)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	return os.WriteFile(name+".new", update(data), 0o666)
}

// Read back, then written: the encoder takes an io.Writer.
func rewrite(name string, v any) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0o666)
	if err != nil {
		return err
	}
	defer f.Close() // want `defer f.Close\(\) drops the error of a file opened for writing`
	if _, err := io.ReadAll(f); err != nil {
		return err
	}
	return json.NewEncoder(f).Encode(v)
}
