package auth

import (
	"errors"
	"strings"
	"testing"
	"time"

	"vigil/errs"
)

// fast keeps hashing cheap in tests; the format and comparison are what is tested.
var fast = Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestCheckPassword(t *testing.T) {
	cases := []struct {
		user, pw string
		ok       bool
	}{
		{"alice", "correct horse battery", true},
		{"alice", "short", false},
		{"alice", "elevenchars", false},
		{"alice", "twelve chars", true},
		{"administrator", "Administrator", false},
		{"administrator", "rotartsinimda", false},
		{"alice", strings.Repeat("x", MaxPasswordLen+1), false},
		{"alice", "密码密码密码密码密码密码", true}, // 12 runes
		{"alice", "\xff\xfe invalid utf8 here", false},
	}
	for _, c := range cases {
		err := CheckPassword(c.user, c.pw)
		if (err == nil) != c.ok {
			t.Errorf("CheckPassword(%q, %q) = %v, want ok=%v", c.user, c.pw, err, c.ok)
		}
		if err != nil && errs.KindOf(err) != errs.Invalid {
			t.Errorf("policy error kind = %v, want Invalid", errs.KindOf(err))
		}
	}
}

func TestCheckUsernameAndRole(t *testing.T) {
	for u, ok := range map[string]bool{"alice": true, "a.b-c_d": true, "ab": false, "Alice": false, ".alice": false, "al ice": false, "üser": false} {
		if err := CheckUsername(u); (err == nil) != ok {
			t.Errorf("CheckUsername(%q) = %v, want ok=%v", u, err, ok)
		}
	}
	for _, r := range Roles() {
		if CheckRole(r) != nil {
			t.Errorf("role %q refused", r)
		}
	}
	if err := CheckRole("root"); err == nil || !strings.Contains(err.Error(), "le_response") {
		t.Errorf("CheckRole(root) = %v, want an error listing the roles", err)
	}
}

func TestHashAndVerify(t *testing.T) {
	h, err := HashPassword("correct horse battery", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", h)
	}
	h2, _ := HashPassword("correct horse battery", fast)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false} {
		got, err := VerifyPassword(h, pw)
		if err != nil || got != want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", pw, got, err, want)
		}
	}
	if !NeedsRehash(h, DefaultArgon2) || NeedsRehash(h, fast) {
		t.Error("NeedsRehash does not compare parameters")
	}
	bad := []string{"", "plaintext", "$2a$10$bcrypt", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$" + strings.Repeat("A", 43),
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$" + strings.Repeat("A", 43), strings.Replace(h, "$argon2id$", "$argon2i$", 1)}
	for _, b := range bad {
		if ok, err := VerifyPassword(b, "x"); ok || !errors.Is(err, ErrBadHash) {
			t.Errorf("VerifyPassword(%q) = %v, %v; want ErrBadHash", b, ok, err)
		}
	}
}

func TestTOTP(t *testing.T) {
	en, err := NewEnrolment("Vigil", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(en.URL, "otpauth://totp/Vigil:alice?") || !strings.Contains(en.URL, "secret="+en.Secret) {
		t.Fatalf("otpauth URL %q", en.URL)
	}
	now := time.Date(2026, 11, 24, 10, 0, 10, 0, time.UTC)
	cur := TOTPStep(now)
	code := func(step int64) string {
		c, err := TOTPCode(en.Secret, time.Unix(step*TOTPPeriod, 0))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cases := []struct {
		name     string
		code     string
		last     int64
		wantStep int64
		wantKind errs.Kind
	}{
		{"current", code(cur), 0, cur, 0},
		{"with spaces", code(cur)[:3] + " " + code(cur)[3:], 0, cur, 0},
		{"previous step (skew)", code(cur - 1), 0, cur - 1, 0},
		{"next step (skew)", code(cur + 1), 0, cur + 1, 0},
		{"two steps old", code(cur - 2), 0, 0, errs.Unauthenticated},
		{"reuse of last step", code(cur), cur, 0, errs.Unauthenticated},
		{"older than last step", code(cur - 1), cur, 0, errs.Unauthenticated},
		{"newer than last step", code(cur + 1), cur, cur + 1, 0},
		{"not digits", "abcdef", 0, 0, errs.Invalid},
		{"too short", "12345", 0, 0, errs.Invalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			step, err := ValidateTOTP(en.Secret, c.code, now, c.last)
			if errs.KindOf(err) != c.wantKind || (c.wantKind == 0 && err != nil) {
				t.Fatalf("err = %v (kind %v), want kind %v", err, errs.KindOf(err), c.wantKind)
			}
			if err == nil && step != c.wantStep {
				t.Fatalf("step = %d, want %d", step, c.wantStep)
			}
		})
	}
	// A wrong code that happens to be well-formed.
	wrong := "000000"
	if code(cur-1) == wrong || code(cur) == wrong || code(cur+1) == wrong {
		wrong = "111111"
	}
	if _, err := ValidateTOTP(en.Secret, wrong, now, 0); errs.KindOf(err) != errs.Unauthenticated {
		t.Fatalf("wrong code accepted: %v", err)
	}
}

func TestLockout(t *testing.T) {
	p := LockoutPolicy{MaxFailures: 3, Window: 10 * time.Minute, LockFor: 15 * time.Minute}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var s LoginState
	var locked bool
	steps := []struct {
		at         time.Duration
		wantLocked bool // Fail's second result
		failures   int
	}{
		{0, false, 1},
		{time.Minute, false, 2},
		{11 * time.Minute, false, 1}, // window expired: count restarts
		{12 * time.Minute, false, 2},
		{13 * time.Minute, true, 3},  // third failure in the window locks
		{14 * time.Minute, false, 3}, // already locked: no new lock event
	}
	for i, st := range steps {
		s, locked = p.Fail(s, t0.Add(st.at))
		if locked != st.wantLocked || s.Failures != st.failures {
			t.Fatalf("step %d: locked=%v failures=%d, want %v %d", i, locked, s.Failures, st.wantLocked, st.failures)
		}
	}
	if !p.Locked(s, t0.Add(27*time.Minute)) {
		t.Fatal("lock expired early")
	}
	if p.Locked(s, t0.Add(28*time.Minute)) {
		t.Fatal("lock did not expire after LockFor")
	}
	// The first failure after an expired lock starts a fresh window.
	s, locked = p.Fail(s, t0.Add(29*time.Minute))
	if locked || s.Failures != 1 || !s.LockedUntil.IsZero() {
		t.Fatalf("after expiry: %+v locked=%v", s, locked)
	}
	if got := p.Succeed(); got != (LoginState{}) {
		t.Fatalf("Succeed = %+v", got)
	}
}

func TestEnrolmentFor(t *testing.T) {
	en, err := NewEnrolment("Vigil", "alice")
	if err != nil {
		t.Fatal(err)
	}
	again, err := EnrolmentFor("Vigil", "alice", en.Secret)
	if err != nil {
		t.Fatal(err)
	}
	if again.Secret != en.Secret || again.Key().Secret() != en.Secret || again.Key().AccountName() != "alice" || again.Key().Issuer() != "Vigil" {
		t.Fatalf("rebuilt enrolment %+v does not match %+v", again.URL, en.URL)
	}
	if _, err := again.Key().Image(128, 128); err != nil {
		t.Fatalf("QR image: %v", err)
	}
}

func TestDummyHashNeverMatches(t *testing.T) {
	h, err := DummyHash(fast)
	if err != nil {
		t.Fatal(err)
	}
	for _, pw := range []string{"", "vigil-dummy-password", "correct horse battery"} {
		if ok, err := VerifyPassword(h, pw); ok || err != nil {
			t.Fatalf("dummy hash matched %q (%v)", pw, err)
		}
	}
}

// FuzzVerifyPassword: stored hashes may be corrupt; parsing must never panic
// nor accept a password for a malformed hash.
func FuzzVerifyPassword(f *testing.F) {
	good, _ := HashPassword("correct horse battery", fast)
	f.Add(good, "correct horse battery")
	f.Add("$argon2id$v=19$m=64,t=1,p=1$$", "x")
	f.Add("$argon2id$v=19$m=64,t=1,p=0$c2FsdHNhbHQ$c2FsdHNhbHRzYWx0c2FsdA", "x")
	f.Fuzz(func(t *testing.T, hash, pw string) {
		if p, _, _, err := parsePHC(hash); err == nil && (p.Memory > 1024 || p.Time > 2) {
			t.Skip("valid but too costly for a fuzz iteration")
		}
		ok, err := VerifyPassword(hash, pw)
		if ok && err != nil {
			t.Fatal("ok with an error")
		}
	})
}

// FuzzValidateTOTP: codes come from the network.
func FuzzValidateTOTP(f *testing.F) {
	f.Add("123456", int64(0))
	f.Add(" 12 34 56 ", int64(-5))
	f.Add("１２３４５６", int64(1)) // full-width digits are not accepted
	secret := "JBSWY3DPEHPK3PXP"
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, code string, last int64) {
		step, err := ValidateTOTP(secret, code, now, last)
		if err == nil {
			want, _ := TOTPCode(secret, time.Unix(step*TOTPPeriod, 0))
			if step <= last || strings.ReplaceAll(strings.TrimSpace(code), " ", "") != want {
				t.Fatalf("accepted %q at step %d (last %d)", code, step, last)
			}
		}
	})
}

// BenchmarkVerifyDefault measures one password check at the production cost
// (bounds how many sign-ins per second a core can absorb).
func BenchmarkVerifyDefault(b *testing.B) {
	h, err := HashPassword("correct horse battery", DefaultArgon2)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_, _ = VerifyPassword(h, "correct horse battery")
	}
}

func BenchmarkValidateTOTP(b *testing.B) {
	secret := "JBSWY3DPEHPK3PXP"
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	code, _ := TOTPCode(secret, now)
	for b.Loop() {
		_, _ = ValidateTOTP(secret, code, now, 0)
	}
}
