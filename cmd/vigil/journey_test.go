package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"vigil/auth"
	"vigil/demo"
	"vigil/internal/testkit"
	"vigil/lawreq"
	"vigil/lereq"
	"vigil/platform"
	"vigil/production"
)

// TestBrowserOfficerJourney is issue 6 item 9 as people live it, in
// Chromium against the real binary: an officer registers, confirms the
// e-mailed link, enrols TOTP and submits an emergency request with a PDF;
// the LE contact records the call-back and moves it to legal review;
// counsel approves part of the scope; the LE contact produces; the officer
// downloads the package, `vigil verify-package` accepts it and rejects it
// with one byte changed. Each person has their own browser profile
// (browser context), as they would on their own machines.
func TestBrowserOfficerJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	root, cancel := testkit.Chromium(t)
	defer cancel()
	started := time.Now()

	const accounts = 300
	sink := startSMTPSink(t)
	data := t.TempDir()
	// Port 0: the links in e-mails must still name the port the server
	// really bound (the default --portal-url comes from the listener).
	base := startServeArgs(t, "serve", "--demo", "--demo-accounts", strconv.Itoa(accounts), "--data", data,
		"--addr", "127.0.0.1:0", "--log-level", "warn",
		"--smtp-url", "smtp://"+sink.addr()+"?from=vigil@example.org")

	// The target: an active WeChat account of the same demo platform.
	var target platform.Account
	for _, a := range demo.Generate(demo.Options{Accounts: accounts}).Accounts {
		if a.App == platform.AppWeChat && a.Status == platform.StatusActive && a.WeChatID != "" {
			target = a
			break
		}
	}
	if target.ID == "" {
		t.Fatal("the demo platform has no active WeChat account to name")
	}

	officer := newPerson(t, root, "officer")
	lecontact := newPerson(t, root, "lecontact")
	counsel := newPerson(t, root, "counsel")

	// Officer: register with an address on the demo agency's domain.
	email := "det.kim@" + lereq.DemoAgencyDomain
	const password = "journey-officer-passphrase-9"
	reg := `form[action="/portal/register"] `
	officer.do("open /portal/register",
		chromedp.Navigate(base+"/portal/register"),
		chromedp.WaitVisible(chromedp.CSS(reg+`input[name="email"]`)),
		chromedp.SendKeys(chromedp.CSS(reg+`input[name="name"]`), "Det. Alex Kim"),
		chromedp.SendKeys(chromedp.CSS(reg+`input[name="title"]`), "Detective, Crimes Against Children"),
		chromedp.SendKeys(chromedp.CSS(reg+`input[name="email"]`), email),
		chromedp.SendKeys(chromedp.CSS(reg+`input[name="phone"]`), "+12025550177"),
		chromedp.SendKeys(chromedp.CSS(reg+`input[name="password"]`), password),
	)
	officer.shot("01-portal-register")
	officer.do("register", chromedp.Click(chromedp.CSS(reg+`button`)), chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if msg := officer.text("main"); !strings.Contains(msg, "sent a confirmation link to "+email) {
		t.Fatalf("registration did not say a link was sent: %q", msg)
	}

	// The link comes by e-mail, through the SMTP sink.
	mail := sink.waitFor(t, email, 15*time.Second)
	link := verifyLinkRE.FindString(mail.Data)
	if link == "" {
		t.Fatalf("the e-mail has no verification link:\n%s", mail.Data)
	}
	if !strings.HasPrefix(link, base+"/portal/verify-email?token=") {
		t.Fatalf("the e-mailed link %q does not point at this portal (%s)", link, base)
	}
	officer.do("open the verification link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`form[action="/portal/login"]`)))
	if msg := officer.text("main"); !strings.Contains(msg, "e-mail address is confirmed") {
		t.Fatalf("the verification link did not confirm the address: %q", msg)
	}
	lin := `form[action="/portal/login"] `
	officer.do("sign in",
		chromedp.SendKeys(chromedp.CSS(lin+`input[name="email"]`), email),
		chromedp.SendKeys(chromedp.CSS(lin+`input[name="password"]`), password),
		chromedp.Click(chromedp.CSS(lin+`button`)),
		chromedp.WaitVisible(chromedp.CSS(`code.secret`)),
	)
	officer.enrolTOTP(`form[action="/portal/totp"]`)
	officer.do("portal home", chromedp.WaitVisible(chromedp.CSS(`a.button[href="/portal/requests/new"]`)))
	if home := officer.text("main"); !strings.Contains(home, "Your requests") || !strings.Contains(home, email) {
		t.Fatalf("the portal home does not show the officer's requests page: %q", home)
	}
	officer.shot("02-portal-home")

	// Officer: an emergency request with its PDF.
	pdf := filepath.Join(t.TempDir(), "emergency-request.pdf")
	if err := os.WriteFile(pdf, lereq.TextPDF("EMERGENCY DISCLOSURE REQUEST - case DCSO-2026-0500"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !lawreq.IsPDF(lereq.TextPDF("x")) {
		t.Fatal("the test's PDF is not one the portal accepts")
	}
	nf := `form[action="/portal/requests"] `
	today := time.Now().UTC()
	officer.do("fill the new-request form",
		chromedp.Navigate(base+"/portal/requests/new"),
		chromedp.WaitVisible(chromedp.CSS(nf+`input[name="case_number"]`)),
		chromedp.SetValue(chromedp.CSS(nf+`select[name="type"]`), string(lawreq.EmergencyDisclosure)),
		chromedp.SendKeys(chromedp.CSS(nf+`input[name="case_number"]`), "DCSO-2026-0500"),
		chromedp.SendKeys(chromedp.CSS(nf+`input[name="case_name"]`), "Abducted child, vehicle sighted"),
		chromedp.SendKeys(chromedp.CSS(nf+`input[name="supervisor_name"]`), "Lt. Dana Okafor"),
		chromedp.SendKeys(chromedp.CSS(nf+`input[name="supervisor_email"]`), "d.okafor@"+lereq.DemoAgencyDomain),
		chromedp.SendKeys(chromedp.CSS(nf+`input[name="supervisor_phone"]`), "+12025550144"),
		chromedp.SendKeys(chromedp.CSS(nf+`textarea[name="targets"]`), "wechat_id:"+target.WeChatID),
		chromedp.Click(chromedp.CSS(nf+`input[name="categories"][value="subscriber_basic"]`)),
		chromedp.Click(chromedp.CSS(nf+`input[name="categories"][value="login_metadata"]`)),
		chromedp.SetValue(chromedp.CSS(nf+`input[name="from"]`), today.AddDate(0, 0, -3).Format("2006-01-02")),
		chromedp.SetValue(chromedp.CSS(nf+`input[name="to"]`), today.Format("2006-01-02")),
		chromedp.SendKeys(chromedp.CSS(nf+`textarea[name="danger"]`), "A 9-year-old was taken from a school yard an hour ago; the suspect messaged the family from this account."),
		chromedp.SendKeys(chromedp.CSS(nf+`textarea[name="why_now"]`), "The child may be harmed within hours; a court order would take days."),
		chromedp.Click(chromedp.CSS(nf+`input[name="attested"]`)),
		chromedp.SetUploadFiles(chromedp.CSS(nf+`input[name="document"]`), []string{pdf}),
	)
	officer.shot("03-portal-new-request")
	officer.do("submit the request", chromedp.Click(chromedp.CSS(nf+`button`)), chromedp.WaitVisible(chromedp.CSS(`#production, form[action$="/messages"]`)))
	loc := officer.location()
	m := regexp.MustCompile(`/portal/requests/([^/?#]+)$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("submitting did not lead to the request page but to %s: %q", loc, officer.text("main"))
	}
	reqID := m[1]
	if page := officer.text("main"); !strings.Contains(page, "DCSO-2026-0500") || !strings.Contains(page, "emergency-request.pdf") {
		t.Fatalf("the request page does not show the case and its document: %q", page)
	}
	officer.shot("04-portal-request")

	// LE contact: the queue, the call-back to the published number, triage,
	// legal review.
	lecontact.staffSignIn(base, "lecontact", "demo-lecontact-passphrase")
	lecontact.do("open the queue", chromedp.Navigate(base+"/requests"), chromedp.WaitVisible(chromedp.CSS(`tr[data-id="`+reqID+`"]`)))
	lecontact.shot("05-staff-queue")
	lecontact.do("open the request", chromedp.Click(chromedp.CSS(`tr[data-id="`+reqID+`"] a`)), chromedp.WaitVisible(chromedp.CSS(`form.callback`)))
	pm := regexp.MustCompile(`published number (\+\d+)`).FindStringSubmatch(lecontact.text("main"))
	if pm == nil {
		t.Fatal("the staff request page does not show the agency's published number")
	}
	lecontact.do("record the call-back",
		chromedp.SendKeys(chromedp.CSS(`form.callback input[name="phone_dialed"]`), pm[1]),
		chromedp.SendKeys(chromedp.CSS(`form.callback textarea[name="notes"]`), "Switchboard put me through to Lt. Okafor, who confirmed Det. Kim and this emergency."),
		chromedp.Click(chromedp.CSS(`form.callback button`)),
		chromedp.WaitNotPresent(chromedp.CSS(`form.callback`)),
	)
	if v := lecontact.text("dd.verification"); !strings.Contains(v, "verified by call-back") || strings.Contains(v, "not verified") {
		t.Fatalf("after the call-back the officer shows as %q", v)
	}
	for _, to := range []lawreq.State{lawreq.Triage, lawreq.LegalReview} {
		lecontact.move(to, "", nil, nil)
	}
	lecontact.shot("06-staff-request")

	// Counsel: approve subscriber records only, not the login metadata.
	counsel.staffSignIn(base, "counsel", "demo-counsel-passphrase")
	counsel.do("open the request", chromedp.Navigate(base+"/requests/"+reqID), chromedp.WaitVisible(chromedp.CSS(`form.transition[data-to="partially_approved"]`)))
	counsel.move(lawreq.PartiallyApproved, "Subscriber records are approved; login metadata is not needed to locate the child now.",
		[]lawreq.Category{lawreq.SubscriberBasic}, func() { counsel.shot("07-legal-approval") })
	if g := counsel.text("dd.granted"); !strings.Contains(g, "subscriber_basic") || strings.Contains(g, "login_metadata") {
		t.Fatalf("granted categories: %q, want subscriber_basic only", g)
	}

	// LE contact: build and deliver.
	lecontact.do("produce",
		chromedp.Navigate(base+"/requests/"+reqID),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/produce"] button`)),
		chromedp.Click(chromedp.CSS(`form[action$="/produce"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`p.production`)),
	)

	// Officer: the download.
	officer.do("open the delivered request", chromedp.Navigate(base+"/portal/requests/"+reqID), chromedp.WaitVisible(chromedp.CSS(`p.production a[href$="/package"]`)))
	officer.shot("08-portal-download")
	zipPath := officer.download(base, `p.production a[href$="/package"]`)

	// The package holds what was granted, nothing more.
	checkPackage(t, zipPath, target.ID)

	// verify-package, with the key as published.
	keyFile := filepath.Join(t.TempDir(), "vigil-production-key")
	resp, err := http.Get(base + "/.well-known/vigil-production-key")
	if err != nil {
		t.Fatal(err)
	}
	key, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != 200 || os.WriteFile(keyFile, key, 0o644) != nil {
		t.Fatalf("/.well-known/vigil-production-key: %d %s", resp.StatusCode, key)
	}
	code, out := verifyPackage(t, zipPath, keyFile)
	if code != 0 || !strings.Contains(out, "package verified") {
		t.Fatalf("verify-package on the downloaded package: exit %d\n%s", code, out)
	}
	t.Logf("verify-package, as downloaded: exit 0\n%s", out)
	csvName := production.CSVName(lawreq.SubscriberBasic)
	bad := filepath.Join(t.TempDir(), "tampered.zip")
	if err := tamperZip(zipPath, bad, csvName); err != nil {
		t.Fatal(err)
	}
	code, out = verifyPackage(t, bad, keyFile)
	if code != 1 || !strings.Contains(out, "NOT verified") || !strings.Contains(out[strings.Index(out, "NOT verified"):], csvName) {
		t.Fatalf("verify-package with one byte of %s changed: exit %d, want 1 naming the file\n%s", csvName, code, out)
	}
	t.Logf("verify-package, one byte of %s changed: exit 1\n%s", csvName, out)
	t.Logf("journey done in %s", time.Since(started).Round(100*time.Millisecond))
}

// checkPackage checks the downloaded ZIP holds the granted category's
// records of the target and not the refused one.
func checkPackage(t *testing.T, path, accountID string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("the download is not a ZIP: %v", err)
	}
	defer func() { _ = zr.Close() }()
	var names []string
	var man production.Manifest
	var subscriber string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Name != production.ManifestFile && f.Name != production.CSVName(lawreq.SubscriberBasic) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == production.ManifestFile {
			if err := json.Unmarshal(b, &man); err != nil {
				t.Fatalf("manifest.json: %v", err)
			}
		} else {
			subscriber = string(b)
		}
	}
	if !slices.Equal(man.Categories, []lawreq.Category{lawreq.SubscriberBasic}) {
		t.Errorf("the package's categories are %v, want only the granted subscriber_basic", man.Categories)
	}
	if slices.Contains(names, production.CSVName(lawreq.LoginMetadata)) {
		t.Errorf("the package holds the refused login metadata: %v", names)
	}
	if !strings.Contains(subscriber, accountID) {
		t.Errorf("%s does not name the target account %s:\n%s", production.CSVName(lawreq.SubscriberBasic), accountID, subscriber)
	}
}

// verifyPackage runs the real `vigil verify-package` and returns its exit
// code and combined output.
func verifyPackage(t *testing.T, zipPath, keyFile string) (int, string) {
	t.Helper()
	out, err := exec.Command(vigilBinary(t), "verify-package", zipPath, "--pubkey", keyFile).CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &ee):
		return ee.ExitCode(), string(out)
	}
	t.Fatalf("verify-package: %v\n%s", err, out)
	return -1, ""
}

// person is one user's own browser profile: a tab in a separate browser
// context, so each keeps their own session cookies.
type person struct {
	t    *testing.T
	name string
	ctx  context.Context
}

func newPerson(t *testing.T, root context.Context, name string) *person {
	t.Helper()
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a browser profile for %s: %v", name, err)
	}
	return &person{t: t, name: name, ctx: ctx}
}

func (p *person) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		loc, _ := chromedp.Run(p.ctx, chromedp.Location())
		body, _ := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS("body")))
		p.t.Fatalf("%s: %s: %v\nat %s:\n%s", p.name, what, err, loc, body)
	}
}

func (p *person) text(sel string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("%s: read %s: %v", p.name, sel, err)
	}
	return s
}

func (p *person) location() string {
	p.t.Helper()
	loc, err := chromedp.Run(p.ctx, chromedp.Location())
	if err != nil {
		p.t.Fatal(err)
	}
	return loc
}

func (p *person) shot(name string) { p.t.Helper(); testkit.Screenshot(p.t, p.ctx, name) }

// enrolTOTP reads the secret off the enrolment page, as a person types it
// into an authenticator app, and confirms the current code in form.
func (p *person) enrolTOTP(form string) {
	p.t.Helper()
	secret := strings.TrimSpace(p.text("code.secret"))
	code, err := auth.TOTPCode(secret, time.Now())
	if err != nil {
		p.t.Fatalf("%s: TOTP secret %q from the enrolment page: %v", p.name, secret, err)
	}
	p.do("confirm the TOTP code",
		chromedp.SendKeys(chromedp.CSS(form+` input[name="code"]`), code),
		chromedp.Click(chromedp.CSS(form+` button`)),
		chromedp.WaitNotPresent(chromedp.CSS(`code.secret`)),
	)
}

// staffSignIn signs a demo staff user in to the console for the first time,
// which enrols TOTP.
func (p *person) staffSignIn(base, user, pass string) {
	p.t.Helper()
	f := `form[action="/login"] `
	p.do("staff sign-in",
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(f+`input[name="username"]`)),
		chromedp.SendKeys(chromedp.CSS(f+`input[name="username"]`), user),
		chromedp.SendKeys(chromedp.CSS(f+`input[name="password"]`), pass),
		chromedp.Click(chromedp.CSS(f+`button`)),
		chromedp.WaitVisible(chromedp.CSS(`code.secret`)),
	)
	p.enrolTOTP(`form[action="/login/enroll"]`)
}

// move submits the request page's transition form to state to, ticking
// the granted categories and writing the reason (and, for approvals of an
// emergency, the good-faith basis); before, if set, runs just before the
// click (for a screenshot of the filled form).
func (p *person) move(to lawreq.State, reason string, grant []lawreq.Category, before func()) {
	p.t.Helper()
	f := `form.transition[data-to="` + string(to) + `"] `
	var steps []chromedp.Action[chromedp.Void]
	steps = append(steps, chromedp.WaitVisible(chromedp.CSS(f+`button`)))
	for _, c := range grant {
		steps = append(steps, chromedp.Click(chromedp.CSS(f+`input[name="categories"][value="`+string(c)+`"]`)))
	}
	if len(grant) > 0 {
		steps = append(steps, chromedp.SendKeys(chromedp.CSS(f+`textarea[name="basis"]`), "Good-faith belief of imminent danger to a child, confirmed by the call-back to the agency."))
	}
	if reason != "" {
		steps = append(steps, chromedp.SendKeys(chromedp.CSS(f+`input[name="reason"]`), reason))
	}
	p.do("fill the move to "+string(to), steps...)
	if before != nil {
		before()
	}
	p.do("move to "+string(to), chromedp.Click(chromedp.CSS(f+`button`)),
		chromedp.WaitVisible(chromedp.CSS(`dd.state[data-state="`+string(to)+`"]`)))
}

// download fetches the link at sel with this person's session cookies, as
// the browser would, and returns the saved file.
func (p *person) download(base, sel string) string {
	p.t.Helper()
	href, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector('`+sel+`').href`))
	if err != nil {
		p.t.Fatalf("%s: read the download link: %v", p.name, err)
	}
	var cookies []*network.Cookie
	p.do("read the session cookies", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		r, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{base + "/"}})
		cookies = r.Cookies
		return err
	}))
	req, err := http.NewRequest("GET", href, nil)
	if err != nil {
		p.t.Fatal(err)
	}
	for _, c := range cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		p.t.Fatalf("%s: download %s: status %d, Content-Disposition %q\n%.500s", p.name, href, resp.StatusCode, resp.Header.Get("Content-Disposition"), body)
	}
	path := filepath.Join(p.t.TempDir(), "package.zip")
	if err := os.WriteFile(path, body, 0o644); err != nil {
		p.t.Fatal(err)
	}
	return path
}
