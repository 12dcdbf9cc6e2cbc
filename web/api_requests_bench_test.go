package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"vigil/lawreq"
	"vigil/lereq"
)

// BenchmarkAPIQueue measures GET /api/v1/requests over 1,000 open
// requests (SQLite), at the default page and at the largest.
func BenchmarkAPIQueue(b *testing.B) {
	pe := newPortalEnv(b, nil)
	officer := pe.browser()
	pe.onboard(b, officer, "jo@metro-pd.example")
	oid := officerID(b, pe, "jo@metro-pd.example")
	ctx := context.Background()
	for i := range 1000 {
		req := lawreq.Request{Type: lawreq.Subpoena, CaseNumber: fmt.Sprintf("2026-CR-%d", i), CaseName: "State v. Example",
			Supervisor: lawreq.Contact{Name: "Sgt. Lane", Email: "lane@metro-pd.example"},
			Targets:    []lawreq.Target{{Kind: lawreq.TargetWeChatID, Value: "alice_wx1"}},
			Requested:  []lawreq.Category{lawreq.SubscriberBasic},
			Range:      lawreq.DateRange{From: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}}
		if _, err := pe.svc.SubmitRequest(ctx, oid, req, lereq.Upload{Filename: "order.pdf", ContentType: "application/pdf", Body: bytes.NewReader(testPDF)}, fmt.Sprint(i)); err != nil {
			b.Fatal(err)
		}
	}
	pe.addUser("resp", "le_response")
	resp := pe.browser()
	resp.login("resp")
	for _, limit := range []int{100, 1000} {
		b.Run(fmt.Sprintf("limit=%d", limit), func(b *testing.B) {
			var size int
			for b.Loop() {
				r := resp.do("GET", fmt.Sprintf("/api/v1/requests?limit=%d", limit), nil, nil)
				if r.status != http.StatusOK {
					b.Fatalf("%d %s", r.status, r.body)
				}
				size = len(r.body)
			}
			b.ReportMetric(float64(size), "bytes/resp")
		})
	}
}
