package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"vigil/audit"
	"vigil/ingest"
	"vigil/internal/testkit"
	"vigil/queue"
	"vigil/store"
	"vigil/web"
)

var ingestNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

type ingestEnv struct {
	t        testing.TB
	url      string
	dir      *store.Directory
	tokens   *store.Tokens
	ingest   string // raw token with scope ingest
	auditTok string // raw token with scope audit only
}

// newIngestEnv is a server with the real ingest service (store, embedded
// JetStream, queue consumer) and the audit API, and one token per scope.
func newIngestEnv(t testing.TB, db *store.DB) *ingestEnv {
	t.Helper()
	if db == nil {
		db = testkit.SQLite(t)
	}
	clock := func() time.Time { return ingestNow }
	keys, err := audit.NewKeys("test.vigil/ingest-api")
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
	e := &ingestEnv{t: t, dir: store.NewDirectory(db, clock), tokens: store.NewTokens(db, clock)}
	svc, err := ingest.New(ingest.Config{Store: e.dir, Queue: conn, Audit: alog, Clock: clock, Log: slog.New(slog.DiscardHandler)})
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
	if e.ingest, _, err = e.tokens.Create(ctx, "feeder", []string{"ingest"}); err != nil {
		t.Fatal(err)
	}
	if e.auditTok, _, err = e.tokens.Create(ctx, "verifier", []string{"audit"}); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{Users: db, Sessions: store.NewSessionStore(db, 0), Audit: alog,
		Tokens: web.ServiceTokens(e.tokens), Routes: append(web.IngestRoutes(svc), web.AuditRoutes(alog)...),
		Clock: clock, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	e.url = ts.URL
	return e
}

// post sends body and decodes the JSON answer into a generic map.
func (e *ingestEnv) post(path, token, ctype string, body io.Reader) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.url+path, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		e.t.Fatalf("%s answered %d with non-JSON %q", path, resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

func contentJSON(i int, visibility string) string {
	return fmt.Sprintf(`{"id":"p%d","author_id":"acc-%d","surface":"moments","visibility":%q,"text":"收U 高价 %d","created_at":"2026-11-20T08:00:00Z"}`, i, i, visibility, i)
}

func contentArray(from, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = contentJSON(from+i, "public")
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func (e *ingestEnv) waitStored(want int64) {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, err := e.dir.Stats(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		if st.Content == want {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("stored %d content items, want %d", st.Content, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestIngestAPIStatusesAndItemErrors(t *testing.T) {
	e := newIngestEnv(t, nil)
	code, res := e.post("/api/v1/content", e.ingest, "application/json", strings.NewReader(contentArray(0, 20)))
	if code != 200 || res["accepted"] != 20.0 || res["rejected"] != 0.0 || len(res["errors"].([]any)) != 0 {
		t.Fatalf("all good: %d %v", code, res)
	}
	e.waitStored(20)
	code, res = e.post("/api/v1/content", e.ingest, "application/json; charset=utf-8", strings.NewReader(contentArray(0, 20)))
	if code != 200 || res["accepted"] != 0.0 || res["duplicates"] != 20.0 {
		t.Fatalf("re-send: %d %v", code, res)
	}
	mixed := "[" + contentJSON(100, "public") + "," + contentJSON(101, "private") + "]"
	code, res = e.post("/api/v1/content", e.ingest, "application/json", strings.NewReader(mixed))
	if code != 207 || res["accepted"] != 1.0 || res["rejected"] != 1.0 {
		t.Fatalf("mixed: %d %v", code, res)
	}
	ie := res["errors"].([]any)[0].(map[string]any)
	if ie["index"] != 1.0 || ie["id"] != "p101" || ie["field"] != "visibility" || !strings.Contains(ie["message"].(string), "private") {
		t.Fatalf("item error %v", ie)
	}
	code, res = e.post("/api/v1/content", e.ingest, "application/json", strings.NewReader("["+contentJSON(102, "friends")+"]"))
	if code != 422 || res["accepted"] != 0.0 {
		t.Fatalf("all rejected: %d %v", code, res)
	}
	e.waitStored(21)
}

func TestIngestAPINDJSON(t *testing.T) {
	e := newIngestEnv(t, nil)
	nd := contentJSON(1, "public") + "\n\n" + contentJSON(2, "semi_public") + "\r\n{not json}\n" + contentJSON(3, "public")
	code, res := e.post("/api/v1/content", e.ingest, "application/x-ndjson", strings.NewReader(nd))
	if code != 207 || res["accepted"] != 3.0 || res["rejected"] != 1.0 {
		t.Fatalf("ndjson: %d %v", code, res)
	}
	if ie := res["errors"].([]any)[0].(map[string]any); ie["index"] != 2.0 || !strings.Contains(ie["message"].(string), "not valid JSON") {
		t.Fatalf("bad line error %v", ie)
	}
	e.waitStored(3)
	acc := `{"id":"a1","wechat_id":"wang_wu","display_name":"王五","phone":"13812345678","app":"wechat","region":"CN","registered_at":"2020-01-01T00:00:00+08:00","registration_ip":"203.0.113.5","status":"active"}`
	code, res = e.post("/api/v1/accounts", e.ingest, "application/x-ndjson", strings.NewReader(acc+"\n"))
	if code != 200 || res["accepted"] != 1.0 {
		t.Fatalf("accounts: %d %v", code, res)
	}
	a, err := e.dir.AccountByID(context.Background(), "a1")
	if err != nil || a.Phone != "+8613812345678" || !a.RegisteredAt.Equal(time.Date(2019, 12, 31, 16, 0, 0, 0, time.UTC)) {
		t.Fatalf("account %+v %v", a, err)
	}
	code, _ = e.post("/api/v1/groups", e.ingest, "application/json", strings.NewReader(`[{"id":"g1","name":"群","member_count":3,"join_method":"invite"}]`))
	code2, _ := e.post("/api/v1/logins", e.ingest, "application/json", strings.NewReader(`[{"account_id":"a1","at":"2026-11-24T09:00:00Z","ip":"198.51.100.1","device_id":"d","app_version":"8.0.50"}]`))
	if code != 200 || code2 != 200 {
		t.Fatalf("groups %d, logins %d", code, code2)
	}
}

// endless yields n bytes of spaces after a prefix, without holding them.
type endless struct {
	prefix string
	n      int
}

func (r *endless) Read(p []byte) (int, error) {
	if r.prefix != "" {
		k := copy(p, r.prefix)
		r.prefix = r.prefix[k:]
		return k, nil
	}
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n)
	for i := range p[:k] {
		p[i] = ' '
	}
	r.n -= k
	return k, nil
}

func TestIngestAPIRefusesMalformedBodies(t *testing.T) {
	e := newIngestEnv(t, nil)
	many := "[" + strings.TrimSuffix(strings.Repeat("{},", ingest.MaxBatchItems+1), ",") + "]"
	cases := []struct {
		name, ctype string
		body        io.Reader
		code        int
		msg         string
	}{
		{"no content type", "", strings.NewReader("[]"), 415, "application/x-ndjson"},
		{"form", "application/x-www-form-urlencoded", strings.NewReader("a=b"), 415, "Content-Type"},
		{"not json", "application/json", strings.NewReader("hello"), 400, "must be a JSON array"},
		{"empty body", "application/json", strings.NewReader(" "), 400, "empty"},
		{"object", "application/json", strings.NewReader(contentJSON(1, "public")), 400, "JSON array"},
		{"broken element", "application/json", strings.NewReader("[{\"id\":\"x\"},\n{\"id\":]"), 400, "(line 2)"},
		{"unclosed", "application/json", strings.NewReader(`[{"id":"x"}`), 400, "not a valid JSON array"},
		{"trailing", "application/json", strings.NewReader(`[{"id":"x"}] []`), 400, "after top-level value"},
		{"empty array", "application/json", strings.NewReader(`[]`), 400, "no records"},
		{"empty ndjson", "application/x-ndjson", strings.NewReader("\n\n"), 400, "no records"},
		{"too many items", "application/json", strings.NewReader(many), 413, "split it"},
		{"long line", "application/x-ndjson", &endless{prefix: `{"text":"`, n: 2 << 20}, 413, "line is longer"},
		{"huge body", "application/json", &endless{prefix: "[", n: web.MaxIngestBodyBytes + 1}, 413, "larger than"},
		{"huge ndjson", "application/x-ndjson", &endless{prefix: "", n: web.MaxIngestBodyBytes + 1}, 413, "line is longer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, res := e.post("/api/v1/content", e.ingest, c.ctype, c.body)
			msg, _ := res["error"].(map[string]any)["message"].(string)
			if code != c.code || !strings.Contains(msg, c.msg) {
				t.Fatalf("got %d %q; want %d containing %q", code, msg, c.code, c.msg)
			}
		})
	}
}

func gzipped(t *testing.T, s string) *bytes.Buffer {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := io.WriteString(zw, s); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return &b
}

func TestIngestAPIGzip(t *testing.T) {
	e := newIngestEnv(t, nil)
	send := func(enc string, body io.Reader) (int, map[string]any) {
		req, _ := http.NewRequest("POST", e.url+"/api/v1/content", body)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", enc)
		req.Header.Set("Authorization", "Bearer "+e.ingest)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	if code, res := send("gzip", gzipped(t, contentArray(0, 50))); code != 200 || res["accepted"] != 50.0 {
		t.Fatalf("gzip body: %d %v", code, res)
	}
	e.waitStored(50)
	// A bomb: a small compressed body that inflates past the limit.
	bomb := gzipped(t, "["+strings.Repeat(" ", web.MaxIngestBodyBytes+10)+"]")
	if code, res := send("gzip", bomb); code != 413 {
		t.Fatalf("gzip bomb: %d %v", code, res)
	}
	if code, _ := send("gzip", strings.NewReader("not gzip")); code != 400 {
		t.Fatalf("bad gzip: %d", code)
	}
	if code, _ := send("br", strings.NewReader("[]")); code != 415 {
		t.Fatalf("brotli: %d", code)
	}
}

func TestIngestAPIAuthentication(t *testing.T) {
	e := newIngestEnv(t, nil)
	body := func() io.Reader { return strings.NewReader(contentArray(0, 1)) }
	if code, _ := e.post("/api/v1/content", "", "application/json", body()); code != 401 {
		t.Fatalf("no token: %d", code)
	}
	if code, _ := e.post("/api/v1/content", "vgl_forged", "application/json", body()); code != 401 {
		t.Fatalf("forged token: %d", code)
	}
	if code, _ := e.post("/api/v1/accounts", e.auditTok, "application/json", body()); code != 403 {
		t.Fatalf("audit-scoped token: %d", code)
	}
	tok, err := e.tokens.Verify(context.Background(), e.ingest)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.tokens.Revoke(context.Background(), tok.ID); err != nil {
		t.Fatal(err)
	}
	if code, _ := e.post("/api/v1/content", e.ingest, "application/json", body()); code != 401 {
		t.Fatalf("revoked token: %d", code)
	}
}

// BenchmarkIngestHTTP measures sustained content intake over HTTP through
// the real server (token auth, body parsing, validation, JetStream, store):
// four clients post 1,000-item JSON batches; the clock stops when every item
// is in the store. Reports items/s and the p99 batch latency.
func BenchmarkIngestHTTP(b *testing.B) {
	for _, db := range testkit.Databases(b) {
		b.Run(db.Dialect.String(), func(b *testing.B) { benchIngestHTTP(b, db) })
	}
}

func benchIngestHTTP(b *testing.B, db *store.DB) {
	const batch, clients = 1000, 4
	e := newIngestEnv(b, db)
	bodies := make([]string, b.N)
	for i := range bodies {
		bodies[i] = contentArray(i*batch+benchOffset, batch)
	}
	benchOffset += b.N * batch
	before, _ := e.dir.Stats(context.Background())
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= b.N {
					return
				}
				t0 := time.Now()
				req, _ := http.NewRequest("POST", e.url+"/api/v1/content", strings.NewReader(bodies[k]))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.ingest)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
				lat[k] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	e.waitStored(before.Content + int64(b.N*batch))
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(b.N*batch)/elapsed.Seconds(), "items/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Milliseconds()), "p99-ms")
}

var benchOffset = 1_000_000
