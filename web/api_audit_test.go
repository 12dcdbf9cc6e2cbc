package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	tlog "github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"vigil/audit"
	"vigil/internal/testkit"
	"vigil/store"
	"vigil/web"
)

func auditServer(t *testing.T, entries int) (*httptest.Server, *audit.Log, []web.Route) {
	t.Helper()
	keys, err := audit.NewKeys("test.vigil/audit")
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	l, err := audit.New(store.NewAuditStore(testkit.SQLite(t)), keys, audit.Options{Clock: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	for i := 0; i < entries; i++ {
		if _, err := l.Append(context.Background(), audit.Event{Actor: fmt.Sprintf("staff:%d", i), Role: "reviewer",
			Action: "content.view", Records: []string{fmt.Sprintf("content:%d", i)}, Reason: "review <queue> & co"}); err != nil {
			t.Fatal(err)
		}
	}
	routes := web.AuditRoutes(l)
	mux := http.NewServeMux()
	for _, r := range routes {
		mux.HandleFunc(r.Method+" "+r.Pattern, r.Handler)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, l, routes
}

func call(t *testing.T, method, url, accept string, into any) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if into != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(body, into); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, url, err, body)
		}
	}
	return resp.StatusCode, string(body)
}

func unb64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAuditRoutesAccess(t *testing.T) {
	_, _, routes := auditServer(t, 0)
	for _, r := range routes {
		if !strings.HasPrefix(r.Pattern, "/api/v1/audit/") || r.Summary == "" {
			t.Errorf("route %s %s: bad pattern or no summary", r.Method, r.Pattern)
		}
		wantPublish := r.Method == "POST"
		for _, who := range []string{web.RoleAdmin, web.RoleAuditor, web.ScopeAudit, web.RoleReviewer, web.RoleLEResponse, web.RoleLegal, web.ScopeIngest, web.Public} {
			allowed := slices.Contains(r.Allow, who)
			want := who == web.RoleAdmin || (!wantPublish && (who == web.RoleAuditor || who == web.ScopeAudit))
			if allowed != want {
				t.Errorf("%s %s: %s allowed=%v, want %v", r.Method, r.Pattern, who, allowed, want)
			}
		}
	}
}

func TestAuditEntriesPaging(t *testing.T) {
	srv, _, _ := auditServer(t, 7)
	var page struct {
		Entries []struct {
			Index      uint64          `json:"index"`
			Leaf       json.RawMessage `json:"leaf"`
			LeafBase64 string          `json:"leaf_base64"`
			LeafHash   string          `json:"leaf_hash"`
		} `json:"entries"`
		Next *uint64 `json:"next"`
		Size uint64  `json:"size"`
	}
	if code, body := call(t, "GET", srv.URL+"/api/v1/audit/entries?from=2&limit=3", "", &page); code != 200 {
		t.Fatalf("status %d %s", code, body)
	}
	if len(page.Entries) != 3 || page.Entries[0].Index != 2 || page.Next == nil || *page.Next != 5 || page.Size != 7 {
		t.Fatalf("page: %+v", page)
	}
	for _, e := range page.Entries {
		leaf := unb64(t, e.LeafBase64)
		if got := base64.StdEncoding.EncodeToString(rfc6962.DefaultHasher.HashLeaf(leaf)); got != e.LeafHash {
			t.Errorf("entry %d: leaf bytes hash to %s, leaf_hash says %s", e.Index, got, e.LeafHash)
		}
		l, err := audit.DecodeLeaf(leaf)
		if err != nil || l.Index != e.Index || l.Event.Reason != "review <queue> & co" {
			t.Errorf("entry %d leaf: %+v %v", e.Index, l, err)
		}
	}
	page.Next = nil
	call(t, "GET", srv.URL+"/api/v1/audit/entries?from=5", "", &page)
	if len(page.Entries) != 2 || page.Next != nil {
		t.Fatalf("last page: %d entries, next %v", len(page.Entries), page.Next)
	}
	for _, tc := range []struct{ url, want string }{
		{"/api/v1/audit/entries?limit=0", `"field":"limit"`},
		{"/api/v1/audit/entries?from=-1", `"field":"from"`},
		{"/api/v1/audit/entries/abc", `"field":"index"`},
	} {
		if code, body := call(t, "GET", srv.URL+tc.url, "", nil); code != 400 || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s: %d %s", tc.url, code, body)
		}
	}
	if code, body := call(t, "GET", srv.URL+"/api/v1/audit/entries/99", "", nil); code != 404 || !strings.Contains(body, "audit entry 99") {
		t.Errorf("missing entry: %d %s", code, body)
	}
}

type checkpointResp struct {
	Origin     string `json:"origin"`
	Size       uint64 `json:"size"`
	RootHash   string `json:"root_hash"`
	Checkpoint string `json:"checkpoint"`
	PublicKey  string `json:"public_key"`
}

type proofResp struct {
	LeafHash string   `json:"leaf_hash"`
	TreeSize uint64   `json:"tree_size"`
	Hashes   []string `json:"hashes"`
}

// TestAuditProofsOverHTTP is what an external auditor does: fetch a signed
// checkpoint, check it with the published key, and check inclusion and
// consistency proofs against it using only library code.
func TestAuditProofsOverHTTP(t *testing.T) {
	srv, l, _ := auditServer(t, 4)
	if code, body := call(t, "GET", srv.URL+"/api/v1/audit/checkpoint", "", nil); code != 404 {
		t.Fatalf("checkpoint before any was published: %d %s", code, body)
	}
	var cp1, cp2 checkpointResp
	if code, body := call(t, "POST", srv.URL+"/api/v1/audit/checkpoints", "", &cp1); code != 201 {
		t.Fatalf("publish: %d %s", code, body)
	}
	for i := 4; i < 11; i++ {
		if _, err := l.Append(context.Background(), audit.Event{Actor: "a", Action: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	call(t, "POST", srv.URL+"/api/v1/audit/checkpoints", "", &cp2)
	var latest checkpointResp
	call(t, "GET", srv.URL+"/api/v1/audit/checkpoint", "", &latest)
	if latest.Size != 11 || latest.Checkpoint != cp2.Checkpoint {
		t.Fatalf("latest checkpoint %+v", latest)
	}
	_, raw := call(t, "GET", srv.URL+"/api/v1/audit/checkpoint", "text/plain", nil)
	if raw != cp2.Checkpoint {
		t.Fatalf("text/plain checkpoint %q", raw)
	}
	v, err := note.NewVerifier(latest.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	parsed := map[uint64]*tlog.Checkpoint{}
	for _, c := range []checkpointResp{cp1, cp2} {
		p, _, _, err := tlog.ParseCheckpoint([]byte(c.Checkpoint), latest.Origin, v)
		if err != nil {
			t.Fatalf("checkpoint does not verify with the published key: %v", err)
		}
		parsed[p.Size] = p
	}
	h := rfc6962.DefaultHasher
	var pr proofResp
	if code, body := call(t, "GET", srv.URL+"/api/v1/audit/proof/inclusion?index=3&size=4", "", &pr); code != 200 {
		t.Fatalf("inclusion: %d %s", code, body)
	}
	if err := proof.VerifyInclusion(h, 3, 4, unb64(t, pr.LeafHash), decodeAll(t, pr.Hashes), parsed[4].Hash); err != nil {
		t.Fatalf("inclusion proof: %v", err)
	}
	pr = proofResp{}
	call(t, "GET", srv.URL+"/api/v1/audit/proof/inclusion?index=9", "", &pr) // size defaults to the latest checkpoint
	if pr.TreeSize != 11 {
		t.Fatalf("default size %d", pr.TreeSize)
	}
	if err := proof.VerifyInclusion(h, 9, 11, unb64(t, pr.LeafHash), decodeAll(t, pr.Hashes), parsed[11].Hash); err != nil {
		t.Fatalf("inclusion proof at latest: %v", err)
	}
	pr = proofResp{}
	if code, body := call(t, "GET", srv.URL+"/api/v1/audit/proof/consistency?from=4&to=11", "", &pr); code != 200 {
		t.Fatalf("consistency: %d %s", code, body)
	}
	if err := proof.VerifyConsistency(h, 4, 11, decodeAll(t, pr.Hashes), parsed[4].Hash, parsed[11].Hash); err != nil {
		t.Fatalf("consistency proof: %v", err)
	}
	for _, tc := range []struct{ url, want string }{
		{"/api/v1/audit/proof/inclusion?index=3&size=50", `"field":"size"`},
		{"/api/v1/audit/proof/inclusion?index=5&size=4", "not below tree size 4"},
		{"/api/v1/audit/proof/inclusion", `"field":"index"`},
		{"/api/v1/audit/proof/consistency?from=5&to=4", "exceeds to size"},
		{"/api/v1/audit/proof/consistency?from=5", "both required"},
	} {
		if code, body := call(t, "GET", srv.URL+tc.url, "", nil); code != 400 || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s: %d %s", tc.url, code, body)
		}
	}
}

func decodeAll(t *testing.T, ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = unb64(t, s)
	}
	return out
}
