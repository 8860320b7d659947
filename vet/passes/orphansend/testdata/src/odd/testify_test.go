package odd

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testify's require.FailNow ends the test (prometheus's scrape loop tests):
// the path through it is a failed test, not a return that leaves the
// sender behind.
func TestRequireFailNow(t *testing.T) {
	signal := make(chan struct{})
	go func() { signal <- struct{}{} }()
	select {
	case <-signal:
	case <-time.After(time.Second):
		require.FailNow(t, "the loop did not stop")
	}
}

// assert.Fail reports the failure and goes on: the test has failed.
func TestAssertFail(t *testing.T) {
	signal := make(chan struct{})
	go func() { signal <- struct{}{} }()
	select {
	case <-signal:
	case <-time.After(time.Second):
		assert.Fail(t, "the loop did not stop")
	}
}

// require.NoError fails only when err is not nil: the timeout path that
// passes it still leaves the sender blocked.
func TestRequireNoError(t *testing.T) {
	signal := make(chan struct{})
	go func() { signal <- struct{}{} }()
	select {
	case <-signal:
	case <-time.After(time.Second):
		require.NoError(t, nil)
		return // want `sends on signal`
	}
}
