package a

import (
	"errors"
	"fmt"
	"syscall"
)

// Comparisons with a constant of a concrete error type (syscall.Errno, as
// unix.ENOTBLK is): the key is the type, so the producer's summary says
// whether an Errno can come back as it is.

// sysMount stands for unix.Mount: it returns the syscall's Errno as it is.
func sysMount(source, target string) error {
	if source == "" {
		return syscall.ENOTBLK
	}
	if target == "" {
		return syscall.Errno(0)
	}
	return nil
}

// mountAt adds context around the Errno (containerd's core/mount after
// "improve mount error message"): == syscall.ENOTBLK no longer holds.
func mountAt(source, target string) error {
	if err := sysMount(source, target); err != nil {
		return fmt.Errorf("mount source: %q, target: %q, err: %w", source, target, err)
	}
	return nil
}

// The erofs snapshotter's fallback to a loop device, in the shape
// containerd#11934 fixed: the retry never ran once mountAt wrapped.
func mountLayer(source, target string) error {
	err := mountAt(source, target)
	if err == syscall.ENOTBLK { // want `err == syscall.ENOTBLK, but mountAt can return it wrapped: the comparison misses a wrapped error \(use errors.Is\(err, syscall.ENOTBLK\)\)`
		return mountAt(source+"?loop", target)
	}
	return err
}

func mountKind(source, target string) int {
	switch err := mountAt(source, target); err {
	case nil:
		return 0
	case syscall.EBUSY: // want `switch on err compares with ==, but for syscall.EBUSY mountAt can return it wrapped`
		return 1
	}
	return 2
}

// Negatives: the Errno comes back as it is, or errors.Is looks inside.

func mountLayerBare(source, target string) error {
	err := sysMount(source, target)
	if err == syscall.ENOTBLK {
		return sysMount(source+"?loop", target)
	}
	return err
}

func mountLayerIs(source, target string) error {
	err := mountAt(source, target)
	if errors.Is(err, syscall.ENOTBLK) {
		return mountAt(source+"?loop", target)
	}
	return err
}

// Two constants, or a value that is not an error interface: nothing to ask.
func errnoValues(e syscall.Errno) bool {
	return e == syscall.ENOTBLK || syscall.EBUSY == syscall.ENOTBLK
}
