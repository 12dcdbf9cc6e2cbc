package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"vigil/auth"
	"vigil/internal/testkit"
	"vigil/web"
)

func TestLoginFlowWithEnrolment(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			e := newEnv(t, db)
			e.addUser("alice", "reviewer")
			b := e.browser()

			// Not signed in: pages send the browser to the sign-in page.
			if r := b.do("GET", "/me", nil, nil); r.status != http.StatusSeeOther || r.location != "/login" {
				t.Fatalf("GET /me anonymous: %d → %q", r.status, r.location)
			}
			// Password first; TOTP is not set up, so enrolment is mandatory.
			r := b.password("alice", testPassword)
			if r.status != http.StatusSeeOther || r.location != "/login/enroll" {
				t.Fatalf("POST /login: %d → %q", r.status, r.location)
			}
			// Half signed in (password only) is not signed in.
			if r := b.do("GET", "/me", nil, nil); r.status != http.StatusSeeOther || r.location != "/login" {
				t.Fatalf("page after password only: %d → %q", r.status, r.location)
			}
			if r := b.do("GET", "/login/totp", nil, nil); r.location != "/login/enroll" {
				t.Fatalf("TOTP page before enrolment should send to enrolment, got %d → %q", r.status, r.location)
			}
			page := b.do("GET", "/login/enroll", nil, nil)
			m := secretRE.FindStringSubmatch(page.body)
			if m == nil || !strings.Contains(page.body, "otpauth://totp/Vigil:alice?") || !strings.Contains(page.body, "data:image/png;base64,") {
				t.Fatalf("enrolment page lacks secret, otpauth URL or QR:\n%s", page.body)
			}
			b.secret = m[1]
			// Reloading shows the same secret (the user may have scanned it).
			if again := secretRE.FindStringSubmatch(b.do("GET", "/login/enroll", nil, nil).body); again == nil || again[1] != b.secret {
				t.Fatal("enrolment secret changed on reload")
			}
			tok := csrfRE.FindStringSubmatch(page.body)[1]
			if r := b.do("POST", "/login/enroll", url.Values{"csrf_token": {tok}, "code": {"000000"}}, nil); r.status != http.StatusUnauthorized || !strings.Contains(r.body, "code is wrong") {
				t.Fatalf("wrong enrolment code: %d\n%s", r.status, r.body)
			}
			// The original ("next") page is restored after sign-in.
			r = b.do("POST", "/login/enroll", url.Values{"csrf_token": {tok}, "code": {b.code()}}, nil)
			if r.status != http.StatusSeeOther || r.location != "/me" {
				t.Fatalf("enrolment: %d → %q\n%s", r.status, r.location, r.body)
			}
			me := b.do("GET", "/me", nil, nil)
			if me.status != 200 || !strings.Contains(me.body, "reviewer") || !strings.Contains(me.body, "enabled") {
				t.Fatalf("GET /me: %d\n%s", me.status, me.body)
			}
			dash := b.do("GET", "/", nil, nil)
			for _, want := range []string{"9712", "weixin", "51234", "812", "group_chat", "semi_public", "100000", "77"} {
				if !strings.Contains(dash.body, want) {
					t.Errorf("dashboard lacks %q", want)
				}
			}

			// Sign out, then sign in again: now password → TOTP code.
			tok = csrfRE.FindStringSubmatch(dash.body)[1]
			if r := b.do("POST", "/logout", url.Values{"csrf_token": {tok}}, nil); r.status != http.StatusSeeOther || r.location != "/login" {
				t.Fatalf("logout: %d → %q", r.status, r.location)
			}
			if r := b.do("GET", "/", nil, nil); r.location != "/login" {
				t.Fatalf("after logout the dashboard is still served: %d", r.status)
			}
			r = b.password("alice", testPassword)
			if r.location != "/login/totp" {
				t.Fatalf("second sign-in went to %q, want /login/totp", r.location)
			}
			// The code used at enrolment (same 30 s step) must not work again.
			tok = b.csrf("/login/totp")
			if r := b.do("POST", "/login/totp", url.Values{"csrf_token": {tok}, "code": {b.code()}}, nil); r.status != http.StatusUnauthorized || !strings.Contains(r.body, "already used") {
				t.Fatalf("reused TOTP code: %d\n%s", r.status, r.body)
			}
			e.clock.Add(auth.TOTPPeriod * time.Second)
			if r := b.do("POST", "/login/totp", url.Values{"csrf_token": {tok}, "code": {b.code()}}, nil); r.status != http.StatusSeeOther || r.location != "/" {
				t.Fatalf("TOTP sign-in: %d → %q\n%s", r.status, r.location, r.body)
			}

			acts := e.auditActions()
			for _, want := range []string{"alice staff.totp_enrolled", "alice staff.login", "alice staff.logout", "alice console.view_dashboard", "alice staff.login_failed"} {
				if !has(acts, want) {
					t.Errorf("audit log lacks %q; has %v", want, acts)
				}
			}
			if n := count(acts, "alice staff.login"); n != 2 {
				t.Errorf("%d login events, want 2", n)
			}
		})
	}
}

func TestSessionCookieFlags(t *testing.T) {
	check := func(t *testing.T, e *env, wantSecure bool) {
		e.addUser("bob", "auditor")
		b := e.browser()
		r := b.password("bob", testPassword)
		var found bool
		for _, c := range (&http.Response{Header: r.header}).Cookies() {
			if c.Name != "vigil_session" {
				continue
			}
			found = true
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != wantSecure || c.Path != "/" {
				t.Fatalf("cookie flags: HttpOnly=%v SameSite=%v Secure=%v Path=%q", c.HttpOnly, c.SameSite, c.Secure, c.Path)
			}
			if c.MaxAge != 0 || !c.Expires.IsZero() {
				t.Fatalf("session cookie persists (MaxAge %d, Expires %v)", c.MaxAge, c.Expires)
			}
		}
		if !found {
			t.Fatalf("no session cookie set by POST /login (headers %v)", r.header)
		}
	}
	t.Run("plain HTTP", func(t *testing.T) { check(t, newEnv(t, nil), false) })
	t.Run("configured secure", func(t *testing.T) {
		check(t, newEnv(t, nil, func(c *web.Config) { c.SecureCookies = true }), true)
	})
	t.Run("TLS", func(t *testing.T) {
		e := newEnv(t, nil)
		e.ts.Close()
		e.ts = httptest.NewTLSServer(e.srv.Handler())
		t.Cleanup(e.ts.Close)
		e.addUser("bob", "auditor")
		b := e.browser()
		b.c.Transport = e.ts.Client().Transport
		tok := b.csrf("/login")
		r := b.do("POST", "/login", url.Values{"csrf_token": {tok}, "username": {"bob"}, "password": {testPassword}}, nil)
		sc := r.header.Values("Set-Cookie")
		if len(sc) == 0 || !strings.Contains(strings.Join(sc, ";"), "Secure") {
			t.Fatalf("over TLS the session cookie is not Secure: %v", sc)
		}
	})
}

func TestWrongPasswordAndUnknownUser(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("carol", "legal")
	b := e.browser()
	wrong := b.password("carol", "not the password at all")
	unknown := b.password("nobody", "not the password at all")
	for _, r := range []reply{wrong, unknown} {
		if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "wrong username or password") {
			t.Fatalf("failed sign-in: %d\n%s", r.status, r.body)
		}
	}
	// The username is kept in the form, the password is not.
	if !strings.Contains(wrong.body, `value="carol"`) || strings.Contains(wrong.body, "not the password") {
		t.Fatal("form does not keep the username or leaks the password")
	}
	acts := e.auditActions()
	if !has(acts, "carol staff.login_failed") || !has(acts, "anonymous staff.login_failed") {
		t.Fatalf("failed sign-ins not audited: %v", acts)
	}
	if strings.Contains(e.logs.String(), "not the password") {
		t.Fatal("a password reached the log")
	}
}

func TestLockoutAfterRepeatedFailures(t *testing.T) {
	for _, db := range testkit.Databases(t) {
		t.Run(db.Dialect.String(), func(t *testing.T) {
			e := newEnv(t, db)
			e.addUser("dave", "le_response")
			b := e.browser()
			for i := 1; i <= auth.DefaultLockout.MaxFailures; i++ {
				r := b.password("dave", "wrong password number")
				want := http.StatusUnauthorized
				if i == auth.DefaultLockout.MaxFailures {
					want = http.StatusTooManyRequests
				}
				if r.status != want {
					t.Fatalf("failure %d: status %d, want %d\n%s", i, r.status, want, r.body)
				}
			}
			// Locked: even the right password is refused, with a clear message.
			r := b.password("dave", testPassword)
			if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "locked") {
				t.Fatalf("right password while locked: %d\n%s", r.status, r.body)
			}
			acts := e.auditActions()
			if count(acts, "dave staff.lockout") != 1 || !has(acts, "dave staff.login_refused") {
				t.Fatalf("lockout not audited once: %v", acts)
			}
			// After the lock period the right password works again.
			e.clock.Add(auth.DefaultLockout.LockFor + time.Second)
			b.login("dave")
			u, err := e.db.StaffUserByUsername(t.Context(), "dave")
			if err != nil || u.FailedAttempts != 0 || !u.LockedUntil.IsZero() {
				t.Fatalf("failures not reset after sign-in: %+v %v", u.FailedAttempts, err)
			}
		})
	}
}

func TestWrongTOTPCodesLockToo(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("erin", "reviewer")
	b := e.browser()
	b.login("erin")
	b2 := e.browser()
	if r := b2.password("erin", testPassword); r.location != "/login/totp" {
		t.Fatalf("password step → %q", r.location)
	}
	tok := b2.csrf("/login/totp")
	var r reply
	for i := 0; i < auth.DefaultLockout.MaxFailures; i++ {
		r = b2.do("POST", "/login/totp", url.Values{"csrf_token": {tok}, "code": {"999999"}}, nil)
	}
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("after %d wrong codes: %d\n%s", auth.DefaultLockout.MaxFailures, r.status, r.body)
	}
}

func TestLoginRateLimitPerIP(t *testing.T) {
	e := newEnv(t, nil, func(c *web.Config) { c.LoginPerIP = web.Limit{Burst: 3, Every: time.Minute} })
	b := e.browser()
	for i := 0; i < 3; i++ {
		if r := b.password("user"+string(rune('a'+i))+"x", "whatever password"); r.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, r.status)
		}
	}
	r := b.password("someone", "whatever password")
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "too many sign-in attempts from your address") {
		t.Fatalf("4th attempt from one IP: %d\n%s", r.status, r.body)
	}
	e.clock.Add(time.Minute)
	if r := b.password("someone", "whatever password"); r.status != http.StatusUnauthorized {
		t.Fatalf("after refill: %d", r.status)
	}
}

func TestLoginRateLimitPerUsername(t *testing.T) {
	e := newEnv(t, nil, func(c *web.Config) {
		c.LoginPerUser = web.Limit{Burst: 2, Every: time.Minute}
		c.Lockout = auth.LockoutPolicy{MaxFailures: 100, Window: time.Hour, LockFor: time.Hour}
	})
	e.addUser("frank", "admin")
	b := e.browser()
	b.password("frank", "wrong wrong wrong")
	b.password("frank", "wrong wrong wrong")
	if r := b.password("frank", testPassword); r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "for this username") {
		t.Fatalf("3rd attempt for one username: %d\n%s", r.status, r.body)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("gina", "reviewer")
	b := e.browser()
	b.login("gina")
	tok := b.csrf("/me")
	form := func(withToken bool) url.Values {
		v := url.Values{"current": {testPassword}, "new": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}}
		if withToken {
			v.Set("csrf_token", tok)
		}
		return v
	}
	// 1. Same origin but no per-session token.
	if r := b.do("POST", "/me/password", form(false), nil); r.status != http.StatusForbidden || !strings.Contains(r.body, "reload the page") {
		t.Fatalf("POST without token: %d\n%s", r.status, r.body)
	}
	// 2. A wrong token.
	bad := form(false)
	bad.Set("csrf_token", "forged")
	if r := b.do("POST", "/me/password", bad, nil); r.status != http.StatusForbidden {
		t.Fatalf("POST with a forged token: %d", r.status)
	}
	// 3. The right token but a cross-origin browser request.
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		if r := b.do("POST", "/me/password", form(true), h); r.status != http.StatusForbidden || !strings.Contains(r.body, "cross-origin") {
			t.Fatalf("cross-origin POST %v: %d\n%s", h, r.status, r.body)
		}
	}
	// The login form is protected as well (login CSRF).
	anon := e.browser()
	if r := anon.do("POST", "/login", url.Values{"username": {"gina"}, "password": {testPassword}}, nil); r.status != http.StatusForbidden {
		t.Fatalf("POST /login without token: %d", r.status)
	}
	// Nothing changed so far; with token and same origin the change goes through.
	if r := b.do("POST", "/me/password", form(true), map[string]string{"Sec-Fetch-Site": "same-origin"}); r.status != 200 || !strings.Contains(r.body, "password was changed") {
		t.Fatalf("legitimate change: %d\n%s", r.status, r.body)
	}
	if !has(e.auditActions(), "gina staff.password_changed") {
		t.Fatal("password change not audited")
	}
}

func TestChangePasswordPolicy(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("hank", "auditor")
	b := e.browser()
	b.login("hank")
	tok := b.csrf("/me")
	cases := []struct {
		cur, nw, conf string
		status        int
		msg           string
	}{
		{testPassword, "short", "short", 400, "at least 12"},
		{testPassword, "hank", "hank", 400, "at least 12"},
		{testPassword, "a long new passphrase", "a different one here", 400, "differ"},
		{"wrong current password", "a long new passphrase", "a long new passphrase", 400, "current password is wrong"},
	}
	for _, c := range cases {
		r := b.do("POST", "/me/password", url.Values{"csrf_token": {tok}, "current": {c.cur}, "new": {c.nw}, "confirm": {c.conf}}, nil)
		if r.status != c.status || !strings.Contains(r.body, c.msg) {
			t.Errorf("%+v: %d\n%s", c, r.status, r.body)
		}
	}
	// The old password still works.
	b2 := e.browser()
	if r := b2.password("hank", testPassword); r.status != http.StatusSeeOther {
		t.Fatalf("old password refused after failed changes: %d", r.status)
	}
}

func TestDisabledUserIsSignedOut(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("ivan", "reviewer")
	b := e.browser()
	b.login("ivan")
	if err := e.db.SetStaffUserDisabled(t.Context(), "ivan", true); err != nil {
		t.Fatal(err)
	}
	if r := b.do("GET", "/me", nil, nil); r.status != http.StatusSeeOther || r.location != "/login" {
		t.Fatalf("disabled user still served: %d", r.status)
	}
	if r := e.browser().password("ivan", testPassword); r.status != http.StatusUnauthorized {
		t.Fatalf("disabled user could sign in: %d", r.status)
	}
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("mona", "legal")
	laptop, phone := e.browser(), e.browser()
	laptop.login("mona")
	phone.secret = laptop.secret
	phone.login("mona")
	tok := laptop.csrf("/me")
	r := laptop.do("POST", "/me/password", url.Values{"csrf_token": {tok}, "current": {testPassword}, "new": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}}, nil)
	if r.status != 200 {
		t.Fatalf("change: %d %s", r.status, r.body)
	}
	if r := laptop.do("GET", "/me", nil, nil); r.status != 200 {
		t.Fatalf("the session that changed the password was signed out: %d", r.status)
	}
	if r := phone.do("GET", "/me", nil, nil); r.status != http.StatusSeeOther || r.location != "/login" {
		t.Fatalf("another session survived the password change: %d", r.status)
	}
	if r := e.browser().password("mona", "a brand new passphrase"); r.status != http.StatusSeeOther {
		t.Fatalf("new password refused: %d", r.status)
	}
}

func TestLoginRefusedWhenAuditLogIsDown(t *testing.T) {
	e := newEnv(t, nil)
	e.addUser("nina", "reviewer")
	b := e.browser()
	if r := b.password("nina", testPassword); r.location != "/login/enroll" {
		t.Fatalf("password step: %d → %q", r.status, r.location)
	}
	page := b.do("GET", "/login/enroll", nil, nil)
	b.secret = secretRE.FindStringSubmatch(page.body)[1]
	tok := csrfRE.FindStringSubmatch(page.body)[1]
	e.log.Close() // appends now fail
	r := b.do("POST", "/login/enroll", url.Values{"csrf_token": {tok}, "code": {b.code()}}, nil)
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "audit log is unavailable") {
		t.Fatalf("sign-in without audit: %d\n%s", r.status, r.body)
	}
	if r := b.do("GET", "/me", nil, nil); r.status != http.StatusSeeOther {
		t.Fatalf("session signed in although the login was not audited: %d", r.status)
	}
}
