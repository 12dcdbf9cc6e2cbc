package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"vigil/web"
)

// BenchmarkMiddlewareBearer measures the whole chain an ingest request
// passes before its handler: metrics, log line, session (no cookie),
// cross-origin check, token verification in the store (SQLite), authorisation.
func BenchmarkMiddlewareBearer(b *testing.B) {
	e := newEnv(b, nil, func(c *web.Config) {
		c.Routes = append(c.Routes, web.Route{Method: "POST", Pattern: "/api/v1/noop", Allow: []string{web.ScopeIngest},
			Handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }, Summary: "bench"})
	})
	h := e.srv.Handler()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/api/v1/noop", nil)
		req.Header.Set("Authorization", "Bearer "+e.ingestTok)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusNoContent {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
