// Package real holds the shapes of fixed bugs from real projects: archive
// extraction that creates a file per entry, and a download loop that keeps
// every response body and every file open until the function returns.
package real

import (
	"archive/tar"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

// Extraction: one file per archive entry, each closed only at the end, so
// a large archive runs out of descriptors.
func extract(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		out, err := os.Create(filepath.Join(dir, hdr.Name))
		if err != nil {
			return err
		}
		defer out.Close() // want `defer out.Close\(\) in a loop releases out of this iteration only when the function returns`
		if _, err := io.Copy(out, tr); err != nil {
			return err
		}
	}
}

// Download: a response body and a file per name.
func download(c *http.Client, base, dir string, names []string) error {
	for _, name := range names {
		resp, err := c.Get(base + "/" + name)
		if err != nil {
			return err
		}
		defer resp.Body.Close() // want `defer resp.Body.Close\(\) in a loop`
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		defer f.Close() // want `defer f.Close\(\) in a loop`
		if _, err := io.Copy(f, resp.Body); err != nil {
			return err
		}
	}
	return nil
}

// The fix of both: the body of each iteration in its own function.
func downloadFixed(c *http.Client, base, dir string, names []string) error {
	for _, name := range names {
		if err := fetchOne(c, base+"/"+name, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

func fetchOne(c *http.Client, url, path string) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(f, resp.Body)
	return err
}

// grpc v1.40.0's xDS interop client: one connection per channel, each
// wrapped in a client kept in a slice the function uses after the loop;
// the deferred closes are meant to run when it returns.
type conn struct{}

func (*conn) Close() error { return nil }

type client struct{ cc *conn }

func dial() (*conn, error)      { return &conn{}, nil }
func newClient(cc *conn) client { return client{cc} }
func send(clients []client)     {}

func channels(n int) {
	clients := make([]client, n)
	for i := 0; i < n; i++ {
		cc, err := dial()
		if err != nil {
			panic(err)
		}
		defer cc.Close()
		clients[i] = newClient(cc)
	}
	send(clients)
}

func channelsAppended(n int) {
	var clients []client
	for i := 0; i < n; i++ {
		cc, _ := dial()
		defer cc.Close()
		clients = append(clients, newClient(cc))
	}
	send(clients)
}

// The client made of the connection stays in the iteration: the
// connections pile up for nothing.
func channelsLocal(n int) {
	for i := 0; i < n; i++ {
		cc, _ := dial()
		defer cc.Close() // want `defer cc.Close\(\) in a loop releases cc`
		c := newClient(cc)
		send([]client{c})
	}
}

// badger's levelHandler.get: one iterator per table of the level, made
// from a table the function holds already, closed when get returns
// moments later: nothing scarce piles up.
type table struct{}

func (*table) NewIterator() *iterator { return &iterator{} }

type iterator struct{}

func (*iterator) Close() error { return nil }
func (*iterator) Valid() bool  { return false }

func get(tables []*table) bool {
	found := false
	for _, t := range tables {
		it := t.NewIterator()
		defer it.Close()
		found = found || it.Valid()
	}
	return found
}

// Opened by a function of another value for each element: descriptors
// pile up with the elements.
func openAll(paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // want `defer f.Close\(\) in a loop releases f`
		if _, err := io.Copy(io.Discard, f); err != nil {
			return err
		}
	}
	return nil
}

// kubebuilder v4.5.0's external plugin helper (fixed by
// kubernetes-sigs/kubebuilder#5688): one file per entry of the response,
// each closed by a deferred closure, all at the end.
func writeUniverse(dir string, universe map[string]string) error {
	for name, data := range universe {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		defer func() { // want `a deferred closure that closes f in a loop releases f of this iteration only when the function returns`
			if err := f.Close(); err != nil {
				return
			}
		}()
		if _, err := f.Write([]byte(data)); err != nil {
			return err
		}
	}
	return nil
}

// A closure that closes two things is not one resource's release.
func writeTwo(dir string, names []string) error {
	for _, name := range names {
		f, _ := os.Create(filepath.Join(dir, name))
		g, _ := os.Create(filepath.Join(dir, name+".bak"))
		defer func() {
			f.Close()
			g.Close()
		}()
	}
	return nil
}

// kubectl v0.23.4's untar: the deferred Close covers the early returns,
// and the file is closed before the next entry.
func untar(tr *tar.Reader, dir string) error {
	for {
		hdr, err := tr.Next()
		if err != nil {
			return err
		}
		out, err := os.Create(filepath.Join(dir, hdr.Name))
		if err != nil {
			return err
		}
		defer out.Close()
		if _, err := io.Copy(out, tr); err != nil {
			return err
		}
		if err := out.Close(); err != nil {
			return err
		}
	}
}

// Closed only on one branch: the other goes on with the file open.
func untarSometimes(tr *tar.Reader, dir string, keep bool) error {
	for {
		hdr, err := tr.Next()
		if err != nil {
			return err
		}
		out, err := os.Create(filepath.Join(dir, hdr.Name))
		if err != nil {
			return err
		}
		defer out.Close() // want `defer out.Close\(\) in a loop releases out`
		if _, err := io.Copy(out, tr); err != nil {
			return err
		}
		if !keep {
			out.Close()
		}
	}
}
