// Package lib returns channels that its goroutines send on.
package lib

// Go runs f in a goroutine and returns the channel its error arrives on.
// The shape of go-sh's Go: the channel has no buffer, so a caller that
// stops waiting leaves the goroutine blocked.
func Go(f func() error) chan error {
	ch := make(chan error)
	go func() {
		ch <- f()
	}()
	return ch
}

// Ping is learn-go-with-tests' racer helper, before its fix.
func Ping(get func(string) error, url string) chan bool {
	ch := make(chan bool)
	go func() {
		get(url)
		ch <- true
	}()
	return ch
}

// Safe is Go with the fix: a buffer for the one send.
func Safe(f func() error) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- f() }()
	return ch
}

// Stream sends n values and closes.
func Stream(n int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := range n {
			ch <- i
		}
	}()
	return ch
}

// Open returns its channel or an error, never both.
func Open(ok bool) (<-chan int, error) {
	if !ok {
		return nil, errClosed
	}
	ch := make(chan int)
	go func() { ch <- 1 }()
	return ch, nil
}

type closedError struct{}

func (closedError) Error() string { return "closed" }

var errClosed error = closedError{}

// GoWrapper runs f in a goroutine that logs a panic instead of crashing:
// weaviate's enterrors.GoWrapper. A func literal handed to it runs as a
// goroutine, as one after a go statement does.
func GoWrapper(f func(), log func(any)) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				log(r)
			}
		}()
		f()
	}()
}

// Sync runs f and waits for it: it calls f, but not in a goroutine.
func Sync(f func()) { f() }
