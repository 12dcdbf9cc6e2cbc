package web

import (
	"context"
	"io/fs"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"vigil/errs"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz runs every readiness check concurrently, each under its own timeout,
// and names the ones that failed. Details go to the log, not the response.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	results := make(map[string]string, len(s.cfg.Ready))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range s.cfg.Ready {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(r.Context(), s.cfg.ReadyTimeout)
			defer cancel()
			res := "ok"
			if err := c.Check(ctx); err != nil {
				res = "failed"
				s.log.WarnContext(r.Context(), "readiness check failed", "check", c.Name, "err", err)
			}
			mu.Lock()
			results[c.Name] = res
			mu.Unlock()
		}()
	}
	wg.Wait()
	var failed []string
	for name, res := range results {
		if res != "ok" {
			failed = append(failed, name)
		}
	}
	if len(failed) > 0 {
		sort.Strings(failed)
		WriteError(w, r, errs.E(errs.Unavailable, "not ready: %s unreachable", strings.Join(failed, ", ")))
		return
	}
	WriteJSON(w, http.StatusOK, map[string]any{"status": "ready", "checks": results})
}

func (s *Server) metricsHandler() http.HandlerFunc {
	h := promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{Registry: s.reg})
	return h.ServeHTTP
}

func staticHandler() http.HandlerFunc {
	sub, err := fs.Sub(assets, "static")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	fsrv := http.StripPrefix("/static/", http.FileServerFS(sub))
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fsrv.ServeHTTP(w, r)
	}
}
