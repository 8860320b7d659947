// Command tool is a command: not part of the API.
package main

// Exported is in a main package: not listed.
func Exported() {}

func main() {}
