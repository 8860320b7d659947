// Package require is a stand-in for testify's require: its functions stop
// the test through the TestingT interface, which no control-flow analysis
// sees as a call that does not return.
package require

type TestingT interface {
	Errorf(format string, args ...any)
	FailNow()
}

func FailNow(t TestingT, msg string, args ...any) {
	t.Errorf(msg, args...)
	t.FailNow()
}

func Fail(t TestingT, msg string, args ...any) {
	t.Errorf(msg, args...)
	t.FailNow()
}

func NoError(t TestingT, err error, args ...any) {
	if err != nil {
		t.Errorf("%v", err)
		t.FailNow()
	}
}
