package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" driver
	_ "modernc.org/sqlite"             // "sqlite" driver
)

// DBCount is what the database holds for one run's ids, read directly
// after the server stopped cleanly.
type DBCount struct {
	Rows, Distinct, Verdicts int64
}

// openDB opens the server's database with the drivers vigil uses, without
// importing vigil/store: the check must not share code with what it checks,
// and it reads only two tables whose names are part of the schema.
func openDB(dsn string) (*sql.DB, string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err := sql.Open("pgx", dsn)
		return db, "$1", err
	}
	db, err := sql.Open("sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?mode=ro&_pragma=busy_timeout(10000)")
	return db, "?", err
}

// CountRun counts the content rows, distinct ids and verdicts whose ids
// start with runID + "-".
func CountRun(ctx context.Context, dsn, runID string) (DBCount, error) {
	db, ph, err := openDB(dsn)
	if err != nil {
		return DBCount{}, err
	}
	defer db.Close()
	like := runID + "-%"
	var c DBCount
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*), COUNT(DISTINCT id) FROM content_items WHERE id LIKE "+ph, like).Scan(&c.Rows, &c.Distinct); err != nil {
		return c, fmt.Errorf("count content in %s: %w", redact(dsn), err)
	}
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM verdicts WHERE content_id LIKE "+ph, like).Scan(&c.Verdicts); err != nil {
		return c, fmt.Errorf("count verdicts: %w", err)
	}
	return c, nil
}

// redact hides a password in a database URL for error messages.
func redact(dsn string) string {
	at := strings.LastIndexByte(dsn, '@')
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 {
		return dsn
	}
	user := dsn[scheme+3 : at]
	if name, _, ok := strings.Cut(user, ":"); ok {
		return dsn[:scheme+3] + name + ":xxxxx" + dsn[at:]
	}
	return dsn
}
