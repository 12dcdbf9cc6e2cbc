package web

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"vigil/errs"
	"vigil/production"
)

// ProductionKeyPath is where the public key that signs production packages
// is published, so officers, prosecutors and courts can check a package
// with `vigil verify-package --pubkey` without trusting the package itself.
const ProductionKeyPath = "/.well-known/vigil-production-key"

// ProductionKeyRoutes serves the production signing key's public half as
// text/plain: the raw key in base64 on the first line (what --pubkey
// accepts), then the same key as a PEM "PUBLIC KEY" block for other tools.
// It is public and cacheable: the key changes only on rotation.
func ProductionKeyRoutes(pub ed25519.PublicKey) []Route {
	var body []byte
	var etag string
	if len(pub) == ed25519.PublicKeySize {
		body = []byte(production.PublicKeyBase64(pub) + "\n\n" + production.PublicKeyPEM(pub))
		sum := sha256.Sum256(body)
		etag = `"` + hex.EncodeToString(sum[:8]) + `"`
	}
	h := func(w http.ResponseWriter, r *http.Request) {
		if body == nil {
			WriteError(w, r, errs.E(errs.Unavailable, "the production signing key is not configured on this server"))
			return
		}
		hd := w.Header()
		hd.Set("Content-Type", "text/plain; charset=utf-8")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Cache-Control", "public, max-age=3600")
		hd.Set("ETag", etag)
		// ServeContent answers If-None-Match with 304 and HEAD without a body.
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	}
	return []Route{{Method: "GET", Pattern: ProductionKeyPath, Allow: []string{Public}, Handler: h,
		Summary: "The Ed25519 public key that signs production packages (base64, then PEM)"}}
}
