package fix

import (
	"bufio"
	"io"
	"os"
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

func flush(w io.Writer) (err error) {
	bw := bufio.NewWriter(w)
	defer bw.Flush() // want `defer bw.Flush\(\) drops the error`
	_, err = bw.WriteString("x")
	return err
}

// Unnamed result: reported, no fix.
func unnamed(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer f.Close() // want `defer f.Close\(\) drops the error`
	_, err = f.Write(nil)
	return err
}

// err shadowed at the defer: the fix would fold into the wrong variable.
func shadow(name string) (err error) {
	if true {
		f, err := os.Create(name)
		if err != nil {
			return err
		}
		defer f.Close() // want `defer f.Close\(\) drops the error`
		_, err = f.Write(nil)
		return err
	}
	return nil
}

func clobber(f *os.File) (err error) {
	defer func() {
		err = f.Close() // want `deferred closure assigns err`
	}()
	_, err = f.Write(nil)
	return err
}
