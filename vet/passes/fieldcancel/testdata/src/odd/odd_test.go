package odd

import "testing"

func TestCache(t *testing.T) {
	c := NewCache[string, string]() // want `c holds a context cancel`
	if testing.Short() {
		t.Skip("short")
	}
	c.m["k"] = "v"
}

func TestCacheClosed(t *testing.T) {
	c := NewCache[string, string]()
	t.Cleanup(c.Close)
	c.m["k"] = "v"
}
