package fiximported

import (
	"os"

	cu "github.com/boundgo/bound/cleanup"
)

func write(name string, data []byte) (err error) {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close() // want `defer f.Close\(\) drops the error`
	_, err = f.Write(data)
	return err
}

func other(f *os.File) (err error) {
	defer cu.Close(&err, f)
	return nil
}
