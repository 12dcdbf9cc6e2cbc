package ingest_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"vigil/audit"
	"vigil/ingest"
	"vigil/internal/testkit"
	"vigil/platform"
	"vigil/store"
)

func TestContentEndToEndIsIdempotent(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			keys, err := audit.NewKeys("vigil.test/ingest")
			if err != nil {
				t.Fatal(err)
			}
			alog, err := audit.New(store.NewAuditStore(db), keys, audit.Options{Clock: clock})
			if err != nil {
				t.Fatal(err)
			}
			defer alog.Close()
			stage := &recordingStage{}
			r := newRig(t, db, t.TempDir(), stage, alog)
			r.startConsumer()

			if res := r.submit(ingest.KindGroups, platform.Group{ID: "grp-1", Name: "换汇群", MemberCount: 300, JoinMethod: "public_qr"}); res.Accepted != 1 {
				t.Fatalf("group: %+v", res)
			}
			batch := posts(0, 300)
			private := post(900)
			private.Visibility = "private"
			inGroup := post(901)
			inGroup.Surface, inGroup.GroupID = "group_chat", "grp-1"
			unknownGroup := post(902)
			unknownGroup.Surface, unknownGroup.GroupID = "group_chat", "grp-secret"
			batch = append(batch, private, inGroup, unknownGroup,
				`{"id":"typo","author_id":"a","surface":"moments","visiblity":"public","text":"x","created_at":"2026-01-01T00:00:00Z"}`,
				`{"id":"badtime","author_id":"a","surface":"moments","visibility":"public","text":"x","created_at":"yesterday"}`,
				`[1,2]`, batch[0])
			res := r.submit(ingest.KindContent, batch...)
			if res.Accepted != 301 || res.Duplicates != 1 || res.Rejected != 5 {
				t.Fatalf("first submit: %+v", res)
			}
			want := map[int]string{300: "visibility", 302: "group_id", 303: "visiblity", 304: "created_at", 305: ""}
			if len(res.Errors) != len(want) {
				t.Fatalf("errors %+v", res.Errors)
			}
			for _, e := range res.Errors {
				if f, ok := want[e.Index]; !ok || f != e.Field || e.Message == "" {
					t.Errorf("unexpected item error %+v", e)
				}
			}
			if res.Errors[0].ID != private.ID || !strings.Contains(res.Errors[0].Message, "private content") {
				t.Errorf("private item error %+v", res.Errors[0])
			}
			r.waitContent(301)

			// Re-sending the same batch changes nothing.
			again := r.submit(ingest.KindContent, batch...)
			if again.Accepted != 0 || again.Duplicates != 302 || again.Rejected != 5 {
				t.Fatalf("re-submit: %+v", again)
			}
			r.waitContent(301)
			if _, err := r.dir.Content(context.Background(), private.ID); err == nil {
				t.Fatal("private item was stored")
			}
			if got, err := r.dir.Content(context.Background(), inGroup.ID); err != nil || got.GroupID != "grp-1" {
				t.Fatalf("group item: %+v %v", got, err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for stage.count() != 301 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if stage.count() != 301 {
				t.Fatalf("next stage saw %d items", stage.count())
			}
			if lag, err := r.svc.Lag(context.Background()); err != nil || lag != 0 {
				t.Fatalf("lag %d %v", lag, err)
			}
			if n, err := r.conn.StoredMessages(context.Background()); err != nil || n != 0 {
				t.Fatalf("stream still holds %d stored batches, %v", n, err)
			}
			// One audit event per batch that accepted something.
			es, err := alog.Entries(context.Background(), 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(es) != 2 || es[0].Action != "ingest.groups" || es[1].Action != "ingest.content" || es[1].Actor != "service:feeder" {
				t.Fatalf("audit entries %+v", es)
			}
			leaf, err := audit.DecodeLeaf(es[1].Leaf)
			if err != nil || leaf.Event.Detail["accepted"] != "301" || leaf.Event.Detail["rejected"] != "5" {
				t.Fatalf("audit event %+v %v", leaf.Event, err)
			}
		})
	}
}

func TestQueuedDuplicateBatchIsAcknowledgedOnce(t *testing.T) {
	r := newRig(t, testkit.SQLite(t), t.TempDir(), nil, nil)
	// No consumer yet: the second send is caught by JetStream's duplicate
	// window, before anything reached the store.
	batch := posts(0, 50)
	if res := r.submit(ingest.KindContent, batch...); res.Accepted != 50 {
		t.Fatalf("first: %+v", res)
	}
	if res := r.submit(ingest.KindContent, batch...); res.Accepted != 0 || res.Duplicates != 50 {
		t.Fatalf("second: %+v", res)
	}
	if lag, _ := r.svc.Lag(context.Background()); lag != 1 {
		t.Fatalf("queue holds %d messages, want 1", lag)
	}
	r.startConsumer()
	r.waitContent(50)
}

func TestConsumerCrashBeforeAckIsExactlyOnce(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			qdir := t.TempDir()
			stage := &recordingStage{block: make(chan struct{}), entered: make(chan struct{}, 1)}
			r := newRig(t, db, qdir, stage, nil, fastRedelivery)
			r.startConsumer()
			if res := r.submit(ingest.KindContent, posts(0, 400)...); res.Accepted != 400 {
				t.Fatalf("%+v", res)
			}
			// The consumer committed and is inside the next stage, not yet acked.
			select {
			case <-stage.entered:
			case <-time.After(20 * time.Second):
				t.Fatal("consumer never reached the stage")
			}
			r.waitContent(400)
			r.crash()
			close(stage.block) // the stage returns into a dead connection: no ack
			r.stopConsumer()

			// Restart on the same queue directory and database.
			stage2 := &recordingStage{}
			r2 := newRig(t, db, qdir, stage2, nil, fastRedelivery)
			r2.startConsumer()
			deadline := time.Now().Add(20 * time.Second)
			for stage2.count() < 400 && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			if stage2.count() != 400 {
				t.Fatalf("after restart the stage saw %d redelivered items, want 400", stage2.count())
			}
			r2.waitContent(400)
			deadline = time.Now().Add(10 * time.Second)
			for {
				lag, err := r2.svc.Lag(context.Background())
				if err == nil && lag == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("lag %d, %v after redelivery", lag, err)
				}
				time.Sleep(20 * time.Millisecond)
			}
			var n int
			if err := db.QueryRow("SELECT COUNT(DISTINCT id) FROM content_items").Scan(&n); err != nil || n != 400 {
				t.Fatalf("distinct ids %d, %v", n, err)
			}
		})
	}
}

// fastRedelivery makes JetStream redeliver unacknowledged messages after a
// second instead of thirty, so crash tests finish quickly.
func fastRedelivery(c *ingest.Config) { c.AckWait = time.Second }

func TestDirectoryKindsGoStraightToTheStore(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			r := newRig(t, db, t.TempDir(), nil, nil)
			acc := platform.Account{ID: "acc-1", WeChatID: "zhang_san", DisplayName: "张三", Phone: "+852 5123 4567", App: "weixin",
				Region: "HK", RegisteredAt: testNow.Add(-24 * time.Hour), RegistrationIP: "203.0.113.1", Status: "active"}
			bad := acc
			bad.ID, bad.Phone, bad.Status = "acc-2", "12", "gone"
			res := r.submit(ingest.KindAccounts, acc, bad)
			if res.Accepted != 1 || res.Rejected != 1 || len(res.Errors) != 2 ||
				res.Errors[0].Field != "phone" || res.Errors[1].Field != "status" || res.Errors[0].ID != "acc-2" || res.Errors[0].Index != 1 {
				t.Fatalf("accounts: %+v", res)
			}
			got, err := r.dir.AccountByID(context.Background(), "acc-1")
			if err != nil || got.Phone != "+85251234567" {
				t.Fatalf("stored account %+v %v (must be readable as soon as Submit returns)", got, err)
			}
			if res := r.submit(ingest.KindAccounts, acc); res.Accepted != 0 || res.Duplicates != 1 {
				t.Fatalf("re-sent account: %+v", res)
			}
			acc.Status = "suspended"
			if res := r.submit(ingest.KindAccounts, acc); res.Accepted != 1 {
				t.Fatalf("changed account: %+v", res)
			}
			login := platform.Login{AccountID: "acc-1", At: testNow.Add(-time.Hour), IP: "198.51.100.2", DeviceID: "dev", AppVersion: "8.0.50"}
			if res := r.submit(ingest.KindLogins, login, login); res.Accepted != 1 || res.Duplicates != 1 {
				t.Fatalf("logins: %+v", res)
			}
			if res := r.submit(ingest.KindLogins, login); res.Accepted != 0 || res.Duplicates != 1 {
				t.Fatalf("re-sent login: %+v", res)
			}
			g := platform.Group{ID: "g", Name: "n", MemberCount: 1, JoinMethod: "private"}
			if res := r.submit(ingest.KindGroups, g); res.Rejected != 1 || res.Errors[0].Field != "join_method" {
				t.Fatalf("private group: %+v", res)
			}
		})
	}
}

func TestSubmitRefusesOversizedBatchAndUnknownKind(t *testing.T) {
	r := newRig(t, testkit.SQLite(t), t.TempDir(), nil, nil)
	big := make([]any, ingest.MaxBatchItems+1)
	for i := range big {
		big[i] = `{}`
	}
	if _, err := r.svc.Submit(context.Background(), ingest.KindContent, raws(t, big...), ingest.Caller{}); err == nil {
		t.Fatal("oversized batch accepted")
	}
	if _, err := r.svc.Submit(context.Background(), "messages", raws(t, `{}`), ingest.Caller{}); err == nil {
		t.Fatal("unknown kind accepted")
	}
}

func TestGracefulDrainLosesNothing(t *testing.T) {
	db := testkit.SQLite(t)
	qdir := t.TempDir()
	r := newRig(t, db, qdir, nil, nil)
	r.startConsumer()
	total := 0
	for i := 0; i < 20; i++ {
		total += r.submit(ingest.KindContent, posts(i*100, 100)...).Accepted
	}
	r.shutdown() // cancel while work may be in flight
	r2 := newRig(t, db, qdir, nil, nil)
	r2.startConsumer()
	r2.waitContent(int64(total))
}

// slowStage takes longer than the ack deadline on its first call.
type slowStage struct {
	recordingStage
	once sync.Once
	d    time.Duration
}

func (s *slowStage) Process(ctx context.Context, items []platform.ContentItem) error {
	s.once.Do(func() { time.Sleep(s.d) })
	return s.recordingStage.Process(ctx, items)
}

func TestSlowBatchIsKeptAliveNotRedelivered(t *testing.T) {
	stage := &slowStage{d: 2500 * time.Millisecond}
	r := newRig(t, testkit.SQLite(t), t.TempDir(), stage, nil, fastRedelivery)
	r.startConsumer()
	if res := r.submit(ingest.KindContent, posts(0, 100)...); res.Accepted != 100 {
		t.Fatalf("%+v", res)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		lag, err := r.svc.Lag(context.Background())
		if err == nil && lag == 0 && stage.count() == 100 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("lag %d, %v, stage saw %d", lag, err, stage.count())
		}
		time.Sleep(20 * time.Millisecond)
	}
	stage.mu.Lock()
	defer stage.mu.Unlock()
	for id, n := range stage.seen {
		if n != 1 {
			t.Fatalf("item %s reached the stage %d times: the slow batch was redelivered", id, n)
		}
	}
}

func TestMetricsCountOutcomesAndLag(t *testing.T) {
	reg := prometheus.NewRegistry()
	r := newRig(t, testkit.SQLite(t), t.TempDir(), nil, nil, func(c *ingest.Config) { c.Registerer = reg })
	bad := post(99)
	bad.Visibility = "private"
	r.submit(ingest.KindContent, append(posts(0, 10), bad, post(0))...)
	got := map[string]float64{}
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		for _, m := range f.GetMetric() {
			key := f.GetName()
			for _, l := range m.GetLabel() {
				key += "," + l.GetValue()
			}
			got[key] = m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	want := map[string]float64{
		"vigil_ingest_items_total,content,accepted":  10,
		"vigil_ingest_items_total,content,duplicate": 1,
		"vigil_ingest_items_total,content,rejected":  1,
		"vigil_ingest_queue_lag":                     1, // one batch queued, no consumer running
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
}

// refusingStore is the real directory, except that it fails every insert
// that contains the poison id (as a store constraint would).
type refusingStore struct {
	*store.Directory
	poison string
}

func (s refusingStore) InsertContent(ctx context.Context, items []platform.ContentItem) (int64, error) {
	for _, it := range items {
		if it.ID == s.poison {
			return 0, fmt.Errorf("refused %s", it.ID)
		}
	}
	return s.Directory.InsertContent(ctx, items)
}

func TestPoisonMessageDoesNotHoldBackOthers(t *testing.T) {
	db := testkit.SQLite(t)
	r := newRig(t, db, t.TempDir(), nil, nil, func(c *ingest.Config) {
		c.Store = refusingStore{Directory: store.NewDirectory(db, clock), poison: post(5).ID}
	})
	// Queue both batches before the consumer starts so they arrive together.
	r.submit(ingest.KindContent, posts(0, 10)...)
	r.submit(ingest.KindContent, posts(10, 10)...)
	r.startConsumer()
	r.waitContent(10) // the clean batch is stored; the poisoned one keeps being retried
	if _, err := r.dir.Content(context.Background(), post(10).ID); err != nil {
		t.Fatalf("clean batch not stored: %v", err)
	}
}
