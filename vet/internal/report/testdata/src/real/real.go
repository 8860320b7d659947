package real

import "os"

// The directive silences a finding of a real check of the suite, and only
// for the check it names.
func readAll(names []string) error {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		//boundvet:ignore deferloop names is short: at most three files
		defer f.Close()
	}
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close() //boundvet:ignore deferloop the loop is short
	}
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		//boundvet:ignore nowait another check
		defer f.Close() // want `defer f.Close\(\) in a loop`
	}
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		//boundvet:ignore deferloop
		defer f.Close() // want `defer f.Close\(\) in a loop`
	}
	return nil
}
