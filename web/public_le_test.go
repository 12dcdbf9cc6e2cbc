package web_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"vigil/lawreq"
	"vigil/web"
)

var (
	typeRowRE   = regexp.MustCompile(`(?s)<tr id="type-([a-z0-9_]+)">(.*?)</tr>`)
	grantCellRE = regexp.MustCompile(`<td class="grant[^"]*">([^<]*)</td>`)
)

func TestLawEnforcementPageIsPublicAndComplete(t *testing.T) {
	contact := web.LEContact{Name: "LE Response Team", Email: "le-response@example.org",
		Phone: "+1 650 555 0100", Hours: "Mon–Fri 09:00–17:00 PT"}
	e := newEnv(t, nil, func(c *web.Config) { c.LEContact = contact })
	r := e.browser().do("GET", "/law-enforcement", nil, nil)
	if r.status != http.StatusOK {
		t.Fatalf("anonymous GET /law-enforcement: %d (want 200: the page is public)\n%s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("Content-Type %q", ct)
	}
	body := html.UnescapeString(r.body)

	// The scope table: one row per request type, and in each row exactly the
	// grant of lawreq's matrix for every category, in column order.
	rows := map[string]string{}
	for _, m := range typeRowRE.FindAllStringSubmatch(r.body, -1) {
		rows[m[1]] = m[2]
	}
	if len(lawreq.RequestTypes()) != 6 {
		t.Fatalf("lawreq has %d request types; this test expects the six of the issue", len(lawreq.RequestTypes()))
	}
	for _, typ := range lawreq.RequestTypes() {
		row, ok := rows[string(typ)]
		if !ok {
			t.Errorf("scope table has no row for %s", typ)
			continue
		}
		if !strings.Contains(html.UnescapeString(row), typ.Label()) {
			t.Errorf("row %s does not show its label %q", typ, typ.Label())
		}
		cells := grantCellRE.FindAllStringSubmatch(row, -1)
		cats := lawreq.Categories()
		if len(cells) != len(cats) {
			t.Errorf("row %s has %d grant cells, want %d (one per category)", typ, len(cells), len(cats))
			continue
		}
		for i, c := range cats {
			if got, want := html.UnescapeString(cells[i][1]), lawreq.GrantOf(typ, c).String(); got != want {
				t.Errorf("row %s, category %s: %q, want %q", typ, c, got, want)
			}
		}
	}
	if len(rows) != len(lawreq.RequestTypes()) {
		t.Errorf("scope table has %d rows, want %d", len(rows), len(lawreq.RequestTypes()))
	}

	// The headline commitment comes from the default policy.
	for _, want := range []string{
		"Emergency disclosure request, Preservation request under 18 U.S.C. § 2703(f) and Preservation extension are answered within 48 hours",
		"<td>Subpoena (administrative, grand jury or trial)</td><td>14 days</td><td>—</td>",
		"<td>Emergency disclosure request</td><td>48 hours</td><td>8 hours</td>",
		// the rest of the guidelines
		"government e-mail domains", "published switchboard number",
		"danger of death or serious physical injury", "why the normal legal process would be too slow",
		"Weixin", "mutual legal assistance", "2705(b)",
		"manifest.json", "Ed25519", `href="` + web.ProductionKeyPath + `"`, "vigil verify-package",
		// the configured contact
		contact.Name, contact.Email, contact.Phone, contact.Hours,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "not configured") {
		t.Error("a configured contact is still shown as not configured")
	}
}

func TestLawEnforcementPageFollowsPolicyAndShowsMissingContact(t *testing.T) {
	pol := lawreq.DefaultPolicy()
	pol.Deadlines[lawreq.EmergencyDisclosure] = lawreq.Deadline{Due: 24 * time.Hour, Target: 4 * time.Hour}
	pol.Deadlines[lawreq.Subpoena] = lawreq.Deadline{Due: 10 * 24 * time.Hour}
	if err := pol.Validate(); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, nil, func(c *web.Config) { c.LEPolicy = pol })
	r := e.browser().do("GET", "/law-enforcement", nil, nil)
	if r.status != http.StatusOK {
		t.Fatalf("GET /law-enforcement: %d\n%s", r.status, r.body)
	}
	body := html.UnescapeString(r.body)
	for _, want := range []string{
		"<td>Emergency disclosure request</td><td>24 hours</td><td>4 hours</td>",
		"<td>Subpoena (administrative, grand jury or trial)</td><td>10 days</td>",
		"answered within 48 hours", // preservations still are
		"not configured (set <code>--le-contact-phone</code>)",
		"not configured (set <code>--le-contact-email</code>)",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// A signed-in staff member sees the same page inside the console layout.
func TestLawEnforcementPageSignedIn(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("ana", web.RoleLEResponse)
	b := e.browser()
	b.login("ana")
	r := b.do("GET", "/law-enforcement", nil, nil)
	if r.status != http.StatusOK || !strings.Contains(r.body, "Sign out") || !strings.Contains(r.body, "Guidelines for law enforcement") {
		t.Fatalf("signed-in GET /law-enforcement: %d\n%s", r.status, r.body)
	}
}
