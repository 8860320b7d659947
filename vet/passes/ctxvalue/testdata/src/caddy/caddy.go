// Package caddy declares the replacer's key; caddyhttp's server stores it.
package caddy

type CtxKey string

const ReplacerCtxKey CtxKey = "replacer"

type Replacer struct{}
