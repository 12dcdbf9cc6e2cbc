package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"vigil/audit"
	"vigil/auth"
	"vigil/internal/testkit"
	"vigil/store"
	"vigil/web"
)

// fastArgon keeps the many test logins cheap; the hashing itself is tested in auth.
var fastArgon = auth.Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

const testPassword = "correct horse battery staple"

// fakeClock is the injected clock: tests move it instead of sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// syncBuffer collects log output written from server goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

type env struct {
	t     testing.TB
	db    *store.DB
	log   *audit.Log
	clock *fakeClock
	srv   *web.Server
	ts    *httptest.Server
	logs  *syncBuffer
	stats *fakeStats
	ready map[string]error
	// raw service tokens with scope ingest and audit
	ingestTok, auditTok string
	readyM              sync.Mutex
}

type envOpt func(*web.Config)

func newEnv(t testing.TB, db *store.DB, opts ...envOpt) *env {
	t.Helper()
	if db == nil {
		db = testkit.SQLite(t)
	}
	e := &env{t: t, db: db, clock: &fakeClock{t: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)},
		logs: &syncBuffer{}, stats: &fakeStats{}, ready: map[string]error{}}
	keys, err := audit.NewKeys("test.vigil/audit")
	if err != nil {
		t.Fatal(err)
	}
	e.log, err = audit.New(store.NewAuditStore(db), keys, audit.Options{Clock: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.log.Close() })
	// Real service tokens from the token store, one per scope.
	tokens := store.NewTokens(db, e.clock.Now)
	if e.ingestTok, _, err = tokens.Create(context.Background(), "feeder", []string{"ingest"}); err != nil {
		t.Fatal(err)
	}
	if e.auditTok, _, err = tokens.Create(context.Background(), "verifier", []string{"audit"}); err != nil {
		t.Fatal(err)
	}
	check := func(name string) web.ReadyCheck {
		return web.ReadyCheck{Name: name, Check: func(ctx context.Context) error {
			e.readyM.Lock()
			defer e.readyM.Unlock()
			return e.ready[name]
		}}
	}
	cfg := web.Config{
		Users: db, Sessions: store.NewSessionStore(db, 0), Audit: e.log,
		Tokens: web.ServiceTokens(tokens),
		Stats:  e.stats,
		Ready:  []web.ReadyCheck{check("store"), check("queue")},
		Routes: web.AuditRoutes(e.log),
		Logger: slog.New(slog.NewJSONHandler(e.logs, nil)),
		Clock:  e.clock.Now, Argon2: fastArgon,
	}
	for _, o := range opts {
		o(&cfg)
	}
	e.srv, err = web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.ts = httptest.NewServer(e.srv.Handler())
	t.Cleanup(e.ts.Close)
	return e
}

type fakeStats struct{ err error }

func (f *fakeStats) DashboardCounts(context.Context) (web.DashboardCounts, error) {
	return web.DashboardCounts{
		AccountsByApp: []web.Count{{Label: "wechat", N: 9712}, {Label: "weixin", N: 288}},
		Logins:        51234, Groups: 812, APITokens: 3, AuditTreeSize: 77,
		Content: []web.ContentCount{{Surface: "moments", Visibility: "public", N: 40000}, {Surface: "group_chat", Visibility: "semi_public", N: 60000}},
	}, f.err
}

// addUser creates a staff user with testPassword.
func (e *env) addUser(username, role string) store.StaffUser {
	e.t.Helper()
	h, err := auth.HashPassword(testPassword, fastArgon)
	if err != nil {
		e.t.Fatal(err)
	}
	u, err := e.db.CreateStaffUser(context.Background(), store.StaffUser{Username: username, DisplayName: strings.ToUpper(username), Role: role, PasswordHash: h})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// browser is a cookie-keeping client that does not follow redirects, so
// tests see each step.
type browser struct {
	e      *env
	c      *http.Client
	secret string // TOTP secret learnt at enrolment
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type reply struct {
	status   int
	location string
	body     string
	header   http.Header
}

func (b *browser) do(method, path string, form url.Values, hdr map[string]string) reply {
	b.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.e.ts.URL+path, body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(raw), header: resp.Header}
}

var (
	csrfRE   = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	secretRE = regexp.MustCompile(`<code class="secret">([A-Z2-7]+)</code>`)
)

// csrf fetches path and returns the CSRF token of its form.
func (b *browser) csrf(path string) string {
	b.e.t.Helper()
	r := b.do("GET", path, nil, nil)
	m := csrfRE.FindStringSubmatch(r.body)
	if m == nil {
		b.e.t.Fatalf("GET %s (%d): no csrf_token in the page:\n%s", path, r.status, r.body)
	}
	return m[1]
}

// password posts the sign-in form.
func (b *browser) password(username, password string) reply {
	b.e.t.Helper()
	tok := b.csrf("/login")
	return b.do("POST", "/login", url.Values{"csrf_token": {tok}, "username": {username}, "password": {password}}, nil)
}

// code returns the current TOTP code for the learnt secret.
func (b *browser) code() string {
	b.e.t.Helper()
	c, err := auth.TOTPCode(b.secret, b.e.clock.Now())
	if err != nil {
		b.e.t.Fatal(err)
	}
	return c
}

// login runs the whole flow (enrolment on first sign-in) and fails the test
// unless it ends signed in. The clock moves one TOTP step first so that
// repeated logins never reuse a code.
func (b *browser) login(username string) {
	b.e.t.Helper()
	b.e.clock.Add(auth.TOTPPeriod * time.Second)
	r := b.password(username, testPassword)
	if r.status != http.StatusSeeOther {
		b.e.t.Fatalf("POST /login: %d %s", r.status, r.body)
	}
	switch r.location {
	case "/login/enroll":
		page := b.do("GET", "/login/enroll", nil, nil)
		m := secretRE.FindStringSubmatch(page.body)
		if m == nil {
			b.e.t.Fatalf("enrolment page shows no secret:\n%s", page.body)
		}
		b.secret = m[1]
		tok := csrfRE.FindStringSubmatch(page.body)[1]
		r = b.do("POST", "/login/enroll", url.Values{"csrf_token": {tok}, "code": {b.code()}}, nil)
	case "/login/totp":
		tok := b.csrf("/login/totp")
		r = b.do("POST", "/login/totp", url.Values{"csrf_token": {tok}, "code": {b.code()}}, nil)
	default:
		b.e.t.Fatalf("POST /login redirected to %q", r.location)
	}
	if r.status != http.StatusSeeOther || r.location != "/" {
		b.e.t.Fatalf("second factor: %d → %q\n%s", r.status, r.location, r.body)
	}
}

// auditActions returns the actions in the audit log, in order.
func (e *env) auditActions() []string {
	e.t.Helper()
	ents, err := e.log.Entries(context.Background(), 0, 1000)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, en := range ents {
		l, err := audit.DecodeLeaf(en.Leaf)
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, l.Event.Actor+" "+l.Event.Action)
	}
	return out
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

var _ = fmt.Sprint

// stubSessions satisfies scs.Store for tests that never serve a request.
type stubSessions struct{}

func (stubSessions) Find(string) ([]byte, bool, error)      { return nil, false, nil }
func (stubSessions) Commit(string, []byte, time.Time) error { return nil }
func (stubSessions) Delete(string) error                    { return nil }
