package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"vigil/errs"
	"vigil/lereq"
)

const officerCols = `id, agency_id, name, title, email, phone, password_hash, totp_secret, totp_confirmed, totp_last_step,
	email_verified_ms, verify_token_hash, verify_token_expiry_ms, callback_verified_ms, callback_by, callback_notes,
	failed_attempts, failure_window_ms, locked_until_ms, disabled, created_ms, updated_ms`

func scanOfficer(r dirScanner) (lereq.Officer, error) {
	var o lereq.Officer
	var confirmed, verified, expiry, callback, failed, window, locked, disabled, created, updated int64
	err := r.Scan(&o.ID, &o.AgencyID, &o.Name, &o.Title, &o.Email, &o.Phone, &o.PasswordHash, &o.TOTPSecret, &confirmed, &o.TOTPLastStep,
		&verified, &o.VerifyTokenHash, &expiry, &callback, &o.CallbackBy, &o.CallbackNotes,
		&failed, &window, &locked, &disabled, &created, &updated)
	o.TOTPConfirmed, o.Disabled = confirmed != 0, disabled != 0
	o.EmailVerifiedAt, o.VerifyTokenExpiry, o.CallbackVerifiedAt = staffTime(verified), staffTime(expiry), staffTime(callback)
	o.FailedAttempts = int(failed)
	o.FailureWindow, o.LockedUntil = staffTime(window), staffTime(locked)
	o.CreatedAt, o.UpdatedAt = staffTime(created), staffTime(updated)
	return o, err
}

// CreateOfficer inserts o (ID required; e-mail stored lower-cased). A taken
// e-mail address is an errs.Conflict.
func (s *LEStore) CreateOfficer(ctx context.Context, o lereq.Officer) (lereq.Officer, error) {
	now := s.stamp()
	o.Email = strings.ToLower(strings.TrimSpace(o.Email))
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`INSERT INTO le_officers (`+officerCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		o.ID, o.AgencyID, o.Name, o.Title, o.Email, o.Phone, o.PasswordHash, o.TOTPSecret, staffBool(o.TOTPConfirmed), o.TOTPLastStep,
		staffMillis(o.EmailVerifiedAt), o.VerifyTokenHash, staffMillis(o.VerifyTokenExpiry), staffMillis(o.CallbackVerifiedAt), o.CallbackBy, o.CallbackNotes,
		o.FailedAttempts, staffMillis(o.FailureWindow), staffMillis(o.LockedUntil), staffBool(o.Disabled), now, now)
	if err != nil {
		if staffIsUniqueViolation(err) {
			return lereq.Officer{}, &errs.Error{Kind: errs.Conflict, Field: "email", Msg: "is already registered: sign in, or reset the password"}
		}
		return lereq.Officer{}, fmt.Errorf("create officer: %w", err)
	}
	o.CreatedAt, o.UpdatedAt = staffTime(now), staffTime(now)
	return o, nil
}

func (s *LEStore) oneOfficer(ctx context.Context, where string, arg any) (lereq.Officer, error) {
	o, err := scanOfficer(s.db.QueryRowContext(ctx, s.db.Rebind(`SELECT `+officerCols+` FROM le_officers WHERE `+where), arg))
	if errors.Is(err, sql.ErrNoRows) {
		return lereq.Officer{}, errs.E(errs.NotFound, "no such officer")
	}
	if err != nil {
		return lereq.Officer{}, fmt.Errorf("read officer: %w", err)
	}
	return o, nil
}

// Officer returns the officer with id, or errs.NotFound.
func (s *LEStore) Officer(ctx context.Context, id string) (lereq.Officer, error) {
	return s.oneOfficer(ctx, `id = ?`, id)
}

// OfficerByEmail returns the officer with this address (any case), or
// errs.NotFound.
func (s *LEStore) OfficerByEmail(ctx context.Context, email string) (lereq.Officer, error) {
	return s.oneOfficer(ctx, `email = ?`, strings.ToLower(strings.TrimSpace(email)))
}

// ListOfficers returns the officers of agencyID (every officer when empty),
// by e-mail.
func (s *LEStore) ListOfficers(ctx context.Context, agencyID string) ([]lereq.Officer, error) {
	q, args := `SELECT `+officerCols+` FROM le_officers`, []any{}
	if agencyID != "" {
		q, args = q+` WHERE agency_id = ?`, append(args, agencyID)
	}
	rows, err := s.db.QueryContext(ctx, s.db.Rebind(q+` ORDER BY email`), args...)
	if err != nil {
		return nil, fmt.Errorf("list officers: %w", err)
	}
	defer rows.Close()
	var out []lereq.Officer
	for rows.Next() {
		o, err := scanOfficer(rows)
		if err != nil {
			return nil, fmt.Errorf("list officers: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func (s *LEStore) execOfficer(ctx context.Context, what, q string, args ...any) error {
	res, err := s.db.ExecContext(ctx, s.db.Rebind(q), args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return errs.E(errs.NotFound, "%s: no such officer", what)
	}
	return nil
}

// SetOfficerVerifyToken stores the hash of a new e-mail verification token
// and its expiry, replacing any earlier one.
func (s *LEStore) SetOfficerVerifyToken(ctx context.Context, id, tokenHash string, expiry time.Time) error {
	return s.execOfficer(ctx, "set verification token",
		`UPDATE le_officers SET verify_token_hash = ?, verify_token_expiry_ms = ?, updated_ms = ? WHERE id = ?`,
		tokenHash, staffMillis(expiry), s.stamp(), id)
}

// ConsumeOfficerVerifyToken marks the e-mail of the officer holding
// tokenHash verified at now and clears the token, so it works once. An
// unknown, used or expired token is errs.Invalid (field "token").
func (s *LEStore) ConsumeOfficerVerifyToken(ctx context.Context, tokenHash string, now time.Time) (lereq.Officer, error) {
	bad := errs.Field("token", "this verification link is invalid, expired or already used: sign in and ask for a new link")
	if tokenHash == "" {
		return lereq.Officer{}, bad
	}
	o, err := s.oneOfficer(ctx, `verify_token_hash = ?`, tokenHash)
	if errs.KindOf(err) == errs.NotFound {
		return lereq.Officer{}, bad
	}
	if err != nil {
		return o, err
	}
	// The conditions are repeated in the UPDATE so that two clicks racing
	// each other cannot both succeed.
	res, err := s.db.ExecContext(ctx, s.db.Rebind(`UPDATE le_officers SET email_verified_ms = ?, verify_token_hash = '', verify_token_expiry_ms = 0, updated_ms = ?
		WHERE id = ? AND verify_token_hash = ? AND verify_token_expiry_ms > ?`),
		staffMillis(now), s.stamp(), o.ID, tokenHash, staffMillis(now))
	if err != nil {
		return lereq.Officer{}, fmt.Errorf("verify e-mail: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return lereq.Officer{}, bad
	}
	return s.Officer(ctx, o.ID)
}

// SetOfficerTOTPSecret stores a new, unconfirmed TOTP secret. It is refused
// (errs.Conflict) once a secret has been confirmed.
func (s *LEStore) SetOfficerTOTPSecret(ctx context.Context, id, secret string) error {
	res, err := s.db.ExecContext(ctx, s.db.Rebind(
		`UPDATE le_officers SET totp_secret = ?, updated_ms = ? WHERE id = ? AND totp_confirmed = 0`), secret, s.stamp(), id)
	if err != nil {
		return fmt.Errorf("set TOTP secret: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.Conflict, "two-factor authentication is already set up for this officer")
	}
	return nil
}

// UseOfficerTOTPStep records step as used and confirms the secret, only if
// step is newer than the last one used (errs.Unauthenticated otherwise).
func (s *LEStore) UseOfficerTOTPStep(ctx context.Context, id string, step int64) error {
	res, err := s.db.ExecContext(ctx, s.db.Rebind(
		`UPDATE le_officers SET totp_last_step = ?, totp_confirmed = 1, updated_ms = ? WHERE id = ? AND totp_last_step < ?`),
		step, s.stamp(), id, step)
	if err != nil {
		return fmt.Errorf("record TOTP step: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.Unauthenticated, "this code was already used; wait for the next code and enter it")
	}
	return nil
}

// SetOfficerLoginState stores the lockout bookkeeping of officer id.
func (s *LEStore) SetOfficerLoginState(ctx context.Context, id string, failures int, windowStart, lockedUntil time.Time) error {
	return s.execOfficer(ctx, "record login state",
		`UPDATE le_officers SET failed_attempts = ?, failure_window_ms = ?, locked_until_ms = ? WHERE id = ?`,
		failures, staffMillis(windowStart), staffMillis(lockedUntil), id)
}

// SetOfficerCallback records that staff member by verified the officer by
// calling the agency's published number at at.
func (s *LEStore) SetOfficerCallback(ctx context.Context, id string, at time.Time, by, notes string) error {
	return s.execOfficer(ctx, "record call-back",
		`UPDATE le_officers SET callback_verified_ms = ?, callback_by = ?, callback_notes = ?, updated_ms = ? WHERE id = ?`,
		staffMillis(at), by, notes, s.stamp(), id)
}

// SetOfficerDisabled disables (or re-enables) an officer's portal account.
func (s *LEStore) SetOfficerDisabled(ctx context.Context, id string, disabled bool) error {
	return s.execOfficer(ctx, "disable officer",
		`UPDATE le_officers SET disabled = ?, updated_ms = ? WHERE id = ?`, staffBool(disabled), s.stamp(), id)
}

// AddVerification records one identity check of an officer.
func (s *LEStore) AddVerification(ctx context.Context, v lereq.Verification) (lereq.Verification, error) {
	err := s.db.QueryRowContext(ctx, s.db.Rebind(`INSERT INTO le_verifications (officer_id, kind, by_whom, phone, notes, at_ms)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), v.OfficerID, v.Kind, v.By, v.Phone, v.Notes, staffMillis(v.At)).Scan(&v.ID)
	if err != nil {
		return v, fmt.Errorf("record verification: %w", err)
	}
	v.At = staffTime(staffMillis(v.At))
	return v, nil
}

// Verifications returns the identity checks of an officer, oldest first.
func (s *LEStore) Verifications(ctx context.Context, officerID string) ([]lereq.Verification, error) {
	rows, err := s.db.QueryContext(ctx, s.db.Rebind(`SELECT id, officer_id, kind, by_whom, phone, notes, at_ms
		FROM le_verifications WHERE officer_id = ? ORDER BY id`), officerID)
	if err != nil {
		return nil, fmt.Errorf("read verifications: %w", err)
	}
	defer rows.Close()
	var out []lereq.Verification
	for rows.Next() {
		var v lereq.Verification
		var at int64
		if err := rows.Scan(&v.ID, &v.OfficerID, &v.Kind, &v.By, &v.Phone, &v.Notes, &at); err != nil {
			return nil, fmt.Errorf("read verifications: %w", err)
		}
		v.At = staffTime(at)
		out = append(out, v)
	}
	return out, rows.Err()
}
