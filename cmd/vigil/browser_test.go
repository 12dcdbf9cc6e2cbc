package main

import (
	"bufio"
	"bytes"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vigil/auth"
	"vigil/internal/testkit"
)

// TestBrowserDemoWalkthrough is the demo as a person meets it, in a real
// browser: start `vigil serve --demo`, read the public law-enforcement
// guidelines, sign in as the printed admin, enrol TOTP from the secret on the
// enrolment page, and see the demo counts on the dashboard. Screenshots of
// each page go to $VIGIL_SCREENSHOTS for review.
func TestBrowserDemoWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	ctx, cancel := testkit.Chromium(t)
	defer cancel()
	const accounts = 300
	base, user, pass := startDemo(t, accounts)

	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}

	// The public guidelines need no sign-in.
	run("open /law-enforcement", chromedp.Navigate(base+"/law-enforcement"), chromedp.WaitVisible(chromedp.CSS("table.scope")))
	guide := text("main")
	for _, want := range []string{"Guidelines for law enforcement", "answered within 48 hours", "Search warrant", "verify-package"} {
		if !strings.Contains(guide, want) {
			t.Errorf("the law-enforcement page does not show %q", want)
		}
	}
	testkit.Screenshot(t, ctx, "01-law-enforcement")

	// An anonymous visit to the console lands on the sign-in form.
	run("open the console", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)))
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/login") {
		t.Errorf("an anonymous visit to / ended at %s, want the sign-in page", loc)
	}
	testkit.Screenshot(t, ctx, "02-login")
	run("sign in",
		chromedp.SendKeys(chromedp.CSS(`input[name="username"]`), user),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), pass),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("code.secret")),
	)
	testkit.Screenshot(t, ctx, "03-enrol")

	// Read the secret as a person would type it into an authenticator app.
	secret := strings.TrimSpace(text("code.secret"))
	code, err := auth.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatalf("TOTP secret %q from the enrolment page: %v", secret, err)
	}
	run("confirm the code",
		chromedp.SendKeys(chromedp.CSS(`input[name="code"]`), code),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".cards")),
	)

	// The consumer stores and scans the demo content shortly after start-up:
	// reload until the counts are there.
	wantAccounts, wantPosts := ">300<", ">3000<"
	deadline := time.Now().Add(90 * time.Second)
	for {
		html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(html, wantAccounts) && strings.Contains(html, wantPosts) && !strings.Contains(html, "none yet") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the dashboard never showed %d accounts, their posts and flagged items:\n%s", accounts, html)
		}
		time.Sleep(time.Second)
		run("reload the dashboard", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".cards")))
	}
	dash := text("main")
	for _, want := range []string{"Dashboard", "Accounts", "Flagged by detection"} {
		if !strings.Contains(dash, want) {
			t.Errorf("the dashboard does not show %q", want)
		}
	}
	if nav := text("header"); !strings.Contains(nav, user) && !strings.Contains(nav, "admin") {
		t.Errorf("the header does not show who is signed in: %q", nav)
	}
	testkit.Screenshot(t, ctx, "04-dashboard")

	// Signed in, the public page keeps the console's header.
	run("open /law-enforcement signed in", chromedp.Navigate(base+"/law-enforcement"), chromedp.WaitVisible(chromedp.CSS("table.scope")))
	if !strings.Contains(text("header"), "Sign out") {
		t.Error("signed in, /law-enforcement lost the console header")
	}
	testkit.Screenshot(t, ctx, "05-law-enforcement-signed-in")
}

var (
	demoURLRE   = regexp.MustCompile(`running at (http://\S+?)/?$`)
	demoAdminRE = regexp.MustCompile(`demo login: (\S+)\s+password (\S+)\s+role admin`)
)

// startDemo runs `vigil serve --demo` on a free port until the test ends and
// returns its URL and the printed admin login.
func startDemo(t *testing.T, accounts int) (base, user, pass string) {
	t.Helper()
	bin := vigilBinary(t)
	cmd := exec.Command(bin, "serve", "--demo", "--demo-accounts", strconv.Itoa(accounts), "--data", t.TempDir(),
		"--addr", "127.0.0.1:0", "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGKILL); _ = cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		if m := demoURLRE.FindStringSubmatch(line); m != nil {
			base = m[1]
		}
		if m := demoAdminRE.FindStringSubmatch(line); m != nil {
			user, pass = m[1], m[2]
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	if base == "" || user == "" {
		t.Fatalf("serve --demo did not print the URL and an admin login; logs:\n%s", logs.String())
	}
	waitReady(t, base)
	return base, user, pass
}
