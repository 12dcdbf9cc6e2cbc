package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"vigil/lawreq"
	"vigil/lereq"
)

// TestPortalNDOAndStateIssuer covers the new-request form's non-disclosure
// order and state-issuer sections: errors inline, then the values reach
// lawreq.Request and both request pages.
func TestPortalNDOAndStateIssuer(t *testing.T) {
	pe := newPortalEnv(t, nil)
	officer := pe.browser()
	pe.onboard(t, officer, "ag@metro-pd.example")

	if p := officer.do("GET", "/portal/requests/new", nil, nil); !strings.Contains(p.body, `name="ndo_ref"`) || !strings.Contains(p.body, `name="issuer_ag"`) {
		t.Fatalf("the form lacks the NDO or state issuer section:\n%s", p.body)
	}
	f := emergencyForm(officer.csrf("/portal/requests/new"))
	f.Set("type", string(lawreq.Subpoena))
	f.Del("danger")
	f.Del("why_now")
	f.Del("attested")
	f.Set("ndo_ref", "2705-17")
	f.Set("ndo_until", "not a date")
	f.Set("issuer_state", "XX")
	f.Set("issuer_statute", "Cal. Gov. Code § 11181")
	f.Set("issuer_ag", "1")
	body, ct := multipartForm(t, f, "document", "subpoena.pdf", testPDF)
	r := officer.multipart("/portal/requests", body, ct)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, `id="err-ndo_until"`) || !strings.Contains(r.body, `value="2705-17"`) ||
		!strings.Contains(r.body, `name="issuer_ag" value="1" checked`) {
		t.Fatalf("bad NDO date: %d\n%s", r.status, r.body)
	}
	until := pe.clock.Now().AddDate(0, 6, 0).Format("2006-01-02")
	f.Set("ndo_until", until)
	body, ct = multipartForm(t, f, "document", "subpoena.pdf", testPDF)
	if r := officer.multipart("/portal/requests", body, ct); r.status != http.StatusBadRequest || !strings.Contains(r.body, `id="err-issuer_state"`) {
		t.Fatalf("bad state: %d\n%s", r.status, r.body)
	}

	f.Set("issuer_state", "ca")
	f.Set("issuer_office", "Office of the Attorney General")
	f.Set("client_key", "ck-ndo")
	body, ct = multipartForm(t, f, "document", "subpoena.pdf", testPDF)
	r = officer.multipart("/portal/requests", body, ct)
	if r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", r.status, r.body)
	}
	id := strings.TrimPrefix(r.location, "/portal/requests/")
	rv, err := pe.svc.Get(context.Background(), lereq.StaffActor("lee", "le_response"), id)
	if err != nil {
		t.Fatal(err)
	}
	wantUntil, _ := time.Parse("2006-01-02", until)
	if n := rv.Req.NDO; n == nil || n.OrderRef != "2705-17" || !n.Until.Equal(wantUntil.Add(24*time.Hour)) {
		t.Errorf("NDO: %+v, want 2705-17 in force through %s", n, until)
	}
	if is := rv.Req.Issuer; is == nil || is.State != "CA" || !is.AttorneyGen || is.CivilDemand || is.IssuingOffice != "Office of the Attorney General" {
		t.Errorf("issuer: %+v", is)
	}
	if !rv.Req.IsStateAG() {
		t.Error("request not marked as state AG process")
	}

	page := officer.do("GET", r.location, nil, nil)
	staff := pe.browser()
	pe.addUser("resp", "le_response")
	staff.login("resp")
	console := staff.do("GET", "/requests/"+id, nil, nil)
	for name, p := range map[string]reply{"portal": page, "console": console} {
		if p.status != 200 || !strings.Contains(p.body, "2705-17") || !strings.Contains(p.body, `class="issuer">CA`) || !strings.Contains(p.body, "attorney general") {
			t.Errorf("%s request page lacks the NDO or issuer: %d\n%s", name, p.status, p.body)
		}
	}

	// A request without either section has neither.
	f = emergencyForm(officer.csrf("/portal/requests/new"))
	f.Set("client_key", "ck-plain")
	body, ct = multipartForm(t, f, "document", "order.pdf", testPDF)
	r = officer.multipart("/portal/requests", body, ct)
	if r.status != http.StatusSeeOther {
		t.Fatalf("plain submit: %d\n%s", r.status, r.body)
	}
	if p := officer.do("GET", r.location, nil, nil); strings.Contains(p.body, `class="ndo"`) || strings.Contains(p.body, `class="issuer"`) {
		t.Errorf("a request without NDO shows one:\n%s", p.body)
	}
}
