package a

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"
)

// Positives: the resource of each iteration is released only when the
// function returns, and the loop goes on.

func readAll(names []string) error {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close() // want `defer f.Close\(\) in a loop releases f of this iteration only when the function returns`
		if _, err := f.Stat(); err != nil {
			return err
		}
	}
	return nil
}

type store struct {
	mu    sync.Mutex
	items map[string]int
}

func (s *store) addAll(keys []string) {
	for _, k := range keys {
		s.mu.Lock()
		defer s.mu.Unlock() // want `defer s.mu.Unlock\(\) in a loop: the Lock of this iteration is held until the function returns, and the next iteration's Lock deadlocks`
		s.items[k]++
	}
}

func (s *store) readAll(mu *sync.RWMutex, keys []string) (n int) {
	for _, k := range keys {
		mu.RLock()
		defer mu.RUnlock() // want `defer mu.RUnlock\(\) in a loop`
		n += s.items[k]
	}
	return n
}

// A server loop: one context per request, released only when the loop's
// goroutine returns, so they pile up for ever.
func serve(ctx context.Context, reqs <-chan string, handle func(context.Context, string)) {
	for u := range reqs {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want `defer cancel\(\) in a loop releases cancel of this iteration`
		handle(ctx, u)
	}
}

func pollAll(ctx context.Context, urls []string) {
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // a few contexts over a slice: their timers end them
		req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		defer resp.Body.Close() // want `defer resp.Body.Close\(\) in a loop releases resp.Body`
	}
}

// A transaction per row, rolled back at function end: every failed row
// keeps a connection until the loop is over.
func migrate(db *sql.DB, rows []string) error {
	for _, row := range rows {
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		defer tx.Rollback() // want `defer tx.Rollback\(\) in a loop`
		if _, err := tx.Exec("INSERT INTO t VALUES (?)", row); err != nil {
			log.Printf("skip %s: %v", row, err)
			continue
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// A retry loop: a failed attempt after the defer dials again, keeping the
// earlier connection open.
func retry(dial func() (*os.File, error), try func(*os.File) error) error {
	for attempt := 0; attempt < 3; attempt++ {
		conn, err := dial()
		if err != nil {
			continue
		}
		defer conn.Close() // want `defer conn.Close\(\) in a loop`
		if err := try(conn); err != nil {
			continue
		}
		return nil
	}
	return os.ErrDeadlineExceeded
}

func forever(next func() (*os.File, bool)) {
	for {
		f, ok := next()
		if !ok {
			break
		}
		defer f.Close() // want `defer f.Close\(\) in a loop`
	}
}

// Assigned, not declared, in the loop: still acquired per iteration.
func assigned(names []string) {
	var f *os.File
	var err error
	for i := 0; i < len(names); i++ {
		f, err = os.Open(names[i])
		if err != nil {
			continue
		}
		defer f.Close() // want `defer f.Close\(\) in a loop`
	}
}

// Negatives.

// Defer then return in the same iteration: the first file found is read
// and the function returns.
func first(names []string) ([]byte, error) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return nil, err
		}
		return make([]byte, st.Size()), nil
	}
	return nil, os.ErrNotExist
}

// Defer then break: only one iteration defers.
func firstLocked(mus []*sync.Mutex) {
	for _, mu := range mus {
		mu.Lock()
		defer mu.Unlock()
		break
	}
}

// The files escape the iteration: they must stay open until the function
// returns.
func openAll(names []string) ([]*os.File, error) {
	var files []*os.File
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		files = append(files, f)
	}
	return merge(files), nil
}

func merge(files []*os.File) []*os.File { return files }

func stored(names []string) map[string]*os.File {
	m := make(map[string]*os.File)
	for _, name := range names {
		f, _ := os.Open(name)
		defer f.Close()
		m[name] = f
	}
	return m
}

func sent(names []string, out chan<- *os.File) {
	for _, name := range names {
		f, _ := os.Open(name)
		defer f.Close()
		out <- f
	}
}

func shared(names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		f, _ := os.Open(name)
		defer f.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.Stat()
		}()
	}
	wg.Wait()
}

// The fix: a func literal called per iteration.
func perIteration(names []string) error {
	for _, name := range names {
		err := func() error {
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.Stat()
			return err
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// The resources already existed before the loop: closing them all at the
// end is what the function is for.
func closeAll(files []*os.File) {
	for _, f := range files {
		defer f.Close()
	}
}

// Not releases.
func notReleases(n int, work func()) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		defer wg.Done()
		t := time.NewTimer(time.Second)
		defer t.Stop()
		work()
	}
}

// The lock was not taken in the loop.
func (s *store) lockedOutside(keys []string) {
	s.mu.Lock()
	for _, k := range keys {
		defer s.mu.Unlock()
		if s.items[k] > 0 {
			return
		}
	}
}

// Every path after the defer ends the program or panics.
func fatal(names []string) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close()
		log.Fatalf("found %s", f.Name())
	}
}

func panics(names []string) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			continue
		}
		defer f.Close()
		panic(f.Name())
	}
}

// Outside tests, locks of per-iteration mutexes piling up are reported, as
// a hazard, not as a deadlock.
func lockEach(items []*store) {
	for _, it := range items {
		s := it
		s.mu.Lock()
		defer s.mu.Unlock() // want `defer s.mu.Unlock\(\) in a loop: the Lock of each iteration's mutex is held until the function returns`
		s.items["x"]++
	}
}

func lockRange(items []*store) {
	for _, it := range items {
		it.mu.Lock()
		defer it.mu.Unlock() // want `the Lock of each iteration's mutex is held until the function returns`
	}
}

// A cleanup function that is not a context's: reported in any loop.
func channels(n int, open func() (string, func())) {
	for i := 0; i < n; i++ {
		name, cleanup := open()
		defer cleanup() // want `defer cleanup\(\) in a loop releases cleanup of this iteration`
		_ = name
	}
}

// A test helper outside a _test.go file: its resources end with the test.
type cluster struct{ t *testing.T }

func (c *cluster) waitAll(names []string) {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			c.t.Fatal(err)
		}
		defer f.Close()
	}
}
