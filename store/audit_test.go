package store_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"vigil/audit"
	"vigil/internal/testkit"
	"vigil/store"
)

const tamperEntries = 300 // past 256, so a level-8 node is stored

// buildAuditLog appends tamperEntries events to db and publishes checkpoints
// at sizes 8, 100, 200 and 300.
func buildAuditLog(t *testing.T, db *store.DB) (*store.AuditStore, *audit.Keys) {
	t.Helper()
	ctx := context.Background()
	keys, err := audit.NewKeys("test.vigil/audit")
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	st := store.NewAuditStore(db)
	l, err := audit.New(st, keys, audit.Options{Clock: func() time.Time { clock = clock.Add(time.Second); return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for i := 0; i < tamperEntries; i++ {
		_, err := l.Append(ctx, audit.Event{
			Actor: fmt.Sprintf("staff:%d", i), Role: "le_response", Action: "account.view",
			Records: []string{fmt.Sprintf("account:%d", i)}, Reason: "request LE-7",
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := i + 1; n == 8 || n == 100 || n == 200 || n == 300 {
			if _, err := l.Publish(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep, err := audit.Verify(ctx, st, keys.Verifier)
	if err != nil || rep.Bad != nil || rep.Checkpoints != 4 || rep.Size != tamperEntries {
		t.Fatalf("untampered log does not verify: %+v %v", rep, err)
	}
	return st, keys
}

func exec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(db.Rebind(q), args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func leafOf(t *testing.T, db *store.DB, idx int) []byte {
	t.Helper()
	var leaf []byte
	if err := db.QueryRow(db.Rebind("SELECT leaf FROM audit_entries WHERE idx = ?"), idx).Scan(&leaf); err != nil {
		t.Fatal(err)
	}
	return leaf
}

// TestVerifyNamesTheFirstTamperedEntry tampers with a verified log the ways
// an insider with database access could, on every dialect, and checks that
// Verify names the right first bad entry and what is wrong with it.
func TestVerifyNamesTheFirstTamperedEntry(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, db *store.DB)
		index  uint64
		kind   audit.Kind
		detail string
	}{
		{"alter content", func(t *testing.T, db *store.DB) {
			leaf := bytes.Replace(leafOf(t, db, 42), []byte("request LE-7"), []byte("request LE-8"), 1)
			exec(t, db, "UPDATE audit_entries SET leaf = ? WHERE idx = ?", leaf, 42)
		}, 42, audit.Altered, "does not match the leaf hash"},
		{"alter content and recompute its hash", func(t *testing.T, db *store.DB) {
			leaf := bytes.Replace(leafOf(t, db, 150), []byte("staff:150"), []byte("staff:999"), 1)
			exec(t, db, "UPDATE audit_entries SET leaf = ?, leaf_hash = ?, actor = ? WHERE idx = ?", leaf, audit.HashLeaf(leaf), "staff:999", 150)
		}, 100, audit.Altered, "do not match the root signed in checkpoint #3"},
		{"alter a query column", func(t *testing.T, db *store.DB) {
			exec(t, db, "UPDATE audit_entries SET actor = ? WHERE idx = ?", "staff:innocent", 7)
		}, 7, audit.Altered, `actor column "staff:innocent"`},
		{"delete a row", func(t *testing.T, db *store.DB) {
			exec(t, db, "DELETE FROM audit_entries WHERE idx = ?", 61)
		}, 61, audit.Removed, "entry 61 is missing"},
		{"delete the newest rows", func(t *testing.T, db *store.DB) {
			exec(t, db, "DELETE FROM audit_entries WHERE idx >= ?", 297)
		}, 297, audit.Removed, "covers 300 entries but only 297 are stored"},
		{"swap two rows", func(t *testing.T, db *store.DB) {
			exec(t, db, "UPDATE audit_entries SET idx = -1 WHERE idx = ?", 12)
			exec(t, db, "UPDATE audit_entries SET idx = ? WHERE idx = ?", 12, 30)
			exec(t, db, "UPDATE audit_entries SET idx = ? WHERE idx = -1", 30)
		}, 12, audit.Reordered, "position 12 holds the entry written at index 30"},
		{"swap two rows and rewrite their indexes", func(t *testing.T, db *store.DB) {
			a, b := leafOf(t, db, 120), leafOf(t, db, 121)
			a2 := bytes.Replace(a, []byte(`"index":120`), []byte(`"index":121`), 1)
			b2 := bytes.Replace(b, []byte(`"index":121`), []byte(`"index":120`), 1)
			var atA, atB any
			if err := db.QueryRow(db.Rebind("SELECT a.at, b.at FROM audit_entries a, audit_entries b WHERE a.idx = ? AND b.idx = ?"), 120, 121).Scan(&atA, &atB); err != nil {
				t.Fatal(err)
			}
			exec(t, db, "UPDATE audit_entries SET leaf = ?, leaf_hash = ?, actor = ?, at = ? WHERE idx = ?", b2, audit.HashLeaf(b2), "staff:121", atB, 120)
			exec(t, db, "UPDATE audit_entries SET leaf = ?, leaf_hash = ?, actor = ?, at = ? WHERE idx = ?", a2, audit.HashLeaf(a2), "staff:120", atA, 121)
		}, 100, audit.Altered, "entries 100..199"},
		{"forge a checkpoint", func(t *testing.T, db *store.DB) {
			exec(t, db, "UPDATE audit_checkpoints SET size = ?, note = REPLACE(note, ?, ?) WHERE size = ?", 7, "\n8\n", "\n7\n", 8)
		}, 7, audit.BadCheck, "does not verify"},
		{"alter a stored tree node", func(t *testing.T, db *store.DB) {
			exec(t, db, "UPDATE audit_nodes SET hash = ? WHERE level = 8 AND idx = 0", bytes.Repeat([]byte{1}, 32))
		}, 0, audit.BadNode, "level 8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, db := range testkit.Databases(t) {
				t.Run(db.Dialect.String(), func(t *testing.T) {
					st, keys := buildAuditLog(t, db)
					tc.tamper(t, db)
					rep, err := audit.Verify(context.Background(), st, keys.Verifier)
					if err != nil {
						t.Fatal(err)
					}
					if rep.Bad == nil {
						t.Fatalf("tampering not detected: %+v", rep)
					}
					if rep.Bad.Index != tc.index || rep.Bad.Kind != tc.kind || !strings.Contains(rep.Bad.Detail, tc.detail) {
						t.Fatalf("Verify found %q; want entry %d %s containing %q", rep.Bad, tc.index, tc.kind, tc.detail)
					}
				})
			}
		})
	}
}

func TestAuditStoreReadsWhatItWrote(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			st := store.NewAuditStore(db)
			if n, err := st.Size(ctx); err != nil || n != 0 {
				t.Fatalf("empty size %d %v", n, err)
			}
			if _, err := st.LatestCheckpoint(ctx); err == nil {
				t.Fatal("latest checkpoint of an empty log")
			}
			at := time.Date(2026, 1, 2, 3, 4, 5, 123456000, time.UTC)
			err := st.AppendBatch(ctx, func(_ context.Context, _ audit.HashReader, size uint64) (audit.Batch, error) {
				if size != 0 {
					t.Errorf("size %d", size)
				}
				return audit.Batch{
					Entries: []audit.Entry{{Index: 0, At: at, Actor: "a", Role: "r", Action: "x", Leaf: []byte("L0"), LeafHash: []byte("H0")},
						{Index: 1, At: at, Actor: "b", Role: "r", Action: "y", Leaf: []byte("L1"), LeafHash: []byte("H1")}},
					Nodes: []audit.Node{{Level: 8, Index: 0, Hash: []byte("N")}},
				}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// A failing build writes nothing.
			_ = st.AppendBatch(ctx, func(context.Context, audit.HashReader, uint64) (audit.Batch, error) {
				return audit.Batch{}, fmt.Errorf("boom")
			})
			es, err := st.Entries(ctx, 1, 10)
			if err != nil || len(es) != 1 || es[0].Actor != "b" || !es[0].At.Equal(at) || string(es[0].Leaf) != "L1" {
				t.Fatalf("entries: %+v %v", es, err)
			}
			hs, err := st.Hashes(ctx, 0, 0, 2)
			if err != nil || string(hs[0]) != "H0" || string(hs[1]) != "H1" {
				t.Fatalf("leaf hashes %q %v", hs, err)
			}
			if _, err := st.Hashes(ctx, 0, 0, 3); err == nil {
				t.Fatal("hash beyond the log returned")
			}
			if hs, err := st.Hashes(ctx, 8, 0, 1); err != nil || string(hs[0]) != "N" {
				t.Fatalf("node %q %v", hs, err)
			}
			pub := time.Date(2026, 1, 2, 3, 4, 6, 0, time.UTC)
			for i := uint64(1); i <= 2; i++ {
				if err := st.SaveCheckpoint(ctx, audit.Checkpoint{Size: i, Root: []byte{byte(i)}, Note: []byte("note"), PublishedAt: pub}); err != nil {
					t.Fatal(err)
				}
			}
			cp, err := st.LatestCheckpoint(ctx)
			if err != nil || cp.Size != 2 || !cp.PublishedAt.Equal(pub) || string(cp.Note) != "note" {
				t.Fatalf("latest checkpoint %+v %v", cp, err)
			}
		})
	}
}
