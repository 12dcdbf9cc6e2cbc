package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"vigil/ingest"
	"vigil/web"
)

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
	e := newIngestEnv(t, nil)
	doc, err := web.OpenAPIDocument(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	account := `{"id":"acct-1","wechat_id":"river_fox88","display_name":"River Fox","phone":"+8613812345678","email":"fox@example.com","app":"wechat","region":"CN","registered_at":"2024-05-01T08:30:00Z","registration_ip":"203.0.113.7","status":"active"}`
	badAccount := `{"id":"acct-2","wechat_id":"9x","display_name":"","app":"qq","region":"ZZ","registered_at":"2024-05-01T08:30:00Z","registration_ip":"203.0.113.8","status":"active"}`
	post := `{"id":"post-1","author_id":"acct-1","surface":"moments","visibility":"public","text":"hello","created_at":"2026-11-01T10:00:00Z"}`
	tooMany := strings.Repeat("{}\n", ingest.MaxBatchItems+1)
	cases := []exchange{
		{name: "accounts stored", pattern: "/api/v1/accounts", method: "POST", ctype: "application/json", token: e.ingest, body: "[" + account + "]", wantStatus: 200, validateRequest: true},
		{name: "accounts duplicate", pattern: "/api/v1/accounts", method: "POST", ctype: "application/x-ndjson", token: e.ingest, body: account + "\n", wantStatus: 200},
		{name: "accounts partly rejected", pattern: "/api/v1/accounts", method: "POST", ctype: "application/json", token: e.ingest, body: "[" + strings.Replace(account, "acct-1", "acct-3", 1) + "," + badAccount + "]", wantStatus: 207},
		{name: "accounts all rejected", pattern: "/api/v1/accounts", method: "POST", ctype: "application/x-ndjson", token: e.ingest, body: badAccount + "\nnot json\n", wantStatus: 422},
		{name: "content durable", pattern: "/api/v1/content", method: "POST", ctype: "application/x-ndjson", token: e.ingest, body: post + "\n", wantStatus: 200},
		{name: "malformed array", pattern: "/api/v1/groups", method: "POST", ctype: "application/json", token: e.ingest, body: `[{"id":`, wantStatus: 400},
		{name: "wrong content type", pattern: "/api/v1/logins", method: "POST", ctype: "text/csv", token: e.ingest, body: "a,b\n", wantStatus: 415},
		{name: "too many items", pattern: "/api/v1/logins", method: "POST", ctype: "application/x-ndjson", token: e.ingest, body: tooMany, wantStatus: 413},
		{name: "no token", pattern: "/api/v1/content", method: "POST", ctype: "application/json", body: "[" + post + "]", wantStatus: 401},
		{name: "wrong scope", pattern: "/api/v1/content", method: "POST", ctype: "application/json", token: e.auditTok, body: "[" + post + "]", wantStatus: 403},
		{name: "audit entries", pattern: "/api/v1/audit/entries", method: "GET", path: "/api/v1/audit/entries?limit=2", token: e.auditTok, wantStatus: 200},
		{name: "audit entry", pattern: "/api/v1/audit/entries/{index}", method: "GET", path: "/api/v1/audit/entries/0", token: e.auditTok, wantStatus: 200},
		{name: "audit entry missing", pattern: "/api/v1/audit/entries/{index}", method: "GET", path: "/api/v1/audit/entries/99999", token: e.auditTok, wantStatus: 404},
		{name: "audit bad limit", pattern: "/api/v1/audit/entries", method: "GET", path: "/api/v1/audit/entries?limit=0", token: e.auditTok, wantStatus: 400},
		{name: "consistency", pattern: "/api/v1/audit/proof/consistency", method: "GET", path: "/api/v1/audit/proof/consistency?from=1&to=2", token: e.auditTok, wantStatus: 200},
		{name: "inclusion", pattern: "/api/v1/audit/proof/inclusion", method: "GET", path: "/api/v1/audit/proof/inclusion?index=0&size=2", token: e.auditTok, wantStatus: 200},
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
