// Package assert is a stand-in for testify's assert.
package assert

type TestingT interface {
	Errorf(format string, args ...any)
}

func Fail(t TestingT, msg string, args ...any) bool {
	t.Errorf(msg, args...)
	return false
}
