package lereq_test

import (
	"context"
	"fmt"
	"testing"

	"vigil/lawreq"
	"vigil/lereq"
)

// BenchmarkQueue measures the staff queue over 300 open requests (SQLite).
func BenchmarkQueue(b *testing.B) {
	h := sqliteHarness(b)
	ctx := context.Background()
	o := h.onboard(b, "jo@metro-pd.example", true)
	types := []lawreq.RequestType{lawreq.Subpoena, lawreq.Preservation2703f, lawreq.EmergencyDisclosure, lawreq.CourtOrder2703d}
	for i := range 300 {
		if _, err := h.svc.SubmitRequest(ctx, o.ID, request(types[i%len(types)], target(lawreq.TargetAccountID, "acct-1")), doc(), fmt.Sprint(i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		q, err := h.svc.Queue(ctx, h.le, lereq.QueueFilter{})
		if err != nil || len(q) != 300 {
			b.Fatalf("%d %v", len(q), err)
		}
	}
}
