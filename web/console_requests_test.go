package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/ed25519"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"vigil/internal/testkit"
	"vigil/lawreq"
	"vigil/lereq"
	"vigil/platform"
	"vigil/production"
	"vigil/store"
	"vigil/web"
)

// consoleEnv is a portal env whose server can produce packages.
type consoleEnv struct {
	*portalEnv
	key *production.Key
}

func newConsoleEnv(t *testing.T) *consoleEnv {
	t.Helper()
	db := testkit.SQLite(t)
	key, err := production.NewKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	var ce *consoleEnv
	now := func() time.Time { return ce.clock.Now() }
	dir := store.NewDirectory(db, now)
	ce = &consoleEnv{key: key}
	ce.portalEnv = newPortalEnv(t, db, func(c *web.Config) {
		c.ProductionKey, c.Records = key, dir
		c.Custodian = production.Custodian{Name: "Morgan Lee", Title: "Custodian of Records", Organization: "Example Messaging Inc."}
	})
	// acct-1's logins: one inside the requests' date range, one before it.
	for _, at := range []time.Time{time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)} {
		if _, err := dir.InsertLogins(context.Background(), []platform.Login{{AccountID: "acct-1", At: at, IP: "198.51.100.7", DeviceID: "dev-a", AppVersion: "8.0.49"}}); err != nil {
			t.Fatal(err)
		}
	}
	return ce
}

// staff signs a new staff member of role in and returns the browser.
func (ce *consoleEnv) staff(username, role string) *browser {
	ce.addUser(username, role)
	b := ce.browser()
	b.login(username)
	return b
}

// formOn posts form to action with the CSRF token of page.
func formOn(t *testing.T, b *browser, page, action string, form url.Values) reply {
	t.Helper()
	form.Set("csrf_token", b.csrf(page))
	return b.do("POST", action, form, nil)
}

func TestConsoleLegalPartialApprovalAndDownload(t *testing.T) {
	ce := newConsoleEnv(t)
	officer := ce.browser()
	ce.onboard(t, officer, "jo@metro-pd.example")
	tok := officer.csrf("/portal/requests/new")
	f := emergencyForm(tok)
	f["categories"] = []string{string(lawreq.SubscriberBasic), string(lawreq.LoginMetadata)}
	body, ct := multipartForm(t, f, "document", "order.pdf", testPDF)
	r := officer.multipart("/portal/requests", body, ct)
	if r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", r.status, r.body)
	}
	id := strings.TrimPrefix(r.location, "/portal/requests/")
	page := "/requests/" + id

	resp := ce.staff("resp", "le_response")
	counsel := ce.staff("counsel", "legal")
	aud := ce.staff("aud", "auditor")

	// The queue flags the unverified emergency; the page offers the call-back form.
	q := resp.do("GET", "/requests", nil, nil)
	if q.status != 200 || !strings.Contains(q.body, `href="/requests/`+id+`"`) || !strings.Contains(q.body, "verify by call-back") {
		t.Fatalf("queue: %d\n%s", q.status, q.body)
	}
	p := resp.do("GET", page, nil, nil)
	if p.status != 200 || !strings.Contains(p.body, "not verified by call-back") || !strings.Contains(p.body, `action="/officers/`) {
		t.Fatalf("request page: %d\n%s", p.status, p.body)
	}
	if a := aud.do("GET", page, nil, nil); a.status != 200 || strings.Contains(a.body, `action="/officers/`) || strings.Contains(a.body, `/transition"`) {
		t.Fatalf("auditor page offers actions or fails: %d", a.status)
	}
	for _, to := range []lawreq.State{lawreq.Triage, lawreq.LegalReview} {
		if r := formOn(t, resp, page, page+"/transition", url.Values{"to": {string(to)}}); r.status != http.StatusSeeOther {
			t.Fatalf("to %s: %d\n%s", to, r.status, r.body)
		}
	}
	partial := url.Values{"to": {string(lawreq.PartiallyApproved)}, "categories": {string(lawreq.SubscriberBasic)},
		"reason": {"login records are not needed to locate the child"}, "basis": {"Imminent danger to a child, attested by the officer and confirmed by call-back."}}
	// Legal cannot approve before the call-back: the refusal shows on the page.
	r = formOn(t, counsel, page, page+"/transition", partial)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "call-back") || !strings.Contains(r.body, `role="alert"`) {
		t.Fatalf("approval before call-back: %d\n%s", r.status, r.body)
	}
	// A call-back to a number other than the agency's published one is refused inline.
	oid := officerID(t, ce.portalEnv, "jo@metro-pd.example")
	cb := url.Values{"request": {id}, "phone_dialed": {"+12025550199"}, "notes": {"Spoke to the watch commander."}}
	if r := formOn(t, resp, page, "/officers/"+oid+"/callback", cb); r.status < 400 || !strings.Contains(r.body, `role="alert"`) {
		t.Fatalf("call-back to the officer's own number: %d\n%s", r.status, r.body)
	}
	cb.Set("phone_dialed", "+12025550100")
	if r := formOn(t, resp, page, "/officers/"+oid+"/callback", cb); r.status != http.StatusSeeOther || r.location != page+"#officer" {
		t.Fatalf("call-back: %d %q\n%s", r.status, r.location, r.body)
	}
	if p := resp.do("GET", page, nil, nil); !strings.Contains(p.body, "verified by call-back on") {
		t.Fatalf("page does not show the verification:\n%s", p.body)
	}
	// Granting everything is not a partial approval: the service's error is shown.
	all := url.Values{}
	for k, v := range partial {
		all[k] = v
	}
	all["categories"] = []string{string(lawreq.SubscriberBasic), string(lawreq.LoginMetadata)}
	if r := formOn(t, counsel, page, page+"/transition", all); r.status != http.StatusBadRequest || !strings.Contains(r.body, "use approved") {
		t.Fatalf("full grant as partial: %d\n%s", r.status, r.body)
	}
	if r := formOn(t, counsel, page, page+"/transition", partial); r.status != http.StatusSeeOther {
		t.Fatalf("partial approval: %d\n%s", r.status, r.body)
	}
	p = resp.do("GET", page, nil, nil)
	if !strings.Contains(p.body, `data-state="partially_approved"`) || !strings.Contains(p.body, `<dd class="granted"><code>subscriber_basic</code>`) {
		t.Fatalf("page after approval:\n%s", p.body)
	}
	// Legal may not produce; the response team does.
	if r := formOn(t, counsel, page, page+"/produce", url.Values{}); r.status != http.StatusForbidden {
		t.Fatalf("legal produced: %d", r.status)
	}
	if r := formOn(t, resp, page, page+"/produce", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("produce: %d\n%s", r.status, r.body)
	}
	if p := resp.do("GET", page, nil, nil); !strings.Contains(p.body, `data-state="delivered"`) || !strings.Contains(p.body, "production-"+id+".zip") {
		t.Fatalf("page after production:\n%s", p.body)
	}

	// The officer downloads it from the request page; it verifies against
	// the server's key and holds only the granted category.
	op := officer.do("GET", "/portal/requests/"+id, nil, nil)
	link := "/portal/requests/" + id + "/package"
	if !strings.Contains(op.body, `href="`+link+`"`) {
		t.Fatalf("officer page has no download link:\n%s", op.body)
	}
	dl := officer.do("GET", link, nil, nil)
	if dl.status != 200 || dl.header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %v", dl.status, dl.header)
	}
	zipBytes := []byte(dl.body)
	rep, err := production.Verify(bytes.NewReader(zipBytes), int64(len(zipBytes)), ce.key.Public())
	if err != nil {
		t.Fatalf("package does not verify: %v", err)
	}
	if got := rep.Manifest.Categories; len(got) != 1 || got[0] != lawreq.SubscriberBasic {
		t.Fatalf("package categories %v, want only subscriber_basic", got)
	}
	records := zipFile(t, zipBytes, production.RecordsFile)
	if !strings.Contains(records, "alice_wx1") || strings.Contains(records, "198.51.100.7") || strings.Contains(records, "+8613800138003") {
		t.Fatalf("records.json holds the wrong records:\n%s", records)
	}
	if !strings.Contains(records, string(lawreq.NotProducibleWx)) {
		t.Fatalf("records.json does not list the Weixin account as not produced:\n%s", records)
	}
	// One byte changed makes it fail.
	bad := bytes.Clone(zipBytes)
	bad[len(bad)/3] ^= 0xff
	if _, err := production.Verify(bytes.NewReader(bad), int64(len(bad)), ce.key.Public()); err == nil {
		t.Fatal("a corrupted package verified")
	}
	// Another officer cannot download it.
	other := ce.browser()
	ce.onboard(t, other, "sam@metro-pd.example")
	if r := other.do("GET", link, nil, nil); r.status != http.StatusNotFound {
		t.Fatalf("other officer's download: %d", r.status)
	}
	// After the link's lifetime: 410 with what to do; staff keep their copy.
	ce.clock.Add(lereq.DefaultLinkTTL + time.Hour)
	gone := officer.do("GET", link, nil, nil)
	if gone.status != http.StatusGone || !strings.Contains(gone.body, "expired") {
		t.Fatalf("expired link: %d\n%s", gone.status, gone.body)
	}
	if op := officer.do("GET", "/portal/requests/"+id, nil, nil); strings.Contains(op.body, `href="`+link+`"`) || !strings.Contains(op.body, "expired") {
		t.Fatalf("officer page after expiry still links the package:\n%s", op.body)
	}
	if r := resp.do("GET", page+"/package", nil, nil); r.status != 200 || r.body != string(zipBytes) {
		t.Fatalf("staff copy: %d", r.status)
	}
	acts := ce.auditActions()
	for _, want := range []string{"staff:resp lereq.production.build", "officer:" + oid + " lereq.production.download",
		"officer:" + oid + " lereq.production.download_expired", "staff:counsel lereq.request.transition"} {
		if !has(acts, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

func zipFile(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

var queueRowRE = regexp.MustCompile(`<tr class="([^"]*)" data-id="([^"]+)">`)

func TestConsoleQueueOrderAndFilters(t *testing.T) {
	ce := newConsoleEnv(t)
	officer := ce.browser()
	ce.onboard(t, officer, "jo@metro-pd.example")
	oid := officerID(t, ce.portalEnv, "jo@metro-pd.example")
	ctx := context.Background()
	submit := func(typ lawreq.RequestType, key string) string {
		req := lawreq.Request{Type: typ, CaseNumber: "2026-CR-" + key, CaseName: "State v. Example",
			Supervisor: lawreq.Contact{Name: "Sgt. Lane", Email: "lane@metro-pd.example"},
			Targets:    []lawreq.Target{{Kind: lawreq.TargetWeChatID, Value: "alice_wx1"}},
			Range:      lawreq.DateRange{From: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}}
		switch typ {
		case lawreq.Subpoena:
			req.Requested = []lawreq.Category{lawreq.SubscriberBasic}
		case lawreq.EmergencyDisclosure:
			req.Requested = []lawreq.Category{lawreq.SubscriberBasic}
			req.Officer.Phone = "+12025550199"
			req.Emergency = &lawreq.EmergencyStatement{Danger: "A kidnapped child is held by the account holder.", WhyNow: "The child may be moved tonight.", Attested: true}
		}
		rv, err := ce.svc.SubmitRequest(ctx, oid, req, lereq.Upload{Filename: "order.pdf", ContentType: "application/pdf", Body: bytes.NewReader(testPDF)}, key)
		if err != nil {
			t.Fatalf("submit %s: %v", typ, err)
		}
		return rv.ID()
	}
	sub := submit(lawreq.Subpoena, "1")
	pres := submit(lawreq.Preservation2703f, "2")
	emg := submit(lawreq.EmergencyDisclosure, "3")

	resp := ce.staff("resp", "le_response")
	rows := func(query string) (ids, classes []string) {
		t.Helper()
		r := resp.do("GET", "/requests"+query, nil, nil)
		if r.status != 200 {
			t.Fatalf("queue%s: %d\n%s", query, r.status, r.body)
		}
		for _, m := range queueRowRE.FindAllStringSubmatch(r.body, -1) {
			classes, ids = append(classes, m[1]), append(ids, m[2])
		}
		return ids, classes
	}
	// The unverified emergency first, then by time left: preservation (48 h) before the subpoena (14 days).
	ids, classes := rows("")
	if strings.Join(ids, ",") != strings.Join([]string{emg, pres, sub}, ",") {
		t.Fatalf("queue order %v, want emergency %s, preservation %s, subpoena %s", ids, emg, pres, sub)
	}
	if strings.Contains(strings.Join(classes, ""), "breached") {
		t.Fatalf("fresh requests highlighted as breached: %v", classes)
	}
	// Three days on, the 48-hour requests are breached and highlighted.
	ce.clock.Add(72 * time.Hour)
	ids, classes = rows("")
	if ids[0] != emg || ids[1] != pres || !strings.Contains(classes[0], "breached") || !strings.Contains(classes[1], "breached") || strings.Contains(classes[2], "breached") {
		t.Fatalf("after 72 h: %v %v", ids, classes)
	}
	if ids, _ := rows("?type=subpoena"); len(ids) != 1 || ids[0] != sub {
		t.Fatalf("type filter: %v", ids)
	}
	if ids, _ := rows("?state=triage"); len(ids) != 0 {
		t.Fatalf("state filter triage: %v", ids)
	}
	if ids, _ := rows("?state=submitted&type=preservation_2703f"); len(ids) != 1 || ids[0] != pres {
		t.Fatalf("state+type filter: %v", ids)
	}
	if r := resp.do("GET", "/requests?type=bogus", nil, nil); r.status != http.StatusBadRequest || !strings.Contains(r.body, "not a request type") {
		t.Fatalf("bad filter: %d\n%s", r.status, r.body)
	}
	// A reviewer has no business with legal process.
	rev := ce.staff("rita", "reviewer")
	if r := rev.do("GET", "/requests", nil, nil); r.status != http.StatusForbidden {
		t.Fatalf("reviewer queue: %d", r.status)
	}
}

// TestConsoleProduceLoginsWithinRange: a fully approved 2703(d) order
// produces subscriber and login records, only logins inside the range.
func TestConsoleProduceLoginsWithinRange(t *testing.T) {
	ce := newConsoleEnv(t)
	officer := ce.browser()
	ce.onboard(t, officer, "jo@metro-pd.example")
	oid := officerID(t, ce.portalEnv, "jo@metro-pd.example")
	ctx := context.Background()
	le, legal := lereq.StaffActor("resp", "le_response"), lereq.StaffActor("counsel", "legal")
	if _, err := ce.svc.RecordCallback(ctx, le, oid, lereq.Callback{PhoneDialed: "+12025550100", Notes: "confirmed by the watch commander"}); err != nil {
		t.Fatal(err)
	}
	req := lawreq.Request{Type: lawreq.CourtOrder2703d, CaseNumber: "2026-CR-7", CaseName: "State v. Example",
		Supervisor: lawreq.Contact{Name: "Sgt. Lane", Email: "lane@metro-pd.example"},
		Targets:    []lawreq.Target{{Kind: lawreq.TargetWeChatID, Value: "alice_wx1"}},
		Requested:  []lawreq.Category{lawreq.SubscriberBasic, lawreq.LoginMetadata},
		Range:      lawreq.DateRange{From: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}}
	rv, err := ce.svc.SubmitRequest(ctx, oid, req, lereq.Upload{Filename: "order.pdf", ContentType: "application/pdf", Body: bytes.NewReader(testPDF)}, "k7")
	if err != nil {
		t.Fatal(err)
	}
	id := rv.ID()
	for _, step := range []struct {
		a  lereq.Actor
		to lawreq.State
	}{{le, lawreq.Triage}, {le, lawreq.LegalReview}, {legal, lawreq.Approved}} {
		if _, err := ce.svc.Transition(ctx, step.a, id, step.to, "ok", nil); err != nil {
			t.Fatalf("to %s: %v", step.to, err)
		}
	}
	resp := ce.staff("resp", "le_response")
	page := "/requests/" + id
	if r := formOn(t, resp, page, page+"/produce", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("produce: %d\n%s", r.status, r.body)
	}
	// Producing twice is refused: the request is delivered.
	if r := formOn(t, resp, page, page+"/produce", url.Values{}); r.status != http.StatusConflict {
		t.Fatalf("second production: %d", r.status)
	}
	dl := officer.do("GET", "/portal/requests/"+id+"/package", nil, nil)
	b := []byte(dl.body)
	if _, err := production.Verify(bytes.NewReader(b), int64(len(b)), ce.key.Public()); err != nil {
		t.Fatalf("verify: %v", err)
	}
	logins := zipFile(t, b, production.CSVName(lawreq.LoginMetadata))
	if !strings.Contains(logins, "2026-10-01T12:00:00Z") || strings.Contains(logins, "2026-07-01") {
		t.Fatalf("login_metadata.csv:\n%s", logins)
	}
	if subs := zipFile(t, b, production.CSVName(lawreq.SubscriberBasic)); !strings.Contains(subs, "alice_wx1") {
		t.Fatalf("subscriber_basic.csv:\n%s", subs)
	}
}
