package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"vigil/errs"
)

// StaffUser is a member of the platform's staff who signs in to the console.
// PasswordHash and TOTPSecret are secrets: String and LogValue redact them so
// that logging a StaffUser never leaks them.
type StaffUser struct {
	ID            int64
	Username      string
	DisplayName   string
	Role          string
	PasswordHash  string // argon2id PHC string
	TOTPSecret    string // base32; empty until enrolment starts
	TOTPConfirmed bool   // true once a code from the secret was accepted
	TOTPLastStep  int64  // last accepted TOTP step; older or equal steps are refused
	// Lockout bookkeeping (see auth.LoginState).
	FailedAttempts int
	FailureWindow  time.Time // zero when no failures
	LockedUntil    time.Time // zero when not locked
	Disabled       bool
	Created        time.Time
	Updated        time.Time
}

// String describes u without its secrets.
func (u StaffUser) String() string {
	return fmt.Sprintf("staff user %d %q (%s)", u.ID, u.Username, u.Role)
}

// LogValue keeps secrets out of slog output.
func (u StaffUser) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("id", u.ID), slog.String("username", u.Username), slog.String("role", u.Role))
}

const staffUserCols = `id, username, display_name, role, password_hash, totp_secret, totp_confirmed,
	totp_last_step, failed_attempts, failure_window_ms, locked_until_ms, disabled, created_ms, updated_ms`

func staffMillis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func staffTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func staffBool(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

type staffRowScanner interface{ Scan(dest ...any) error }

func scanStaffUser(r staffRowScanner) (StaffUser, error) {
	var u StaffUser
	var confirmed, failed, windowMS, lockedMS, disabled, createdMS, updatedMS int64
	err := r.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.PasswordHash, &u.TOTPSecret, &confirmed,
		&u.TOTPLastStep, &failed, &windowMS, &lockedMS, &disabled, &createdMS, &updatedMS)
	if err != nil {
		return u, err
	}
	u.TOTPConfirmed, u.Disabled = confirmed != 0, disabled != 0
	u.FailedAttempts = int(failed)
	u.FailureWindow, u.LockedUntil = staffTime(windowMS), staffTime(lockedMS)
	u.Created, u.Updated = staffTime(createdMS), staffTime(updatedMS)
	return u, nil
}

// CreateStaffUser inserts u (ID, Created and Updated are set) and returns it.
// A taken username is an errs.Conflict. Validation of the username, role and
// password is the caller's (package auth).
func (db *DB) CreateStaffUser(ctx context.Context, u StaffUser) (StaffUser, error) {
	now := time.Now().UTC().Truncate(time.Millisecond)
	u.Created, u.Updated = now, now
	q := db.Rebind(`INSERT INTO staff_users (username, display_name, role, password_hash, totp_secret,
		totp_confirmed, totp_last_step, failed_attempts, failure_window_ms, locked_until_ms, disabled, created_ms, updated_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
	err := db.QueryRowContext(ctx, q, u.Username, u.DisplayName, u.Role, u.PasswordHash, u.TOTPSecret,
		staffBool(u.TOTPConfirmed), u.TOTPLastStep, u.FailedAttempts, staffMillis(u.FailureWindow), staffMillis(u.LockedUntil),
		staffBool(u.Disabled), staffMillis(now), staffMillis(now)).Scan(&u.ID)
	if err != nil {
		if staffIsUniqueViolation(err) {
			return StaffUser{}, errs.E(errs.Conflict, "username %q is taken; choose another", u.Username)
		}
		return StaffUser{}, fmt.Errorf("create staff user: %w", err)
	}
	return u, nil
}

// StaffUserByUsername returns the user named username, or errs.NotFound.
func (db *DB) StaffUserByUsername(ctx context.Context, username string) (StaffUser, error) {
	return db.oneStaffUser(ctx, `SELECT `+staffUserCols+` FROM staff_users WHERE username = ?`, username)
}

// StaffUserByID returns the user with id, or errs.NotFound.
func (db *DB) StaffUserByID(ctx context.Context, id int64) (StaffUser, error) {
	return db.oneStaffUser(ctx, `SELECT `+staffUserCols+` FROM staff_users WHERE id = ?`, id)
}

func (db *DB) oneStaffUser(ctx context.Context, q string, arg any) (StaffUser, error) {
	u, err := scanStaffUser(db.QueryRowContext(ctx, db.Rebind(q), arg))
	if errors.Is(err, sql.ErrNoRows) {
		return StaffUser{}, errs.E(errs.NotFound, "no staff user %v", arg)
	}
	if err != nil {
		return StaffUser{}, fmt.Errorf("read staff user: %w", err)
	}
	return u, nil
}

// ListStaffUsers returns every staff user ordered by username.
func (db *DB) ListStaffUsers(ctx context.Context) ([]StaffUser, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+staffUserCols+` FROM staff_users ORDER BY username`)
	if err != nil {
		return nil, fmt.Errorf("list staff users: %w", err)
	}
	defer rows.Close()
	var out []StaffUser
	for rows.Next() {
		u, err := scanStaffUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list staff users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountStaffUsers returns how many staff users exist (the demo loader and
// start-up use it to decide whether to bootstrap).
func (db *DB) CountStaffUsers(ctx context.Context) (int64, error) {
	var n int64
	err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff_users`).Scan(&n)
	return n, err
}

// execOneStaff runs an UPDATE of one staff user and maps "no row" to NotFound.
func (db *DB) execOneStaff(ctx context.Context, what string, q string, args ...any) error {
	res, err := db.ExecContext(ctx, db.Rebind(q), args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return errs.E(errs.NotFound, "%s: no such staff user", what)
	}
	return nil
}

// SetStaffUserDisabled disables (or re-enables) the user named username.
func (db *DB) SetStaffUserDisabled(ctx context.Context, username string, disabled bool) error {
	return db.execOneStaff(ctx, "disable staff user",
		`UPDATE staff_users SET disabled = ?, updated_ms = ? WHERE username = ?`,
		staffBool(disabled), staffMillis(time.Now()), username)
}

// SetStaffRole changes the role of the user named username.
func (db *DB) SetStaffRole(ctx context.Context, username, role string) error {
	return db.execOneStaff(ctx, "change role",
		`UPDATE staff_users SET role = ?, updated_ms = ? WHERE username = ?`, role, staffMillis(time.Now()), username)
}

// SetStaffPassword replaces the password hash of user id.
func (db *DB) SetStaffPassword(ctx context.Context, id int64, hash string) error {
	return db.execOneStaff(ctx, "set password",
		`UPDATE staff_users SET password_hash = ?, updated_ms = ? WHERE id = ?`, hash, staffMillis(time.Now()), id)
}

// SetStaffTOTPSecret stores a new, unconfirmed TOTP secret for user id (the
// start of enrolment). It is refused once a secret has been confirmed, so a
// stolen password cannot re-enrol a second factor.
func (db *DB) SetStaffTOTPSecret(ctx context.Context, id int64, secret string) error {
	res, err := db.ExecContext(ctx, db.Rebind(
		`UPDATE staff_users SET totp_secret = ?, updated_ms = ? WHERE id = ? AND totp_confirmed = 0`),
		secret, staffMillis(time.Now()), id)
	if err != nil {
		return fmt.Errorf("set TOTP secret: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.Conflict, "two-factor authentication is already set up for this user")
	}
	return nil
}

// UseStaffTOTPStep records step as the last used TOTP step of user id and
// marks the secret confirmed. It succeeds only when step is newer than the
// stored one, atomically, so two concurrent logins cannot both use one code.
func (db *DB) UseStaffTOTPStep(ctx context.Context, id, step int64) error {
	res, err := db.ExecContext(ctx, db.Rebind(
		`UPDATE staff_users SET totp_last_step = ?, totp_confirmed = 1, updated_ms = ? WHERE id = ? AND totp_last_step < ?`),
		step, staffMillis(time.Now()), id, step)
	if err != nil {
		return fmt.Errorf("record TOTP step: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.Unauthenticated, "this code was already used; wait for the next code and enter it")
	}
	return nil
}

// SetStaffLoginState stores the lockout bookkeeping of user id.
func (db *DB) SetStaffLoginState(ctx context.Context, id int64, failures int, windowStart, lockedUntil time.Time) error {
	return db.execOneStaff(ctx, "record login state",
		`UPDATE staff_users SET failed_attempts = ?, failure_window_ms = ?, locked_until_ms = ? WHERE id = ?`,
		failures, staffMillis(windowStart), staffMillis(lockedUntil), id)
}

// staffIsUniqueViolation recognises a unique-constraint failure in either dialect.
func staffIsUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}
