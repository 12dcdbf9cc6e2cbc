package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// SessionStore keeps web sessions (github.com/alexedwards/scs/v2) in Vigil's
// database. It implements scs.Store and scs.CtxStore. Tokens are stored as
// SHA-256 hashes, so a copy of the database does not let anyone resume a
// session.
type SessionStore struct {
	db   *DB
	stop chan struct{}
	done chan struct{}
}

// NewSessionStore returns a session store on db. When cleanup > 0 a
// goroutine deletes expired sessions at that interval until StopCleanup.
func NewSessionStore(db *DB, cleanup time.Duration) *SessionStore {
	s := &SessionStore{db: db}
	if cleanup > 0 {
		s.stop, s.done = make(chan struct{}), make(chan struct{})
		go s.cleanupLoop(cleanup)
	}
	return s
}

func sessionKey(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// FindCtx returns the data of the unexpired session token.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, s.db.Rebind(
		`SELECT data FROM staff_sessions WHERE token_hash = ? AND expiry_ms > ?`),
		sessionKey(token), time.Now().UnixMilli()).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return b, true, nil
}

// CommitCtx adds or replaces the session token.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, err := s.db.ExecContext(ctx, s.db.Rebind(
		`INSERT INTO staff_sessions (token_hash, data, expiry_ms) VALUES (?, ?, ?)
		 ON CONFLICT (token_hash) DO UPDATE SET data = excluded.data, expiry_ms = excluded.expiry_ms`),
		sessionKey(token), b, expiry.UnixMilli())
	if err != nil {
		return fmt.Errorf("commit session: %w", err)
	}
	return nil
}

// DeleteCtx removes the session token (no error if absent).
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`DELETE FROM staff_sessions WHERE token_hash = ?`), sessionKey(token))
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// Find implements scs.Store.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (s *SessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// DeleteExpired removes sessions that expired before now and returns how many.
func (s *SessionStore) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.db.Rebind(`DELETE FROM staff_sessions WHERE expiry_ms <= ?`), now.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}

func (s *SessionStore) cleanupLoop(every time.Duration) {
	defer close(s.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			if _, err := s.DeleteExpired(ctx, time.Now()); err != nil {
				slog.Warn("session cleanup failed", "err", err)
			}
			cancel()
		}
	}
}

// StopCleanup stops the cleanup goroutine and waits for it to finish.
func (s *SessionStore) StopCleanup() {
	if s.stop == nil {
		return
	}
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	<-s.done
}
