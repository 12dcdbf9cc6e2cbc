package production

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"testing"
	"time"

	"vigil/errs"
	"vigil/lawreq"
)

var (
	snapshot = time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	created  = time.Date(2026, 11, 24, 10, 15, 7, 0, time.UTC)
)

// testKey is a fixed key, so packages are comparable across runs.
func testKey(t testing.TB) *Key {
	t.Helper()
	k, err := NewKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// request returns a request of type typ as lereq would pass it.
func request(typ lawreq.RequestType) lawreq.Request {
	return lawreq.Request{
		ID: "req-0042", Type: typ, CaseNumber: "2026-CR-0142", CaseName: "United States v. Doe",
		AgencyID: "agency-fbi-sf",
		Officer:  lawreq.Contact{OfficerID: "off-1", Name: "Dana Reyes", Title: "Special Agent", Email: "dreyes@fbi.gov"},
		Targets: []lawreq.Target{
			{Kind: lawreq.TargetWeChatID, Value: "lucky_dragon88"},
			{Kind: lawreq.TargetPhone, Value: "+8613812345678"},
		},
		Range: lawreq.DateRange{From: snapshot.AddDate(0, -6, 0), To: snapshot.AddDate(0, 0, -1)},
	}
}

func subscriberRow(acct string) Row {
	return Row{"account_id": acct, "wechat_id": "lucky_dragon88", "display_name": "Lucky, \"Dragon\"",
		"phone": "+14155550100", "email": "lucky@example.com", "registered_at": "2024-03-01T08:00:00Z",
		"status": "active", "app": "wechat", "registration_ip": "203.0.113.9"}
}

func loginRow(acct string, i int) Row {
	return Row{"account_id": acct, "login_id": fmt.Sprintf("%s-l%d", acct, i),
		"login_at": snapshot.AddDate(0, 0, -2).Add(-time.Duration(i) * time.Hour).Format(time.RFC3339),
		"ip":       fmt.Sprintf("198.51.100.%d", i%250), "device_id": "dev-" + acct, "app_version": "8.0.49"}
}

// courtOrderInput is a 2703(d) production of two accounts, with one Weixin
// account not produced and content refused.
func courtOrderInput(t testing.TB) Input {
	req := request(lawreq.CourtOrder2703d)
	return Input{
		Request:    req,
		AgencyName: "Federal Bureau of Investigation, San Francisco",
		Granted:    []lawreq.Category{lawreq.LoginMetadata, lawreq.SubscriberBasic},
		Refused:    map[lawreq.Category]string{lawreq.Content: "a court order under 18 U.S.C. § 2703(d) cannot compel content: it needs a search warrant"},
		Records: map[lawreq.Category][]Row{
			lawreq.SubscriberBasic: {subscriberRow("acct-2"), subscriberRow("acct-1")},
			lawreq.LoginMetadata:   {loginRow("acct-1", 1), loginRow("acct-2", 1), loginRow("acct-1", 2)},
		},
		NotProduced: NotProducedFrom([]lawreq.Resolution{
			{Target: req.Targets[0], Outcome: lawreq.Matched, AccountIDs: []string{"acct-1"}},
			{Target: req.Targets[1], Outcome: lawreq.NotProducibleWx, AccountIDs: []string{"wx-9"}},
		}),
		Custodian:  Custodian{Name: "Morgan Lee", Title: "Custodian of Records", Organization: "Example Messaging Inc.", Email: "records@example.com"},
		Contact:    Contact{Name: "Alex Chen", Email: "le-response@example.com", Phone: "+1 650 555 0199"},
		Producer:   Producer{System: "vigil", Version: "1.2.3"},
		SnapshotAt: snapshot,
		Audit:      &AuditRef{LogIndex: 17, TreeSize: 18, RootHash: "3f2a"},
		Key:        testKey(t),
		Now:        func() time.Time { return created },
	}
}

// build runs Build and fails the test on error.
func build(t testing.TB, in Input) ([]byte, Manifest) {
	t.Helper()
	var buf bytes.Buffer
	m, err := Build(&buf, in)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return buf.Bytes(), m
}

func errorsAs(err error, e **errs.Error) bool { return errors.As(err, e) }

func fieldOf(e *errs.Error) string {
	if e == nil {
		return ""
	}
	return e.Field
}
