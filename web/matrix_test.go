package web_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"vigil/web"
)

var (
	everyStaff = []string{web.RoleAdmin, web.RoleReviewer, web.RoleLEResponse, web.RoleLegal, web.RoleAuditor}
	public     = []string{web.Public}
)

// accessTable is THE authorisation table under test: every route the server
// registers → who may call it. A route missing here fails
// TestRoleMatrix; so does a row whose route no longer exists. When you add a
// route, add its row and think about who should reach it.
var accessTable = map[string][]string{
	// operations
	"GET /healthz": public,
	"GET /readyz":  public,
	"GET /metrics": public,
	"GET /static/": public,
	// public documents (web/openapi.go, web/public_le.go)
	"GET /api/openapi.json": public,
	"GET /law-enforcement":  public,
	// sign-in
	"GET /login":         public,
	"POST /login":        public,
	"GET /login/enroll":  public,
	"POST /login/enroll": public,
	"GET /login/totp":    public,
	"POST /login/totp":   public,
	"POST /logout":       everyStaff,
	// console
	"GET /{$}":          everyStaff,
	"GET /me":           everyStaff,
	"POST /me/password": everyStaff,
	// audit API (web/api_audit.go)
	"GET /api/v1/audit/entries":           {web.RoleAdmin, web.RoleAuditor, web.ScopeAudit},
	"GET /api/v1/audit/entries/{index}":   {web.RoleAdmin, web.RoleAuditor, web.ScopeAudit},
	"GET /api/v1/audit/checkpoint":        {web.RoleAdmin, web.RoleAuditor, web.ScopeAudit},
	"POST /api/v1/audit/checkpoints":      {web.RoleAdmin},
	"GET /api/v1/audit/proof/inclusion":   {web.RoleAdmin, web.RoleAuditor, web.ScopeAudit},
	"GET /api/v1/audit/proof/consistency": {web.RoleAdmin, web.RoleAuditor, web.ScopeAudit},
	// ingest API (web/api_ingest.go): platform services only
	"POST /api/v1/accounts": {web.ScopeIngest},
	"POST /api/v1/logins":   {web.ScopeIngest},
	"POST /api/v1/groups":   {web.ScopeIngest},
	"POST /api/v1/content":  {web.ScopeIngest},
	// production signing key (web/api_production_key.go): published to anyone
	"GET /.well-known/vigil-production-key": public,
	// officer portal (web/portal*.go): officers only, never staff
	"GET /portal/register":                     public,
	"POST /portal/register":                    public,
	"GET /portal/verify-email":                 public,
	"GET /portal/login":                        public,
	"POST /portal/login":                       public,
	"GET /portal/totp":                         public,
	"POST /portal/totp":                        public,
	"POST /portal/logout":                      officer,
	"GET /portal":                              officer,
	"GET /portal/requests/new":                 officer,
	"POST /portal/requests":                    officer,
	"GET /portal/requests/{id}":                officer,
	"GET /portal/requests/{id}/files/{sha256}": officer,
	"POST /portal/requests/{id}/messages":      officer,
	"GET /portal/requests/{id}/package":        officer,
	// staff request console (web/console_requests.go, web/production_download.go):
	// auditors and admins read; only le_response and legal act; only
	// le_response produces
	"GET /requests":                     leReaders,
	"GET /requests/{id}":                leReaders,
	"GET /requests/{id}/files/{sha256}": leReaders,
	"GET /requests/{id}/package":        leReaders,
	"POST /requests/{id}/transition":    {web.RoleLEResponse, web.RoleLegal},
	"POST /requests/{id}/messages":      {web.RoleLEResponse, web.RoleLegal},
	"POST /officers/{id}/callback":      {web.RoleLEResponse, web.RoleLegal},
	"POST /requests/{id}/produce":       {web.RoleLEResponse},
	// admin pages (web/admin_*.go): admins change the agency directory and
	// the on-call rotation; le_response reads both, legal the staff page
	"GET /admin/agencies":                                 {web.RoleAdmin, web.RoleLEResponse},
	"POST /admin/agencies":                                {web.RoleAdmin},
	"GET /admin/agencies/{id}":                            {web.RoleAdmin, web.RoleLEResponse},
	"POST /admin/agencies/{id}":                           {web.RoleAdmin},
	"GET /admin/staff":                                    {web.RoleAdmin, web.RoleLEResponse, web.RoleLegal},
	"POST /admin/staff/rotation":                          {web.RoleAdmin},
	"POST /admin/staff/rotation/overrides":                {web.RoleAdmin},
	"POST /admin/staff/rotation/overrides/{index}/delete": {web.RoleAdmin},
	// request API (web/api_requests.go): staff as in the console; officers
	// read and write only their own requests (the service enforces it)
	"GET /api/v1/requests":                   leReaders,
	"GET /api/v1/requests/{id}":              append(slices.Clone(leReaders), web.RoleOfficer),
	"POST /api/v1/requests/{id}/transitions": {web.RoleLEResponse, web.RoleLegal},
	"POST /api/v1/requests/{id}/messages":    {web.RoleLEResponse, web.RoleLegal, web.RoleOfficer},
	"GET /api/v1/portal/requests":            officer,
}

var leReaders = []string{web.RoleLEResponse, web.RoleLegal, web.RoleAdmin, web.RoleAuditor}

var officer = []string{web.RoleOfficer}

// principals are every kind of caller: anonymous, each staff role, each
// service scope, and a portal officer.
var principals = append(append([]string{"anonymous"}, everyStaff...), web.ScopeIngest, web.ScopeAudit, web.RoleOfficer)

var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// samplePath turns a ServeMux pattern into a concrete path it matches.
func samplePath(pattern string) string {
	p := strings.ReplaceAll(pattern, "{$}", "")
	p = wildcard.ReplaceAllString(p, "1")
	if strings.HasSuffix(p, "/") && p != "/" {
		p += "vigil.css"
	}
	return p
}

func TestRoleMatrix(t *testing.T) {
	var armed atomic.Bool
	var mu sync.Mutex
	reached := map[string]bool{}
	// Every route list the composition root mounts. The ingest service is
	// nil: the hook below stops every authorised request before a handler
	// runs, and the authorisation decision needs nothing from the service.
	pe := newPortalEnv(t, nil, func(c *web.Config) {
		c.Routes = append(append(c.Routes, web.IngestRoutes(nil)...), web.ProductionKeyRoutes(nil)...)
	})
	e := pe.env
	web.SetAuthorizedHook(e.srv, func(rt web.Route, w http.ResponseWriter, r *http.Request) bool {
		if !armed.Load() {
			return false
		}
		mu.Lock()
		reached[r.Header.Get("X-Matrix-Case")] = true
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
		return true // the handler does not run: the matrix tests authorisation only
	})

	// One signed-in browser per role (real sign-in with TOTP enrolment).
	clients := map[string]*browser{}
	tokens := map[string]string{}
	for _, role := range everyStaff {
		e.addUser("u_"+role, role)
		b := e.browser()
		b.login("u_" + role)
		clients[role] = b
		tokens[role] = b.csrf("/me")
	}
	clients["anonymous"] = e.browser()
	// A signed-in officer (registration, e-mail link, TOTP, all real).
	clients[web.RoleOfficer] = e.browser()
	pe.onboard(t, clients[web.RoleOfficer], "matrix@metro-pd.example")
	tokens[web.RoleOfficer] = clients[web.RoleOfficer].csrf("/portal")
	bearer := map[string]string{web.ScopeIngest: "Bearer " + e.ingestTok, web.ScopeAudit: "Bearer " + e.auditTok}
	armed.Store(true)

	routes := e.srv.Routes()
	seen := map[string]bool{}
	for _, rt := range routes {
		key := rt.Method + " " + rt.Pattern
		seen[key] = true
		row, ok := accessTable[key]
		if !ok {
			t.Errorf("route %s has no row in accessTable (matrix_test.go): add one saying who may call it", key)
			continue
		}
		for _, who := range principals {
			allowed := slices.Contains(row, web.Public) || slices.Contains(row, who)
			caseID := key + " as " + who
			hdr := map[string]string{"X-Matrix-Case": caseID}
			b := clients[who]
			if auth, ok := bearer[who]; ok {
				b = clients["anonymous"]
				hdr["Authorization"] = auth
			} else if tok, ok := tokens[who]; ok && rt.Method != "GET" {
				hdr["X-CSRF-Token"] = tok
			}
			r := b.do(rt.Method, samplePath(rt.Pattern), nil, hdr)
			mu.Lock()
			got := reached[caseID]
			mu.Unlock()
			var outcome string
			switch {
			case got:
				outcome = "allowed"
			case r.status == http.StatusUnauthorized || r.status == http.StatusSeeOther && (r.location == "/login" || r.location == "/portal/login"):
				outcome = "unauthenticated"
			case r.status == http.StatusForbidden:
				outcome = "forbidden"
			default:
				outcome = "status " + http.StatusText(r.status)
			}
			want := "allowed"
			if !allowed {
				want = "forbidden"
				if who == "anonymous" {
					want = "unauthenticated"
				}
			}
			if outcome != want {
				t.Errorf("%s: %s, want %s (status %d %q)", caseID, outcome, want, r.status, strings.TrimSpace(r.body))
			}
		}
	}
	for key := range accessTable {
		if !seen[key] {
			t.Errorf("accessTable row %q matches no registered route: remove it or register the route", key)
		}
	}
}

func TestNewRejectsBadRoutes(t *testing.T) {
	h := func(http.ResponseWriter, *http.Request) {}
	cases := map[string][]web.Route{
		"empty allow":    {{Method: "GET", Pattern: "/x", Handler: h}},
		"unknown access": {{Method: "GET", Pattern: "/x", Handler: h, Allow: []string{"root"}}},
		"no handler":     {{Method: "GET", Pattern: "/x", Allow: public}},
		"duplicate":      {{Method: "GET", Pattern: "/x", Handler: h, Allow: public}, {Method: "GET", Pattern: "/x", Handler: h, Allow: public}},
		"clash builtin":  {{Method: "GET", Pattern: "/healthz", Handler: h, Allow: public}},
		"bad pattern":    {{Method: "GET", Pattern: "x", Handler: h, Allow: public}},
	}
	for name, routes := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, nil)
			cfg := web.Config{Users: e.db, Sessions: stubSessions{}, Audit: e.log, Routes: routes}
			if _, err := web.New(cfg); err == nil {
				t.Fatal("New accepted a bad route table")
			}
		})
	}
}
