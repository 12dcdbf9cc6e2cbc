package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"vigil/audit"
)

// AuditStore persists the audit log (audit.Store) in SQLite or PostgreSQL.
type AuditStore struct {
	db *DB
}

// NewAuditStore returns the audit log's store on db (migrated).
func NewAuditStore(db *DB) *AuditStore { return &AuditStore{db: db} }

var _ audit.Store = (*AuditStore)(nil)

// sqliteTime is a fixed-width UTC layout, so that the TEXT column sorts in
// time order.
const sqliteTime = "2006-01-02T15:04:05.000000Z"

// rowsPerInsert keeps one multi-row INSERT under both drivers' parameter
// limits (SQLite 32766, PostgreSQL 65535) at 7 columns.
const rowsPerInsert = 500

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// AppendBatch implements audit.Store. The writer lock is SQLite's database
// write lock (the DSN begins transactions IMMEDIATE) or, on PostgreSQL, an
// EXCLUSIVE table lock, which blocks other writers in any process while
// leaving plain reads free.
func (s *AuditStore) AppendBatch(ctx context.Context, build func(context.Context, audit.HashReader, uint64) (audit.Batch, error)) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin audit append: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if s.db.Dialect == Postgres {
		if _, err := tx.ExecContext(ctx, "LOCK TABLE audit_entries IN EXCLUSIVE MODE"); err != nil {
			return fmt.Errorf("lock audit log: %w", err)
		}
	}
	var size int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(idx)+1, 0) FROM audit_entries").Scan(&size); err != nil {
		return fmt.Errorf("read audit log size: %w", err)
	}
	b, err := build(ctx, hashReader{s.db, tx}, uint64(size))
	if err != nil {
		return err
	}
	for i := 0; i < len(b.Entries); i += rowsPerInsert {
		if err := s.insertEntries(ctx, tx, b.Entries[i:min(i+rowsPerInsert, len(b.Entries))]); err != nil {
			return err
		}
	}
	for i := 0; i < len(b.Nodes); i += rowsPerInsert {
		if err := s.insertNodes(ctx, tx, b.Nodes[i:min(i+rowsPerInsert, len(b.Nodes))]); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit audit append: %w", err)
	}
	return nil
}

func (s *AuditStore) insertEntries(ctx context.Context, tx *sql.Tx, es []audit.Entry) error {
	var q strings.Builder
	q.WriteString("INSERT INTO audit_entries (idx, at, actor, role, action, leaf, leaf_hash) VALUES ")
	args := make([]any, 0, 7*len(es))
	for i, e := range es {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteString("(?,?,?,?,?,?,?)")
		idx, err := toInt64(e.Index)
		if err != nil {
			return err
		}
		args = append(args, idx, s.timeArg(e.At), e.Actor, e.Role, e.Action, e.Leaf, e.LeafHash)
	}
	if _, err := tx.ExecContext(ctx, s.db.Rebind(q.String()), args...); err != nil {
		return fmt.Errorf("insert audit entries: %w", err)
	}
	return nil
}

func (s *AuditStore) insertNodes(ctx context.Context, tx *sql.Tx, ns []audit.Node) error {
	var q strings.Builder
	q.WriteString("INSERT INTO audit_nodes (level, idx, hash) VALUES ")
	args := make([]any, 0, 3*len(ns))
	for i, n := range ns {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteString("(?,?,?)")
		idx, err := toInt64(n.Index)
		if err != nil {
			return err
		}
		args = append(args, int64(n.Level), idx, n.Hash)
	}
	if _, err := tx.ExecContext(ctx, s.db.Rebind(q.String()), args...); err != nil {
		return fmt.Errorf("insert audit tree nodes: %w", err)
	}
	return nil
}

// Hashes implements audit.HashReader outside any transaction.
func (s *AuditStore) Hashes(ctx context.Context, level uint, from, to uint64) ([][]byte, error) {
	return hashReader{s.db, s.db}.Hashes(ctx, level, from, to)
}

type hashReader struct {
	db *DB
	q  querier
}

func (r hashReader) Hashes(ctx context.Context, level uint, from, to uint64) ([][]byte, error) {
	if to < from {
		return nil, fmt.Errorf("%w: hash range %d..%d", audit.ErrInvalid, from, to)
	}
	f, err := toInt64(from)
	if err != nil {
		return nil, err
	}
	t, err := toInt64(to)
	if err != nil {
		return nil, err
	}
	var rows *sql.Rows
	if level == 0 {
		rows, err = r.q.QueryContext(ctx, r.db.Rebind(
			"SELECT idx, leaf_hash FROM audit_entries WHERE idx >= ? AND idx < ? ORDER BY idx"), f, t)
	} else {
		rows, err = r.q.QueryContext(ctx, r.db.Rebind(
			"SELECT idx, hash FROM audit_nodes WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx"), int64(level), f, t)
	}
	if err != nil {
		return nil, fmt.Errorf("read audit tree level %d: %w", level, err)
	}
	defer rows.Close()
	out := make([][]byte, 0, to-from)
	for rows.Next() {
		var (
			idx int64
			h   []byte
		)
		if err := rows.Scan(&idx, &h); err != nil {
			return nil, fmt.Errorf("read audit tree level %d: %w", level, err)
		}
		if want := f + int64(len(out)); idx != want {
			return nil, fmt.Errorf("%w: audit tree level %d index %d", audit.ErrNotFound, level, want)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read audit tree level %d: %w", level, err)
	}
	if uint64(len(out)) != to-from {
		return nil, fmt.Errorf("%w: audit tree level %d index %d", audit.ErrNotFound, level, from+uint64(len(out)))
	}
	return out, nil
}

// Size implements audit.Store.
func (s *AuditStore) Size(ctx context.Context) (uint64, error) {
	var size int64
	if err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(idx)+1, 0) FROM audit_entries").Scan(&size); err != nil {
		return 0, fmt.Errorf("read audit log size: %w", err)
	}
	return uint64(size), nil
}

// Entries implements audit.Store.
func (s *AuditStore) Entries(ctx context.Context, from uint64, limit int) ([]audit.Entry, error) {
	f, err := toInt64(from)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, s.db.Rebind(
		"SELECT idx, at, actor, role, action, leaf, leaf_hash FROM audit_entries WHERE idx >= ? ORDER BY idx LIMIT ?"), f, limit)
	if err != nil {
		return nil, fmt.Errorf("read audit entries: %w", err)
	}
	defer rows.Close()
	out := make([]audit.Entry, 0, min(limit, 1024))
	for rows.Next() {
		var (
			e   audit.Entry
			idx int64
			at  any
		)
		if err := rows.Scan(&idx, &at, &e.Actor, &e.Role, &e.Action, &e.Leaf, &e.LeafHash); err != nil {
			return nil, fmt.Errorf("read audit entries: %w", err)
		}
		e.Index = uint64(idx)
		if e.At, err = scanTime(at); err != nil {
			return nil, fmt.Errorf("audit entry %d: %w", idx, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read audit entries: %w", err)
	}
	return out, nil
}

// SaveCheckpoint implements audit.Store.
func (s *AuditStore) SaveCheckpoint(ctx context.Context, c audit.Checkpoint) error {
	size, err := toInt64(c.Size)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, s.db.Rebind(
		"INSERT INTO audit_checkpoints (size, root, note, published_at) VALUES (?, ?, ?, ?)"),
		size, c.Root, string(c.Note), s.timeArg(c.PublishedAt))
	if err != nil {
		return fmt.Errorf("store audit checkpoint: %w", err)
	}
	return nil
}

// Checkpoints implements audit.Store.
func (s *AuditStore) Checkpoints(ctx context.Context) ([]audit.Checkpoint, error) {
	return s.checkpoints(ctx, "SELECT size, root, note, published_at FROM audit_checkpoints ORDER BY id")
}

// LatestCheckpoint implements audit.Store.
func (s *AuditStore) LatestCheckpoint(ctx context.Context) (audit.Checkpoint, error) {
	cs, err := s.checkpoints(ctx, "SELECT size, root, note, published_at FROM audit_checkpoints ORDER BY id DESC LIMIT 1")
	if err != nil {
		return audit.Checkpoint{}, err
	}
	if len(cs) == 0 {
		return audit.Checkpoint{}, fmt.Errorf("%w: no audit checkpoint has been published yet", audit.ErrNotFound)
	}
	return cs[0], nil
}

func (s *AuditStore) checkpoints(ctx context.Context, q string) ([]audit.Checkpoint, error) {
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read audit checkpoints: %w", err)
	}
	defer rows.Close()
	var out []audit.Checkpoint
	for rows.Next() {
		var (
			c    audit.Checkpoint
			size int64
			note string
			at   any
		)
		if err := rows.Scan(&size, &c.Root, &note, &at); err != nil {
			return nil, fmt.Errorf("read audit checkpoints: %w", err)
		}
		c.Size, c.Note = uint64(size), []byte(note)
		if c.PublishedAt, err = scanTime(at); err != nil {
			return nil, fmt.Errorf("audit checkpoint: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read audit checkpoints: %w", err)
	}
	return out, nil
}

func (s *AuditStore) timeArg(t time.Time) any {
	if s.db.Dialect == Postgres {
		return t.UTC()
	}
	return t.UTC().Format(sqliteTime)
}

// scanTime accepts what either driver returns for a time column.
func scanTime(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t.UTC(), nil
	case string:
		return parseStoredTime(t)
	case []byte:
		return parseStoredTime(string(t))
	}
	return time.Time{}, fmt.Errorf("unexpected time value %T", v)
}

func parseStoredTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, errors.New("stored time " + s + " is not RFC 3339")
	}
	return t.UTC(), nil
}

func toInt64(u uint64) (int64, error) {
	if u > math.MaxInt64 {
		return 0, fmt.Errorf("%w: index %d is out of range", audit.ErrInvalid, u)
	}
	return int64(u), nil
}
