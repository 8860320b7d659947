// want package:"stores\\(.*v:caddy.ReplacerCtxKey v:caddyhttp.ServerCtxKey.*\\)"

// Package fileserver is a handler module of the framework: it reads the
// keys that caddyhttp, which it imports, stores for every request.
package fileserver

import (
	"net/http"

	"caddy"
	"caddyhttp"
)

type FileServer struct{}

func (FileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	repl := r.Context().Value(caddy.ReplacerCtxKey).(*caddy.Replacer)
	srv := r.Context().Value(caddyhttp.ServerCtxKey).(*caddyhttp.Server)
	_, _ = repl, srv
}
