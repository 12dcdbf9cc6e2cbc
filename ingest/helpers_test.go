package ingest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"vigil/ingest"
	"vigil/platform"
	"vigil/queue"
	"vigil/store"
)

var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return testNow }

// rig is a complete intake: embedded JetStream in a temp dir, a store, the
// service, and its consumer running until the test ends.
type rig struct {
	t     testing.TB
	qdir  string
	emb   *queue.Embedded
	conn  *queue.Conn
	db    *store.DB
	dir   *store.Directory
	svc   *ingest.Service
	stop  context.CancelFunc
	done  chan error
	stage ingest.Stage
}

func newRig(t testing.TB, db *store.DB, qdir string, stage ingest.Stage, aud ingest.Auditor, opts ...func(*ingest.Config)) *rig {
	t.Helper()
	r := &rig{t: t, qdir: qdir, db: db, dir: store.NewDirectory(db, clock), stage: stage}
	var err error
	if r.emb, err = queue.StartEmbedded(qdir); err != nil {
		t.Fatal(err)
	}
	if r.conn, err = r.emb.Connect(); err != nil {
		t.Fatal(err)
	}
	cfg := ingest.Config{Store: r.dir, Queue: r.conn, Stage: stage, Audit: aud, Clock: clock, Log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(&cfg)
	}
	r.svc, err = ingest.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.svc.EnsureQueue(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.shutdown)
	return r
}

func (r *rig) startConsumer() {
	ctx, cancel := context.WithCancel(context.Background())
	r.stop, r.done = cancel, make(chan error, 1)
	go func() { r.done <- r.svc.Run(ctx) }()
}

// shutdown drains the consumer gracefully and stops the server.
func (r *rig) shutdown() {
	if r.stop != nil {
		r.stop()
		if err := <-r.done; err != nil {
			r.t.Errorf("consumer: %v", err)
		}
		r.stop = nil
	}
	if r.conn != nil {
		r.conn.Close()
		r.emb.Shutdown()
		r.conn = nil
	}
}

// crash closes the queue connection and stops the server under a running
// consumer, as kill -9 would: nothing in flight gets acknowledged. The
// consumer goroutine is left to notice; stopConsumer reaps it.
func (r *rig) crash() {
	r.conn.Close()
	r.emb.Shutdown()
	r.conn = nil
}

func (r *rig) stopConsumer() {
	if r.stop != nil {
		r.stop()
		<-r.done
		r.stop = nil
	}
}

func (r *rig) submit(kind ingest.Kind, items ...any) ingest.Result {
	r.t.Helper()
	res, err := r.svc.Submit(context.Background(), kind, raws(r.t, items...), ingest.Caller{ID: "tok1", Name: "feeder"})
	if err != nil {
		r.t.Fatalf("submit %s: %v", kind, err)
	}
	return res
}

// waitContent polls the store until it holds want content items.
func (r *rig) waitContent(want int64) {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, err := r.dir.Stats(context.Background())
		if err != nil {
			r.t.Fatal(err)
		}
		if st.Content == want {
			return
		}
		if st.Content > want || time.Now().After(deadline) {
			r.t.Fatalf("store holds %d content items, want %d", st.Content, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func raws(t testing.TB, items ...any) []json.RawMessage {
	out := make([]json.RawMessage, len(items))
	for i, it := range items {
		switch v := it.(type) {
		case string:
			out[i] = json.RawMessage(v)
		default:
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			out[i] = b
		}
	}
	return out
}

func post(i int) platform.ContentItem {
	return platform.ContentItem{ID: fmt.Sprintf("post-%06d", i), AuthorID: fmt.Sprintf("acc-%d", i%97), Surface: "channels",
		Visibility: "public", Text: fmt.Sprintf("回收 USDT，现金交易 #%d — se cambian dólares", i), CreatedAt: testNow.Add(-time.Duration(i) * time.Second)}
}

func posts(from, n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = post(from + i)
	}
	return out
}

// recordingStage remembers every id it was handed, and how often.
type recordingStage struct {
	mu      sync.Mutex
	seen    map[string]int
	block   chan struct{} // when non-nil, Process waits on it (a "crash" window)
	entered chan struct{}
}

func (s *recordingStage) Process(ctx context.Context, items []platform.ContentItem) error {
	if s.block != nil {
		select {
		case s.entered <- struct{}{}:
		default:
		}
		<-s.block
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = map[string]int{}
	}
	for _, it := range items {
		s.seen[it.ID]++
	}
	return nil
}

func (s *recordingStage) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}
