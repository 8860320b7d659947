package a

import (
	"os"
	"testing"
)

func helper(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close() // tests are exempt from the writer shape
	_, err = f.Write(nil)
	return err
}

func TestWrite(t *testing.T) {
	if err := helper(t.TempDir() + "/x"); err != nil {
		t.Fatal(err)
	}
}
