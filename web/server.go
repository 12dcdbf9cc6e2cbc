// Package web is Vigil's HTTP surface: the route table and the middleware
// that authorises every route from it, staff sign-in (password, TOTP,
// sessions, CSRF, rate limits and lockout), the console pages, the error
// mapping, and the operations endpoints (/healthz, /readyz, /metrics).
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"vigil/audit"
	"vigil/auth"
	"vigil/lawreq"
	"vigil/lereq"
	"vigil/production"
	"vigil/store"
)

//go:embed templates static
var assets embed.FS

// Users is what the server needs from the staff-user store (*store.DB).
type Users interface {
	StaffUserByUsername(ctx context.Context, username string) (store.StaffUser, error)
	StaffUserByID(ctx context.Context, id int64) (store.StaffUser, error)
	SetStaffPassword(ctx context.Context, id int64, hash string) error
	SetStaffTOTPSecret(ctx context.Context, id int64, secret string) error
	UseStaffTOTPStep(ctx context.Context, id, step int64) error
	SetStaffLoginState(ctx context.Context, id int64, failures int, windowStart, lockedUntil time.Time) error
}

// AuditAppender appends events to the audit log (*audit.Log).
type AuditAppender interface {
	Append(ctx context.Context, e audit.Event) (uint64, error)
}

// ReadyCheck is one dependency /readyz checks, e.g. {"store", db.PingContext}.
type ReadyCheck struct {
	Name  string
	Check func(ctx context.Context) error
}

// Config holds the server's dependencies and settings. Users, Sessions and
// Audit are required; the rest have defaults.
type Config struct {
	Users    Users
	Sessions scs.Store     // e.g. store.NewSessionStore(db, time.Minute)
	Audit    AuditAppender // every login event and page view is appended
	Tokens   TokenVerifier // nil: service tokens are refused
	Stats    Stats         // dashboard counts; nil shows none
	Ready    []ReadyCheck  // checked by /readyz
	Routes   []Route       // extra route lists: AuditRoutes(...), IngestRoutes(...), ...

	Registry *prometheus.Registry // nil: a new registry with Go and process collectors
	Logger   *slog.Logger         // nil: slog.Default()
	Clock    func() time.Time     // nil: time.Now

	// SecureCookies marks the session cookie Secure even on plain HTTP
	// (set it when a TLS-terminating proxy is in front). Over TLS it is
	// always Secure.
	SecureCookies  bool
	TrustedOrigins []string // extra origins allowed to POST (e.g. "https://vigil.example.org")

	// LEContact is the law-enforcement contact published on
	// /law-enforcement; LEPolicy the response times it promises (zero:
	// lawreq.DefaultPolicy()).
	LEContact LEContact
	LEPolicy  lawreq.Policy

	// LE is the law-enforcement request service behind the officer portal
	// (/portal/...); nil: the portal is not mounted.
	LE *lereq.Service
	// ProductionKey signs production packages and Records is where their
	// records are read (store.Directory); without both, the console cannot
	// produce. Custodian names who certifies them (zero: the producing
	// staff member, as custodian of records of LEContact.Name).
	ProductionKey *production.Key
	Records       lereq.RecordSource
	Custodian     production.Custodian
	// PackageTTL is how long an officer may download a delivered package;
	// zero: lereq.DefaultLinkTTL (7 days).
	PackageTTL time.Duration

	Issuer          string             // TOTP issuer shown in authenticator apps; default "Vigil"
	Lockout         auth.LockoutPolicy // zero: auth.DefaultLockout
	Argon2          auth.Argon2Params  // zero: auth.DefaultArgon2
	LoginPerIP      Limit              // zero: 20 attempts, refilling one per 6 s
	LoginPerUser    Limit              // zero: 10 attempts, refilling one per 30 s
	SessionLifetime time.Duration      // zero: 12 h absolute
	IdleTimeout     time.Duration      // zero: 30 min without requests
	ReadyTimeout    time.Duration      // zero: 2 s per check
}

// Server is Vigil's HTTP server. Build it with New.
type Server struct {
	cfg       Config
	log       *slog.Logger
	now       func() time.Time
	reg       *prometheus.Registry
	latency   *prometheus.HistogramVec
	sm, smTLS *scs.SessionManager
	cop       *http.CrossOriginProtection
	perIP     *limiter
	perUser   *limiter
	pages     *pageSet
	routes    []Route
	handler   http.Handler
	noSession map[string]bool // routes that never need a session (ops, static)
	dummyHash string          // verified against for unknown users (equal timing)
	// authorized, when set (tests only), is called once a request passed
	// authorisation; returning true skips the rest of the chain.
	authorized func(Route, http.ResponseWriter, *http.Request) bool
	httpServer *http.Server
}

// New builds a server from cfg, registering the built-in routes and every
// route in cfg.Routes. It fails when a route is malformed or registered twice.
func New(cfg Config) (*Server, error) {
	if cfg.Users == nil || cfg.Sessions == nil || cfg.Audit == nil {
		return nil, errors.New("web: Config.Users, Sessions and Audit are required")
	}
	s := &Server{cfg: cfg, log: cfg.Logger, now: cfg.Clock, reg: cfg.Registry}
	var err error
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.reg == nil {
		s.reg = prometheus.NewRegistry()
		s.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	if s.cfg.Issuer == "" {
		s.cfg.Issuer = "Vigil"
	}
	if s.cfg.Lockout == (auth.LockoutPolicy{}) {
		s.cfg.Lockout = auth.DefaultLockout
	}
	if s.cfg.Argon2 == (auth.Argon2Params{}) {
		s.cfg.Argon2 = auth.DefaultArgon2
	}
	if s.cfg.LoginPerIP == (Limit{}) {
		s.cfg.LoginPerIP = Limit{Burst: 20, Every: 6 * time.Second}
	}
	if s.cfg.LoginPerUser == (Limit{}) {
		s.cfg.LoginPerUser = Limit{Burst: 10, Every: 30 * time.Second}
	}
	if s.cfg.ReadyTimeout == 0 {
		s.cfg.ReadyTimeout = 2 * time.Second
	}
	if s.dummyHash, err = auth.DummyHash(s.cfg.Argon2); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s.perIP = newLimiter(s.cfg.LoginPerIP, s.now)
	s.perUser = newLimiter(s.cfg.LoginPerUser, s.now)
	s.sm, s.smTLS = s.newSessionManager(cfg.SecureCookies), s.newSessionManager(true)

	s.cop = http.NewCrossOriginProtection()
	for _, o := range cfg.TrustedOrigins {
		if err := s.cop.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("web: trusted origin %q: %w", o, err)
		}
	}
	s.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, r, errCrossOrigin)
	}))

	pages, err := loadPages()
	if err != nil {
		return nil, err
	}
	s.pages = pages

	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "vigil_http_request_duration_seconds",
		Help:    "HTTP request latency by route pattern, method and status.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method", "status"})
	if err := s.reg.Register(s.latency); err != nil {
		return nil, fmt.Errorf("web: register metrics: %w", err)
	}

	s.routes = append(s.builtinRoutes(), cfg.Routes...)
	if cfg.LE != nil {
		s.routes = append(s.routes, s.portalRoutes()...)
		s.routes = append(s.routes, s.consoleRequestRoutes()...)
		s.routes = append(s.routes, s.adminRoutes()...)
	}
	// Always registered (503 without a service): the API document lists them.
	s.routes = append(s.routes, s.apiRequestRoutes()...)
	mux := http.NewServeMux()
	seen := map[string]bool{}
	for _, rt := range s.routes {
		if err := checkRoute(rt); err != nil {
			return nil, err
		}
		key := rt.Method + " " + rt.Pattern
		if seen[key] {
			return nil, fmt.Errorf("web: route %s registered twice", key)
		}
		seen[key] = true
		if err := safeHandle(mux, key, s.wrap(rt)); err != nil {
			return nil, err
		}
	}
	// Everything that matches no route: a 404 through WriteError, logged and
	// measured under the route name "unmatched".
	mux.Handle("/", s.wrap(Route{Method: "", Pattern: "unmatched", Allow: []string{Public},
		Handler: func(w http.ResponseWriter, r *http.Request) {
			WriteError(w, r, errNotFound(r))
		}}))
	s.handler = mux
	s.httpServer = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// safeHandle turns ServeMux's panic on conflicting patterns into an error.
func safeHandle(mux *http.ServeMux, pattern string, h http.Handler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("web: route %s: %v", pattern, p)
		}
	}()
	mux.Handle(pattern, h)
	return nil
}

var knownAccess = []string{Public, RoleAdmin, RoleReviewer, RoleLEResponse, RoleLegal, RoleAuditor, ScopeIngest, ScopeAudit, RoleOfficer}

func checkRoute(rt Route) error {
	switch {
	case rt.Method == "" || rt.Pattern == "" || rt.Pattern[0] != '/':
		return fmt.Errorf("web: route %q %q needs a method and a pattern starting with /", rt.Method, rt.Pattern)
	case rt.Handler == nil:
		return fmt.Errorf("web: route %s %s has no handler", rt.Method, rt.Pattern)
	case len(rt.Allow) == 0:
		return fmt.Errorf("web: route %s %s has an empty Allow list; say who may call it", rt.Method, rt.Pattern)
	}
	for _, a := range rt.Allow {
		if !slices.Contains(knownAccess, a) {
			return fmt.Errorf("web: route %s %s allows unknown access %q", rt.Method, rt.Pattern, a)
		}
	}
	return nil
}

func (s *Server) newSessionManager(secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = s.cfg.Sessions
	sm.Lifetime = s.cfg.SessionLifetime
	if sm.Lifetime == 0 {
		sm.Lifetime = 12 * time.Hour
	}
	sm.IdleTimeout = s.cfg.IdleTimeout
	if sm.IdleTimeout == 0 {
		sm.IdleTimeout = 30 * time.Minute
	}
	sm.Cookie.Name = "vigil_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Path = "/"
	sm.Cookie.Persist = false // a browser restart ends the session
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		WriteError(w, r, fmt.Errorf("session store: %w", err))
	}
	return sm
}

// session returns the session manager for r: over TLS the one whose cookie
// is always Secure.
func (s *Server) session(r *http.Request) *scs.SessionManager {
	if r.TLS != nil {
		return s.smTLS
	}
	return s.sm
}

// Handler returns the server's root handler (for httptest or a custom http.Server).
func (s *Server) Handler() http.Handler { return s.handler }

// Routes returns a copy of every registered route (the authorisation table).
func (s *Server) Routes() []Route { return slices.Clone(s.routes) }

// Registry returns the Prometheus registry served at /metrics; other parts
// register their collectors (ingest counts, queue lag) on it.
func (s *Server) Registry() *prometheus.Registry { return s.reg }

// Serve accepts connections on l until Shutdown. It returns nil after a
// graceful shutdown.
func (s *Server) Serve(l net.Listener) error {
	if err := s.httpServer.Serve(l); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// ListenAndServe listens on addr and serves until Shutdown.
func (s *Server) ListenAndServe(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	return s.Serve(l)
}

// Shutdown stops accepting connections and waits, until ctx ends, for
// in-flight requests to finish.
func (s *Server) Shutdown(ctx context.Context) error {
	return s.httpServer.Shutdown(ctx)
}
