package main

// main blocks for good on purpose, as some servers' main does.
func main() {
	var done chan bool
	if <-done {
		return
	}
}
