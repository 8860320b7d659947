// Package use waits on channels that lib may or may not signal.
package use

import "watch/lib"

// Watch only receives: nothing will ever close done.
func Stuck(f func()) {
	done := make(chan struct{})
	go lib.Watch(done, f)
	<-done // want `this receive from done blocks forever: nothing sends on done or closes it, and the functions it is passed to never do`
}

// Finish closes done: fine.
func Finished(f func()) {
	done := make(chan struct{})
	go lib.Finish(done, f)
	<-done
}
