package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"time"

	"vigil/auth"
	"vigil/errs"
	"vigil/store"
)

// errBadLogin is deliberately vague: it must not tell which usernames exist.
var errBadLogin = errs.E(errs.Unauthenticated, "wrong username or password")

func loginState(u store.StaffUser) auth.LoginState {
	return auth.LoginState{Failures: u.FailedAttempts, WindowStart: u.FailureWindow, LockedUntil: u.LockedUntil}
}

func lockedError(until time.Time) error {
	return errs.E(errs.TooMany, "this account is locked after repeated failed sign-ins until %s UTC; try again then or ask an admin", until.UTC().Format("15:04"))
}

// dummyVerify spends the time of a real password check, so that the answer
// time does not reveal whether a username exists or is disabled.
func (s *Server) dummyVerify(password string) {
	_, _ = auth.VerifyPassword(s.dummyHash, password)
}

// throttle applies the per-IP and per-username login limits.
func (s *Server) throttle(r *http.Request, username string) error {
	if ok, wait := s.perIP.Allow("ip:" + clientIP(r)); !ok {
		s.audit(r, "anonymous", "", "staff.login_throttled", nil, map[string]string{"limit": "ip", "ip": clientIP(r)})
		return errs.E(errs.TooMany, "too many sign-in attempts from your address; wait %s and try again", roundUp(wait))
	}
	if username == "" {
		return nil
	}
	if ok, wait := s.perUser.Allow("user:" + username); !ok {
		s.audit(r, username, "", "staff.login_throttled", []string{"staff:" + username}, map[string]string{"limit": "username", "ip": clientIP(r)})
		return errs.E(errs.TooMany, "too many sign-in attempts for this username; wait %s and try again", roundUp(wait))
	}
	return nil
}

func roundUp(d time.Duration) time.Duration {
	if d < time.Second {
		return time.Second
	}
	return d.Round(time.Second)
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := PrincipalFrom(r.Context()); ok {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", view{Title: "Sign in"})
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	username := strings.ToLower(strings.TrimSpace(r.PostFormValue("username")))
	password := r.PostFormValue("password")
	v := view{Title: "Sign in", Data: username}
	if err := s.throttle(r, username); err != nil {
		s.renderFormError(w, r, "login", v, err)
		return
	}
	u, err := s.cfg.Users.StaffUserByUsername(ctx, username)
	if errs.KindOf(err) == errs.NotFound || username == "" {
		s.dummyVerify(password) // same time as for a real user
		s.audit(r, "anonymous", "", "staff.login_failed", nil, map[string]string{"username": username, "reason": "unknown user", "ip": clientIP(r)})
		s.renderFormError(w, r, "login", v, errBadLogin)
		return
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	now := s.now()
	if u.Disabled {
		s.dummyVerify(password)
		s.audit(r, u.Username, u.Role, "staff.login_refused", []string{"staff:" + u.Username}, map[string]string{"reason": "disabled", "ip": clientIP(r)})
		s.renderFormError(w, r, "login", v, errBadLogin)
		return
	}
	if s.cfg.Lockout.Locked(loginState(u), now) {
		s.audit(r, u.Username, u.Role, "staff.login_refused", []string{"staff:" + u.Username}, map[string]string{"reason": "locked", "ip": clientIP(r)})
		s.renderFormError(w, r, "login", v, lockedError(u.LockedUntil))
		return
	}
	ok, err := auth.VerifyPassword(u.PasswordHash, password)
	if err != nil {
		WriteError(w, r, fmt.Errorf("staff user %d: %w", u.ID, err))
		return
	}
	if !ok {
		s.renderFormError(w, r, "login", v, s.recordFailure(r, u, "wrong password", errBadLogin))
		return
	}
	if auth.NeedsRehash(u.PasswordHash, s.cfg.Argon2) {
		if h, err := auth.HashPassword(password, s.cfg.Argon2); err == nil {
			if err := s.cfg.Users.SetStaffPassword(ctx, u.ID, h); err != nil {
				s.log.WarnContext(ctx, "password rehash failed", "user", u, "err", err)
			}
		}
	}
	// The password is right; the session is not signed in until the second
	// factor. A fresh token prevents session fixation.
	sm := s.session(r)
	if err := sm.RenewToken(ctx); err != nil {
		WriteError(w, r, err)
		return
	}
	sm.Put(ctx, sessUID, u.ID)
	sm.Put(ctx, sessStage, stagePassword)
	if !u.TOTPConfirmed {
		http.Redirect(w, r, "/login/enroll", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
}

// recordFailure counts a failed sign-in step against the lockout policy,
// audits it (and the lockout it may cause) and returns the error to show.
func (s *Server) recordFailure(r *http.Request, u store.StaffUser, reason string, shown error) error {
	ctx := r.Context()
	st, locked := s.cfg.Lockout.Fail(loginState(u), s.now())
	if err := s.cfg.Users.SetStaffLoginState(ctx, u.ID, st.Failures, st.WindowStart, st.LockedUntil); err != nil {
		return err
	}
	recs := []string{"staff:" + u.Username}
	s.audit(r, u.Username, u.Role, "staff.login_failed", recs, map[string]string{"reason": reason, "ip": clientIP(r), "failures": strconv.Itoa(st.Failures)})
	if locked {
		s.audit(r, u.Username, u.Role, "staff.lockout", recs, map[string]string{"until": st.LockedUntil.UTC().Format(time.RFC3339), "ip": clientIP(r)})
		return lockedError(st.LockedUntil)
	}
	return shown
}

// pending returns the user whose password was accepted in this session and
// who still has to pass the second factor.
func (s *Server) pending(r *http.Request) (store.StaffUser, bool, error) {
	sm := s.session(r)
	uid := sm.GetInt64(r.Context(), sessUID)
	if uid == 0 || sm.GetString(r.Context(), sessStage) != stagePassword {
		return store.StaffUser{}, false, nil
	}
	u, err := s.cfg.Users.StaffUserByID(r.Context(), uid)
	if errs.KindOf(err) == errs.NotFound || err == nil && u.Disabled {
		_ = sm.Destroy(r.Context())
		return store.StaffUser{}, false, nil
	}
	return u, err == nil, err
}

type enrolView struct {
	Secret, URL string
	QR          template.URL // data: URI of a PNG, trusted because we made it
}

func (s *Server) enrolment(r *http.Request, u store.StaffUser) (enrolView, error) {
	var en auth.Enrolment
	var err error
	if u.TOTPSecret == "" {
		en, err = auth.NewEnrolment(s.cfg.Issuer, u.Username)
		if err == nil {
			err = s.cfg.Users.SetStaffTOTPSecret(r.Context(), u.ID, en.Secret)
		}
	} else {
		en, err = auth.EnrolmentFor(s.cfg.Issuer, u.Username, u.TOTPSecret)
	}
	if err != nil {
		return enrolView{}, err
	}
	ev := enrolView{Secret: en.Secret, URL: en.URL}
	if img, err := en.Key().Image(200, 200); err == nil {
		var buf bytes.Buffer
		if png.Encode(&buf, img) == nil {
			ev.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()))
		}
	}
	return ev, nil
}

func (s *Server) secondFactorPage(enrol bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, ok, err := s.pending(r)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		if !ok {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if enrol != !u.TOTPConfirmed {
			http.Redirect(w, r, map[bool]string{true: "/login/enroll", false: "/login/totp"}[!u.TOTPConfirmed], http.StatusSeeOther)
			return
		}
		if !enrol {
			s.render(w, r, http.StatusOK, "totp", view{Title: "Two-factor code"})
			return
		}
		ev, err := s.enrolment(r, u)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, "enroll", view{Title: "Set up two-factor authentication", Data: ev})
	}
}

func (s *Server) secondFactorSubmit(enrol bool) http.HandlerFunc {
	page := map[bool]string{true: "enroll", false: "totp"}[enrol]
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		u, ok, err := s.pending(r)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		if !ok {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		v := view{Title: "Two-factor code"}
		if enrol {
			if u.TOTPConfirmed {
				http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
				return
			}
			ev, err := s.enrolment(r, u)
			if err != nil {
				WriteError(w, r, err)
				return
			}
			v = view{Title: "Set up two-factor authentication", Data: ev}
			u.TOTPSecret = ev.Secret
		} else if !u.TOTPConfirmed {
			http.Redirect(w, r, "/login/enroll", http.StatusSeeOther)
			return
		}
		if err := s.throttle(r, u.Username); err != nil {
			s.renderFormError(w, r, page, v, err)
			return
		}
		now := s.now()
		if s.cfg.Lockout.Locked(loginState(u), now) {
			s.renderFormError(w, r, page, v, lockedError(u.LockedUntil))
			return
		}
		step, err := auth.ValidateTOTP(u.TOTPSecret, r.PostFormValue("code"), now, u.TOTPLastStep)
		if err == nil {
			err = s.cfg.Users.UseStaffTOTPStep(ctx, u.ID, step) // atomic: a racing reuse loses here
		}
		if err != nil {
			if errs.KindOf(err) == errs.Unauthenticated {
				err = s.recordFailure(r, u, "wrong TOTP code", err)
			}
			s.renderFormError(w, r, page, v, err)
			return
		}
		if enrol {
			s.audit(r, u.Username, u.Role, "staff.totp_enrolled", []string{"staff:" + u.Username}, map[string]string{"ip": clientIP(r)})
		}
		s.completeLogin(w, r, u)
	}
}

// completeLogin signs the session in. The login is audited first and refused
// if the audit log cannot record it: no unaudited access.
func (s *Server) completeLogin(w http.ResponseWriter, r *http.Request, u store.StaffUser) {
	ctx := r.Context()
	if u.FailedAttempts != 0 || !u.LockedUntil.IsZero() {
		st := s.cfg.Lockout.Succeed()
		if err := s.cfg.Users.SetStaffLoginState(ctx, u.ID, st.Failures, st.WindowStart, st.LockedUntil); err != nil {
			WriteError(w, r, err)
			return
		}
	}
	if err := s.auditStrict(r, u.Username, u.Role, "staff.login", []string{"staff:" + u.Username}, map[string]string{"ip": clientIP(r)}); err != nil {
		WriteError(w, r, err)
		return
	}
	sm := s.session(r)
	if err := sm.RenewToken(ctx); err != nil {
		WriteError(w, r, err)
		return
	}
	next := sm.PopString(ctx, sessNext)
	sm.Put(ctx, sessStage, stageFull)
	sm.Put(ctx, sessPWFP, passwordFingerprint(u.PasswordHash))
	sm.Put(ctx, sessCSRF, randomToken())
	http.Redirect(w, r, localPath(next), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if p, ok := PrincipalFrom(r.Context()); ok {
		s.audit(r, p.Name, p.Role, "staff.logout", []string{"staff:" + p.Name}, map[string]string{"ip": clientIP(r)})
	}
	if err := s.session(r).Destroy(r.Context()); err != nil {
		WriteError(w, r, err)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

var errAuditDown = errors.New("audit log append failed")
