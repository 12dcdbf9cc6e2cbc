package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"vigil/errs"
	"vigil/platform"
)

// Directory persists the platform directory — accounts, logins, groups and
// public content — and answers the look-ups that lawful requests need.
// Every write is idempotent by id: re-sending a batch changes nothing.
type Directory struct {
	db  *DB
	now func() time.Time

	sqlMu    sync.Mutex
	sqlCache map[string]string // rebound multi-row INSERT text by table and row count
}

// NewDirectory returns the directory on a migrated db. now stamps
// updated_at and ingested_at; nil means time.Now.
func NewDirectory(db *DB, now func() time.Time) *Directory {
	if now == nil {
		now = time.Now
	}
	return &Directory{db: db, now: now, sqlCache: map[string]string{}}
}

// dirSQLiteTime is a fixed-width UTC layout, so SQLite's TEXT time columns
// sort in time order (the audit tables use the same layout).
const dirSQLiteTime = "2006-01-02T15:04:05.000000Z"

// dirMaxParams keeps one statement under SQLite's default limit of 32766
// bound parameters (PostgreSQL allows 65535).
const dirMaxParams = 32000

func (d *Directory) timeArg(t time.Time) any {
	if d.db.Dialect == Postgres {
		return t.UTC()
	}
	return t.UTC().Format(dirSQLiteTime)
}

// dirScanTime accepts what either driver returns for a time column.
func dirScanTime(v any) (time.Time, error) {
	var s string
	switch t := v.(type) {
	case time.Time:
		return t.UTC(), nil
	case string:
		s = t
	case []byte:
		s = string(t)
	default:
		return time.Time{}, fmt.Errorf("unexpected time value %T", v)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q is not RFC 3339", s)
	}
	return t.UTC(), nil
}

// dirTable describes one table's multi-row INSERT.
type dirTable struct {
	name     string
	cols     []string
	pgTypes  []string // PostgreSQL array element type of each column, for unnest
	conflict string   // the ON CONFLICT clause
}

var (
	accountsTable = dirTable{
		name:    "dir_accounts",
		cols:    []string{"id", "wechat_id", "display_name", "phone", "email", "app", "region", "registered_at", "registration_ip", "status", "updated_at"},
		pgTypes: []string{"text", "text", "text", "text", "text", "text", "text", "timestamptz", "text", "text", "timestamptz"},
		// Only a real change counts as one: re-sending identical data
		// leaves the row (and updated_at) untouched.
		conflict: `ON CONFLICT (id) DO UPDATE SET wechat_id = excluded.wechat_id, display_name = excluded.display_name,
 phone = excluded.phone, email = excluded.email, app = excluded.app, region = excluded.region,
 registered_at = excluded.registered_at, registration_ip = excluded.registration_ip, status = excluded.status,
 updated_at = excluded.updated_at
 WHERE dir_accounts.wechat_id <> excluded.wechat_id OR dir_accounts.display_name <> excluded.display_name
 OR dir_accounts.phone <> excluded.phone OR dir_accounts.email <> excluded.email OR dir_accounts.app <> excluded.app
 OR dir_accounts.region <> excluded.region OR dir_accounts.registered_at <> excluded.registered_at
 OR dir_accounts.registration_ip <> excluded.registration_ip OR dir_accounts.status <> excluded.status`,
	}
	loginsTable = dirTable{
		name:     "dir_logins",
		cols:     []string{"id", "account_id", "at", "ip", "device_id", "app_version"},
		pgTypes:  []string{"text", "text", "timestamptz", "text", "text", "text"},
		conflict: "ON CONFLICT (id) DO NOTHING",
	}
	groupsTable = dirTable{
		name:    "dir_groups",
		cols:    []string{"id", "name", "member_count", "join_method", "updated_at"},
		pgTypes: []string{"text", "text", "bigint", "text", "timestamptz"},
		conflict: `ON CONFLICT (id) DO UPDATE SET name = excluded.name, member_count = excluded.member_count,
 join_method = excluded.join_method, updated_at = excluded.updated_at
 WHERE dir_groups.name <> excluded.name OR dir_groups.member_count <> excluded.member_count
 OR dir_groups.join_method <> excluded.join_method`,
	}
	contentTable = dirTable{
		name:     "content_items",
		cols:     []string{"id", "author_id", "surface", "visibility", "group_id", "text", "media", "created_at", "ingested_at"},
		pgTypes:  []string{"text", "text", "text", "text", "text", "text", "text", "timestamptz", "timestamptz"},
		conflict: "ON CONFLICT (id) DO NOTHING",
	}
)

// insertSQL returns (and caches) the rebound INSERT for n rows of t.
func (d *Directory) insertSQL(t dirTable, n int) string {
	key := fmt.Sprintf("%s/%d", t.name, n)
	d.sqlMu.Lock()
	defer d.sqlMu.Unlock()
	if q, ok := d.sqlCache[key]; ok {
		return q
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(t.cols)), ",") + ")"
	var b strings.Builder
	b.WriteString("INSERT INTO " + t.name + " (" + strings.Join(t.cols, ", ") + ") VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	b.WriteString(" " + t.conflict)
	q := d.db.Rebind(b.String())
	if len(d.sqlCache) > 256 { // only a few sizes recur; keep the cache bounded
		clear(d.sqlCache)
	}
	d.sqlCache[key] = q
	return q
}

// insertRows writes rows (each len(t.cols) values) in one transaction, one
// multi-row statement per chunk, and returns the rows inserted or changed.
func (d *Directory) insertRows(ctx context.Context, t dirTable, rows [][]any) (int64, error) {
	if len(rows) == 0 {
		return 0, nil
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store %s: begin: %w", t.name, err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	n, err := d.insertRowsTx(ctx, tx, t, rows)
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store %s: commit: %w", t.name, err)
	}
	return n, nil
}

func (d *Directory) insertRowsTx(ctx context.Context, tx *sql.Tx, t dirTable, rows [][]any) (int64, error) {
	if d.db.Dialect == Postgres {
		return d.insertUnnest(ctx, tx, t, rows)
	}
	per := dirMaxParams / len(t.cols)
	var total int64
	args := make([]any, 0, min(len(rows), per)*len(t.cols))
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r...)
		}
		res, err := tx.ExecContext(ctx, d.insertSQL(t, len(chunk)), args...)
		if err != nil {
			return 0, fmt.Errorf("store %s: insert %d rows: %w", t.name, len(chunk), err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, fmt.Errorf("store %s: rows affected: %w", t.name, err)
		}
		total += n
	}
	return total, nil
}

// insertUnnest writes rows to PostgreSQL as one array per column expanded
// by unnest: one short statement with a few array parameters, which pgx
// encodes in binary, instead of tens of thousands of scalar parameters to
// parse and bind.
func (d *Directory) insertUnnest(ctx context.Context, tx *sql.Tx, t dirTable, rows [][]any) (int64, error) {
	cols := make([]any, len(t.cols))
	casts := make([]string, len(t.cols))
	for c, typ := range t.pgTypes {
		casts[c] = fmt.Sprintf("$%d::%s[]", c+1, typ)
		switch typ {
		case "text":
			v := make([]string, len(rows))
			for i, r := range rows {
				v[i] = r[c].(string)
			}
			cols[c] = v
		case "bigint":
			v := make([]int64, len(rows))
			for i, r := range rows {
				v[i] = r[c].(int64)
			}
			cols[c] = v
		case "timestamptz":
			v := make([]time.Time, len(rows))
			for i, r := range rows {
				v[i] = r[c].(time.Time)
			}
			cols[c] = v
		default:
			return 0, fmt.Errorf("store %s: no array encoding for column type %s", t.name, typ)
		}
	}
	q := "INSERT INTO " + t.name + " (" + strings.Join(t.cols, ", ") + ") SELECT * FROM unnest(" + strings.Join(casts, ", ") + ") " + t.conflict
	res, err := tx.ExecContext(ctx, q, cols...)
	if err != nil {
		return 0, fmt.Errorf("store %s: insert %d rows: %w", t.name, len(rows), err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store %s: rows affected: %w", t.name, err)
	}
	return n, nil
}

// lastByID keeps, for each id, the last of several records in a batch (a
// later record is the newer state); PostgreSQL refuses to upsert one row
// twice in a statement.
func lastByID[T any](items []T, id func(*T) string) []T {
	seen := make(map[string]int, len(items))
	out := make([]T, 0, len(items))
	for i := range items {
		k := id(&items[i])
		if j, ok := seen[k]; ok {
			out[j] = items[i]
			continue
		}
		seen[k] = len(out)
		out = append(out, items[i])
	}
	return out
}

// UpsertAccounts stores validated accounts, inserting new ones and updating
// those whose fields changed, in one transaction. It returns how many rows
// were inserted or changed (0 when the batch was already stored).
func (d *Directory) UpsertAccounts(ctx context.Context, as []platform.Account) (int64, error) {
	now := d.timeArg(d.now())
	as = lastByID(as, func(a *platform.Account) string { return a.ID })
	rows := make([][]any, len(as))
	for i, a := range as {
		rows[i] = []any{a.ID, a.WeChatID, a.DisplayName, a.Phone, a.Email, a.App, a.Region,
			d.timeArg(a.RegisteredAt), a.RegistrationIP, a.Status, now}
	}
	return d.insertRows(ctx, accountsTable, rows)
}

// InsertLogins stores validated logins (with ids) and returns how many were
// new; logins already stored are left as they are.
func (d *Directory) InsertLogins(ctx context.Context, ls []platform.Login) (int64, error) {
	rows := make([][]any, len(ls))
	for i, l := range ls {
		rows[i] = []any{l.ID, l.AccountID, d.timeArg(l.At), l.IP, l.DeviceID, l.AppVersion}
	}
	return d.insertRows(ctx, loginsTable, rows)
}

// UpsertGroups stores validated groups, inserting new ones and updating
// those whose name, member count or join method changed.
func (d *Directory) UpsertGroups(ctx context.Context, gs []platform.Group) (int64, error) {
	now := d.timeArg(d.now())
	gs = lastByID(gs, func(g *platform.Group) string { return g.ID })
	rows := make([][]any, len(gs))
	for i, g := range gs {
		rows[i] = []any{g.ID, g.Name, g.MemberCount, g.JoinMethod, now}
	}
	return d.insertRows(ctx, groupsTable, rows)
}

// InsertContent stores validated content items in one transaction and
// returns how many were new. Content is immutable: an id already stored
// keeps its first version.
func (d *Directory) InsertContent(ctx context.Context, items []platform.ContentItem) (int64, error) {
	rows, err := d.contentRows(items)
	if err != nil {
		return 0, err
	}
	return d.insertRows(ctx, contentTable, rows)
}

func (d *Directory) contentRows(items []platform.ContentItem) ([][]any, error) {
	now := d.timeArg(d.now())
	rows := make([][]any, len(items))
	for i, c := range items {
		if c.Visibility != platform.VisibilityPublic && c.Visibility != platform.VisibilitySemiPublic {
			// Defence in depth: validation refuses these before they get here.
			return nil, errs.Field("visibility", "item %q is %q; only public and semi_public content is stored", c.ID, c.Visibility)
		}
		media := "[]"
		if len(c.Media) > 0 {
			b, err := json.Marshal(c.Media)
			if err != nil {
				return nil, fmt.Errorf("encode media of %q: %w", c.ID, err)
			}
			media = string(b)
		}
		rows[i] = []any{c.ID, c.AuthorID, c.Surface, c.Visibility, c.GroupID, c.Text, media, d.timeArg(c.CreatedAt), now}
	}
	return rows, nil
}

// notFound is the error for a look-up that matched nothing.
func notFound(what, id string) error {
	return errs.E(errs.NotFound, "no %s with id %q in the directory", what, id)
}

var errNoRows = sql.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }
