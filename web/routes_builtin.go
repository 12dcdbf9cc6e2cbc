package web

// staff lists every staff role: routes any signed-in staff member may use.
var staff = []string{RoleAdmin, RoleReviewer, RoleLEResponse, RoleLegal, RoleAuditor}

// builtinRoutes is the server's own part of the route table.
func (s *Server) builtinRoutes() []Route {
	pub := []string{Public}
	ops := []Route{
		{Method: "GET", Pattern: "/healthz", Allow: pub, Handler: s.healthz, Summary: "liveness: 200 while the process runs"},
		{Method: "GET", Pattern: "/readyz", Allow: pub, Handler: s.readyz, Summary: "readiness: store and queue reachable (503 names what failed)"},
		{Method: "GET", Pattern: "/metrics", Allow: pub, Handler: s.metricsHandler(), Summary: "Prometheus metrics"},
		{Method: "GET", Pattern: "/static/", Allow: pub, Handler: staticHandler(), Summary: "console stylesheet and assets"},
		{Method: "GET", Pattern: OpenAPIPath, Allow: pub, Handler: s.openAPI, Summary: "the OpenAPI 3 document of this API"},
	}
	s.noSession = map[string]bool{}
	for _, r := range ops {
		s.noSession[r.Method+" "+r.Pattern] = true
	}
	return append(ops,
		Route{Method: "GET", Pattern: "/login", Allow: pub, Handler: s.loginPage, Summary: "staff sign-in form"},
		Route{Method: "POST", Pattern: "/login", Allow: pub, Handler: s.loginSubmit, Summary: "check username and password"},
		Route{Method: "GET", Pattern: "/login/enroll", Allow: pub, Handler: s.secondFactorPage(true), Summary: "first sign-in: set up TOTP"},
		Route{Method: "POST", Pattern: "/login/enroll", Allow: pub, Handler: s.secondFactorSubmit(true), Summary: "confirm TOTP enrolment with a code"},
		Route{Method: "GET", Pattern: "/login/totp", Allow: pub, Handler: s.secondFactorPage(false), Summary: "TOTP code form"},
		Route{Method: "POST", Pattern: "/login/totp", Allow: pub, Handler: s.secondFactorSubmit(false), Summary: "check the TOTP code and sign in"},
		Route{Method: "GET", Pattern: "/law-enforcement", Allow: pub, Handler: s.lawEnforcementPage, Summary: "public guidelines for law enforcement: request types, scope, response times, contact"},
		Route{Method: "POST", Pattern: "/logout", Allow: staff, Handler: s.logout, Summary: "sign out"},
		Route{Method: "GET", Pattern: "/{$}", Allow: staff, Handler: s.dashboard, Summary: "dashboard with the platform data counts"},
		Route{Method: "GET", Pattern: "/me", Allow: staff, Handler: s.mePage, Summary: "who am I"},
		Route{Method: "POST", Pattern: "/me/password", Allow: staff, Handler: s.changePassword, Summary: "change my password"},
	)
}
