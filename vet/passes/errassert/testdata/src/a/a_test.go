package a

import (
	"testing"

	"lib"
)

func TestLookup(t *testing.T) {
	if _, err := lib.Lookup(""); err == lib.ErrNotFound {
		t.Fatal("tests are not checked")
	}
}
