package a

import (
	"context"
	"net/http"
	"time"
)

func fetch(ctx context.Context, url string) error { return ctx.Err() }

// --- positives -------------------------------------------------------------

// A child context rebuilt from Background inside a goroutine (pitfall A5).
func handle(ctx context.Context, urls []string) {
	for _, u := range urls {
		go func() {
			cctx, cancel := context.WithTimeout(context.Background(), time.Second) // want `context.Background\(\) in a function that has ctx: the work it starts is cut loose from the caller's cancellation, deadline and values \(use ctx, or context.WithoutCancel\(ctx\) to detach on purpose\)`
			defer cancel()
			_ = fetch(cctx, u)
		}()
	}
}

// An HTTP handler: the request carries the context.
func serveHTTP(w http.ResponseWriter, r *http.Request) {
	_ = fetch(context.TODO(), r.URL.Path) // want `context.TODO\(\) in a function that has r.Context\(\)`
}

type store struct{}

// A method with a context parameter.
func (s *store) Get(ctx context.Context, key string) error {
	return fetch(context.Background(), key) // want `context.Background\(\) in a function that has ctx`
}

// --- negatives -------------------------------------------------------------

// No context in reach.
func noContext(url string) error {
	return fetch(context.Background(), url)
}

// The nil guard.
func guard(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	return fetch(ctx, "x")
}

// Detaching on purpose, the documented way.
func cleanupAfter(ctx context.Context) {
	go func() {
		_ = fetch(context.WithoutCancel(ctx), "cleanup")
	}()
}

// A blank context parameter cannot be used.
func blank(_ context.Context) error {
	return fetch(context.Background(), "x")
}

// The parameter is shadowed where Background is called: no safe rewrite.
func shadowed(ctx context.Context) {
	{
		ctx := 1
		_ = ctx
		_ = fetch(context.Background(), "x")
	}
}

// A comparison makes no context (pgx's fast path for an uncancellable ctx).
func compare(ctx context.Context) bool {
	return ctx != context.Background()
}

// An outgoing request is not a handler's: its context says nothing about
// the caller's.
func post(req *http.Request) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	return fetch(ctx, req.URL.Path)
}

type pool struct{ destroy func() }

// A callback kept for later runs when the constructor's ctx is long gone
// (pgxpool's Destructor).
func newPool(ctx context.Context) *pool {
	_ = fetch(ctx, "connect")
	return &pool{destroy: func() {
		_ = fetch(context.Background(), "close")
	}}
}

// A directive silences it.
func ignored(ctx context.Context) error {
	//boundvet:ignore detachedctx the audit write must survive the request
	return fetch(context.Background(), "audit")
}

func init() {
	_ = fetch(context.Background(), "init")
}
