package a

import (
	"time"

	"limiter"
)

// The constructor failed, with an err declared before and reused by the
// := that makes the object (containerd's shim start): nothing to stop on
// that branch, and the object is handed on after it.
func failedReusedErr(n int) (*limiter.Limiter, error) { // want failedReusedErr:`starts\(result 0, detached, released by Stop\)`
	max, err := parse(n)
	if err != nil {
		return nil, err
	}
	l, err := limiter.NewChecked(max, time.Second)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// The same, with a later failure that does leak the object.
func leakAfterReusedErr(n int) (*limiter.Limiter, error) { // want leakAfterReusedErr:`starts\(result 0, detached, released by Stop\)`
	max, err := parse(n)
	if err != nil {
		return nil, err
	}
	l, err := limiter.NewChecked(max, time.Second) // want `l holds a context cancel .* the return at line [0-9]+ never calls l.Stop`
	if err != nil {
		return nil, err
	}
	if _, err := parse(max); err != nil {
		return nil, err
	}
	return l, nil
}

func parse(n int) (int, error) {
	if n < 0 {
		return 0, errBad
	}
	return n, nil
}
