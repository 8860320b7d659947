// Command boundvet is a scaffold, to be replaced.
package main

import (
	"github.com/boundgo/bound/vet/suite"
	"golang.org/x/tools/go/analysis/multichecker"
)

func main() {
	multichecker.Main(append(suite.Default, suite.OptIn...)...)
}
