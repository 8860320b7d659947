package a

import (
	"os"
	"sync"
)

// A range over a fixed list, written in the source: a handful of files
// held until the function returns (go-ethereum's freezer inspection, a
// test suite's handshakes). Not reported.

var stores = []string{"chain", "state", "trie"}

func inspectStores(open func(string) (*os.File, error)) error {
	for _, name := range stores {
		f, err := open(name)
		if err != nil {
			continue
		}
		defer f.Close()
		if _, err := f.Stat(); err != nil {
			return err
		}
	}
	return nil
}

func handshakes(dial func(int) (*os.File, error)) error {
	versions := []int{4, 5, 6}
	for _, v := range versions {
		conn, err := dial(v)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.Write([]byte{byte(v)}); err != nil {
			return err
		}
	}
	return nil
}

func inPlace(open func(string) (*os.File, error)) {
	for _, name := range [...]string{"a", "b"} {
		f, err := open(name)
		if err != nil {
			continue
		}
		defer f.Close()
		f.Sync()
	}
}

// A list that grows before the loop is not fixed.
func grown(open func(string) (*os.File, error), more []string) {
	names := []string{"a", "b"}
	names = append(names, more...)
	for _, name := range names {
		f, err := open(name)
		if err != nil {
			continue
		}
		defer f.Close() // want `defer f.Close\(\) in a loop`
		f.Sync()
	}
}

// An exported list may be changed by other packages.
var Stores = []string{"a", "b"}

func exported(open func(string) (*os.File, error)) {
	for _, name := range Stores {
		f, err := open(name)
		if err != nil {
			continue
		}
		defer f.Close() // want `defer f.Close\(\) in a loop`
		f.Sync()
	}
}

// A second Lock of the same mutex deadlocks however short the list.
func lockFixed(mu *sync.Mutex, f func(string)) {
	for _, name := range []string{"a", "b"} {
		mu.Lock()
		defer mu.Unlock() // want `the next iteration's Lock deadlocks`
		f(name)
	}
}
