package main

import (
	"bytes"
	"mime"
	"mime/multipart"
	"strings"
	"testing"
	"time"
)

const wrkOut = `Running 15s test @ http://127.0.0.1:41271/api/v1/requests
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.32ms    8.39ms  52.30ms   71.20%
    Req/Sec   157.65     37.43   240.00     63.33%
  Latency Distribution
     50%  812.00us
     75%   17.34ms
     90%   25.41ms
     99%    1.02s
  23949 requests in 15.03s, 265.05MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:   1593.40
Transfer/sec:     87.62KB
`

func TestParseWrk(t *testing.T) {
	r, err := parseWrk(wrkOut)
	if err != nil {
		t.Fatal(err)
	}
	want := wrkResult{Requests: 23949, Duration: 15030 * time.Millisecond, RPS: 1593.40, P50: 812 * time.Microsecond,
		P90: 25410 * time.Microsecond, P99: 1020 * time.Millisecond, Non2xx: 7, Errors: "Socket errors: connect 0, read 0, write 0, timeout 3"}
	if r != want {
		t.Fatalf("got %+v\nwant %+v", r, want)
	}
	if _, err := parseWrk("Running 1s test\n  0 requests in 1.00s\n"); err == nil {
		t.Fatal("output without a latency distribution accepted")
	}
}

func TestRenderVerdicts(t *testing.T) {
	fast := wrkResult{Requests: 1000, RPS: 900, P50: time.Millisecond, P99: 10 * time.Millisecond}
	slow := fast
	slow.P99 = 80 * time.Millisecond
	doc := render(map[string]string{"seeded": "1000"}, []wrkRun{
		{db: "sqlite", what: "queue API (100 rows)", conns: "8", res: fast},
		{db: "postgres", what: "queue API (100 rows)", conns: "8", res: slow},
		{db: "sqlite", what: "request submission (portal form)", conns: "4", res: slow},
	}, 3*time.Second)
	if !strings.HasPrefix(doc, SectionHeading+"\n") {
		t.Fatalf("section does not start with its heading:\n%s", doc)
	}
	for _, want := range []string{
		"sqlite, queue API (100 rows): p99 10.00 ms at 900 requests/s: met.",
		"postgres, queue API (100 rows): p99 80.00 ms at 900 requests/s: **not met**.",
		"3000.00 ms per package: **not met**.",
		"PostgreSQL not run",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("report lacks %q:\n%s", want, doc)
		}
	}
	// Submission latency is reported but not held to the queue's target.
	if strings.Contains(doc, "sqlite, request submission") {
		t.Errorf("submission judged against the queue target:\n%s", doc)
	}
}

// TestSubmitBodyIsTheForm: the seeded body is a multipart form the portal
// reads, with the fields it requires and the PDF, and no client_key (so
// every POST is a new request).
func TestSubmitBodyIsTheForm(t *testing.T) {
	body, ct, err := submitBody()
	if err != nil {
		t.Fatal(err)
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("content type %q: %v", ct, err)
	}
	form, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"type", "case_number", "targets", "categories", "from", "to"} {
		if len(form.Value[f]) != 1 || form.Value[f][0] == "" {
			t.Errorf("field %s: %v", f, form.Value[f])
		}
	}
	if _, ok := form.Value["client_key"]; ok {
		t.Error("the body carries a client_key: repeated POSTs would be one request")
	}
	if docs := form.File["document"]; len(docs) != 1 || docs[0].Size != int64(len(tinyPDF)) {
		t.Errorf("document: %v", docs)
	}
}
