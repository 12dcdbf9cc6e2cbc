package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"vigil/lawreq"
)

// auditHas reports whether the audit log holds an event with action.
func auditHas(pe *portalEnv, action string) bool {
	for _, a := range pe.auditActions() {
		if strings.HasSuffix(a, " "+action) {
			return true
		}
	}
	return false
}

func TestAdminAgencyDirectory(t *testing.T) {
	pe := newPortalEnv(t, nil)
	admin := pe.browser()
	pe.addUser("root", "admin")
	admin.login("root")

	// The directory lists the agency on record and offers the form to admins.
	list := admin.do("GET", "/admin/agencies", nil, nil)
	if list.status != 200 || !strings.Contains(list.body, "Metro Police") || !strings.Contains(list.body, "12025550100") ||
		!strings.Contains(list.body, `action="/admin/agencies"`) || !strings.Contains(list.body, `href="/admin/agencies"`) {
		t.Fatalf("directory: %d\n%s", list.status, list.body)
	}

	// Bad phone and bad domain: 400, each error next to its field, values kept.
	bad := url.Values{"name": {"County Sheriff"}, "jurisdiction": {"Clark County"}, "ori": {"nv0020000"},
		"phone": {"555-0100"}, "domains": {"sheriff.example.gov\nnot a domain"}}
	r := formOn(t, admin, "/admin/agencies", "/admin/agencies", bad)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, `id="err-phone"`) || !strings.Contains(r.body, `id="err-domains"`) ||
		!strings.Contains(r.body, "domains[1]") || !strings.Contains(r.body, `value="County Sheriff"`) || strings.Contains(r.body, `id="err-name"`) {
		t.Fatalf("invalid agency: %d\n%s", r.status, r.body)
	}

	// Fixed, it is created (ORI upper-cased, phone in E.164) and audited.
	good := url.Values{"name": {"County Sheriff"}, "jurisdiction": {"Clark County"}, "ori": {"nv0020000"},
		"phone": {"+1 702 555 0111"}, "domains": {"sheriff.example.gov, deputies.example.gov"}}
	r = formOn(t, admin, "/admin/agencies", "/admin/agencies", good)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/admin/agencies?saved=") {
		t.Fatalf("create: %d %q\n%s", r.status, r.location, r.body)
	}
	list = admin.do("GET", r.location, nil, nil)
	for _, want := range []string{"Agency saved.", "County Sheriff", "NV0020000", "17025550111", "deputies.example.gov"} {
		if !strings.Contains(list.body, want) {
			t.Errorf("directory after create lacks %q", want)
		}
	}
	if !auditHas(pe, "lereq.agency.create") {
		t.Error("agency creation not audited")
	}
	// Its domains extend the allow-list: an officer can now register from it.
	ags, err := pe.svc.Agencies(context.Background())
	if err != nil || len(ags) != 2 {
		t.Fatalf("agencies: %v %v", ags, err)
	}

	// Edit the existing agency: a bad change is refused inline, a good one saved.
	page := "/admin/agencies/" + pe.agency.ID
	if p := admin.do("GET", page, nil, nil); p.status != 200 || !strings.Contains(p.body, `action="`+page+`"`) || !strings.Contains(p.body, "metro-pd.example") {
		t.Fatalf("agency page: %d\n%s", p.status, p.body)
	}
	edit := url.Values{"name": {""}, "jurisdiction": {"Metro City"}, "phone": {"+12025550100"}, "domains": {"metro-pd.example"}}
	if r := formOn(t, admin, page, page, edit); r.status != http.StatusBadRequest || !strings.Contains(r.body, `id="err-name"`) {
		t.Fatalf("edit without a name: %d\n%s", r.status, r.body)
	}
	edit.Set("name", "Metro Police Department")
	edit.Set("phone", "+1 202 555 0123")
	if r := formOn(t, admin, page, page, edit); r.status != http.StatusSeeOther || r.location != page+"?saved=1" {
		t.Fatalf("edit: %d %q\n%s", r.status, r.location, r.body)
	}
	ag, err := pe.svc.Agency(context.Background(), pe.agency.ID)
	if err != nil || ag.Name != "Metro Police Department" || ag.Phone != "+12025550123" || ag.Jurisdiction != "Metro City" {
		t.Fatalf("after edit: %+v %v", ag, err)
	}
	if !auditHas(pe, "lereq.agency.update") {
		t.Error("agency update not audited")
	}
	if r := admin.do("GET", "/admin/agencies/agy_nope", nil, nil); r.status != http.StatusNotFound {
		t.Errorf("unknown agency: %d", r.status)
	}

	// le_response reads the directory but gets no forms.
	resp := pe.browser()
	pe.addUser("resp", "le_response")
	resp.login("resp")
	for _, p := range []string{"/admin/agencies", page} {
		if r := resp.do("GET", p, nil, nil); r.status != 200 || strings.Contains(r.body, `<form method="post" action="/admin/agencies`) ||
			!strings.Contains(r.body, "Metro Police Department") {
			t.Errorf("le_response %s: %d, forms shown or record missing", p, r.status)
		}
	}
	// Without the CSRF token the POST is refused and nothing changes.
	good.Set("name", "Forged Agency")
	good.Set("domains", "forged.example.gov")
	good.Del("csrf_token") // formOn put the token in
	if r := admin.do("POST", "/admin/agencies", good, nil); r.status != http.StatusForbidden {
		t.Errorf("POST without CSRF token: %d", r.status)
	}
	if ags, _ := pe.svc.Agencies(context.Background()); len(ags) != 2 {
		t.Errorf("a POST without CSRF token created an agency: %d agencies", len(ags))
	}
}

var onCallNowRE = regexp.MustCompile(`On call now: <strong>([^<]*)</strong>`)

// onCallNow reads the "on call now" line of the staff page.
func onCallNow(t *testing.T, b *browser) string {
	t.Helper()
	r := b.do("GET", "/admin/staff", nil, nil)
	m := onCallNowRE.FindStringSubmatch(r.body)
	if r.status != 200 || m == nil {
		t.Fatalf("staff page: %d\n%s", r.status, r.body)
	}
	return m[1]
}

func TestAdminStaffAndRotation(t *testing.T) {
	pe := newPortalEnv(t, nil)
	admin := pe.browser()
	pe.addUser("root", "admin")
	admin.login("root")
	pe.addUser("kim", "le_response")
	pe.addUser("counsel", "legal")

	// The directory: every staff member with role and TOTP state; lee (from
	// the env's rotation) on call now, and the next four weeks shown.
	p := admin.do("GET", "/admin/staff", nil, nil)
	for _, want := range []string{"Lee Park", "<code>kim</code>", "legal", "not enrolled", "enrolled", "On call now: <strong>Lee Park (lee)</strong>", "(this week)"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("staff page lacks %q", want)
		}
	}
	if n := strings.Count(p.body, "<tr class=\"current\">") + strings.Count(p.body, "<tr><td>Mon "); n != 1+4 {
		t.Errorf("schedule shows %d weeks, want this week and 4 more\n%s", n, p.body)
	}

	// Validation errors show next to their fields.
	bad := url.Values{"members": {"kim\nghost"}, "handover_day": {"1"}, "handover_hour": {"9"}, "zone": {"Mars/Olympus"}}
	r := formOn(t, admin, "/admin/staff", "/admin/staff/rotation", bad)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, `id="err-members"`) || !strings.Contains(r.body, "ghost") {
		t.Fatalf("unknown member: %d\n%s", r.status, r.body)
	}
	bad.Set("members", "kim\nlee")
	if r := formOn(t, admin, "/admin/staff", "/admin/staff/rotation", bad); r.status != http.StatusBadRequest || !strings.Contains(r.body, `id="err-zone"`) {
		t.Fatalf("bad zone: %d\n%s", r.status, r.body)
	}

	// kim first: kim is on call this week, lee next week, and saving the
	// form as shown changes nobody.
	good := url.Values{"members": {"kim\nlee"}, "handover_day": {"1"}, "handover_hour": {"9"}, "zone": {"America/New_York"}}
	if r := formOn(t, admin, "/admin/staff", "/admin/staff/rotation", good); r.status != http.StatusSeeOther {
		t.Fatalf("save rotation: %d\n%s", r.status, r.body)
	}
	if got := onCallNow(t, admin); got != "KIM (kim)" {
		t.Fatalf("on call after save: %q", got)
	}
	if !auditHas(pe, "lereq.rotation.set") {
		t.Error("rotation change not audited")
	}
	rot, err := pe.svc.Rotation(context.Background())
	if err != nil || rot.Zone != "America/New_York" || len(rot.Members) != 2 {
		t.Fatalf("stored rotation: %+v %v", rot, err)
	}
	if next, _ := rot.OnCall(pe.clock.Now().Add(7 * 24 * time.Hour)); next != "lee" {
		t.Errorf("next week: %q, want lee", next)
	}
	p = admin.do("GET", "/admin/staff", nil, nil)
	if !strings.Contains(p.body, "kim\nlee</textarea>") {
		t.Errorf("form does not list the on-call member first:\n%s", p.body)
	}

	// An override puts lee on call now; a bad one is refused inline.
	loc, _ := time.LoadLocation("America/New_York")
	now := pe.clock.Now().In(loc)
	ov := url.Values{"from": {now.Add(-time.Hour).Format("2006-01-02T15:04")}, "to": {now.Add(-2 * time.Hour).Format("2006-01-02T15:04")},
		"member": {"lee"}, "reason": {"swap"}}
	if r := formOn(t, admin, "/admin/staff", "/admin/staff/rotation/overrides", ov); r.status != http.StatusBadRequest || !strings.Contains(r.body, `id="err-to"`) {
		t.Fatalf("override ending before it starts: %d\n%s", r.status, r.body)
	}
	ov.Set("to", now.Add(24*time.Hour).Format("2006-01-02T15:04"))
	ov.Set("member", "counsel")
	if r := formOn(t, admin, "/admin/staff", "/admin/staff/rotation/overrides", ov); r.status != http.StatusBadRequest || !strings.Contains(r.body, `id="err-member"`) {
		t.Fatalf("override by a non-team member: %d\n%s", r.status, r.body)
	}
	ov.Set("member", "lee")
	if r := formOn(t, admin, "/admin/staff", "/admin/staff/rotation/overrides", ov); r.status != http.StatusSeeOther {
		t.Fatalf("add override: %d\n%s", r.status, r.body)
	}
	if got := onCallNow(t, admin); got != "Lee Park (lee)" {
		t.Fatalf("on call with the override: %q", got)
	}
	// Emergencies go to whoever the override puts on call.
	if who, err := lawreq.Assign(lawreq.EmergencyDisclosure, pe.clock.Now(), mustRotation(t, pe), nil, ""); err != nil || who != "lee" {
		t.Errorf("emergency assignment: %q %v", who, err)
	}

	// Removal needs the override the page showed.
	p = admin.do("GET", "/admin/staff", nil, nil)
	from := regexp.MustCompile(`name="from" value="([^"]+)"`).FindStringSubmatch(p.body)
	if from == nil || !strings.Contains(p.body, "swap") {
		t.Fatalf("override not listed:\n%s", p.body)
	}
	del := "/admin/staff/rotation/overrides/0/delete"
	if r := formOn(t, admin, "/admin/staff", del, url.Values{"from": {"2000-01-01T00:00:00Z"}}); r.status != http.StatusConflict {
		t.Fatalf("stale removal: %d\n%s", r.status, r.body)
	}
	if r := formOn(t, admin, "/admin/staff", del, url.Values{"from": {from[1]}}); r.status != http.StatusSeeOther {
		t.Fatalf("remove override: %d\n%s", r.status, r.body)
	}
	if got := onCallNow(t, admin); got != "KIM (kim)" {
		t.Fatalf("on call after removal: %q", got)
	}
	if r := formOn(t, admin, "/admin/staff", "/admin/staff/rotation/overrides/7/delete", url.Values{"from": {from[1]}}); r.status != http.StatusNotFound {
		t.Errorf("removing a missing override: %d", r.status)
	}

	// Legal reads the page without forms; a POST without token is refused.
	legal := pe.browser()
	legal.login("counsel")
	if r := legal.do("GET", "/admin/staff", nil, nil); r.status != 200 || strings.Contains(r.body, `action="/admin/staff/rotation`) || !strings.Contains(r.body, "On call now") {
		t.Errorf("legal: %d, forms shown or schedule missing", r.status)
	}
	good.Set("members", "lee")
	good.Del("csrf_token") // formOn put the token in
	if r := admin.do("POST", "/admin/staff/rotation", good, nil); r.status != http.StatusForbidden {
		t.Errorf("POST without CSRF token: %d", r.status)
	}
	if got := onCallNow(t, admin); got != "KIM (kim)" {
		t.Errorf("a POST without CSRF token changed the rotation: %q", got)
	}
}

func mustRotation(t *testing.T, pe *portalEnv) *lawreq.Rotation {
	t.Helper()
	rot, err := pe.svc.Rotation(context.Background())
	if err != nil || rot == nil {
		t.Fatalf("rotation: %v %v", rot, err)
	}
	return rot
}
