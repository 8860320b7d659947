package chanx_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine is left behind
// (pitfall A8: goleak, not runtime.NumGoroutine).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
