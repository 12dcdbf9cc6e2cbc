package webhook_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"vigil/lawreq"
	"vigil/lereq"
	"vigil/lereq/webhook"
)

func TestNotifierPostsJSONAndReportsFailures(t *testing.T) {
	var got []webhook.Payload
	status := http.StatusNoContent
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Authorization") != "Bearer t" {
			t.Errorf("request %s %v", r.Method, r.Header)
		}
		var p webhook.Payload
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			t.Error(err)
		}
		got = append(got, p)
		w.WriteHeader(status)
	}))
	defer srv.Close()
	n := &webhook.Notifier{URL: srv.URL, Header: http.Header{"Authorization": {"Bearer t"}}}
	if n.Channel() != lereq.ChannelWebhook {
		t.Fatal(n.Channel())
	}
	notice := lereq.Notice{RequestID: "req_1", Level: lawreq.Level75, Recipient: "lee"}
	if err := n.Notify(context.Background(), notice); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Event != "lereq.escalation" || got[0].Notice.RequestID != "req_1" || got[0].Notice.Level != lawreq.Level75 {
		t.Fatalf("received %+v", got)
	}
	status = http.StatusBadGateway
	if err := n.Notify(context.Background(), notice); err == nil {
		t.Fatal("a 502 answer was taken as delivered")
	}
}
