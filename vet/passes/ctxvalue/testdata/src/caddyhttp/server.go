// Package caddyhttp is the framework: its server prepares every request's
// context before any handler runs.
package caddyhttp

import (
	"context"
	"net/http"

	"caddy"
)

const ServerCtxKey caddy.CtxKey = "server"

type Server struct{ Handler http.Handler }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := context.WithValue(r.Context(), caddy.ReplacerCtxKey, &caddy.Replacer{})
	ctx = context.WithValue(ctx, ServerCtxKey, s)
	s.Handler.ServeHTTP(w, r.WithContext(ctx))
}
