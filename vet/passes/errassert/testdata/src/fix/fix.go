package fix

import "lib"

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
