package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"vigil/auth"
	"vigil/production"
	"vigil/store"
)

var (
	csrfRE   = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	secretRE = regexp.MustCompile(`<code class="secret">([A-Z2-7]+)</code>`)
)

// TestServeDemoThenLogInAndSeeCounts is the README's first command as a
// person uses it: start `vigil serve --demo`, take a printed demo login, sign
// in with the password, enrol TOTP, and read the demo counts on the dashboard.
func TestServeDemoThenLogInAndSeeCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end demo test skipped in -short mode")
	}
	bin := vigilBinary(t)
	data := t.TempDir()
	cmd := exec.Command(bin, "serve", "--demo", "--demo-accounts", "400", "--data", data, "--addr", "127.0.0.1:0", "--log-level", "warn")
	stdout, _ := cmd.StdoutPipe()
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Signal(syscall.SIGKILL); _ = cmd.Wait() }()

	var base, user, pass string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		if m := regexp.MustCompile(`running at (http://\S+?)/?$`).FindStringSubmatch(line); m != nil {
			base = m[1]
		}
		if m := regexp.MustCompile(`demo login: (\S+)\s+password (\S+)\s+role admin`).FindStringSubmatch(line); m != nil {
			user, pass = m[1], m[2]
			break
		}
	}
	go io.Copy(io.Discard, stdout)
	if base == "" || user == "" {
		t.Fatalf("serve --demo did not print the URL and an admin login; logs:\n%s", logs.String())
	}
	waitReady(t, base)

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	page := func(resp *http.Response, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s %s: status %d\n%s", resp.Request.Method, resp.Request.URL, resp.StatusCode, b)
		}
		return string(b)
	}
	form := func(path, body string, vals url.Values) string {
		t.Helper()
		m := csrfRE.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no CSRF token in the form before %s:\n%s", path, body)
		}
		vals.Set("csrf_token", m[1])
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(vals.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		return page(c.Do(req))
	}

	// The public pages need no login: the guidelines and the key that
	// verifies production packages, which must be this data directory's key.
	if le := page(c.Get(base + "/law-enforcement")); !strings.Contains(le, "48 hours") {
		t.Fatalf("/law-enforcement does not state the 48-hour commitment:\n%s", le)
	}
	key, err := production.LoadKey(data)
	if err != nil {
		t.Fatal(err)
	}
	if pub := page(c.Get(base + "/.well-known/vigil-production-key")); !strings.Contains(pub, key.PublicKeyBase64()) {
		t.Fatalf("the published production key is not the server's key:\n%s", pub)
	}

	login := page(c.Get(base + "/"))
	if !strings.Contains(login, `action="/login"`) {
		t.Fatalf("an anonymous visit did not lead to the login page:\n%s", login)
	}
	enrol := form("/login", login, url.Values{"username": {user}, "password": {pass}})
	m := secretRE.FindStringSubmatch(enrol)
	if m == nil {
		t.Fatalf("first login did not show the TOTP enrolment secret:\n%s", enrol)
	}
	code, err := auth.TOTPCode(m[1], time.Now())
	if err != nil {
		t.Fatal(err)
	}
	form("/login/enroll", enrol, url.Values{"code": {code}})

	// The consumer stores and scans the demo content shortly after start-up.
	deadline := time.Now().Add(60 * time.Second)
	for {
		dash := page(c.Get(base + "/"))
		if strings.Contains(dash, "Dashboard") && strings.Contains(dash, ">400<") && strings.Contains(dash, ">4000<") && strings.Contains(dash, "Flagged by detection") && !strings.Contains(dash, "none yet") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("dashboard never showed 400 accounts, 4000 posts and flagged items:\n%s", dash)
		}
		time.Sleep(300 * time.Millisecond)
	}

	// The demo also holds one law-enforcement agency with requests in
	// several states, so both sides of the portal can be clicked through.
	db, err := store.Open(context.Background(), store.SQLitePath(data))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var agencies, requests, states int
	db.QueryRow("SELECT COUNT(*) FROM le_agencies").Scan(&agencies)
	db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT state) FROM le_requests").Scan(&requests, &states)
	if agencies != 1 || requests < 3 || states < 3 {
		t.Fatalf("demo law enforcement: %d agencies, %d requests in %d states; want 1 agency and requests in several states", agencies, requests, states)
	}
}
