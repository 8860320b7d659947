package fix

import (
	"fmt"
	"os"
	"syscall"

	"lib"
)

func eq(key string) bool {
	_, err := lib.Lookup(key)
	return err == lib.ErrNotFound // want `use errors.Is`
}

func neq(key string) bool {
	return lib.Load(key) != lib.ErrNotFound // want `use errors.Is`
}

func as(key string) string {
	if e, ok := lib.Search(key).(*lib.NotFoundError); ok { // want `use errors.AsType`
		return e.Key
	}
	return ""
}

func save(name string) error {
	if err := os.WriteFile(name, nil, 0o600); err != nil {
		return fmt.Errorf("save %s: %w", name, err)
	}
	return nil
}

func exists(name string) bool {
	err := save(name)
	return os.IsExist(err) // want `use errors.Is\(err, os.ErrExist\)`
}

func mount(source string) error {
	if err := sysMount(source); err != nil {
		return fmt.Errorf("mount %s: %w", source, err)
	}
	return nil
}

func needsLoop(source string) bool {
	err := mount(source)
	return err == syscall.ENOTBLK // want `use errors.Is\(err, syscall.ENOTBLK\)`
}

// sysMount returns the system's Errno as it is, as unix.Mount does.
func sysMount(source string) error {
	if source == "" {
		return syscall.ENOTBLK
	}
	return nil
}
