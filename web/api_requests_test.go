package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"vigil/lawreq"
	"vigil/lereq"
	"vigil/web"
)

// apiCall is one JSON API exchange through a signed-in browser.
type apiCall struct {
	b       *browser
	method  string
	pattern string // the route, for validation against the document
	path    string // defaults to pattern
	body    string
	ctype   string // defaults to application/json when body is set
	csrf    string
}

// apiReply is the decoded answer.
type apiReply struct {
	status int
	body   []byte
}

// errorOf decodes an error body.
func (r apiReply) errorOf(t *testing.T) (kind, field, msg string) {
	t.Helper()
	var e struct {
		Error struct{ Kind, Field, Message string } `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body is not JSON: %v\n%s", err, r.body)
	}
	return e.Error.Kind, e.Error.Field, e.Error.Message
}

// do sends c and validates the response against the API document.
func (c apiCall) do(t *testing.T, doc *openapi3.T) apiReply {
	t.Helper()
	path := c.path
	if path == "" {
		path = c.pattern
	}
	req, err := http.NewRequest(c.method, c.b.e.ts.URL+path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.ctype == "" && c.body != "" {
		c.ctype = "application/json"
	}
	if c.ctype != "" {
		req.Header.Set("Content-Type", c.ctype)
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%s %s: %d with Content-Type %q, want JSON:\n%.300s", c.method, path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	validate(t, doc, exchange{pattern: c.pattern, method: c.method}, req, resp, body)
	return apiReply{status: resp.StatusCode, body: body}
}

func decode[T any](t *testing.T, r apiReply) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, r.body)
	}
	return v
}

// TestAPIRequestsStaffAndOfficer drives the request API as the response
// team, a reviewer, the officer and another officer would, checking every
// answer against the API document.
func TestAPIRequestsStaffAndOfficer(t *testing.T) {
	ce := newConsoleEnv(t)
	doc, err := web.OpenAPIDocument(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	officer := ce.browser()
	ce.onboard(t, officer, "jo@metro-pd.example")
	oid := officerID(t, ce.portalEnv, "jo@metro-pd.example")
	ctx := context.Background()
	submit := func(typ lawreq.RequestType, key string) string {
		req := lawreq.Request{Type: typ, CaseNumber: "2026-CR-" + key, CaseName: "State v. Example",
			Supervisor: lawreq.Contact{Name: "Sgt. Lane", Email: "lane@metro-pd.example"},
			Targets:    []lawreq.Target{{Kind: lawreq.TargetWeChatID, Value: "alice_wx1"}},
			Requested:  []lawreq.Category{lawreq.SubscriberBasic},
			Range:      lawreq.DateRange{From: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}}
		if typ == lawreq.EmergencyDisclosure {
			req.Officer.Phone = "+12025550199"
			req.Emergency = &lawreq.EmergencyStatement{Danger: "A kidnapped child is held by the account holder.", WhyNow: "The child may be moved tonight.", Attested: true}
		}
		rv, err := ce.svc.SubmitRequest(ctx, oid, req, lereq.Upload{Filename: "order.pdf", ContentType: "application/pdf", Body: bytes.NewReader(testPDF)}, key)
		if err != nil {
			t.Fatalf("submit %s: %v", typ, err)
		}
		return rv.ID()
	}
	sub := submit(lawreq.Subpoena, "1")
	emg := submit(lawreq.EmergencyDisclosure, "2")

	resp := ce.staff("resp", "le_response")
	respTok := resp.csrf("/me")
	queue := func(query string) []string {
		t.Helper()
		r := apiCall{b: resp, method: "GET", pattern: "/api/v1/requests", path: "/api/v1/requests" + query}.do(t, doc)
		if r.status != http.StatusOK {
			t.Fatalf("queue%s: %d %s", query, r.status, r.body)
		}
		q := decode[web.QueueResponse](t, r)
		var ids []string
		for _, it := range q.Requests {
			ids = append(ids, it.ID)
		}
		if q.Count != len(ids) {
			t.Fatalf("count %d for %d requests", q.Count, len(ids))
		}
		return ids
	}
	// The unverified emergency first, then the subpoena.
	if ids := queue(""); strings.Join(ids, ",") != emg+","+sub {
		t.Fatalf("queue %v, want [%s %s]", ids, emg, sub)
	}
	if ids := queue("?type=subpoena"); len(ids) != 1 || ids[0] != sub {
		t.Fatalf("type filter: %v", ids)
	}
	if ids := queue("?limit=1"); len(ids) != 1 {
		t.Fatalf("limit=1: %v", ids)
	}
	if ids := queue("?breached=true"); len(ids) != 0 {
		t.Fatalf("nothing is breached yet: %v", ids)
	}
	ce.clock.Add(72 * time.Hour) // the emergency's clock runs out; the subpoena's (14 days) does not
	if ids := queue("?breached=true"); len(ids) != 1 || ids[0] != emg {
		t.Fatalf("breached filter after 72 h: %v", ids)
	}
	// Bad filters name the parameter and the accepted values.
	for query, want := range map[string]string{"?type=bogus": "type", "?state=lost": "state", "?breached=maybe": "breached", "?limit=0": "limit", "?limit=5000": "limit"} {
		r := apiCall{b: resp, method: "GET", pattern: "/api/v1/requests", path: "/api/v1/requests" + query}.do(t, doc)
		kind, field, msg := r.errorOf(t)
		if r.status != http.StatusBadRequest || kind != "invalid" || field != want || !strings.Contains(msg, "use ") {
			t.Errorf("%s: %d %s %s %q", query, r.status, kind, field, msg)
		}
	}

	// One request, as staff: with the states it may move to next.
	r := apiCall{b: resp, method: "GET", pattern: "/api/v1/requests/{id}", path: "/api/v1/requests/" + emg}.do(t, doc)
	if r.status != http.StatusOK {
		t.Fatalf("get: %d %s", r.status, r.body)
	}
	rv := decode[lereq.RequestView](t, r)
	if rv.ID() != emg || rv.Req.Type != lawreq.EmergencyDisclosure || len(rv.Next) == 0 {
		t.Fatalf("view: id %s type %s next %v", rv.ID(), rv.Req.Type, rv.Next)
	}

	// Transitions: JSON with the CSRF header; mistakes name the field.
	tpat := "/api/v1/requests/{id}/transitions"
	tpath := "/api/v1/requests/" + emg + "/transitions"
	bad := []struct {
		name, body, ctype, csrf string
		status                  int
		field                   string
	}{
		{"no csrf", `{"to":"triage"}`, "", "", http.StatusForbidden, ""},
		{"form body", "to=triage", "application/x-www-form-urlencoded", respTok, http.StatusBadRequest, "Content-Type"},
		{"misspelt field", `{"too":"triage"}`, "", respTok, http.StatusBadRequest, "too"},
		{"no target state", `{"reason":"x"}`, "", respTok, http.StatusBadRequest, "to"},
		{"wrong type", `{"to":"triage","categories":"subscriber_basic"}`, "", respTok, http.StatusBadRequest, "categories"},
		{"not json", `{"to":`, "", respTok, http.StatusBadRequest, ""},
	}
	for _, c := range bad {
		r := apiCall{b: resp, method: "POST", pattern: tpat, path: tpath, body: c.body, ctype: c.ctype, csrf: c.csrf}.do(t, doc)
		_, field, msg := r.errorOf(t)
		if c.name == "wrong type" && msg != "must be a JSON array, not string" {
			t.Errorf("wrong type: message %q", msg)
		}
		if r.status != c.status || field != c.field || msg == "" {
			t.Errorf("%s: %d field %q %q, want %d field %q", c.name, r.status, field, msg, c.status, c.field)
		}
	}
	next := rv.Next[0]
	r = apiCall{b: resp, method: "POST", pattern: tpat, path: tpath, body: `{"to":"` + string(next) + `","reason":"working it"}`, csrf: respTok}.do(t, doc)
	if r.status != http.StatusOK {
		t.Fatalf("transition to %s: %d %s", next, r.status, r.body)
	}
	if got := decode[lereq.RequestView](t, r); got.State != next {
		t.Fatalf("state after transition %s, want %s", got.State, next)
	}
	// A state not among the next ones is refused with a reason.
	r = apiCall{b: resp, method: "POST", pattern: tpat, path: tpath, body: `{"to":"delivered","reason":"skip"}`, csrf: respTok}.do(t, doc)
	if _, _, msg := r.errorOf(t); r.status < 400 || r.status >= 500 || msg == "" {
		t.Fatalf("skipping to delivered: %d %s", r.status, r.body)
	}

	// The officer: their own list and request, and the thread.
	offTok := officer.csrf("/portal")
	r = apiCall{b: officer, method: "GET", pattern: "/api/v1/portal/requests"}.do(t, doc)
	if mine := decode[web.QueueResponse](t, r); r.status != http.StatusOK || mine.Count != 2 {
		t.Fatalf("officer list: %d %s", r.status, r.body)
	}
	r = apiCall{b: officer, method: "GET", pattern: "/api/v1/requests/{id}", path: "/api/v1/requests/" + sub}.do(t, doc)
	if got := decode[lereq.RequestView](t, r); r.status != http.StatusOK || got.ID() != sub {
		t.Fatalf("officer get: %d %s", r.status, r.body)
	}
	mpat, mpath := "/api/v1/requests/{id}/messages", "/api/v1/requests/"+sub+"/messages"
	r = apiCall{b: officer, method: "POST", pattern: mpat, path: mpath, body: `{"body":"Any news?"}`, csrf: offTok}.do(t, doc)
	if m := decode[lereq.Message](t, r); r.status != http.StatusCreated || m.AuthorKind != "officer" || m.Body != "Any news?" {
		t.Fatalf("officer post: %d %s", r.status, r.body)
	}
	r = apiCall{b: resp, method: "POST", pattern: mpat, path: mpath, body: `{"body":"Working on it."}`, csrf: respTok}.do(t, doc)
	if m := decode[lereq.Message](t, r); r.status != http.StatusCreated || m.AuthorKind != "staff" {
		t.Fatalf("staff post: %d %s", r.status, r.body)
	}
	r = apiCall{b: resp, method: "POST", pattern: mpat, path: mpath, body: `{"body":"  "}`, csrf: respTok}.do(t, doc)
	if _, field, _ := r.errorOf(t); r.status != http.StatusBadRequest || field != "body" {
		t.Fatalf("empty message: %d %s", r.status, r.body)
	}
	// Officers may not move requests, nor see the staff queue.
	if r := (apiCall{b: officer, method: "POST", pattern: tpat, path: "/api/v1/requests/" + sub + "/transitions", body: `{"to":"triage"}`, csrf: offTok}).do(t, doc); r.status != http.StatusForbidden {
		t.Fatalf("officer transition: %d %s", r.status, r.body)
	}
	if r := (apiCall{b: officer, method: "GET", pattern: "/api/v1/requests"}).do(t, doc); r.status != http.StatusForbidden {
		t.Fatalf("officer queue: %d %s", r.status, r.body)
	}

	// Another officer of the same agency: someone else's request does not exist.
	other := ce.browser()
	ce.onboard(t, other, "kim@metro-pd.example")
	if r := (apiCall{b: other, method: "GET", pattern: "/api/v1/requests/{id}", path: "/api/v1/requests/" + sub}).do(t, doc); r.status != http.StatusNotFound {
		t.Fatalf("other officer get: %d %s", r.status, r.body)
	}
	if r := (apiCall{b: other, method: "GET", pattern: "/api/v1/portal/requests"}).do(t, doc); decode[web.QueueResponse](t, r).Count != 0 || !strings.Contains(string(r.body), `"requests":[]`) {
		t.Fatalf("other officer list: %d %s", r.status, r.body)
	}

	// A reviewer has no business with legal process; nobody signed in gets 401.
	rev := ce.staff("rita", "reviewer")
	if r := (apiCall{b: rev, method: "GET", pattern: "/api/v1/requests"}).do(t, doc); r.status != http.StatusForbidden {
		t.Fatalf("reviewer: %d %s", r.status, r.body)
	}
	if r := (apiCall{b: ce.browser(), method: "GET", pattern: "/api/v1/requests"}).do(t, doc); r.status != http.StatusUnauthorized {
		t.Fatalf("anonymous: %d %s", r.status, r.body)
	}
}

// TestAPIRequestsWithoutService: the routes exist on every server (the
// document lists them) and say plainly when there is no service behind them.
func TestAPIRequestsWithoutService(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("resp", "le_response")
	b := e.browser()
	b.login("resp")
	r := b.do("GET", "/api/v1/requests", nil, nil)
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "no law-enforcement request service") {
		t.Fatalf("%d %s", r.status, r.body)
	}
}
