package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeVigil answers the ingest API and /metrics like vigil serve: every
// third content batch is refused with 503, and items reach the "store" a
// little after they are acknowledged.
type fakeVigil struct {
	mu               sync.Mutex
	posts, accepted  int
	stored           int
	groups           bool
	token            string
	lastContentTypes []string
}

func (f *fakeVigil) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.URL.Path == "/metrics" {
		// The store catches up by 400 items per scrape.
		f.stored = min(f.accepted, f.stored+400)
		fmt.Fprintf(w, "# TYPE x counter\nvigil_ingest_content_stored_total %d\nvigil_ingest_queue_lag %d\nprocess_cpu_seconds_total %d\n",
			f.stored+7, f.accepted-f.stored, f.stored/100)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		w.WriteHeader(401)
		return
	}
	switch r.URL.Path {
	case "/api/v1/groups":
		f.groups = true
		fmt.Fprint(w, `{"accepted":40}`)
	case "/api/v1/content":
		f.lastContentTypes = append(f.lastContentTypes, r.Header.Get("Content-Type"))
		n := 0
		sc := bufio.NewScanner(r.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			n++
		}
		f.posts++
		if f.posts%3 == 0 {
			w.WriteHeader(503)
			fmt.Fprint(w, `{"error":{"kind":"unavailable","message":"queue down"}}`)
			return
		}
		f.accepted += n
		fmt.Fprintf(w, `{"accepted":%d,"duplicates":0,"rejected":0}`, n)
	default:
		w.WriteHeader(404)
	}
}

func writeCorpus(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "c.jsonl")
	if err := os.WriteFile(p, []byte(`{"text":"hello"}`+"\n"+`{"text":"你好"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunCountsOnlyAcknowledgedItemsAndWaitsForTheStore(t *testing.T) {
	f := &fakeVigil{token: "vgl_test"}
	srv := httptest.NewServer(f)
	defer srv.Close()
	cfg := RunConfig{URL: srv.URL, Token: "vgl_test", Corpus: writeCorpus(t), Label: "t", Database: "sqlite",
		RunID: "ibt", Items: 2500, Clients: 3, Size: 100, Seed: 1, Timeout: 30 * time.Second}
	res, err := Run(context.Background(), cfg, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	if !f.groups {
		t.Fatal("the bench groups were not registered before the content")
	}
	if res.Batches != 25 || res.FailedBatches != 8 {
		t.Fatalf("batches %d, failed %d: want 25 and 8 (every third refused)", res.Batches, res.FailedBatches)
	}
	if res.Acked != 1700 || int(res.Acked) != f.accepted {
		t.Fatalf("acked %d, the server accepted %d: want 1700", res.Acked, f.accepted)
	}
	if res.TimedOut || res.StoredMetric != 1700 {
		t.Fatalf("timed out %v, stored %d: Run must wait until every acked item is stored", res.TimedOut, res.StoredMetric)
	}
	if res.StoredAtHTTPEnd > res.Acked || res.ConsumerOnlyPerSec() < 0 {
		t.Fatalf("stored at the last answer %d of %d acked", res.StoredAtHTTPEnd, res.Acked)
	}
	if res.StoredSeconds < res.HTTPSeconds || res.DrainedSeconds < res.StoredSeconds {
		t.Fatalf("times out of order: http %v stored %v drained %v", res.HTTPSeconds, res.StoredSeconds, res.DrainedSeconds)
	}
	if len(res.Errors) == 0 || !strings.Contains(res.Errors[0], "503") {
		t.Fatalf("errors %q: the refusal must be reported", res.Errors)
	}
	if res.LatMax < res.LatP99 || res.LatP99 < res.LatP50 || res.LatP50 <= 0 {
		t.Fatalf("latencies p50 %v p99 %v max %v", res.LatP50, res.LatP99, res.LatMax)
	}
	for _, ct := range f.lastContentTypes {
		if ct != "application/x-ndjson" {
			t.Fatalf("content type %q", ct)
		}
	}
	if res.ServerCPUSeconds != 17 || res.PeakLag == 0 {
		t.Fatalf("server CPU %v (want 17), peak lag %d", res.ServerCPUSeconds, res.PeakLag)
	}
}

func TestRunTimesOutWhenTheStoreNeverCatchesUp(t *testing.T) {
	f := &fakeVigil{token: "vgl_test"}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" {
			fmt.Fprint(w, "vigil_ingest_content_stored_total 0\nvigil_ingest_queue_lag 5\n")
			return
		}
		f.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	cfg := RunConfig{URL: srv.URL, Token: "vgl_test", Corpus: writeCorpus(t), Label: "t", RunID: "ibt",
		Items: 200, Clients: 2, Size: 100, Timeout: 500 * time.Millisecond}
	res, err := Run(context.Background(), cfg, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	if !res.TimedOut || res.StoredMetric != 0 || Lost(res.Acked, res.StoredMetric) != 200 {
		t.Fatalf("timed out %v stored %d acked %d: a store that never catches up must show as lost items", res.TimedOut, res.StoredMetric, res.Acked)
	}
}

func TestRunRefusesAServerWithoutIntakeMetrics(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" {
			fmt.Fprint(w, "go_goroutines 3\n")
			return
		}
		fmt.Fprint(w, `{"accepted":1}`)
	}))
	defer srv.Close()
	cfg := RunConfig{URL: srv.URL, Token: "x", Corpus: writeCorpus(t), RunID: "ibt", Items: 1, Clients: 1, Size: 1, Timeout: time.Second}
	if _, err := Run(context.Background(), cfg, t.Logf); err == nil || !strings.Contains(err.Error(), metricStored) {
		t.Fatalf("err %v: want one naming the missing metric", err)
	}
}
