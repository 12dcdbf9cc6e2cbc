package web

import (
	"context"
	"net/http"
)

// Access names who may call a route. A Route's Allow lists any of these.
const (
	Public         = "public"         // no login (health, login page, public pages)
	RoleAdmin      = "admin"          // staff administrator
	RoleReviewer   = "reviewer"       // content review
	RoleLEResponse = "le_response"    // law-enforcement response team
	RoleLegal      = "legal"          // approves productions
	RoleAuditor    = "auditor"        // read-only, reports
	ScopeIngest    = "service:ingest" // service API token with scope "ingest"
	ScopeAudit     = "service:audit"  // service API token with scope "audit" (read audit proofs)
)

// Principal kinds.
const (
	KindStaff   = "staff"
	KindService = "service"
)

// Route is one entry of the server's route table. The authorisation
// middleware checks Allow BEFORE the handler runs: 401 when the caller is not
// authenticated, 403 when authenticated but not allowed.
type Route struct {
	Method, Pattern string // e.g. "POST", "/api/v1/content" (Go 1.22 ServeMux path pattern)
	Allow           []string
	Handler         http.HandlerFunc
	Summary         string // one line, used in docs / OpenAPI later
}

// Principal is who is calling, put in the request context by the auth middleware.
type Principal struct {
	Kind   string // "staff" | "service" | "officer"
	ID     string
	Name   string
	Role   string   // staff role; empty for services
	Scopes []string // service token scopes, e.g. "ingest", "audit"
}

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the authenticated caller, if any.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// TokenVerifier checks a raw service API token (from "Authorization: Bearer")
// and returns the service principal. Implemented by the token store and
// injected into the server. It returns an errs.Unauthenticated error for
// unknown or revoked tokens.
type TokenVerifier interface {
	VerifyToken(ctx context.Context, raw string) (Principal, error)
}
