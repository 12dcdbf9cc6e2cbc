package lereq

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"vigil/auth"
	"vigil/errs"
	"vigil/lawreq"
	"vigil/platform"
)

// Registration is an officer's self-registration form.
type Registration struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Title    string `json:"title,omitempty"`
	Phone    string `json:"phone,omitempty"`
	AgencyID string `json:"agency_id,omitempty"` // may be empty when the e-mail domain is in an agency's directory
	Password string `json:"password"`
}

// CheckEmailDomain tells a would-be officer whether an address may register
// and why not, without registering.
func (s *Service) CheckEmailDomain(ctx context.Context, email string) (DomainCheck, error) {
	e, err := platform.NormalizeEmail(email)
	if err != nil {
		return DomainCheck{}, errs.Field("email", "%q is not an e-mail address: send your official address such as name@agency.gov", email)
	}
	doms, err := s.d.Store.AgencyDomains(ctx)
	if err != nil {
		return DomainCheck{}, err
	}
	return s.cfg.Allow.Check(e[strings.LastIndexByte(e, '@')+1:], doms), nil
}

// Register creates an officer account from an allow-listed address and
// e-mails a one-time verification link. Refusals name the field and why.
func (s *Service) Register(ctx context.Context, r Registration) (Officer, error) {
	email, err := platform.NormalizeEmail(r.Email)
	if err != nil {
		return Officer{}, errs.Field("email", "%q is not an e-mail address: send your official address such as name@agency.gov", r.Email)
	}
	email = strings.ToLower(email)
	domain := email[strings.LastIndexByte(email, '@')+1:]
	doms, err := s.d.Store.AgencyDomains(ctx)
	if err != nil {
		return Officer{}, err
	}
	chk := s.cfg.Allow.Check(domain, doms)
	if !chk.Allowed {
		_ = s.audit(ctx, Actor{Kind: ActorOfficer, ID: email, Role: lawreq.RoleOfficer}, "lereq.officer.register_refused", []string{"email_domain:" + domain}, chk.Reason, nil)
		return Officer{}, errs.Field("email", "%s", chk.Reason)
	}
	if err := s.rateLimit(chk.Matched); err != nil {
		return Officer{}, err
	}
	var p []error
	name := strings.TrimSpace(r.Name)
	if name == "" || utf8.RuneCountInString(name) > 200 {
		p = append(p, errs.Field("name", "is required (at most 200 characters): your full name as your agency knows it"))
	}
	title := strings.TrimSpace(r.Title)
	if utf8.RuneCountInString(title) > 200 {
		p = append(p, errs.Field("title", "has more than 200 characters"))
	}
	phone := strings.TrimSpace(r.Phone)
	if phone != "" {
		if e, err := platform.NormalizePhone(phone, ""); !strings.HasPrefix(phone, "+") || err != nil {
			p = append(p, errs.Field("phone", "%q is not an E.164 number: send your direct line such as +12025550123", r.Phone))
		} else {
			phone = e
		}
	}
	if err := auth.CheckPassword(email, r.Password); err != nil {
		p = append(p, err)
	}
	agencyID := strings.TrimSpace(r.AgencyID)
	if agencyID == "" {
		agencyID = chk.AgencyID
	}
	if agencyID == "" {
		p = append(p, errs.Field("agency_id", "is required: choose your agency; if it is not listed, contact the law-enforcement response team to add it"))
	} else if ag, err := s.d.Store.Agency(ctx, agencyID); errs.KindOf(err) == errs.NotFound {
		p = append(p, errs.Field("agency_id", "%q is not a known agency: choose one from the list", agencyID))
	} else if err != nil {
		return Officer{}, err
	} else if chk.AgencyID != "" && chk.AgencyID != ag.ID {
		p = append(p, errs.Field("agency_id", "your e-mail domain %s belongs to another agency on record: choose that agency", domain))
	} else if len(ag.Domains) > 0 && chk.AgencyID != ag.ID {
		p = append(p, errs.Field("email", "%s addresses use %s: register with your address there", ag.Name, strings.Join(ag.Domains, ", ")))
	}
	if err := joinErrs(p); err != nil {
		return Officer{}, err
	}
	hash, err := auth.HashPassword(r.Password, s.cfg.Argon2)
	if err != nil {
		return Officer{}, err
	}
	o, err := s.d.Store.CreateOfficer(ctx, Officer{ID: newID("off"), AgencyID: agencyID, Name: name, Title: title, Email: email, Phone: phone, PasswordHash: hash})
	if err != nil {
		return Officer{}, err
	}
	if err := s.audit(ctx, OfficerActor(o.ID), "lereq.officer.register", []string{"officer:" + o.ID, "agency:" + agencyID}, "", map[string]string{"basis": chk.Basis, "email": email}); err != nil {
		return Officer{}, err
	}
	return o, s.sendVerification(ctx, o)
}

// rateLimit allows RegistrationsPerHour registrations and verification
// e-mails per domain per hour, so one compromised domain cannot flood the
// portal or mailboxes.
func (s *Service) rateLimit(domain string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if len(s.regTimes) > 10000 { // forget domains idle for an hour
		for d, ts := range s.regTimes {
			if len(ts) == 0 || now.Sub(ts[len(ts)-1]) >= time.Hour {
				delete(s.regTimes, d)
			}
		}
	}
	keep := s.regTimes[domain][:0]
	for _, t := range s.regTimes[domain] {
		if now.Sub(t) < time.Hour {
			keep = append(keep, t)
		}
	}
	if len(keep) >= s.cfg.RegistrationsPerHour {
		s.regTimes[domain] = keep
		return errs.E(errs.TooMany, "too many registrations from %s in the last hour: try again later or contact the response team", domain)
	}
	s.regTimes[domain] = append(keep, now)
	return nil
}

func hashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// sendVerification issues a fresh one-time token (only its hash is stored)
// and mails the link.
func (s *Service) sendVerification(ctx context.Context, o Officer) error {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	exp := s.now().Add(s.cfg.VerifyTTL)
	if err := s.d.Store.SetOfficerVerifyToken(ctx, o.ID, hashToken(tok), exp); err != nil {
		return err
	}
	link := s.cfg.PortalURL + "/portal/verify-email?token=" + tok
	body := fmt.Sprintf("Hello %s,\n\nConfirm your e-mail address for the law-enforcement portal by opening this link before %s:\n\n%s\n\nThe link works once. If you did not register, ignore this message.\n",
		o.Name, exp.Format(time.RFC1123), link)
	if err := s.d.Mailer.Send(ctx, Mail{To: o.Email, Subject: "Confirm your e-mail address", Body: body, At: s.now()}); err != nil {
		return errs.Wrap(errs.Unavailable, err, "the verification e-mail could not be sent; ask for a new link shortly")
	}
	return nil
}

// ResendVerification mails a new link (invalidating the old one) to an
// unverified officer. It answers nil for unknown or verified addresses, so
// it cannot be used to find out who is registered.
func (s *Service) ResendVerification(ctx context.Context, email string) error {
	o, err := s.d.Store.OfficerByEmail(ctx, email)
	if errs.KindOf(err) == errs.NotFound || (err == nil && (!o.EmailVerifiedAt.IsZero() || o.Disabled)) {
		return nil
	}
	if err != nil {
		return err
	}
	doms, err := s.d.Store.AgencyDomains(ctx)
	if err != nil {
		return err
	}
	if err := s.rateLimit(s.cfg.Allow.Check(o.Email[strings.LastIndexByte(o.Email, '@')+1:], doms).Matched); err != nil {
		return err
	}
	return s.sendVerification(ctx, o)
}

// VerifyEmail consumes a verification token (from the link) and records
// the verification.
func (s *Service) VerifyEmail(ctx context.Context, token string) (Officer, error) {
	o, err := s.d.Store.ConsumeOfficerVerifyToken(ctx, hashToken(strings.TrimSpace(token)), s.now())
	if err != nil {
		return Officer{}, err
	}
	if _, err := s.d.Store.AddVerification(ctx, Verification{OfficerID: o.ID, Kind: VerifyEmail, By: ActorOfficer, At: s.now()}); err != nil {
		return Officer{}, err
	}
	return o, s.audit(ctx, OfficerActor(o.ID), "lereq.officer.verify_email", []string{"officer:" + o.ID}, "", nil)
}

// OfficerState says where an officer stands in onboarding.
type OfficerState struct {
	EmailVerified    bool      `json:"email_verified"`
	TOTPEnrolled     bool      `json:"totp_enrolled"`
	CallbackVerified bool      `json:"callback_verified"`
	Disabled         bool      `json:"disabled"`
	LockedUntil      time.Time `json:"locked_until,omitzero"`
	// CanSubmit: e-mail verified and TOTP enrolled. Requests from an
	// officer not yet call-back verified are accepted but wait (or, for
	// emergencies, carry a call-back task).
	CanSubmit bool `json:"can_submit"`
	// Next says, in plain words, what the officer must do next ("" when nothing).
	Next string `json:"next,omitempty"`
}

// StateOf computes an officer's onboarding state.
func (s *Service) StateOf(o Officer) OfficerState {
	st := OfficerState{
		EmailVerified: !o.EmailVerifiedAt.IsZero(), TOTPEnrolled: o.TOTPConfirmed,
		CallbackVerified: !o.CallbackVerifiedAt.IsZero(), Disabled: o.Disabled,
	}
	if s.cfg.Lockout.Locked(auth.LoginState{LockedUntil: o.LockedUntil}, s.now()) {
		st.LockedUntil = o.LockedUntil
	}
	st.CanSubmit = st.EmailVerified && st.TOTPEnrolled && !st.Disabled
	switch {
	case st.Disabled:
		st.Next = "Your portal account is disabled. Contact the law-enforcement response team."
	case !st.EmailVerified:
		st.Next = "Open the link we e-mailed you to confirm your address."
	case !st.TOTPEnrolled:
		st.Next = "Set up two-factor authentication with an authenticator app before submitting requests."
	case !st.CallbackVerified:
		st.Next = "You can submit requests. Before we act on your first one, our team will call your agency's published switchboard to confirm your identity."
	}
	return st
}

// Officer returns an officer and its onboarding state (for the portal's
// own pages and the console).
func (s *Service) Officer(ctx context.Context, id string) (Officer, OfficerState, error) {
	o, err := s.d.Store.Officer(ctx, id)
	if err != nil {
		return Officer{}, OfficerState{}, err
	}
	return o, s.StateOf(o), nil
}

var errDisabled = errs.E(errs.Forbidden, "your portal account is disabled: contact the law-enforcement response team")

var errBadLogin = errs.E(errs.Unauthenticated, "the e-mail address or password is wrong")

// Login checks an officer's e-mail and password (the first factor). The
// caller then asks for a TOTP code (VerifyTOTP) when the officer has
// enrolled, or starts enrolment (BeginTOTP) when not. Failures count
// towards the lockout.
func (s *Service) Login(ctx context.Context, email, password string) (Officer, error) {
	o, err := s.d.Store.OfficerByEmail(ctx, email)
	if errs.KindOf(err) == errs.NotFound {
		// Hash anyway, so timing does not reveal which addresses exist.
		if h, herr := auth.DummyHash(s.cfg.Argon2); herr == nil {
			_, _ = auth.VerifyPassword(h, password)
		}
		return Officer{}, errBadLogin
	}
	if err != nil {
		return Officer{}, err
	}
	if err := s.checkLock(o); err != nil {
		return Officer{}, err
	}
	ok, err := auth.VerifyPassword(o.PasswordHash, password)
	if err != nil {
		return Officer{}, err
	}
	if !ok {
		return Officer{}, s.fail(ctx, o, "password")
	}
	if err := s.succeed(ctx, o); err != nil {
		return Officer{}, err
	}
	if o.Disabled {
		return Officer{}, errDisabled
	}
	if o.EmailVerifiedAt.IsZero() {
		return Officer{}, errs.E(errs.Forbidden, "confirm your e-mail address first: open the link we sent to %s, or ask for a new one", o.Email)
	}
	return o, s.audit(ctx, OfficerActor(o.ID), "lereq.officer.login", []string{"officer:" + o.ID}, "", map[string]string{"factor": "password"})
}

func (s *Service) checkLock(o Officer) error {
	if s.cfg.Lockout.Locked(auth.LoginState{LockedUntil: o.LockedUntil}, s.now()) {
		return errs.E(errs.TooMany, "too many failed attempts: try again after %s UTC", o.LockedUntil.Format("15:04"))
	}
	return nil
}

func (s *Service) fail(ctx context.Context, o Officer, factor string) error {
	st, locked := s.cfg.Lockout.Fail(auth.LoginState{Failures: o.FailedAttempts, WindowStart: o.FailureWindow, LockedUntil: o.LockedUntil}, s.now())
	if err := s.d.Store.SetOfficerLoginState(ctx, o.ID, st.Failures, st.WindowStart, st.LockedUntil); err != nil {
		return err
	}
	if locked {
		_ = s.audit(ctx, OfficerActor(o.ID), "lereq.officer.locked", []string{"officer:" + o.ID}, "too many failed "+factor+" attempts", nil)
		return errs.E(errs.TooMany, "too many failed attempts: try again after %s UTC", st.LockedUntil.Format("15:04"))
	}
	if factor == "password" {
		return errBadLogin
	}
	return errs.E(errs.Unauthenticated, "the code is wrong or expired; check your device's clock and enter the current code")
}

func (s *Service) succeed(ctx context.Context, o Officer) error {
	if o.FailedAttempts == 0 && o.LockedUntil.IsZero() {
		return nil
	}
	return s.d.Store.SetOfficerLoginState(ctx, o.ID, 0, time.Time{}, time.Time{})
}

// BeginTOTP starts (or resumes) TOTP enrolment and returns the secret and
// otpauth URL to show as a QR code. Refused once enrolled.
func (s *Service) BeginTOTP(ctx context.Context, officerID string) (auth.Enrolment, error) {
	o, err := s.d.Store.Officer(ctx, officerID)
	if err != nil {
		return auth.Enrolment{}, err
	}
	if o.Disabled {
		return auth.Enrolment{}, errDisabled
	}
	if o.TOTPConfirmed {
		return auth.Enrolment{}, errs.E(errs.Conflict, "two-factor authentication is already set up; contact the response team to reset it")
	}
	if o.TOTPSecret != "" {
		return auth.EnrolmentFor(s.cfg.TOTPIssuer, o.Email, o.TOTPSecret)
	}
	e, err := auth.NewEnrolment(s.cfg.TOTPIssuer, o.Email)
	if err != nil {
		return auth.Enrolment{}, err
	}
	if err := s.d.Store.SetOfficerTOTPSecret(ctx, o.ID, e.Secret); err != nil {
		return auth.Enrolment{}, err
	}
	return e, nil
}

// VerifyTOTP checks a code: it confirms enrolment the first time and is
// the second factor afterwards. Failures count towards the lockout; a code
// is accepted once.
func (s *Service) VerifyTOTP(ctx context.Context, officerID, code string) error {
	o, err := s.d.Store.Officer(ctx, officerID)
	if err != nil {
		return err
	}
	if o.Disabled {
		return errDisabled
	}
	if err := s.checkLock(o); err != nil {
		return err
	}
	if o.TOTPSecret == "" {
		return errs.E(errs.Conflict, "two-factor authentication is not set up yet: start enrolment first")
	}
	step, err := auth.ValidateTOTP(o.TOTPSecret, code, s.now(), o.TOTPLastStep)
	if errs.KindOf(err) == errs.Unauthenticated {
		return s.fail(ctx, o, "code")
	}
	if err != nil {
		return err
	}
	if err := s.d.Store.UseOfficerTOTPStep(ctx, o.ID, step); err != nil {
		return err
	}
	if err := s.succeed(ctx, o); err != nil {
		return err
	}
	action := "lereq.officer.totp"
	if !o.TOTPConfirmed {
		action = "lereq.officer.totp_enrolled"
	}
	return s.audit(ctx, OfficerActor(o.ID), action, []string{"officer:" + o.ID}, "", nil)
}

func joinErrs(p []error) error {
	p = slices.DeleteFunc(p, func(e error) bool { return e == nil })
	if len(p) == 0 {
		return nil
	}
	if len(p) == 1 {
		return p[0]
	}
	return errors.Join(p...)
}
