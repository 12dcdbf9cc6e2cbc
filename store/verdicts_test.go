package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"vigil/internal/testkit"
	"vigil/store"
)

func TestVerdictsAreIdempotentAndCounted(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			ctx := context.Background()
			vs := store.NewVerdicts(db)
			at := time.Date(2026, 11, 2, 3, 4, 5, 0, time.UTC)
			batch := []store.Verdict{
				{ContentID: "p1", RulePack: "rp-1", Model: "m-1", Flagged: true, Categories: []string{"ml_broker", "bulk_cash"}, TopScore: 0.9, JSON: json.RawMessage(`{"id":"p1"}`), ScannedAt: at},
				{ContentID: "p2", RulePack: "rp-1", Model: "m-1", Flagged: false, TopScore: 0.1, JSON: json.RawMessage(`{"id":"p2"}`), ScannedAt: at},
				{ContentID: "p3", RulePack: "rp-1", Model: "m-1", Flagged: true, Categories: []string{"drug_sale"}, TopScore: 0.7, JSON: json.RawMessage(`{"id":"p3"}`), ScannedAt: at},
			}
			n, err := vs.Save(ctx, batch)
			if err != nil || n != 3 {
				t.Fatalf("first save stored %d, err %v", n, err)
			}
			if n, err := vs.Save(ctx, batch); err != nil || n != 0 {
				t.Fatalf("redelivered batch stored %d rows again (err %v)", n, err)
			}
			counts, err := vs.FlaggedCounts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if counts["ml_broker"] != 1 || counts["bulk_cash"] != 1 || counts["drug_sale"] != 1 || len(counts) != 3 {
				t.Fatalf("counts %v", counts)
			}
			top, err := vs.Flagged(ctx, 10)
			if err != nil || len(top) != 2 || top[0].ContentID != "p1" || string(top[0].JSON) != `{"id":"p1"}` || !top[0].ScannedAt.Equal(at) {
				t.Fatalf("flagged list %+v, err %v", top, err)
			}
		})
	}
}
