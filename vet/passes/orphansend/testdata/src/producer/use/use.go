// Package use calls lib's channel-returning functions.
package use

import (
	"context"
	"errors"
	"time"

	"producer/lib"
)

var errTimeout = errors.New("timeout")

// go-sh's WaitTimeout: the select stops waiting on the timer.
func WaitTimeout(f func() error, d time.Duration) error {
	select {
	case <-time.After(d):
		return errTimeout
	case err := <-lib.Go(f): // want `when this select takes another case, nothing receives from the channel Go returned, and the goroutine Go started blocks forever sending on it`
		return err
	}
}

// The racer: whichever ping loses, or both on a timeout, stay blocked.
func Racer(get func(string) error, a, b string, d time.Duration) (string, error) {
	select {
	case <-lib.Ping(get, a): // want `channel Ping returned`
		return a, nil
	case <-lib.Ping(get, b): // want `channel Ping returned`
		return b, nil
	case <-time.After(d):
		return "", errTimeout
	}
}

// Kept in a variable, then abandoned on cancel.
func Stored(ctx context.Context, f func() error) error {
	errc := lib.Go(f)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err() // want `the goroutine that Go started sends on errc, but this return is reached without receiving everything`
	}
}

// Started and forgotten.
func Dropped(f func() error) {
	lib.Go(f) // want `the channel returned by Go is dropped, but the goroutine Go started sends on it`
}

// A producer that streams: leaving the range early leaves it blocked.
func FirstBig(limit int) (int, error) {
	s := lib.Stream(100)
	for v := range s {
		if v > limit {
			return v, nil // want `the goroutine that Stream started sends on s`
		}
	}
	return 0, errors.New("none")
}

// Second result: an error beside the channel.
func Opened(ctx context.Context) error {
	ch, err := lib.Open(true)
	if err != nil {
		return err
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err() // want `the goroutine that Open started sends on ch`
	}
}

// --- negatives ---

// Every path receives the one value.
func Wait(f func() error) error { return <-lib.Go(f) }

// The fixed helper has a buffer.
func WaitSafe(ctx context.Context, f func() error) error {
	select {
	case err := <-lib.Safe(f):
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Ranging to the end receives every value.
func Sum() int {
	n := 0
	for v := range lib.Stream(10) {
		n += v
	}
	return n
}

// The channel is handed on to whoever called.
func Forward(f func() error) chan error {
	errc := lib.Go(f)
	return errc
}

// go_iter's Range (issue 4 of that project): returning from the range
// leaves the producer blocked on its next send.
func FindTwo() bool {
	for v := range lib.Stream(10) {
		if v == 2 {
			return true // want `this leaves the range over the channel Stream returned before it is drained, and the goroutine Stream started blocks forever sending the next value`
		}
	}
	return false
}

// A labeled continue of this very range stays inside it.
func SkipOdd() int {
	n := 0
outer:
	for v := range lib.Stream(10) {
		if v%2 == 1 {
			continue outer
		}
		n += v
	}
	return n
}

// weaviate's batch stream receiver before weaviate/weaviate#12749: the
// receiving goroutine, started through the project's panic-safe wrapper,
// reports the stream's end on an unbuffered channel that the handler no
// longer reads once its context is done.
type stream interface{ Recv() (int, error) }

func recv(s stream) (chan int, chan error) {
	reqCh := make(chan int)
	errCh := make(chan error)
	lib.GoWrapper(func() {
		defer func() {
			close(errCh)
			close(reqCh)
		}()
		for {
			req, err := s.Recv()
			if err != nil {
				errCh <- err
				return
			}
			reqCh <- req
		}
	}, func(any) {})
	return reqCh, errCh
}

func Receive(ctx context.Context, s stream, handle func(int)) error {
	reqCh, errCh := recv(s)
	for {
		select {
		case req := <-reqCh:
			handle(req)
		case err := <-errCh:
			return err
		case <-ctx.Done():
			return ctx.Err() // want `the goroutine that recv started sends on errCh, but this return is reached without receiving everything` `the goroutine that recv started sends on reqCh`
		}
	}
}

// A wrapper that runs f in place is not a goroutine: the send below
// happens before anything could receive, which is blockforever's
// business, and this check leaves it alone.
func InPlace(ctx context.Context) error {
	ch := make(chan error, 1)
	lib.Sync(func() { ch <- nil })
	select {
	case err := <-ch:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
