package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"vigil/errs"
)

// TokenPrefix starts every service API token, so that secret scanners and
// people can recognise a leaked one.
const TokenPrefix = "vgl_"

// TokenScopes are the scopes a service token may carry.
var TokenScopes = []string{"audit", "ingest"}

// Token is a service API token's record. The token itself is never stored:
// only its SHA-256, which is enough to verify it and useless to a thief of
// the database.
type Token struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Scopes    []string  `json:"scopes"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"` // zero while valid
}

// Revoked reports whether the token has been revoked.
func (t Token) Revoked() bool { return !t.RevokedAt.IsZero() }

// Tokens stores service API tokens.
type Tokens struct {
	db  *DB
	now func() time.Time
}

// NewTokens returns the token store on a migrated db; nil now means
// time.Now.
func NewTokens(db *DB, now func() time.Time) *Tokens {
	if now == nil {
		now = time.Now
	}
	return &Tokens{db: db, now: now}
}

// Create makes a token named name with the given scopes and returns the
// token (to show once) and its record.
func (s *Tokens) Create(ctx context.Context, name string, scopes []string) (string, Token, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 64 || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		return "", Token{}, errs.Field("name", "must be 1 to 64 printable characters naming the service that will use the token, e.g. feed-moments")
	}
	sc, err := normalizeScopes(scopes)
	if err != nil {
		return "", Token{}, err
	}
	var secret [32]byte
	var id [8]byte
	if _, err := rand.Read(secret[:]); err != nil {
		return "", Token{}, fmt.Errorf("token randomness: %w", err)
	}
	if _, err := rand.Read(id[:]); err != nil {
		return "", Token{}, fmt.Errorf("token randomness: %w", err)
	}
	raw := TokenPrefix + base64.RawURLEncoding.EncodeToString(secret[:])
	tok := Token{ID: "tok_" + hex.EncodeToString(id[:]), Name: name, Scopes: sc, CreatedAt: s.now().UTC().Truncate(time.Microsecond)}
	sum := sha256.Sum256([]byte(raw))
	_, err = s.db.ExecContext(ctx, s.db.Rebind("INSERT INTO api_tokens (id, name, scopes, hash, created_at) VALUES (?, ?, ?, ?, ?)"),
		tok.ID, tok.Name, strings.Join(tok.Scopes, ","), sum[:], s.timeArg(tok.CreatedAt))
	if err != nil {
		return "", Token{}, fmt.Errorf("store token: %w", err)
	}
	return raw, tok, nil
}

func normalizeScopes(scopes []string) ([]string, error) {
	var out []string
	for _, sc := range scopes {
		sc = strings.ToLower(strings.TrimSpace(sc))
		if sc == "" {
			continue
		}
		if !slices.Contains(TokenScopes, sc) {
			return nil, errs.Field("scope", "%q is not a scope: use %s", sc, strings.Join(TokenScopes, " or "))
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	if len(out) == 0 {
		return nil, errs.Field("scope", "at least one scope is required: %s", strings.Join(TokenScopes, ", "))
	}
	slices.Sort(out)
	return out, nil
}

func (s *Tokens) timeArg(t time.Time) any {
	if s.db.Dialect == Postgres {
		return t.UTC()
	}
	return t.UTC().Format(dirSQLiteTime)
}

const tokenCols = "id, name, scopes, created_at, revoked_at"

func scanToken(r dirScanner) (Token, error) {
	var t Token
	var scopes string
	var created, revoked any
	if err := r.Scan(&t.ID, &t.Name, &scopes, &created, &revoked); err != nil {
		return t, err
	}
	t.Scopes = strings.Split(scopes, ",")
	var err error
	if t.CreatedAt, err = dirScanTime(created); err != nil {
		return t, err
	}
	if revoked != nil {
		t.RevokedAt, err = dirScanTime(revoked)
	}
	return t, err
}

// errBadToken is the one answer for every token that does not verify, so a
// caller learns nothing about which tokens exist.
var errBadToken = errs.E(errs.Unauthenticated, "the API token is unknown or revoked; create one with `vigil token create`")

// Verify returns the record of a valid raw token. Unknown, malformed and
// revoked tokens get an errs.Unauthenticated error.
func (s *Tokens) Verify(ctx context.Context, raw string) (Token, error) {
	if !strings.HasPrefix(raw, TokenPrefix) || len(raw) > 128 {
		return Token{}, errBadToken
	}
	sum := sha256.Sum256([]byte(raw))
	t, err := scanToken(s.db.QueryRowContext(ctx, s.db.Rebind("SELECT "+tokenCols+" FROM api_tokens WHERE hash = ?"), sum[:]))
	if isNoRows(err) {
		return Token{}, errBadToken
	}
	if err != nil {
		return Token{}, fmt.Errorf("verify token: %w", err)
	}
	if t.Revoked() {
		return Token{}, errBadToken
	}
	return t, nil
}

// Revoke revokes the token with id; revoking twice keeps the first time.
// An unknown id is an errs.NotFound error.
func (s *Tokens) Revoke(ctx context.Context, id string) (Token, error) {
	_, err := s.db.ExecContext(ctx, s.db.Rebind("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"),
		s.timeArg(s.now().Truncate(time.Microsecond)), id)
	if err != nil {
		return Token{}, fmt.Errorf("revoke token: %w", err)
	}
	t, err := scanToken(s.db.QueryRowContext(ctx, s.db.Rebind("SELECT "+tokenCols+" FROM api_tokens WHERE id = ?"), id))
	if isNoRows(err) {
		return Token{}, errs.E(errs.NotFound, "no token with id %q: `vigil token list` shows the ids", id)
	}
	return t, err
}

// List returns every token, oldest first, revoked ones included.
func (s *Tokens) List(ctx context.Context) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+tokenCols+" FROM api_tokens ORDER BY created_at, id")
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("read token: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// CountActive counts the tokens that are not revoked, for the dashboard.
func (s *Tokens) CountActive(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NULL").Scan(&n); err != nil {
		return 0, fmt.Errorf("count tokens: %w", err)
	}
	return n, nil
}
