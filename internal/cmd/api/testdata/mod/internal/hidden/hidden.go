// Package hidden is internal: not part of the API, but an alias of one of
// its types is.
package hidden

// Inner is aliased by shapes.Outer.
type Inner struct {
	Public  int
	private int
}

// Get is a method of Inner.
func (Inner) Get() int { return 0 }

// Exported but internal: not listed.
func Exported() {}
