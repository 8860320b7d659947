module github.com/boundgo/bound/bench

go 1.26.0

require github.com/boundgo/bound v0.0.0

require (
	github.com/puzpuzpuz/xsync/v4 v4.5.0 // indirect
	github.com/smallnest/chanx v1.2.0 // indirect
	github.com/sourcegraph/conc v0.3.0 // indirect
	golang.org/x/perf v0.0.0-20260908200009-22c9c6c9d4da // indirect
	golang.org/x/sync v0.25.0 // indirect
)

replace github.com/boundgo/bound => ../
