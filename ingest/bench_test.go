package ingest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"vigil/ingest"
	"vigil/internal/testkit"
	"vigil/platform"
	"vigil/store"
)

// BenchmarkIngest measures sustained content intake in process: concurrent
// Submit calls of 1,000-item batches (validate, publish, wait for
// JetStream) with the consumer storing them, until every item is in the
// store. It reports items/s end to end.
func BenchmarkIngest(b *testing.B) {
	for _, db := range testkit.Databases(b) {
		b.Run(db.Dialect.String(), func(b *testing.B) { benchIngest(b, db) })
	}
}

var benchRun atomic.Int64

func benchIngest(b *testing.B, db *store.DB) {
	const batch, workers = 1000, 4
	run := benchRun.Add(1)
	r := newRig(b, db, b.TempDir(), nil, nil)
	r.startConsumer()
	var next atomic.Int64
	// Batches are pre-encoded so the benchmark measures intake, not the
	// generator.
	encode := func(k int64) []json.RawMessage {
		out := make([]json.RawMessage, batch)
		for i := range out {
			it := platform.ContentItem{ID: fmt.Sprintf("b%d-%d-%d", run, k, i), AuthorID: fmt.Sprintf("acc-%d", i%500),
				Surface: "moments", Visibility: "public", CreatedAt: testNow.Add(-time.Minute),
				Text: fmt.Sprintf("高价回收USDT 现金面交 微信 li_wei%d — compro dólares en efectivo, envío a toda la república #%d", i, k)}
			out[i], _ = json.Marshal(it)
		}
		return out
	}
	batches := make([][]json.RawMessage, b.N)
	for i := range batches {
		batches[i] = encode(int64(i))
	}
	count := func() int64 {
		var n int64
		if err := db.QueryRow("SELECT COUNT(*) FROM content_items").Scan(&n); err != nil {
			b.Fatal(err)
		}
		return n
	}
	before := count()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := next.Add(1) - 1
				if k >= int64(b.N) {
					return
				}
				res, err := r.svc.Submit(context.Background(), ingest.KindContent, batches[k], ingest.Caller{Name: "bench"})
				if err != nil || res.Accepted != batch {
					b.Errorf("submit: %+v %v", res, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	accepted := time.Since(start)
	for want := before + int64(b.N*batch); count() < want; {
		time.Sleep(20 * time.Millisecond)
	}
	total := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N*batch)/total.Seconds(), "items/s")
	b.ReportMetric(float64(b.N*batch)/accepted.Seconds(), "accepted-items/s")
}
