package lereq_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"vigil/auth"
	"vigil/errs"
	"vigil/lawreq"
	"vigil/lereq"
)

func TestAllowListDecisions(t *testing.T) {
	reg, err := lereq.LoadDotGov("../../shared/data/dotgov/current-full.csv")
	if err != nil {
		t.Skipf("the .gov registry is absent (%v): ../shared/data/dotgov/current-full.csv", err)
	}
	if len(reg) < 10000 || reg["fbi.gov"].Org == "" {
		t.Fatalf("registry has %d domains, fbi.gov=%+v", len(reg), reg["fbi.gov"])
	}
	al := lereq.NewAllowList(reg, nil, nil)
	dir := map[string]string{"demo-county-sheriff.gov": "agy_demo", "police.example.org": "agy_x"}
	for _, c := range []struct {
		domain string
		ok     bool
		want   string // in Basis when ok, in Reason when refused
	}{
		{"fbi.gov", true, "Department of Justice"},
		{"FIELD.FBI.GOV", true, ".gov registry"}, // sub-domain, any case
		{"army.mil", true, ".mil"},
		{"dps.state.tx.us", true, "state or municipal"},
		{"police.ci.austin.tx.us", true, "state or municipal"},
		{"sheriff.co.marin.ca.us", true, "state or municipal"},
		{"demo-county-sheriff.gov", true, "agency directory"}, // not registered, but in the directory
		{"unit.police.example.org", true, "agency directory"},
		{"gmail.com", false, "free e-mail"},
		{"proton.me", false, "free e-mail"},
		{"fbl.gov", false, "looks like fbi.gov"},
		{"made-up-agency-zz.gov", false, "not in the .gov registry"},
		{"fbi-gov.com", false, "imitates a government domain"},
		{"fbi.gov.com", false, "imitates a government domain"},
		{"fbi.com", false, "resembles fbi.gov"},
		{"xn--fbi-xyz.gov", false, "international"},
		{"state.zz.us", false, "not on the government allow-list"},
		{"example.com", false, "not on the government allow-list"},
	} {
		got := al.Check(c.domain, dir)
		msg := got.Reason
		if got.Allowed {
			msg = got.Basis
		}
		if got.Allowed != c.ok || !strings.Contains(msg, c.want) {
			t.Errorf("%s: allowed=%v %q; want allowed=%v containing %q", c.domain, got.Allowed, msg, c.ok, c.want)
		}
	}
	// Without the registry any .gov is accepted (degraded but working).
	if got := lereq.NewAllowList(nil, nil, nil).Check("made-up-agency-zz.gov", nil); !got.Allowed {
		t.Errorf("without a registry: %+v", got)
	}
	if _, err := lereq.LoadDotGov("testdata/absent.csv"); !os.IsNotExist(err) {
		t.Errorf("absent registry: %v, want a not-exist error", err)
	}
}

func TestRegistrationAllowAndRefuse(t *testing.T) {
	h := sqliteHarness(t)
	ctx := context.Background()
	for _, c := range []struct {
		email, agency, field, want string
	}{
		{"jo@gmail.com", h.agency.ID, "email", "free e-mail"},
		{"jo@fbl.gov", h.agency.ID, "email", "looks like fbi.gov"},
		{"jo@fbi.gov", h.agency.ID, "email", "Metro Police addresses use metro-pd.example"}, // allowed domain, wrong agency
		{"jo@fbi.gov", "", "agency_id", "choose your agency"},
		{"not-an-address", h.agency.ID, "email", "not an e-mail address"},
	} {
		_, err := h.svc.Register(ctx, lereq.Registration{Email: c.email, Name: "Jo", Password: password, AgencyID: c.agency})
		var e *errs.Error
		if !asErr(err, &e) || e.Kind != errs.Invalid || e.Field != c.field || !strings.Contains(e.Msg, c.want) {
			t.Errorf("register %s: %v; want %s: …%s…", c.email, err, c.field, c.want)
		}
	}
	if _, err := h.svc.Register(ctx, lereq.Registration{Email: "jo@metro-pd.example", Name: "Jo", Password: "short"}); errs.KindOf(err) != errs.Invalid || !strings.Contains(err.Error(), "password") {
		t.Errorf("short password: %v", err)
	}
	// The agency comes from the directory when the form leaves it out.
	o, err := h.svc.Register(ctx, lereq.Registration{Email: "Jo.Smith@Metro-PD.example", Name: "Jo Smith", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	if o.AgencyID != h.agency.ID || o.Email != "jo.smith@metro-pd.example" {
		t.Errorf("officer %+v", o)
	}
	if _, err := h.svc.Register(ctx, lereq.Registration{Email: "jo.smith@metro-pd.example", Name: "Jo", Password: password}); errs.KindOf(err) != errs.Conflict {
		t.Errorf("second registration: %v, want Conflict", err)
	}
	events := h.auditActions(t)
	var refused, registered int
	for _, e := range events {
		switch e.Action {
		case "lereq.officer.register_refused":
			refused++
		case "lereq.officer.register":
			registered++
		}
	}
	if refused < 2 || registered != 1 {
		t.Errorf("audit: %d refusals, %d registrations", refused, registered)
	}
}

func TestRegistrationRateLimitedPerDomain(t *testing.T) {
	h := sqliteHarness(t, func(c *lereq.Config, _ *lereq.Deps) { c.RegistrationsPerHour = 2 })
	ctx := context.Background()
	for i, want := range []errs.Kind{0, 0, errs.TooMany} {
		_, err := h.svc.Register(ctx, lereq.Registration{Email: "o" + string(rune('a'+i)) + "@metro-pd.example", Name: "O", Password: password})
		if errs.KindOf(err) != want || (want == 0 && err != nil) {
			t.Fatalf("registration %d: %v, want kind %v", i, err, want)
		}
	}
	// Sub-domains share their domain's allowance.
	if _, err := h.svc.Register(ctx, lereq.Registration{Email: "oy@unit.metro-pd.example", Name: "O", Password: password}); errs.KindOf(err) != errs.TooMany {
		t.Fatalf("sub-domain registration: %v, want TooMany", err)
	}
	h.clock.Advance(time.Hour)
	if _, err := h.svc.Register(ctx, lereq.Registration{Email: "oz@metro-pd.example", Name: "O", Password: password}); err != nil {
		t.Fatalf("after an hour: %v", err)
	}
}

func TestEmailVerificationTokenSingleUseAndExpiry(t *testing.T) {
	h := sqliteHarness(t)
	ctx := context.Background()
	o, err := h.svc.Register(ctx, lereq.Registration{Email: "jo@metro-pd.example", Name: "Jo", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := h.outbox.Last(o.Email)
	if !strings.Contains(m.Body, "https://vigil.test/portal/verify-email?token=") {
		t.Fatalf("mail body %q", m.Body)
	}
	tok := h.token(t, o.Email)
	if st, _ := h.st.Officer(ctx, o.ID); st.VerifyTokenHash == tok || st.VerifyTokenHash == "" {
		t.Fatal("the token is stored in clear or not at all")
	}
	if _, err := h.svc.Login(ctx, o.Email, password); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("login before verification: %v, want Forbidden", err)
	}
	// Expired after 24 h.
	h.clock.Advance(24 * time.Hour)
	if _, err := h.svc.VerifyEmail(ctx, tok); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("expired token: %v, want Invalid", err)
	}
	if err := h.svc.ResendVerification(ctx, o.Email); err != nil {
		t.Fatal(err)
	}
	tok2 := h.token(t, o.Email)
	if tok2 == tok {
		t.Fatal("resend reused the token")
	}
	v, err := h.svc.VerifyEmail(ctx, tok2)
	if err != nil || v.EmailVerifiedAt.IsZero() {
		t.Fatalf("verify: %+v %v", v, err)
	}
	if _, err := h.svc.VerifyEmail(ctx, tok2); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("second use: %v, want Invalid", err)
	}
	if err := h.svc.ResendVerification(ctx, "nobody@metro-pd.example"); err != nil {
		t.Fatalf("resend to unknown address must not reveal it: %v", err)
	}
	vs, _ := h.svc.Verifications(ctx, h.le, o.ID)
	if len(vs) != 1 || vs[0].Kind != lereq.VerifyEmail {
		t.Fatalf("verifications %+v", vs)
	}
}

func TestTOTPRequiredBeforeSubmitAndLockout(t *testing.T) {
	h := sqliteHarness(t)
	ctx := context.Background()
	o, _ := h.svc.Register(ctx, lereq.Registration{Email: "jo@metro-pd.example", Name: "Jo", Password: password})
	if _, err := h.svc.VerifyEmail(ctx, h.token(t, o.Email)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Login(ctx, o.Email, password); err != nil {
		t.Fatal(err)
	}
	_, st, _ := h.svc.Officer(ctx, o.ID)
	if st.CanSubmit || st.TOTPEnrolled || !strings.Contains(st.Next, "two-factor") {
		t.Fatalf("state before TOTP %+v", st)
	}
	_, err := h.svc.SubmitRequest(ctx, o.ID, request(lawreq.Subpoena, target(lawreq.TargetAccountID, "acct-1")), doc(), "")
	if errs.KindOf(err) != errs.Forbidden || !strings.Contains(err.Error(), "two-factor") {
		t.Fatalf("submit before TOTP: %v", err)
	}
	e, err := h.svc.BeginTOTP(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := h.svc.BeginTOTP(ctx, o.ID)
	if again.Secret != e.Secret {
		t.Fatal("resuming enrolment changed the secret")
	}
	code, _ := auth.TOTPCode(e.Secret, h.clock.Now())
	if err := h.svc.VerifyTOTP(ctx, o.ID, code); err != nil {
		t.Fatal(err)
	}
	if err := h.svc.VerifyTOTP(ctx, o.ID, code); errs.KindOf(err) != errs.Unauthenticated {
		t.Fatalf("replayed code: %v", err)
	}
	if _, err := h.svc.BeginTOTP(ctx, o.ID); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("re-enrolment: %v", err)
	}
	_, st, _ = h.svc.Officer(ctx, o.ID)
	if !st.CanSubmit || st.CallbackVerified || !strings.Contains(st.Next, "call your agency") {
		t.Fatalf("state after TOTP %+v", st)
	}
	// Five failures lock the account, even for the right password: the
	// replayed code above was the first.
	for range 3 {
		if _, err := h.svc.Login(ctx, o.Email, "wrong password here"); errs.KindOf(err) != errs.Unauthenticated {
			t.Fatalf("wrong password: %v", err)
		}
	}
	if _, err := h.svc.Login(ctx, o.Email, "wrong password here"); errs.KindOf(err) != errs.TooMany {
		t.Fatalf("fifth failure: %v, want TooMany", err)
	}
	if _, err := h.svc.Login(ctx, o.Email, password); errs.KindOf(err) != errs.TooMany {
		t.Fatalf("locked account accepted a password: %v", err)
	}
	h.clock.Advance(16 * time.Minute)
	if _, err := h.svc.Login(ctx, o.Email, password); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	if _, err := h.svc.Login(ctx, "nobody@metro-pd.example", password); errs.KindOf(err) != errs.Unauthenticated {
		t.Fatalf("unknown officer: %v", err)
	}
}

func TestCallbackMustUseThePublishedNumber(t *testing.T) {
	h := sqliteHarness(t)
	ctx := context.Background()
	o := h.onboard(t, "jo@metro-pd.example", false)
	_, err := h.svc.RecordCallback(ctx, h.le, o.ID, lereq.Callback{PhoneDialed: "+12025550199", Notes: "called the number in the signature"})
	if errs.KindOf(err) != errs.Invalid || !strings.Contains(err.Error(), "published switchboard") {
		t.Fatalf("wrong number: %v", err)
	}
	if _, err := h.svc.RecordCallback(ctx, lereq.OfficerActor(o.ID), o.ID, lereq.Callback{PhoneDialed: h.agency.Phone, Notes: "me"}); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("officer verifying themself: %v", err)
	}
	if _, err := h.svc.RecordCallback(ctx, h.le, o.ID, lereq.Callback{PhoneDialed: h.agency.Phone}); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("no notes: %v", err)
	}
	got, err := h.svc.RecordCallback(ctx, h.le, o.ID, lereq.Callback{PhoneDialed: "+1 (202) 555-0100", Notes: "Sgt. at the desk confirmed Jo."})
	if err != nil || got.CallbackVerifiedAt.IsZero() || got.CallbackBy != "lee" {
		t.Fatalf("callback %+v %v", got, err)
	}
}

func asErr(err error, e **errs.Error) bool {
	if err == nil {
		return false
	}
	return errorsAs(err, e)
}

func TestLoadAllowListDegradesWithoutTheRegistry(t *testing.T) {
	al, loaded, err := lereq.LoadAllowList(t.TempDir()+"/absent.csv", nil, nil)
	if err != nil || loaded || al.RegistryLoaded() || !al.Check("any-agency.gov", nil).Allowed {
		t.Fatalf("absent registry: loaded=%v err=%v", loaded, err)
	}
	bad := t.TempDir() + "/bad.csv"
	if err := os.WriteFile(bad, []byte("not,the,registry\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := lereq.LoadAllowList(bad, nil, nil); err == nil {
		t.Fatal("a malformed registry was accepted")
	}
}

func TestDisabledOfficerIsShutOut(t *testing.T) {
	h := sqliteHarness(t)
	ctx := context.Background()
	o := h.onboard(t, "jo@metro-pd.example", true)
	if err := h.svc.SetOfficerDisabled(ctx, h.le, o.ID, true, ""); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("disable without reason: %v", err)
	}
	if err := h.svc.SetOfficerDisabled(ctx, lereq.OfficerActor(o.ID), o.ID, false, "me"); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("officer re-enabling themself: %v", err)
	}
	if err := h.svc.SetOfficerDisabled(ctx, h.le, o.ID, true, "agency reports the officer left"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Login(ctx, o.Email, password); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("disabled login: %v", err)
	}
	if err := h.svc.VerifyTOTP(ctx, o.ID, "123456"); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("disabled TOTP: %v", err)
	}
	if _, err := h.svc.SubmitRequest(ctx, o.ID, request(lawreq.Subpoena, target(lawreq.TargetAccountID, "acct-1")), doc(), ""); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("disabled submit: %v", err)
	}
	os, sts, err := h.svc.Officers(ctx, h.le, h.agency.ID)
	if err != nil || len(os) != 1 || !sts[0].Disabled || sts[0].CanSubmit {
		t.Fatalf("officers %+v %+v %v", os, sts, err)
	}
}
