package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"vigil/errs"
	"vigil/web"
)

func TestHealthAndReadiness(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	if r := b.do("GET", "/healthz", nil, nil); r.status != 200 || !strings.Contains(r.body, `"ok"`) {
		t.Fatalf("healthz: %d %s", r.status, r.body)
	}
	r := b.do("GET", "/readyz", nil, nil)
	if r.status != 200 || !strings.Contains(r.body, `"store":"ok"`) || !strings.Contains(r.body, `"queue":"ok"`) {
		t.Fatalf("readyz: %d %s", r.status, r.body)
	}
	e.readyM.Lock()
	e.ready["queue"] = errors.New("nats: connection refused to 127.0.0.1:4222")
	e.readyM.Unlock()
	r = b.do("GET", "/readyz", nil, nil)
	var body struct {
		Error struct{ Kind, Message string }
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatalf("readyz failure body is not JSON: %s", r.body)
	}
	if r.status != 503 || body.Error.Kind != "unavailable" || !strings.Contains(body.Error.Message, "queue") || strings.Contains(body.Error.Message, "store") {
		t.Fatalf("readyz with the queue down: %d %s", r.status, r.body)
	}
	if strings.Contains(r.body, "4222") {
		t.Fatal("readyz leaks the dependency's error detail")
	}
	// healthz stays 200: the process is alive even when a dependency is not.
	if r := b.do("GET", "/healthz", nil, nil); r.status != 200 {
		t.Fatalf("healthz with the queue down: %d", r.status)
	}
}

func TestReadinessCheckTimeout(t *testing.T) {
	e := newEnv(t, nil, func(c *web.Config) {
		c.ReadyTimeout = 50 * time.Millisecond
		c.Ready = append(c.Ready, web.ReadyCheck{Name: "slow", Check: func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		}})
	})
	r := e.browser().do("GET", "/readyz", nil, nil)
	if r.status != 503 || !strings.Contains(r.body, "slow") {
		t.Fatalf("hanging check: %d %s", r.status, r.body)
	}
}

func TestMetricsAndRequestLogs(t *testing.T) {
	e := newEnv(t, nil)
	extra := prometheus.NewCounter(prometheus.CounterOpts{Name: "vigil_test_things_total", Help: "test"})
	e.srv.Registry().MustRegister(extra)
	extra.Add(3)
	e.addUser("kim", "reviewer")
	b := e.browser()
	b.login("kim")
	b.do("GET", "/me", nil, nil)
	b.do("GET", "/nope", nil, nil)
	r := b.do("GET", "/metrics", nil, nil)
	for _, want := range []string{
		`vigil_http_request_duration_seconds_bucket{method="GET",route="/login",status="200"`,
		`vigil_http_request_duration_seconds_count{method="POST",route="/login",status="303"}`,
		`route="unmatched",status="404"`,
		"vigil_test_things_total 3",
		"go_goroutines",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	logs := e.logs.String()
	var sawLogin bool
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %s", line)
		}
		if m["msg"] == "http request" && m["route"] == "/login/enroll" && m["method"] == "POST" {
			sawLogin = true
			if m["status"] != float64(303) || m["duration_ms"] == nil {
				t.Errorf("request log line incomplete: %s", line)
			}
		}
	}
	if !sawLogin {
		t.Errorf("no request log line for POST /login/enroll in:\n%s", logs)
	}
	for _, secret := range []string{testPassword, "vigil_session=", b.secret, "csrf_token"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log contains a secret (%q)", secret)
		}
	}
	if !strings.Contains(logs, `"principal":"staff:kim"`) {
		t.Error("request logs do not name the signed-in principal")
	}
}

func TestWriteError(t *testing.T) {
	cases := []struct {
		err    error
		status int
		kind   string
	}{
		{errs.Field("phone", "must be E.164, e.g. +8613800138000"), 400, "invalid"},
		{errs.E(errs.NotFound, "no account %s", "wxid_1"), 404, "not_found"},
		{errs.E(errs.Forbidden, "no"), 403, "forbidden"},
		{errs.E(errs.Unauthenticated, "sign in"), 401, "unauthenticated"},
		{errs.E(errs.Conflict, "exists"), 409, "conflict"},
		{errs.E(errs.Unavailable, "queue down"), 503, "unavailable"},
		{errs.E(errs.TooMany, "slow down"), 429, "too_many_requests"},
		{fmt.Errorf("wrapped: %w", errs.E(errs.NotFound, "gone")), 404, "not_found"},
		{errors.New("pq: password authentication failed for user secret_admin"), 500, "internal"},
	}
	for _, c := range cases {
		for _, path := range []string{"/api/v1/x", "/page"} {
			w := httptest.NewRecorder()
			r := httptest.NewRequest("GET", path, nil)
			web.WriteError(w, r, c.err)
			if w.Code != c.status {
				t.Errorf("%v at %s: status %d, want %d", c.err, path, w.Code, c.status)
			}
			body := w.Body.String()
			if c.status == 500 && strings.Contains(body, "secret_admin") {
				t.Errorf("500 body leaks the internal error: %s", body)
			}
			if strings.HasPrefix(path, "/api/") {
				var b struct {
					Error struct{ Kind, Field, Message string }
				}
				if err := json.Unmarshal([]byte(body), &b); err != nil || b.Error.Kind != c.kind {
					t.Errorf("%v: JSON body %s (%v), want kind %s", c.err, body, err, c.kind)
				}
				if c.kind == "invalid" && (b.Error.Field != "phone" || !strings.Contains(b.Error.Message, "E.164")) {
					t.Errorf("field error body %s", body)
				}
			} else if !strings.Contains(w.Header().Get("Content-Type"), "text/html") || !strings.Contains(body, "<h1>") {
				t.Errorf("%s: not an HTML error page: %s", path, body)
			}
		}
	}
	// HTML escapes the message.
	w := httptest.NewRecorder()
	web.WriteError(w, httptest.NewRequest("GET", "/x", nil), errs.Field("name", "<script>alert(1)</script>"))
	if strings.Contains(w.Body.String(), "<script>") {
		t.Fatal("error page does not escape the message")
	}
}

func TestUnknownPathAndBearerErrors(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	if r := b.do("GET", "/api/v1/nothing", nil, nil); r.status != 404 || !strings.Contains(r.body, `"not_found"`) {
		t.Fatalf("unknown API path: %d %s", r.status, r.body)
	}
	r := b.do("GET", "/api/v1/audit/entries", nil, map[string]string{"Authorization": "Bearer wrong"})
	if r.status != 401 || !strings.Contains(r.body, "vigil token create") {
		t.Fatalf("bad token: %d %s", r.status, r.body)
	}
	if r := b.do("GET", "/api/v1/audit/entries", nil, map[string]string{"Authorization": "Basic eDp5"}); r.status != 401 {
		t.Fatalf("basic auth: %d", r.status)
	}
	if r := b.do("GET", "/api/v1/audit/entries", nil, map[string]string{"Authorization": "Bearer " + e.auditTok}); r.status != 200 {
		t.Fatalf("audit token on audit entries: %d %s", r.status, r.body)
	}
}

func TestDashboardSurvivesStatsFailure(t *testing.T) {
	e := newEnv(t, nil)
	e.stats.err = errors.New("directory query failed: SQLSTATE 42P01")
	e.addUser("lee", "auditor")
	b := e.browser()
	b.login("lee")
	r := b.do("GET", "/", nil, nil)
	if r.status != 200 || !strings.Contains(r.body, "unavailable") || strings.Contains(r.body, "42P01") {
		t.Fatalf("dashboard with failing stats: %d\n%s", r.status, r.body)
	}
}

func TestGracefulShutdown(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var released atomic.Bool
	e := newEnv(t, nil, func(c *web.Config) {
		c.Ready = []web.ReadyCheck{{Name: "slow", Check: func(ctx context.Context) error {
			close(started) // the request is in flight
			<-release
			return nil
		}}}
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- e.srv.Serve(l) }()
	got := make(chan int, 1)
	go func() {
		resp, err := http.Get("http://" + l.Addr().String() + "/readyz")
		if err != nil {
			got <- -1
			return
		}
		resp.Body.Close()
		got <- resp.StatusCode
	}()
	<-started
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := e.srv.Shutdown(ctx)
		if !released.Load() {
			err = errors.New("Shutdown returned while a request was still in flight")
		}
		shut <- err
	}()
	// Once the listener refuses new connections, Shutdown is under way; only
	// then is the in-flight request allowed to finish.
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("listener still accepting after Shutdown")
		}
		time.Sleep(2 * time.Millisecond)
	}
	released.Store(true)
	close(release)
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
	if code := <-got; code != 200 {
		t.Fatalf("in-flight request got %d during shutdown, want 200", code)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve returned %v after graceful shutdown", err)
	}
}

func TestStaticAndPanicRecovery(t *testing.T) {
	e := newEnv(t, nil, func(c *web.Config) {
		c.Routes = append(c.Routes, web.Route{Method: "GET", Pattern: "/api/v1/boom", Allow: []string{web.Public},
			Handler: func(http.ResponseWriter, *http.Request) { panic("secret detail 42") }, Summary: "test"})
	})
	b := e.browser()
	if r := b.do("GET", "/static/vigil.css", nil, nil); r.status != 200 || !strings.Contains(r.body, "font") ||
		!strings.Contains(r.header.Get("Content-Type"), "text/css") {
		t.Fatalf("static css: %d %q", r.status, r.header.Get("Content-Type"))
	}
	r := b.do("GET", "/api/v1/boom", nil, nil)
	if r.status != 500 || strings.Contains(r.body, "secret detail") || !strings.Contains(r.body, `"internal"`) {
		t.Fatalf("panic: %d %s", r.status, r.body)
	}
	if !strings.Contains(e.logs.String(), "handler panic") {
		t.Fatal("panic not logged")
	}
	// The server keeps serving.
	if r := b.do("GET", "/healthz", nil, nil); r.status != 200 {
		t.Fatalf("after panic: %d", r.status)
	}
	// A signed-in user asking for the sign-in page goes to the dashboard.
	e.addUser("olga", "admin")
	b.login("olga")
	if r := b.do("GET", "/login", nil, nil); r.status != http.StatusSeeOther || r.location != "/" {
		t.Fatalf("GET /login signed in: %d → %q", r.status, r.location)
	}
}
