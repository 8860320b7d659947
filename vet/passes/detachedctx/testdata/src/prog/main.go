package main

import "context"

func run(ctx context.Context) error { return ctx.Err() }

func main() {
	_ = run(context.Background())
}
