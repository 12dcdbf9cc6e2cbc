package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"vigil/auth"
)

// sessionCookie is the server's session cookie name.
const sessionCookie = "vigil_session"

var (
	csrfRE   = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	secretRE = regexp.MustCompile(`<code class="secret">([A-Z2-7]+)</code>`)
)

// client is a cookie-keeping HTTP client that does not follow redirects,
// so each sign-in step is checked.
type client struct {
	base string
	c    *http.Client
}

func newClient(base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{base: strings.TrimRight(base, "/"), c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) do(method, path string, form url.Values) (int, string, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return 0, "", "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.c.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b), err
}

// csrf reads the CSRF token of the form on page path.
func (c *client) csrf(path string) (string, error) {
	st, _, body, err := c.do("GET", path, nil)
	if err != nil {
		return "", err
	}
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("GET %s: %d, no csrf_token in the page", path, st)
	}
	return m[1], nil
}

// secondFactor answers the TOTP step at page: enrolment (the page shows
// the secret) or a code for an already enrolled secret.
func (c *client) secondFactor(page, secret string) (int, string, error) {
	st, _, body, err := c.do("GET", page, nil)
	if err != nil {
		return 0, "", err
	}
	if m := secretRE.FindStringSubmatch(body); m != nil {
		secret = m[1]
	}
	if secret == "" {
		return 0, "", fmt.Errorf("GET %s: %d, no TOTP secret shown and none given (--totp-secret)", page, st)
	}
	tok := csrfRE.FindStringSubmatch(body)
	if tok == nil {
		return 0, "", fmt.Errorf("GET %s: %d, no csrf_token", page, st)
	}
	code, err := auth.TOTPCode(secret, time.Now())
	if err != nil {
		return 0, "", err
	}
	st, loc, _, err := c.do("POST", page, url.Values{"csrf_token": {tok[1]}, "code": {code}})
	return st, loc, err
}

// login signs in as staff (/login) or as an officer (/portal/login) and
// returns the session cookie and the session's CSRF token.
func login(base, kind, user, password, secret string) (cookie, token string, err error) {
	c := newClient(base)
	loginPage, field, home := "/login", "username", "/"
	if kind == "officer" {
		loginPage, field, home = "/portal/login", "email", "/portal"
	} else if kind != "staff" {
		return "", "", fmt.Errorf("--kind %q: use staff or officer", kind)
	}
	tok, err := c.csrf(loginPage)
	if err != nil {
		return "", "", err
	}
	st, loc, body, err := c.do("POST", loginPage, url.Values{"csrf_token": {tok}, field: {user}, "password": {password}})
	if err != nil {
		return "", "", err
	}
	if st != http.StatusSeeOther {
		return "", "", fmt.Errorf("POST %s: %d (wrong password?) %.200s", loginPage, st, body)
	}
	if st, loc, err = c.secondFactor(loc, secret); err != nil {
		return "", "", err
	}
	if st != http.StatusSeeOther || loc != home {
		return "", "", fmt.Errorf("second factor: %d → %q, want a redirect to %s", st, loc, home)
	}
	csrfPage := "/me"
	if kind == "officer" {
		csrfPage = "/portal/requests/new"
	}
	if token, err = c.csrf(csrfPage); err != nil {
		return "", "", err
	}
	u, _ := url.Parse(c.base)
	for _, ck := range c.c.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			return ck.Value, token, nil
		}
	}
	return "", "", errors.New("signed in, but no session cookie was set")
}

func loginCmd(args []string) error {
	fs := flag.NewFlagSet("login", flag.ContinueOnError)
	base := fs.String("url", "", "server base URL")
	kind := fs.String("kind", "staff", "staff or officer")
	user := fs.String("user", "", "staff username or officer e-mail")
	pw := fs.String("password", "", "password")
	secret := fs.String("totp-secret", "", "TOTP secret, when already enrolled")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cookie, tok, err := login(*base, *kind, *user, *pw, *secret)
	if err != nil {
		return err
	}
	fmt.Printf("cookie=%s\ncsrf=%s\n", cookie, tok)
	return nil
}

// boundary is fixed so the body and the Content-Type can be written once.
const boundary = "portalbench0123456789boundary"

// tinyPDF is the legal document of every seeded request.
var tinyPDF = []byte("%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n")

// submitBody is the portal's new-request form for a subpoena. It carries no
// client_key, so every POST is a new request rather than a retry.
func submitBody() ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.SetBoundary(boundary); err != nil {
		return nil, "", err
	}
	fields := [][2]string{{"type", "subpoena"}, {"case_number", "2026-BENCH-1"}, {"case_name", "State v. Benchmark"},
		{"supervisor_name", "Sgt. Lane"}, {"supervisor_email", "lane@demo-county-sheriff.gov"}, {"officer_phone", "+12025550143"},
		{"targets", "email:no-such-person@example.com"}, {"categories", "subscriber_basic"}, {"from", "2026-08-01"}, {"to", "2026-10-31"}}
	for _, f := range fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			return nil, "", err
		}
	}
	w, err := mw.CreateFormFile("document", "subpoena.pdf")
	if err != nil {
		return nil, "", err
	}
	if _, err := w.Write(tinyPDF); err != nil {
		return nil, "", err
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}

func formCmd(args []string) error {
	fs := flag.NewFlagSet("form", flag.ContinueOnError)
	dir := fs.String("out", "bench/out", "directory for submit.body and submit.lua")
	cookie := fs.String("cookie", "", "officer session cookie")
	tok := fs.String("csrf", "", "officer CSRF token")
	if err := fs.Parse(args); err != nil {
		return err
	}
	body, ct, err := submitBody()
	if err != nil {
		return err
	}
	bodyPath := filepath.Join(*dir, "portal-submit.body")
	if err := os.WriteFile(bodyPath, body, 0o600); err != nil {
		return err
	}
	abs, err := filepath.Abs(bodyPath)
	if err != nil {
		return err
	}
	lua := fmt.Sprintf(`local f = assert(io.open(%q, "rb"))
wrk.body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = %q
wrk.headers["Cookie"] = %q
wrk.headers["X-CSRF-Token"] = %q
`, abs, ct, sessionCookie+"="+*cookie, *tok)
	return os.WriteFile(filepath.Join(*dir, "portal-submit.lua"), []byte(lua), 0o600)
}

func seedCmd(args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	base := fs.String("url", "", "server base URL")
	cookie := fs.String("cookie", "", "officer session cookie")
	tok := fs.String("csrf", "", "officer CSRF token")
	n := fs.Int("n", 1000, "requests to submit")
	workers := fs.Int("workers", 4, "concurrent submitters")
	if err := fs.Parse(args); err != nil {
		return err
	}
	body, ct, err := submitBody()
	if err != nil {
		return err
	}
	hc := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var next, failed atomic.Int64
	var firstErr atomic.Value
	start := time.Now()
	var wg sync.WaitGroup
	for range *workers {
		wg.Go(func() {
			for next.Add(1) <= int64(*n) {
				req, _ := http.NewRequest("POST", strings.TrimRight(*base, "/")+"/portal/requests", bytes.NewReader(body))
				req.Header.Set("Content-Type", ct)
				req.Header.Set("X-CSRF-Token", *tok)
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: *cookie})
				resp, err := hc.Do(req)
				if err == nil {
					b, _ := io.ReadAll(resp.Body)
					_ = resp.Body.Close()
					if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/portal/requests/") {
						err = fmt.Errorf("POST /portal/requests: %d %.300s", resp.StatusCode, b)
					}
				}
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		})
	}
	wg.Wait()
	if f := failed.Load(); f > 0 {
		return fmt.Errorf("%d of %d submissions failed; first: %v", f, *n, firstErr.Load())
	}
	fmt.Fprintf(os.Stderr, "portalbench: seeded %d requests through the portal form in %s\n", *n, time.Since(start).Round(time.Millisecond))
	return nil
}
