// Package mid passes lib's errors on: Get's sentinel unwrapped, Lookup's
// wrapped.
package mid

import "lib"

func Get(key string) error {
	_, err := lib.Get(key)
	return err
}

func Lookup(key string) error {
	_, err := lib.Lookup(key)
	return err
}

type Store struct{}

func (Store) Get(key string) error { return Get(key) }

func (*Store) Lookup(key string) error { return Lookup(key) }
