package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"vigil/audit"
	"vigil/auth"
	evfs "vigil/evidence/fs"
	"vigil/internal/testkit"
	"vigil/lawreq"
	"vigil/lereq"
	"vigil/platform"
	"vigil/store"
	"vigil/web"
)

// portalEnv is an env with the law-enforcement service mounted.
type portalEnv struct {
	*env
	svc    *lereq.Service
	outbox *lereq.Outbox
	agency lereq.Agency
}

// lateAudit forwards to the env's audit log, created inside newEnv.
type lateAudit struct{ e **env }

func (l lateAudit) Append(ctx context.Context, ev audit.Event) (uint64, error) {
	return (*l.e).log.Append(ctx, ev)
}

func newPortalEnv(t testing.TB, db *store.DB, opts ...envOpt) *portalEnv {
	t.Helper()
	if db == nil {
		db = testkit.SQLite(t)
	}
	ctx := context.Background()
	var e *env
	now := func() time.Time { return e.clock.Now() }
	dir := store.NewDirectory(db, now)
	blobs, err := evfs.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pe := &portalEnv{outbox: &lereq.Outbox{}}
	pe.svc, err = lereq.New(lereq.Config{Argon2: fastArgon, PortalURL: "https://vigil.test"},
		lereq.Deps{Store: store.NewLEStore(db, now), Directory: dir, Blobs: blobs, Audit: lateAudit{&e}, Mailer: pe.outbox, Clock: now})
	if err != nil {
		t.Fatal(err)
	}
	e = newEnv(t, db, append([]envOpt{func(c *web.Config) { c.LE = pe.svc }}, opts...)...)
	pe.env = e
	for _, a := range []platform.Account{
		{ID: "acct-1", WeChatID: "alice_wx1", DisplayName: "Alice", Phone: "+14155550101", App: "wechat", Region: "US", Status: "active"},
		{ID: "acct-2", WeChatID: "chen_wx3", DisplayName: "Chen", Phone: "+8613800138003", App: "weixin", Region: "CN", Status: "active"},
	} {
		a.RegisteredAt, a.RegistrationIP = e.clock.Now().AddDate(-1, 0, 0), "192.0.2.1"
		if _, err := dir.UpsertAccounts(ctx, []platform.Account{a}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.CreateStaffUser(ctx, store.StaffUser{Username: "lee", DisplayName: "Lee Park", Role: "le_response", PasswordHash: "h"}); err != nil {
		t.Fatal(err)
	}
	admin := lereq.StaffActor("ada", "admin")
	if err := pe.svc.SetRotation(ctx, admin, lawreq.Rotation{Members: []string{"lee"}, HandoverDay: time.Monday, HandoverHour: 9, Zone: "UTC", Anchor: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	pe.agency, err = pe.svc.SaveAgency(ctx, admin, lereq.Agency{Name: "Metro Police", Jurisdiction: "Metro", Phone: "+1 202 555 0100", Domains: []string{"metro-pd.example"}})
	if err != nil {
		t.Fatal(err)
	}
	return pe
}

var tokenRE = regexp.MustCompile(`token=([A-Za-z0-9_\-]+)`)

// onboard registers, verifies and signs in an officer through the pages,
// leaving b signed in to the portal.
func (pe *portalEnv) onboard(t testing.TB, b *browser, email string) {
	t.Helper()
	tok := b.csrf("/portal/register")
	r := b.do("POST", "/portal/register", url.Values{"csrf_token": {tok}, "name": {"Det. Jo Smith"}, "title": {"Detective"},
		"agency_id": {pe.agency.ID}, "email": {email}, "phone": {"+12025550199"}, "password": {testPassword}}, nil)
	if r.status != http.StatusOK || !strings.Contains(r.body, "Check your e-mail") {
		t.Fatalf("register: %d\n%s", r.status, r.body)
	}
	m, ok := pe.outbox.Last(email)
	if !ok {
		t.Fatalf("no verification mail to %s", email)
	}
	link := tokenRE.FindStringSubmatch(m.Body)
	if link == nil {
		t.Fatalf("no token in the mail: %q", m.Body)
	}
	if r := b.do("GET", "/portal/verify-email?token="+link[1], nil, nil); r.status != http.StatusOK || !strings.Contains(r.body, "confirmed") {
		t.Fatalf("verify: %d\n%s", r.status, r.body)
	}
	pe.clock.Add(auth.TOTPPeriod * time.Second)
	tok = b.csrf("/portal/login")
	r = b.do("POST", "/portal/login", url.Values{"csrf_token": {tok}, "email": {email}, "password": {testPassword}}, nil)
	if r.status != http.StatusSeeOther || r.location != "/portal/totp" {
		t.Fatalf("portal login: %d → %q\n%s", r.status, r.location, r.body)
	}
	page := b.do("GET", "/portal/totp", nil, nil)
	sm := secretRE.FindStringSubmatch(page.body)
	if sm == nil || !strings.Contains(page.body, "otpauth://totp/") {
		t.Fatalf("enrolment page lacks secret or otpauth URL:\n%s", page.body)
	}
	b.secret = sm[1]
	tok = csrfRE.FindStringSubmatch(page.body)[1]
	r = b.do("POST", "/portal/totp", url.Values{"csrf_token": {tok}, "code": {b.code()}}, nil)
	if r.status != http.StatusSeeOther || r.location != "/portal" {
		t.Fatalf("TOTP: %d → %q\n%s", r.status, r.location, r.body)
	}
}

var testPDF = []byte("%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n")

// multipartForm encodes fields and an optional file as multipart/form-data.
func multipartForm(t testing.TB, fields url.Values, fileField, filename string, file []byte) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	if fileField != "" {
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{`form-data; name="` + fileField + `"; filename="` + filename + `"`}
		h["Content-Type"] = []string{"application/pdf"}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(file)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, mw.FormDataContentType()
}

func (b *browser) multipart(path string, body io.Reader, ct string) reply {
	b.e.t.Helper()
	req, err := http.NewRequest("POST", b.e.ts.URL+path, body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(raw), header: resp.Header}
}

func emergencyForm(tok string) url.Values {
	return url.Values{"csrf_token": {tok}, "type": {string(lawreq.EmergencyDisclosure)}, "case_number": {"2026-CR-0042"},
		"case_name": {"State v. Example"}, "supervisor_name": {"Sgt. Lane"}, "supervisor_email": {"lane@metro-pd.example"},
		"officer_phone": {"+12025550199"}, "targets": {"wechat_id:alice_wx1\nwechat_id:chen_wx3"},
		"categories": {string(lawreq.SubscriberBasic)}, "from": {"2026-08-01"}, "to": {"2026-11-20"},
		"danger": {"A kidnapped child is held by the account holder."}, "why_now": {"The child may be moved tonight."},
		"attested": {"1"}, "client_key": {"ck-1"}}
}

func TestPortalOfficerPath(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			pe := newPortalEnv(t, db)
			b := pe.browser()
			// Anonymous: portal pages send to the portal sign-in.
			if r := b.do("GET", "/portal", nil, nil); r.status != http.StatusSeeOther || r.location != "/portal/login" {
				t.Fatalf("anonymous /portal: %d → %q", r.status, r.location)
			}
			pe.onboard(t, b, "jo@metro-pd.example")

			home := b.do("GET", "/portal", nil, nil)
			if home.status != 200 || !strings.Contains(home.body, "not submitted any requests") {
				t.Fatalf("home: %d\n%s", home.status, home.body)
			}
			// A form with errors names each field and keeps the values.
			tok := b.csrf("/portal/requests/new")
			bad := emergencyForm(tok)
			bad.Set("targets", "nonsense")
			bad.Del("attested")
			body, ct := multipartForm(t, bad, "document", "order.pdf", testPDF)
			r := b.multipart("/portal/requests", body, ct)
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, `id="err-targets"`) || !strings.Contains(r.body, "2026-CR-0042") {
				t.Fatalf("bad form: %d\n%s", r.status, r.body)
			}
			// A non-PDF is refused at the document field.
			body, ct = multipartForm(t, emergencyForm(tok), "document", "order.pdf", []byte("GIF89a not a pdf"))
			if r := b.multipart("/portal/requests", body, ct); r.status != http.StatusBadRequest || !strings.Contains(r.body, `id="err-document"`) {
				t.Fatalf("non-PDF: %d\n%s", r.status, r.body)
			}

			body, ct = multipartForm(t, emergencyForm(tok), "document", "order.pdf", testPDF)
			r = b.multipart("/portal/requests", body, ct)
			if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/portal/requests/") {
				t.Fatalf("submit: %d → %q\n%s", r.status, r.location, r.body)
			}
			reqPath := r.location
			// The same client key again (a double click) files nothing new.
			body, ct = multipartForm(t, emergencyForm(tok), "document", "order.pdf", testPDF)
			if r2 := b.multipart("/portal/requests", body, ct); r2.location != reqPath {
				t.Fatalf("resubmission went to %q, want %q", r2.location, reqPath)
			}
			page := b.do("GET", reqPath, nil, nil)
			for _, want := range []string{"Lee Park", "order.pdf", lawreq.OfficerText(lawreq.Submitted), "alice_wx1", "chen_wx3",
				lawreq.NotProducibleWx.OfficerExplanation()} {
				if !strings.Contains(page.body, htmlEscape(want)) {
					t.Errorf("request page lacks %q", want)
				}
			}
			home = b.do("GET", "/portal", nil, nil)
			if strings.Count(home.body, `href="`+reqPath+`"`) != 1 || !strings.Contains(home.body, "Lee Park") || !strings.Contains(home.body, "2026-CR-0042") {
				t.Fatalf("home does not list the request once with its contact:\n%s", home.body)
			}

			// The thread: an empty message is refused at its field; a real one shows.
			tok = csrfRE.FindStringSubmatch(page.body)[1]
			body, ct = multipartForm(t, url.Values{"csrf_token": {tok}, "body": {"  "}}, "", "", nil)
			if r := b.multipart(reqPath+"/messages", body, ct); r.status != http.StatusBadRequest || !strings.Contains(r.body, `id="err-body"`) {
				t.Fatalf("empty message: %d\n%s", r.status, r.body)
			}
			body, ct = multipartForm(t, url.Values{"csrf_token": {tok}, "body": {"Child's last known location attached."}}, "", "", nil)
			if r := b.multipart(reqPath+"/messages", body, ct); r.status != http.StatusSeeOther {
				t.Fatalf("post: %d\n%s", r.status, r.body)
			}
			if p := b.do("GET", reqPath, nil, nil); !strings.Contains(p.body, htmlEscape("Child's last known location attached.")) {
				t.Fatalf("message not in the thread:\n%s", p.body)
			}

			// The legal document downloads intact, as an attachment.
			docRE := regexp.MustCompile(`href="(` + regexp.QuoteMeta(reqPath) + `/files/[0-9a-f]{64})">order.pdf<`)
			dm := docRE.FindStringSubmatch(page.body)
			if dm == nil {
				t.Fatalf("request page has no document link:\n%s", page.body)
			}
			dl := b.do("GET", dm[1], nil, nil)
			if dl.status != 200 || dl.body != string(testPDF) || !strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("download: %d %q %q", dl.status, dl.header.Get("Content-Disposition"), dl.body)
			}

			// Another officer cannot see it, nor post to it.
			other := pe.browser()
			pe.onboard(t, other, "sam@metro-pd.example")
			if r := other.do("GET", reqPath, nil, nil); r.status != http.StatusNotFound {
				t.Fatalf("other officer read the request: %d", r.status)
			}
			if r := other.do("GET", dm[1], nil, nil); r.status != http.StatusNotFound {
				t.Fatalf("other officer downloaded the document: %d", r.status)
			}
			otok := other.csrf("/portal")
			body, ct = multipartForm(t, url.Values{"csrf_token": {otok}, "body": {"hello"}}, "", "", nil)
			if r := other.multipart(reqPath+"/messages", body, ct); r.status != http.StatusNotFound {
				t.Fatalf("other officer posted: %d", r.status)
			}

			// Officers never reach staff pages, and staff never reach portal pages.
			for _, path := range []string{"/", "/me", "/api/v1/audit/checkpoint"} {
				if r := b.do("GET", path, nil, nil); r.status != http.StatusForbidden {
					t.Errorf("officer GET %s: %d, want 403", path, r.status)
				}
			}
			pe.addUser("stan", "le_response")
			staffB := pe.browser()
			staffB.login("stan")
			if r := staffB.do("GET", "/portal", nil, nil); r.status != http.StatusForbidden {
				t.Errorf("staff GET /portal: %d, want 403", r.status)
			}
			if r := staffB.do("GET", reqPath, nil, nil); r.status != http.StatusForbidden {
				t.Errorf("staff GET %s: %d, want 403", reqPath, r.status)
			}

			acts := pe.auditActions()
			for _, want := range []string{"lereq.officer.verify_email", "lereq.officer.totp_enrolled", "lereq.request.submit", "lereq.file.download"} {
				found := false
				for _, a := range acts {
					found = found || strings.HasSuffix(a, " "+want)
				}
				if !found {
					t.Errorf("audit log lacks %s", want)
				}
			}
		})
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

func TestPortalCSRFOnEveryPost(t *testing.T) {
	pe := newPortalEnv(t, nil)
	b := pe.browser()
	pe.onboard(t, b, "jo@metro-pd.example")
	for _, rt := range pe.srv.Routes() {
		if rt.Method != "POST" || !strings.HasPrefix(rt.Pattern, "/portal") {
			continue
		}
		path := strings.ReplaceAll(rt.Pattern, "{id}", "req_x")
		body, ct := multipartForm(t, url.Values{"csrf_token": {"forged"}, "body": {"x"}}, "", "", nil)
		if r := b.multipart(path, body, ct); r.status != http.StatusForbidden {
			t.Errorf("POST %s with a forged token: %d, want 403", path, r.status)
		}
	}
	// Still signed in: the refusals did not depend on being signed out.
	if r := b.do("GET", "/portal", nil, nil); r.status != http.StatusOK {
		t.Fatalf("GET /portal after the forged posts: %d", r.status)
	}
}

func TestPortalRegisterErrorsPerField(t *testing.T) {
	pe := newPortalEnv(t, nil)
	b := pe.browser()
	tok := b.csrf("/portal/register")
	r := b.do("POST", "/portal/register", url.Values{"csrf_token": {tok}, "name": {"Jo"}, "email": {"jo@gmail.com"}, "password": {testPassword}}, nil)
	if r.status < 400 || !strings.Contains(r.body, `id="err-email"`) || !strings.Contains(r.body, `value="jo@gmail.com"`) {
		t.Fatalf("free-mail registration: %d\n%s", r.status, r.body)
	}
	if _, ok := pe.outbox.Last("jo@gmail.com"); ok {
		t.Fatal("a refused registration was e-mailed")
	}
	// A verification link works once.
	if r := b.do("GET", "/portal/verify-email?token=bogus", nil, nil); r.status < 400 {
		t.Fatalf("bogus token: %d", r.status)
	}
}

func TestPortalSecondSignIn(t *testing.T) {
	pe := newPortalEnv(t, nil)
	b := pe.browser()
	pe.onboard(t, b, "jo@metro-pd.example")
	if r := b.do("POST", "/portal/logout", url.Values{"csrf_token": {b.csrf("/portal")}}, nil); r.status != http.StatusSeeOther || r.location != "/portal/login" {
		t.Fatalf("logout: %d → %q", r.status, r.location)
	}
	if r := b.do("GET", "/portal", nil, nil); r.location != "/portal/login" {
		t.Fatalf("signed out but /portal: %d → %q", r.status, r.location)
	}
	// A wrong password is refused without saying whether the address exists.
	tok := b.csrf("/portal/login")
	if r := b.do("POST", "/portal/login", url.Values{"csrf_token": {tok}, "email": {"jo@metro-pd.example"}, "password": {"nope"}}, nil); r.status != http.StatusUnauthorized || !strings.Contains(r.body, "wrong") {
		t.Fatalf("wrong password: %d\n%s", r.status, r.body)
	}
	r := b.do("POST", "/portal/login", url.Values{"csrf_token": {tok}, "email": {"jo@metro-pd.example"}, "password": {testPassword}}, nil)
	if r.location != "/portal/totp" {
		t.Fatalf("login: %d → %q", r.status, r.location)
	}
	// Enrolled: the page asks for a code and shows no secret.
	page := b.do("GET", "/portal/totp", nil, nil)
	if secretRE.MatchString(page.body) || !strings.Contains(page.body, "Two-factor code") {
		t.Fatalf("code page after enrolment:\n%s", page.body)
	}
	// Password only is not signed in.
	if r := b.do("GET", "/portal", nil, nil); r.location != "/portal/login" {
		t.Fatalf("half signed in reached /portal: %d", r.status)
	}
	tok = csrfRE.FindStringSubmatch(page.body)[1]
	if r := b.do("POST", "/portal/totp", url.Values{"csrf_token": {tok}, "code": {"000000"}}, nil); r.status != http.StatusUnauthorized {
		t.Fatalf("wrong code: %d\n%s", r.status, r.body)
	}
	pe.clock.Add(auth.TOTPPeriod * time.Second)
	if r := b.do("POST", "/portal/totp", url.Values{"csrf_token": {tok}, "code": {b.code()}}, nil); r.status != http.StatusSeeOther || r.location != "/portal" {
		t.Fatalf("code: %d → %q\n%s", r.status, r.location, r.body)
	}
	if r := b.do("GET", "/portal", nil, nil); r.status != http.StatusOK {
		t.Fatalf("/portal after sign-in: %d", r.status)
	}
}

func TestPortalUploadLimitAndSessionRotation(t *testing.T) {
	pe := newPortalEnv(t, nil)
	b := pe.browser()
	b.csrf("/portal/login") // an anonymous session exists before sign-in
	before := sessionCookie(b, pe.ts.URL)
	pe.onboard(t, b, "jo@metro-pd.example")
	if after := sessionCookie(b, pe.ts.URL); after == "" || after == before {
		t.Fatal("the session token was not rotated at portal sign-in")
	}
	tok := b.csrf("/portal/requests/new")
	big := append(append([]byte{}, testPDF...), bytes.Repeat([]byte{'x'}, int(lawreq.MaxDocumentSize)+2<<20)...)
	body, ct := multipartForm(t, emergencyForm(tok), "document", "huge.pdf", big)
	r := b.multipart("/portal/requests", body, ct)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "larger than") {
		t.Fatalf("oversized upload: %d\n%.300s", r.status, r.body)
	}
	if items, err := pe.svc.MyRequests(context.Background(), officerID(t, pe, "jo@metro-pd.example")); err != nil || len(items) != 0 {
		t.Fatalf("oversized upload filed a request: %v %v", items, err)
	}
}

func sessionCookie(b *browser, base string) string {
	u, _ := url.Parse(base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "vigil_session" {
			return c.Value
		}
	}
	return ""
}

func officerID(t testing.TB, pe *portalEnv, email string) string {
	t.Helper()
	st := store.NewLEStore(pe.db, pe.clock.Now)
	o, err := st.OfficerByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}
