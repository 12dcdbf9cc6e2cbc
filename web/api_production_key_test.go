package web_test

import (
	"net/http"
	"strings"
	"testing"

	"vigil/production"
	"vigil/web"
)

func TestProductionKeyRoute(t *testing.T) {
	key, err := production.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, nil, func(c *web.Config) { c.Routes = append(c.Routes, web.ProductionKeyRoutes(key.Public())...) })
	r := e.browser().do("GET", web.ProductionKeyPath, nil, nil)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", web.ProductionKeyPath, r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q, want text/plain", ct)
	}
	if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "public") || !strings.Contains(cc, "max-age=") {
		t.Errorf("Cache-Control %q, want public caching", cc)
	}
	first, _, _ := strings.Cut(r.body, "\n")
	if first != key.PublicKeyBase64() || !strings.Contains(r.body, key.PublicKeyPEM()) {
		t.Errorf("body must be the base64 key, then the PEM block:\n%s", r.body)
	}
	// What is served is exactly what verify-package --pubkey accepts.
	pub, err := production.ParsePublicKey(r.body)
	if err != nil || !pub.Equal(key.Public()) {
		t.Errorf("served key does not parse back: %v", err)
	}
	// Anonymous, and revalidation by ETag works for caches.
	if etag := r.header.Get("ETag"); etag == "" {
		t.Error("no ETag")
	} else if r2 := e.browser().do("GET", web.ProductionKeyPath, nil, map[string]string{"If-None-Match": etag}); r2.status != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", r2.status)
	}
}

func TestProductionKeyRouteWithoutKey(t *testing.T) {
	e := newEnv(t, nil, func(c *web.Config) { c.Routes = append(c.Routes, web.ProductionKeyRoutes(nil)...) })
	r := e.browser().do("GET", web.ProductionKeyPath, nil, nil)
	if r.status != http.StatusServiceUnavailable {
		t.Errorf("no key configured: %d, want 503", r.status)
	}
}
