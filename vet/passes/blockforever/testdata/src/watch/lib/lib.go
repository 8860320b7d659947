// Package lib has functions that only receive from the channels they
// get, and one that closes.
package lib

// Watch waits for done and then runs f.
func Watch(done <-chan struct{}, f func()) {
	<-done
	f()
}

// Finish closes done after f returns.
func Finish(done chan<- struct{}, f func()) {
	defer close(done)
	f()
}
