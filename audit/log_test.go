package audit_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	tlog "github.com/transparency-dev/formats/log"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"vigil/audit"
	"vigil/internal/testkit"
	"vigil/store"
)

// fixedClock advances one second per call, so tests need no sleeps and
// leaves get distinct times.
func fixedClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

func newLog(t testing.TB, db *store.DB) *audit.Log {
	t.Helper()
	keys, err := audit.LoadOrCreateKey(t.TempDir(), "test.vigil/audit")
	if err != nil {
		t.Fatal(err)
	}
	l, err := audit.New(store.NewAuditStore(db), keys, audit.Options{Clock: fixedClock()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func event(i int) audit.Event {
	return audit.Event{
		Actor: fmt.Sprintf("staff:%d", i%7), Role: "reviewer", Action: "account.view",
		Records: []string{fmt.Sprintf("account:wxid_%04d", i)}, Reason: "case 42",
		Detail: map[string]string{"page": "profile"},
	}
}

func appendN(t testing.TB, l *audit.Log, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		idx, err := l.Append(context.Background(), event(i))
		if err != nil {
			t.Fatal(err)
		}
		if idx != uint64(i) {
			t.Fatalf("append %d got index %d", i, idx)
		}
	}
}

// TestProofsVerifyAgainstSignedCheckpoints grows the log past several stored
// node levels and checks, at each published checkpoint, that inclusion and
// consistency proofs from the log verify with the merkle proof package
// against the roots parsed (and signature-checked) by transparency-dev/formats.
func TestProofsVerifyAgainstSignedCheckpoints(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			l := newLog(t, db)
			h := rfc6962.DefaultHasher
			v := l.Keys().Verifier
			var cps []*tlog.Checkpoint
			sizes := []int{1, 2, 3, 7, 8, 255, 256, 257, 600}
			done := 0
			for _, sz := range sizes {
				appendN(t, l, done, sz-done)
				done = sz
				cp, err := l.Publish(ctx)
				if err != nil {
					t.Fatal(err)
				}
				parsed, _, _, err := tlog.ParseCheckpoint(cp.Note, "test.vigil/audit", v)
				if err != nil {
					t.Fatalf("formats/log cannot parse our checkpoint: %v\n%s", err, cp.Note)
				}
				if parsed.Size != uint64(sz) || !bytes.Equal(parsed.Hash, cp.Root) {
					t.Fatalf("checkpoint body says size %d root %x; want %d %x", parsed.Size, parsed.Hash, sz, cp.Root)
				}
				cps = append(cps, parsed)
			}
			for i, cp := range cps {
				for _, idx := range []uint64{0, cp.Size / 2, cp.Size - 1} {
					e, err := l.Entry(ctx, idx)
					if err != nil {
						t.Fatal(err)
					}
					p, err := l.InclusionProof(ctx, idx, cp.Size)
					if err != nil {
						t.Fatal(err)
					}
					if err := proof.VerifyInclusion(h, idx, cp.Size, h.HashLeaf(e.Leaf), p, cp.Hash); err != nil {
						t.Errorf("inclusion of %d in size %d: %v", idx, cp.Size, err)
					}
				}
				for _, older := range cps[:i] {
					p, err := l.ConsistencyProof(ctx, older.Size, cp.Size)
					if err != nil {
						t.Fatal(err)
					}
					if err := proof.VerifyConsistency(h, older.Size, cp.Size, p, older.Hash, cp.Hash); err != nil {
						t.Errorf("consistency %d→%d: %v", older.Size, cp.Size, err)
					}
				}
			}
			// A proof against a wrong root must fail: the test would catch a
			// log that returned well-formed but meaningless paths.
			last := cps[len(cps)-1]
			p, _ := l.InclusionProof(ctx, 5, last.Size)
			e, _ := l.Entry(ctx, 6)
			if proof.VerifyInclusion(h, 5, last.Size, h.HashLeaf(e.Leaf), p, last.Hash) == nil {
				t.Error("inclusion proof for entry 5 verified with entry 6's leaf")
			}
			rep, err := audit.Verify(ctx, l.Store(), v)
			if err != nil || rep.Bad != nil || rep.Checkpoints != len(sizes) || rep.Size != 600 {
				t.Fatalf("Verify of an intact log: %+v, %v", rep, err)
			}
			if !bytes.Equal(rep.Root, last.Hash) {
				t.Fatalf("Verify root %x, checkpoint root %x", rep.Root, last.Hash)
			}
		})
	}
}

func TestCheckpointVerifiesOnlyWithTheLogKey(t *testing.T) {
	db := testkit.SQLite(t)
	ctx := context.Background()
	l := newLog(t, db)
	appendN(t, l, 0, 3)
	cp, err := l.Publish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitN(cp.Note, []byte("\n"), 4)
	if string(lines[0]) != "test.vigil/audit" || string(lines[1]) != "3" {
		t.Fatalf("checkpoint body is not origin/size/root:\n%s", cp.Note)
	}
	if _, err := note.Open(cp.Note, note.VerifierList(l.Keys().Verifier)); err != nil {
		t.Fatalf("note.Open with the public key: %v", err)
	}
	other, err := audit.NewKeys("test.vigil/audit")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := audit.ParseCheckpoint(cp.Note, other.Verifier); err == nil {
		t.Fatal("checkpoint verified with a different key of the same name")
	}
	// Unchanged tree: publishing again returns the same checkpoint, no new row.
	again, err := l.Publish(ctx)
	if err != nil || !bytes.Equal(again.Note, cp.Note) {
		t.Fatalf("second publish: %v %q", err, again.Note)
	}
	all, _ := l.Store().Checkpoints(ctx)
	if len(all) != 1 {
		t.Fatalf("%d checkpoints stored, want 1", len(all))
	}
}

func TestConcurrentAppendsKeepIndexesDense(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			l := newLog(t, db)
			const workers, each = 16, 100
			got := make(chan uint64, workers*each)
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := 0; i < each; i++ {
						idx, err := l.Append(ctx, event(w*each+i))
						if err != nil {
							t.Error(err)
							return
						}
						got <- idx
					}
				}(w)
			}
			wg.Wait()
			close(got)
			seen := make([]bool, workers*each)
			for idx := range got {
				if idx >= uint64(len(seen)) || seen[idx] {
					t.Fatalf("index %d returned twice or out of range", idx)
				}
				seen[idx] = true
			}
			for i, ok := range seen {
				if !ok {
					t.Fatalf("index %d never returned", i)
				}
			}
			if _, err := l.Publish(ctx); err != nil {
				t.Fatal(err)
			}
			rep, err := audit.Verify(ctx, l.Store(), l.Keys().Verifier)
			if err != nil || rep.Bad != nil || rep.Size != workers*each {
				t.Fatalf("Verify after concurrent appends: %+v %v", rep, err)
			}
		})
	}
}

// TestTwoLogsShareOneDatabase models two processes appending to the same
// database: each must pick up the other's entries when computing the tree.
func TestTwoLogsShareOneDatabase(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			keys, err := audit.NewKeys("test.vigil/audit")
			if err != nil {
				t.Fatal(err)
			}
			var logs [2]*audit.Log
			for i := range logs {
				logs[i], err = audit.New(store.NewAuditStore(db), keys, audit.Options{Clock: fixedClock()})
				if err != nil {
					t.Fatal(err)
				}
				defer logs[i].Close()
			}
			var wg sync.WaitGroup
			for i := 0; i < 8; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					for j := 0; j < 70; j++ {
						if _, err := logs[(i+j)%2].Append(ctx, event(i*100+j)); err != nil {
							t.Error(err)
							return
						}
					}
				}(i)
			}
			wg.Wait()
			for _, l := range logs {
				if _, err := l.Append(ctx, event(1)); err != nil {
					t.Fatal(err)
				}
				if _, err := l.Publish(ctx); err != nil {
					t.Fatal(err)
				}
			}
			rep, err := audit.Verify(ctx, logs[0].Store(), keys.Verifier)
			if err != nil || rep.Bad != nil || rep.Size != 562 || rep.Checkpoints != 2 {
				t.Fatalf("Verify: %+v %v", rep, err)
			}
		})
	}
}

func TestPeriodicPublisher(t *testing.T) {
	db := testkit.SQLite(t)
	l := newLog(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	ticks := make(chan time.Time)
	stopped := make(chan struct{})
	go func() { l.RunPublisher(ctx, ticks); close(stopped) }()
	waitFor := func(size uint64) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if cp, err := l.LatestCheckpoint(context.Background()); err == nil && cp.Size == size {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("no checkpoint of size %d published", size)
	}
	appendN(t, l, 0, 4)
	ticks <- time.Time{}
	waitFor(4)
	appendN(t, l, 4, 2)
	ticks <- time.Time{}
	waitFor(6)
	ticks <- time.Time{} // unchanged tree: no new checkpoint
	ticks <- time.Time{} // (delivered only once the previous tick was handled)
	cancel()
	<-stopped
	all, err := l.Store().Checkpoints(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Size != 4 || all[1].Size != 6 {
		t.Fatalf("checkpoints after 3 ticks: %+v", all)
	}
}

func TestAppendRejectsBadEventsAndAfterClose(t *testing.T) {
	db := testkit.SQLite(t)
	l := newLog(t, db)
	ctx := context.Background()
	if _, err := l.Append(ctx, audit.Event{Action: "x"}); err == nil {
		t.Fatal("event without actor accepted")
	}
	if _, err := l.Append(ctx, audit.Event{Actor: "a", Action: "x", Records: []string{""}}); err == nil {
		t.Fatal("empty record reference accepted")
	}
	if n, _ := l.Size(ctx); n != 0 {
		t.Fatalf("rejected events were stored: size %d", n)
	}
	l.Close()
	if _, err := l.Append(ctx, event(0)); err != audit.ErrClosed {
		t.Fatalf("append after close: %v", err)
	}
}

func BenchmarkAppend(b *testing.B) {
	for _, db := range testkit.Databases(b) {
		b.Run(db.Dialect.String(), func(b *testing.B) {
			l := newLog(b, db)
			ctx := context.Background()
			b.SetParallelism(16) // many request goroutines, as in the service
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					if _, err := l.Append(ctx, event(i)); err != nil {
						b.Error(err)
						return
					}
					i++
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
		})
	}
}

// BenchmarkVerify measures a full verification of a 10,000-entry log with
// one checkpoint (reported as entries verified per second).
func BenchmarkVerify(b *testing.B) {
	db := testkit.SQLite(b)
	l := newLog(b, db)
	ctx := context.Background()
	const n = 10000
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += 16 {
				if _, err := l.Append(ctx, event(i)); err != nil {
					b.Error(err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	if _, err := l.Publish(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		rep, err := audit.Verify(ctx, l.Store(), l.Keys().Verifier)
		if err != nil || rep.Bad != nil || rep.Size != n {
			b.Fatalf("%+v %v", rep, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}

func TestEmptyLogVerifiesAndCheckpoints(t *testing.T) {
	ctx := context.Background()
	l := newLog(t, testkit.SQLite(t))
	cp, err := l.Publish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := audit.ParseCheckpoint(cp.Note, l.Keys().Verifier)
	if err != nil || parsed.Size != 0 || !bytes.Equal(parsed.Hash, rfc6962.DefaultHasher.EmptyRoot()) {
		t.Fatalf("empty checkpoint %+v %v", parsed, err)
	}
	rep, err := audit.Verify(ctx, l.Store(), l.Keys().Verifier)
	if err != nil || rep.Bad != nil || rep.Size != 0 || rep.Checkpoints != 1 {
		t.Fatalf("empty log: %+v %v", rep, err)
	}
	if _, err := l.InclusionProof(ctx, 0, 1); err == nil {
		t.Fatal("proof for a size beyond the log")
	}
}
