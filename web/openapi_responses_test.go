package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"vigil/audit"
	"vigil/ingest"
	"vigil/internal/testkit"
	"vigil/queue"
	"vigil/store"
	"vigil/web"
)

// contractEnv is a server with the real ingest service (store, embedded
// JetStream) and the audit API, to check real responses against the
// document.
type contractEnv struct {
	url              string
	ingestTok, audit string
}

func newContractEnv(t *testing.T) *contractEnv {
	t.Helper()
	db := testkit.SQLite(t)
	clock := func() time.Time { return ingestNow }
	keys, err := audit.NewKeys("test.vigil/openapi")
	if err != nil {
		t.Fatal(err)
	}
	alog, err := audit.New(store.NewAuditStore(db), keys, audit.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { alog.Close() })
	emb, err := queue.StartEmbedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := emb.Connect()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := ingest.New(ingest.Config{Store: store.NewDirectory(db, clock), Queue: conn, Audit: alog, Clock: clock, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := svc.EnsureQueue(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		conn.Close()
		emb.Shutdown()
	})
	tokens := store.NewTokens(db, clock)
	e := &contractEnv{}
	if e.ingestTok, _, err = tokens.Create(ctx, "feeder", []string{"ingest"}); err != nil {
		t.Fatal(err)
	}
	if e.audit, _, err = tokens.Create(ctx, "verifier", []string{"audit"}); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{Users: db, Sessions: store.NewSessionStore(db, 0), Audit: alog,
		Tokens: web.ServiceTokens(tokens), Routes: append(web.IngestRoutes(svc), web.AuditRoutes(alog)...),
		Clock: clock, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	e.url = ts.URL
	return e
}

// exchange is one real request and the response the server gave.
type exchange struct {
	name, pattern   string // pattern: the route (and document path) it hits
	method, path    string
	ctype, token    string
	body            string
	wantStatus      int
	validateRequest bool // also check the request body against the document
}

// TestOpenAPIRealResponsesValidate sends real requests to the ingest and
// audit APIs and validates every response (status, content type, body)
// against the document with kin-openapi's openapi3filter.
func TestOpenAPIRealResponsesValidate(t *testing.T) {
	e := newContractEnv(t)
	doc, err := web.OpenAPIDocument(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	account := `{"id":"acct-1","wechat_id":"river_fox88","display_name":"River Fox","phone":"+8613812345678","email":"fox@example.com","app":"wechat","region":"CN","registered_at":"2024-05-01T08:30:00Z","registration_ip":"203.0.113.7","status":"active"}`
	badAccount := `{"id":"acct-2","wechat_id":"9x","display_name":"","app":"qq","region":"ZZ","registered_at":"2024-05-01T08:30:00Z","registration_ip":"203.0.113.8","status":"active"}`
	post := `{"id":"post-1","author_id":"acct-1","surface":"moments","visibility":"public","text":"hello","created_at":"2026-11-01T10:00:00Z"}`
	tooMany := strings.Repeat("{}\n", ingest.MaxBatchItems+1)
	cases := []exchange{
		{name: "accounts stored", pattern: "/api/v1/accounts", method: "POST", ctype: "application/json", token: e.ingestTok, body: "[" + account + "]", wantStatus: 200, validateRequest: true},
		{name: "accounts duplicate", pattern: "/api/v1/accounts", method: "POST", ctype: "application/x-ndjson", token: e.ingestTok, body: account + "\n", wantStatus: 200},
		{name: "accounts partly rejected", pattern: "/api/v1/accounts", method: "POST", ctype: "application/json", token: e.ingestTok, body: "[" + strings.Replace(account, "acct-1", "acct-3", 1) + "," + badAccount + "]", wantStatus: 207},
		{name: "accounts all rejected", pattern: "/api/v1/accounts", method: "POST", ctype: "application/x-ndjson", token: e.ingestTok, body: badAccount + "\nnot json\n", wantStatus: 422},
		{name: "content durable", pattern: "/api/v1/content", method: "POST", ctype: "application/x-ndjson", token: e.ingestTok, body: post + "\n", wantStatus: 200},
		{name: "malformed array", pattern: "/api/v1/groups", method: "POST", ctype: "application/json", token: e.ingestTok, body: `[{"id":`, wantStatus: 400},
		{name: "wrong content type", pattern: "/api/v1/logins", method: "POST", ctype: "text/csv", token: e.ingestTok, body: "a,b\n", wantStatus: 415},
		{name: "too many items", pattern: "/api/v1/logins", method: "POST", ctype: "application/x-ndjson", token: e.ingestTok, body: tooMany, wantStatus: 413},
		{name: "no token", pattern: "/api/v1/content", method: "POST", ctype: "application/json", body: "[" + post + "]", wantStatus: 401},
		{name: "wrong scope", pattern: "/api/v1/content", method: "POST", ctype: "application/json", token: e.audit, body: "[" + post + "]", wantStatus: 403},
		{name: "audit entries", pattern: "/api/v1/audit/entries", method: "GET", path: "/api/v1/audit/entries?limit=2", token: e.audit, wantStatus: 200},
		{name: "audit entry", pattern: "/api/v1/audit/entries/{index}", method: "GET", path: "/api/v1/audit/entries/0", token: e.audit, wantStatus: 200},
		{name: "audit entry missing", pattern: "/api/v1/audit/entries/{index}", method: "GET", path: "/api/v1/audit/entries/99999", token: e.audit, wantStatus: 404},
		{name: "audit bad limit", pattern: "/api/v1/audit/entries", method: "GET", path: "/api/v1/audit/entries?limit=0", token: e.audit, wantStatus: 400},
		{name: "consistency", pattern: "/api/v1/audit/proof/consistency", method: "GET", path: "/api/v1/audit/proof/consistency?from=1&to=2", token: e.audit, wantStatus: 200},
		{name: "inclusion", pattern: "/api/v1/audit/proof/inclusion", method: "GET", path: "/api/v1/audit/proof/inclusion?index=0&size=2", token: e.audit, wantStatus: 200},
		{name: "healthz", pattern: "/healthz", method: "GET", wantStatus: 200},
		{name: "the document itself", pattern: web.OpenAPIPath, method: "GET", wantStatus: 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := c.path
			if path == "" {
				path = c.pattern
			}
			req, err := http.NewRequest(c.method, e.url+path, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			if c.token != "" {
				req.Header.Set("Authorization", "Bearer "+c.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.wantStatus {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, c.wantStatus, body)
			}
			validate(t, doc, c, req, resp, body)
		})
	}
}

func validate(t *testing.T, doc *openapi3.T, c exchange, req *http.Request, resp *http.Response, body []byte) {
	t.Helper()
	item := doc.Paths.Value(c.pattern)
	if item == nil {
		t.Fatalf("document has no path %s", c.pattern)
	}
	op := item.GetOperation(c.method)
	if op == nil {
		t.Fatalf("document has no %s %s", c.method, c.pattern)
	}
	params := map[string]string{}
	if strings.Contains(c.pattern, "{index}") {
		params["index"] = req.URL.Path[strings.LastIndex(req.URL.Path, "/")+1:]
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params,
		Route:   &routers.Route{Spec: doc, Path: c.pattern, PathItem: item, Method: c.method, Operation: op},
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	if c.validateRequest {
		req.Body = io.NopCloser(strings.NewReader(c.body))
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("the request body does not match the document: %v", err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("response %d does not match the document: %v\nbody: %.500s", resp.StatusCode, err, body)
	}
}
